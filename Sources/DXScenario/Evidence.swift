import DXSampling

/// One of a task's uncertain inputs, as evidence and value-of-information analyses name them.
public enum TaskInput: String, Sendable, CaseIterable, Codable {
    /// θ, the share of the task's work that can be automated.
    case automation
    /// ρ, the share of θ realised.
    case realisation
    case implementationCost = "implementation_cost"
    case runningCost = "running_cost"
    case adoptionYear = "adoption_year"

    /// Whether the input is a share in [0, 1] (which successes out of trials can inform).
    public var isShare: Bool { self == .automation || self == .realisation }

    /// The task's distribution of this input (automation: its own, else its role's).
    public func distribution(of task: ServiceTask, in scenario: Scenario) -> Distribution? {
        switch self {
        case .automation: scenario.automation(of: task)
        case .realisation: task.realisation
        case .implementationCost: task.implementationCost
        case .runningCost: task.runningCost
        case .adoptionYear: task.adoptionYear
        }
    }

    /// Sets the task's distribution of this input.
    public func set(_ d: Distribution, on task: inout ServiceTask) {
        switch self {
        case .automation: task.automation = d
        case .realisation: task.realisation = d
        case .implementationCost: task.implementationCost = d
        case .runningCost: task.runningCost = d
        case .adoptionYear: task.adoptionYear = d
        }
    }
}

/// Observed results of a pilot (`evidence:` in a scenario): what was seen of one input of one task, or of every
/// task of a role, which updates that input's distribution before any run.
public struct Evidence: Sendable, Equatable {
    public var id: String
    /// Where the results come from, as the scenario says (free text).
    public var source: String?
    /// The tasks it informs, as `service-id/task-id` (a `role:` entry names every task of the role).
    public var tasks: [String]
    public var input: TaskInput
    public var observation: Observation

    public init(id: String, source: String? = nil, tasks: [String], input: TaskInput, observation: Observation) {
        (self.id, self.source, self.tasks, self.input, self.observation) = (id, source, tasks, input, observation)
    }
}

/// Evidence as applied to one task's input: its prior, its posterior and how the posterior was found.
public struct AppliedEvidence: Sendable, Equatable {
    public var evidence: String
    public var task: String
    public var input: TaskInput
    public var observation: Observation
    public var prior: Distribution
    public var posterior: Distribution
    public var method: Posterior.Method
}

extension Scenario {
    /// The scenario before its evidence: every input the evidence updated back at its prior (for `--no-evidence`,
    /// the prior map to compare with).
    public func withoutEvidence() -> Scenario {
        var s = self
        let indices = taskIndices
        for applied in appliedEvidence.reversed() {
            guard let (i, j) = indices[applied.task] else { continue }
            applied.input.set(applied.prior, on: &s.services[i].tasks[j])
        }
        s.appliedEvidence = []
        return s
    }

    /// How results, files and evidence name a task: `service-id/task-id` (task ids are unique within a service).
    public static func taskKey(service: String, task: String) -> String { "\(service)/\(task)" }

    /// Every task's key with the indices of its service and of the task within it, in scenario order.
    public var taskKeys: [(key: String, service: Int, task: Int)] {
        services.enumerated().flatMap { i, service in
            service.tasks.enumerated().map { j, task in (Self.taskKey(service: service.id, task: task.id), i, j) }
        }
    }

    /// The service and task indices of each task key (the first task, should a file repeat a key).
    public var taskIndices: [String: (Int, Int)] {
        Dictionary(taskKeys.map { ($0.key, ($0.service, $0.task)) }, uniquingKeysWith: { first, _ in first })
    }
}
