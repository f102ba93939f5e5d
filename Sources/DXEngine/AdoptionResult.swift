import DXSampling
import DXScenario

/// The outcome of an adoption comparison: per programme, per service,
/// organisation and the total, each metric as a distribution over draws,
/// its difference from the baseline programme on the same draws, and the
/// share of work adopted by each year.
public struct AdoptionResult: Sendable {
    /// The run: scenario, horizon, currency, discount rate, draws, seed, sampling, threads and wall time.
    public let run: RunInfo
    /// The programmes compared, the first being the baseline.
    public let programmes: [AdoptionProgramme]
    /// Services, organisations and the total, in that order.
    public let entities: [Entity]

    let layout: AdoptionLayout
    let summaries: [DistributionSummary]
    /// Per programme, the shape of net value and NPV for all services, keyed by series index (``curve(programme:_:)``).
    let curves: [Int: QuantileCurve]

    /// Every draw's inputs and programme net values, when ``AdoptionOptions/recordsDraws`` asked for them.
    public let drawTable: DrawTable?

    init(model: MappingModel, layout: AdoptionLayout, moments: [RunningMoments], replicateStandardErrors: [Double]? = nil,
         sketches: [QuantileSketch],
         options: AdoptionOptions, threadsUsed: Int, wallTime: Double, drawTable: DrawTable? = nil) {
        self.drawTable = drawTable
        run = RunInfo(scenario: model.scenario, settings: options.common, threadsUsed: threadsUsed, wallTime: wallTime)
        programmes = layout.programmes.map { model.adoption!.programmes[$0] }
        entities = layout.entities.map { model.entities[$0] }
        self.layout = layout
        let total = layout.entities.count - 1
        curves = Dictionary(uniqueKeysWithValues: layout.programmes.indices.flatMap { p in
            [AdoptionLayout.net, AdoptionLayout.npv, AdoptionLayout.differences + AdoptionLayout.net].compactMap { series -> (Int, QuantileCurve)? in
                let k = layout.index(programme: p, entity: total, series: series)
                return QuantileCurve(sketch: sketches[k], min: moments[k].min, max: moments[k].max).map { (k, $0) }
            }
        })
        summaries = moments.indices.map { k in
            DistributionSummary(moments: moments[k], sketch: sketches[k]).withReplicateStandardError(replicateStandardErrors?[k])
        }
    }

    func entityIndex(_ level: Level, _ id: String) -> Int? { entities.firstIndex { $0.level == level && $0.id == id } }
    func programmeIndex(_ id: String) -> Int? { programmes.firstIndex { $0.id == id } }

    /// One metric of one entity under one programme; nil for an unknown programme or entity.
    public func summary(programme: String, level: Level, id: String, _ metric: AdoptionMetric) -> DistributionSummary? {
        guard let p = programmeIndex(programme), let e = entityIndex(level, id) else { return nil }
        return summary(p, e, metric)
    }

    func summary(_ p: Int, _ e: Int, _ metric: AdoptionMetric) -> DistributionSummary {
        let base = layout.index(programme: p, entity: e, series: 0)
        switch metric {
        case .adoptedByHorizon: return summaries[base + AdoptionLayout.adopted]
        case .adoptionDelay: return summaries[base + AdoptionLayout.delay]
        case .npv: return summaries[base + AdoptionLayout.npv]
        case .routineCost: return .constant(layout.routineCost[p][e], count: run.draws)
        case .netValue: return summaries[base + AdoptionLayout.net]
        }
    }

    /// The programme minus the baseline, draw by draw, with a 95% interval for its mean.
    public func difference(programme: String, level: Level, id: String, _ metric: AdoptionMetric) -> PolicyDifference? {
        guard let p = programmeIndex(programme), let e = entityIndex(level, id) else { return nil }
        return difference(p, e, metric)
    }

    func difference(_ p: Int, _ e: Int, _ metric: AdoptionMetric) -> PolicyDifference {
        let base = layout.index(programme: p, entity: e, series: AdoptionLayout.differences)
        let summary: DistributionSummary = switch metric {
        // The difference of series s sits at `differences + s`.
        case .adoptedByHorizon: summaries[base + AdoptionLayout.adopted]
        case .adoptionDelay: summaries[base + AdoptionLayout.delay]
        case .npv: summaries[base + AdoptionLayout.npv]
        case .routineCost: .constant(layout.routineCost[p][e] - layout.routineCost[0][e], count: run.draws)
        case .netValue: summaries[base + AdoptionLayout.net]
        }
        return PolicyDifference(summary, higherIsBetter: metric.higherIsBetter)
    }

    /// Mean share of the entity's work adopted by the end of each year 1…horizon.
    public func adoptionCurve(programme: String, level: Level, id: String) -> [Double] {
        guard let p = programmeIndex(programme), let e = entityIndex(level, id) else { return [] }
        let base = layout.index(programme: p, entity: e, series: AdoptionLayout.byYear)
        return (0..<run.horizon).map { summaries[base + $0].mean }
    }

    /// The share of the entity's work adopted by the end of each year 1…horizon, as a distribution over draws.
    public func adoptionByYear(programme: String, level: Level, id: String) -> [DistributionSummary] {
        guard let p = programmeIndex(programme), let e = entityIndex(level, id) else { return [] }
        let base = layout.index(programme: p, entity: e, series: AdoptionLayout.byYear)
        return (0..<run.horizon).map { summaries[base + $0] }
    }

    /// The shape of a programme's net value (or NPV) over draws for all services, for a histogram or an S-curve;
    /// with `difference`, of its net value minus the baseline's. Nil for an unknown programme or another metric.
    public func curve(programme: String, _ metric: AdoptionMetric = .netValue, difference: Bool = false) -> QuantileCurve? {
        guard let p = programmeIndex(programme), metric == .netValue || (metric == .npv && !difference) else { return nil }
        let series = difference ? AdoptionLayout.differences + AdoptionLayout.net : metric == .npv ? AdoptionLayout.npv : AdoptionLayout.net
        return curves[layout.index(programme: p, entity: entities.count - 1, series: series)]
    }

    /// The programme with the highest mean net value for the total (the baseline if none beats it).
    public var bestProgramme: AdoptionProgramme {
        let t = entities.count - 1
        return programmes.indices.max { summary($0, t, .netValue).mean < summary($1, t, .netValue).mean }.map { programmes[$0] }
            ?? programmes[0]
    }
}
