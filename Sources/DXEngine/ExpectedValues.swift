import DXScenario
import DXSampling

/// Closed-form expectations of the mapping quantities, from the
/// distributions' own means (θ, ρ, costs and adoption year are independent,
/// and the copula keeps every marginal, so these are exact with or without
/// correlation). Used to fix the default matrix thresholds before the draws,
/// free of sampling noise.
struct ExpectedValues {
    /// E[G] and E[NPV] per entity.
    let grossSaving: [Double]
    let npv: [Double]

    init(_ model: MappingModel) {
        var gross = [Double](repeating: 0, count: model.entityCount)
        var net = [Double](repeating: 0, count: model.entityCount)
        let c = model.tasks, d = model.tasks.samplers
        for t in 0..<model.taskCount {
            let g = d.automation[t].distribution.mean * d.realisation[t].distribution.mean * c.labour[t]
            let year = d.adoption[t].distribution
            // P(adoption index = a): the sampled year rounded to the nearest whole year, at least 1.
            var expectedAnnuity = 0.0, expectedDiscount = 0.0
            var below = 0.0
            for a in 1...model.horizon {
                let upTo = year.cdf(Double(a) + 0.5)
                let p = upTo - below
                below = upTo
                expectedAnnuity += p * model.annuity[a]
                expectedDiscount += p * model.discount[a]
            }
            let n = (g - d.running[t].distribution.mean) * expectedAnnuity
                - d.implementation[t].distribution.mean * expectedDiscount
            for e in [t, c.serviceEntity[t], c.roleEntity[t], c.organisationEntity[t], model.entityCount - 1] {
                gross[e] += g
                net[e] += n
            }
        }
        grossSaving = gross
        npv = net
    }
}

/// The median of a non-empty list (mean of the two middle values for an even count).
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
