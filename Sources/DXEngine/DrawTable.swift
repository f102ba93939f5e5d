import DXScenario

/// Every draw's inputs and option values, kept for an analysis that needs the draws themselves (the value of
/// information regresses values on inputs draw by draw). Kept only when asked (``MappingOptions/recordsDraws``,
/// ``AdoptionOptions/recordsDraws``, ``RedeploymentOptions/recordsDraws``): a run's statistics are otherwise streamed and its draws never stored.
///
/// Row i is draw i, written by whichever thread computes that draw, so the record is the same for any number of
/// threads. `@unchecked Sendable`: each row is written by one thread during the run, and only read afterwards.
public final class DrawTable: @unchecked Sendable {
    /// What a column holds.
    public enum Column: Sendable, Hashable {
        /// One of a task's sampled inputs (`service-id/task-id`), with the task's role.
        case task(String, TaskInput, role: String)
        /// The share of organisations where a barrier is present in the draw.
        case barrier(String)
        /// The NPV of an entity of the mapping.
        case npv(Level, String)
        /// A programme's net value (NPV less routine costs) for the whole scenario.
        case programme(String)
        /// A redeployment policy's outcome over the horizon (its net saving, its redundancies).
        case policy(String, RedeploymentMetric)

        /// The column's name in files: `service/task:automation`, `barrier:data-sharing`, `npv:service:registry`,
        /// `programme:all-five`, `policy:shared-pool:net_saving`.
        public var name: String {
            switch self {
            case let .task(id, input, _): "\(id):\(input.rawValue)"
            case let .barrier(id): "barrier:\(id)"
            case let .npv(level, id): "npv:\(level.rawValue):\(id)"
            case let .programme(id): "programme:\(id)"
            case let .policy(id, metric): "policy:\(id):\(metric.name)"
            }
        }
    }

    public let draws: Int
    public let columns: [Column]
    private let storage: UnsafeMutableBufferPointer<Double>

    init(draws: Int, columns: [Column]) {
        self.draws = draws
        self.columns = columns
        storage = .allocate(capacity: max(1, draws * columns.count))
        storage.initialize(repeating: .nan)
    }

    deinit { storage.deallocate() }

    /// Draw `i`'s row, for the engine to fill.
    func row(_ i: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: storage[(i * columns.count)..<((i + 1) * columns.count)])
    }

    /// Draw `i`'s value in column `k`.
    public subscript(draw i: Int, column k: Int) -> Double { storage[i * columns.count + k] }

    /// Column `k` over the draws.
    public func values(_ k: Int) -> [Double] {
        let width = columns.count
        return (0..<draws).map { storage[$0 * width + k] }
    }

    /// The column's values over the draws, or nil when the record has no such column.
    public func values(_ column: Column) -> [Double]? { columns.firstIndex(of: column).map(values) }

    /// The columns of every task's five inputs, in task order, then each barrier's presence.
    static func inputColumns(_ model: MappingModel) -> [Column] {
        let s = model.scenario
        let tasks = s.taskKeys.flatMap { t in
            TaskInput.allCases.map { Column.task(t.key, $0, role: s.services[t.service].tasks[t.task].role) }
        }
        return tasks + (model.adoption?.barriers.map { Column.barrier($0.id) } ?? [])
    }

    /// Writes task `t`'s sampled inputs into its five columns of `row`.
    @inline(__always)
    static func recordTask(_ d: TaskSampler.TaskDraw, _ t: Int, into row: UnsafeMutableBufferPointer<Double>) {
        let b = t * TaskInput.allCases.count
        row[b] = d.automation
        row[b + 1] = d.realisation
        row[b + 2] = d.implementation
        row[b + 3] = d.running
        row[b + 4] = d.sampledYear
    }

    /// Writes each barrier's share of organisations present in the draw's barrier state, from column `start`.
    static func recordBarriers(_ model: MappingModel, _ state: UnsafeMutableBufferPointer<AdoptionModel.Effect>, from start: Int,
                               into row: UnsafeMutableBufferPointer<Double>) {
        guard let adoption = model.adoption else { return }
        let O = adoption.organisationCount
        for b in 0..<adoption.barriers.count {
            var present = 0
            for o in 0..<O where state[b * O + o].present { present += 1 }
            row[start + b] = Double(present) / Double(max(1, O))
        }
    }
}
