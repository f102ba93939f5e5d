import DXSampling
import DXScenario
import DXSupport

/// Two mapping runs compared draw by draw: a scenario against another (a variant: other costs, another
/// programme's tasks) or against itself without its evidence, on the same draws. Draw i of both runs uses the same
/// random numbers, so where the two scenarios share their tasks (in the same order) each draw is one future seen
/// under both; every input sampled by inversion through its quantile function (evidence changes only the function)
/// takes the same uniform in both runs.
///
/// For every service, role, organisation and the total that both runs have (matched by level and id), the per-draw
/// difference of NPV, this run − the baseline, as a distribution: the share of futures in which this run is ahead,
/// its 5th–95th percentile across futures, and the mean with the 95% interval of the mean (from the replicates' means
/// under a draw design).
public struct MappingComparison: Sendable {
    public struct Row: Sendable {
        public var level: Level
        public var id: String
        public var name: String
        /// The NPV's mean in this run and in the baseline.
        public var mean: Double
        public var baselineMean: Double
        /// This run − the baseline, per draw (higher is better).
        public var difference: PolicyDifference
        /// The difference's distribution across the draws.
        public var curve: QuantileCurve?
    }

    /// The baseline's name as a reader knows it: another scenario's name, or "without its evidence".
    public let baseline: String
    /// The matched entities above the tasks, in this run's order (services, roles, organisations, the total).
    public let rows: [Row]
    /// Entities of either run that the other does not have (by level and id), named for the note.
    public let unmatched: [String]
    /// Whether the two scenarios have the same tasks in the same order (then each draw is one future in both).
    public let sameTasks: Bool

    /// Compares two runs made with ``MappingOptions/recordsDraws`` on the same draws, seed and settings.
    /// - Throws: `RunSettingsError` when either run kept no record or their draws differ.
    public init(_ result: MappingResult, against other: MappingResult, baseline: String) throws {
        guard let a = result.drawTable, let b = other.drawTable else {
            throw RunSettingsError("comparing two runs needs both to record their draws (MappingOptions.recordsDraws)")
        }
        guard a.draws == b.draws, result.run.seed == other.run.seed else {
            throw RunSettingsError("the two runs compared must have the same draws and seed")
        }
        self.baseline = baseline
        sameTasks = result.entities.filter { $0.level == .task }.map(\.id) == other.entities.filter { $0.level == .task }.map(\.id)
        let replicates = result.run.design.method == .plain ? 1 : result.run.design.replicates
        var rows: [Row] = [], unmatched: [String] = []
        for e in result.entities where e.level != .task {
            guard let x = a.values(.npv(e.level, e.id)), let y = b.values(.npv(e.level, e.id)) else {
                unmatched.append("\(e.level.rawValue) \(e.id)")
                continue
            }
            let d = zip(x, y).map { $0 - $1 }
            rows.append(Row(level: e.level, id: e.id, name: e.name, mean: x.reduce(0, +) / Double(x.count),
                            baselineMean: y.reduce(0, +) / Double(y.count),
                            difference: PolicyDifference(Self.summary(d, replicates: replicates), higherIsBetter: true),
                            curve: QuantileCurve(exactly: d)))
        }
        let ours = Set(result.entities.filter { $0.level != .task }.map { "\($0.level.rawValue):\($0.id)" })
        unmatched += other.entities.filter { $0.level != .task && !ours.contains("\($0.level.rawValue):\($0.id)") }
            .map { "\($0.level.rawValue) \($0.id) (baseline only)" }
        self.rows = rows
        self.unmatched = unmatched
    }

    /// The distribution of per-draw values, as every run summarises a series (exact moments, the quantile sketch,
    /// exact sign counts); under a design of `replicates` equal blocks of draws, the standard error of the mean from
    /// the blocks' means.
    public static func summary(_ values: [Double], replicates: Int = 1) -> DistributionSummary {
        var moments = RunningMoments(), sketch = QuantileSketch()
        for x in values { moments.add(x); sketch.add(x) }
        let summary = DistributionSummary(moments: moments, sketch: sketch)
        guard replicates > 1, values.count % replicates == 0 else { return summary }
        let size = values.count / replicates
        let means = (0..<replicates).map { r in values[(r * size)..<((r + 1) * size)].reduce(0, +) / Double(size) }
        let m = means.reduce(0, +) / Double(replicates)
        let variance = means.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(replicates - 1)
        return summary.withReplicateStandardError((variance / Double(replicates)).squareRoot())
    }

    /// The rows of one level (and the total, first, when `total`).
    public func rows(level: Level, total: Bool = true) -> [Row] {
        (total ? rows.filter { $0.level == .total } : []) + rows.filter { $0.level == level }
    }
}
