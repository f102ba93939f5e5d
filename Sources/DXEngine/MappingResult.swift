import DXSampling
import DXScenario

/// The outcome of a mapping run: every metric of every entity as a
/// distribution over draws, plus what the risk–return matrix needs.
public struct MappingResult: Sendable {
    /// The run: scenario, horizon, currency, discount rate, draws, seed, sampling, threads and wall time.
    public let run: RunInfo
    /// Every entity, tasks first, then services, roles, organisations and the total.
    public let entities: [Entity]
    /// Correlation loadings the run used.
    public let correlation: Correlation
    /// The metrics this run has, in `summary.csv` order: the adoption metrics only when the scenario has barriers.
    public let metrics: [Metric]
    /// The adoption programme whose routines ran (nil: none, or no barriers).
    public let programme: String?
    /// The levels whose summaries have percentiles and CVaR (``MappingOptions/percentileLevels``).
    public let percentileLevels: Set<Level>
    /// The scenario's `matrix:` choices (level, view, risk measure), which ``matrix(level:view:risk:)`` follows
    /// where its caller does not choose.
    public let matrixSettings: MatrixSettings

    /// statistics[entity][series]
    let statistics: [[DistributionSummary]]
    /// Per entity whose percentiles were kept, the shape of its NPV's distribution (``curve(level:id:)``).
    let npvCurves: [Int: QuantileCurve]
    /// Which series were summarised (``MappingOptions/summarised``), entity-major.
    let tracked: [Bool]
    let quadrantHits: [Int]
    let returnHits: [Int]
    /// Whether the run counted quadrant hits (``MappingOptions/countsQuadrants``).
    let countedQuadrants: Bool
    let thresholds: [Level: MatrixThresholds]
    /// The thresholds the caller and scenario set, before defaults (to say which is which).
    let givenThresholds: MatrixThresholds
    let indexByKey: [String: Int]
    /// Every draw's inputs and NPVs, when ``MappingOptions/recordsDraws`` asked for them.
    public let drawTable: DrawTable?

    init(model: MappingModel, moments: [RunningMoments], replicateStandardErrors: [Double]? = nil, sketches: [QuantileSketch],
         tracked: [Bool], sketched: [Bool],
         tallies: WorkerTallies, thresholds: ResolvedThresholds, options: MappingOptions, threadsUsed: Int, wallTime: Double,
         drawTable: DrawTable? = nil) {
        self.tracked = tracked
        self.drawTable = drawTable
        run = RunInfo(scenario: model.scenario, settings: options.common, threadsUsed: threadsUsed, wallTime: wallTime)
        entities = model.entities
        correlation = model.scenario.correlation
        programme = options.programme
        percentileLevels = options.percentileLevels
        matrixSettings = model.scenario.matrix
        let S = model.seriesCount
        metrics = Metric.metrics(adoption: model.adoption != nil, output: model.output != nil)
        statistics = model.entities.indices.map { e in
            Series.allCases.prefix(S).map { s in
                let k = e * S + s.rawValue
                guard tracked[k] else { return DistributionSummary.missing }
                let negatives = s == .npv ? tallies.losses[e] : 0
                let summary = sketched[k] ? DistributionSummary(moments: moments[k], sketch: sketches[k], negatives: negatives)
                    : DistributionSummary(moments: moments[k], negatives: negatives)
                return summary.withReplicateStandardError(replicateStandardErrors?[k])
            }
        }
        npvCurves = Dictionary(uniqueKeysWithValues: model.entities.indices.compactMap { e in
            let k = e * S + Series.npv.rawValue
            guard tracked[k], sketched[k] else { return nil }
            return QuantileCurve(sketch: sketches[k], min: moments[k].min, max: moments[k].max).map { (e, $0) }
        })
        countedQuadrants = options.countsQuadrants
        quadrantHits = tallies.quadrantHits
        returnHits = tallies.returnHits
        self.thresholds = thresholds.perLevel
        givenThresholds = thresholds.given
        indexByKey = model.indexByKey
    }

    /// The entities of one level, in scenario order.
    public func entities(at level: Level) -> [Entity] { entities.filter { $0.level == level } }

    /// The index of an entity in ``entities``.
    public func index(of level: Level, id: String) -> Int? { indexByKey[MappingModel.entityKey(level, id)] }

    /// The series a metric's summary comes from (nil for labour value, a constant); a task's displaced FTE is
    /// its share scaled.
    static func series(of metric: Metric, at level: Level) -> Series? {
        switch metric {
        case .labourValue: nil
        case .grossSaving: .share
        case .displacedFTE where level == .task: .share
        default: Series(metric)
        }
    }

    /// Whether the run summarised `metric` of `entity` (every metric unless ``MappingOptions/summarised`` chose).
    public func isSummarised(_ entity: Int, _ metric: Metric) -> Bool {
        guard let s = Self.series(of: metric, at: entities[entity].level) else { return true }
        let S = statistics[entity].count
        return s.rawValue >= S || tracked[entity * S + s.rawValue]
    }

    /// One metric of one entity (by index in ``entities``) as a distribution over draws
    /// (all NaN, count 0, for an adoption metric of a scenario without barriers, or a metric the run was not asked
    /// to summarise).
    public func summary(_ entity: Int, _ metric: Metric) -> DistributionSummary {
        let labour = entities[entity].labourValue
        guard isSummarised(entity, metric) else { return DistributionSummary.missing }
        switch metric {
        case .labourValue: return .constant(labour, count: run.draws)
        case .grossSaving: return statistics[entity][Series.share.rawValue].scaled(by: labour)
        case .displacedFTE where entities[entity].level == .task:
            // Accumulated as the share only (displaced = θρ·fte exactly).
            return statistics[entity][Series.share.rawValue].scaled(by: entities[entity].fte)
        case _ where !metrics.contains(metric):
            // No barriers: everything that is adopted is adopted when sampled, with no delay.
            return DistributionSummary.missing
        default: return statistics[entity][Series(metric)!.rawValue]
        }
    }

    /// One metric of an entity found by level and id; nil if there is no such entity.
    public func summary(level: Level, id: String, _ metric: Metric) -> DistributionSummary? {
        index(of: level, id: id).map { summary($0, metric) }
    }

    /// The shape of an entity's NPV distribution over draws, for a histogram or an S-curve; nil for an unknown entity
    /// or one whose level kept no percentiles (``MappingOptions/percentileLevels``).
    public func curve(level: Level, id: String) -> QuantileCurve? { index(of: level, id: id).flatMap { npvCurves[$0] } }

    /// The thresholds in force for a level (risk is nil when it defaults to the median risk).
    public func thresholds(for level: Level) -> MatrixThresholds { thresholds[level]! }
}
