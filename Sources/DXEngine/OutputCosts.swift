import DXSampling
import DXScenario

/// The value of outputs (`output_cost:` per service): each draw's output cost of every service that has one, and of
/// the organisations and the total whose services all have one, with the gross saving as a share of it.
///
/// Output costs are drawn by inversion from keyed uniforms of their own (the seed, the draw, the service), not from
/// the draw's stream: a scenario's other numbers are the same with or without them, and they are independent of the
/// automation draws. A draw below the service's labour value counts as the labour value (which it includes).
struct OutputCosts: Sendable {
    /// Per service (scenario order): its sampler, or nil.
    let samplers: [Sampler?]
    /// The entity index of each service, and of each organisation's services.
    let serviceEntity: [Int]
    let organisationEntity: [Int]
    let serviceOrganisation: [Int]
    let totalEntity: Int
    /// Organisations (by index) and the total whose every service has an output cost.
    let coveredOrganisations: [Bool]
    let coversTotal: Bool

    init?(_ scenario: Scenario, serviceStart: Int, organisationStart: Int, total: Int) {
        guard scenario.services.contains(where: { $0.outputCost != nil }) else { return nil }
        samplers = scenario.services.map { $0.outputCost.map { Sampler($0, method: .inversion) } }
        serviceEntity = scenario.services.indices.map { serviceStart + $0 }
        let orgIndex = Dictionary(uniqueKeysWithValues: scenario.organisations.enumerated().map { ($1.id, $0) })
        serviceOrganisation = scenario.services.map { orgIndex[$0.organisation]! }
        organisationEntity = scenario.organisations.indices.map { organisationStart + $0 }
        totalEntity = total
        coveredOrganisations = scenario.organisations.map { o in
            let services = scenario.services.filter { $0.organisation == o.id }
            return !services.isEmpty && services.allSatisfy { $0.outputCost != nil }
        }
        coversTotal = scenario.services.allSatisfy { $0.outputCost != nil }
    }

    /// The entities that have output series: services with a cost, covered organisations and (if covered) the total.
    var entities: [Int] {
        serviceEntity.indices.filter { samplers[$0] != nil }.map { serviceEntity[$0] }
            + organisationEntity.indices.filter { coveredOrganisations[$0] }.map { organisationEntity[$0] }
            + (coversTotal ? [totalEntity] : [])
    }

    /// Tags the output costs' keyed uniforms apart from every other keyed draw.
    static let key: UInt64 = 0x6F75_7470_7574   // "output"

    /// Fills draw `draw`'s output series: cost and gross saving ÷ cost, after the kernel has filled the shares
    /// (labour-weighted, so gross saving = share × labour value, the mapping model's `labourValue` per entity; a
    /// service's labour value is also the floor of its cost).
    func fill(_ v: UnsafeMutableBufferPointer<Double>, draw: Int, seed: UInt64, series S: Int, labourValue: [Double]) {
        func set(_ e: Int, cost: Double) {
            v[e * S + Series.outputCost.rawValue] = cost
            v[e * S + Series.outputShare.rawValue] = cost > 0 ? v[e * S + Series.share.rawValue] * labourValue[e] / cost : 0
        }
        var organisationCost = [Double](repeating: 0, count: organisationEntity.count)
        var total = 0.0
        for (s, sampler) in samplers.enumerated() {
            guard let sampler else { continue }
            let u = KeyedUniform.value(seed, Self.key, UInt64(draw), UInt64(s))
            let e = serviceEntity[s]
            let cost = max(sampler.quantile(max(u, 0x1p-53)), labourValue[e])
            set(e, cost: cost)
            organisationCost[serviceOrganisation[s]] += cost
            total += cost
        }
        for (o, e) in organisationEntity.enumerated() where coveredOrganisations[o] { set(e, cost: organisationCost[o]) }
        if coversTotal { set(totalEntity, cost: total) }
    }
}
