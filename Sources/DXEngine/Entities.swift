import DXScenario
/// One thing results are reported for: a task, service, role, organisation or the total.
public struct Entity: Sendable, Equatable, Codable {
    public var level: Level
    /// Unique within its level; tasks are `service-id/task-id`.
    public var id: String
    public var name: String
    /// Annual labour value L = Σ fte × cost per FTE (constant across draws).
    public var labourValue: Double
    /// Full-time equivalents.
    public var fte: Double
}

/// The quantities reported for every entity (the `metric` column of summary.csv).
public enum Metric: String, Sendable, CaseIterable, Codable {
    /// L: annual labour value.
    case labourValue = "labour_value"
    /// P: labour-weighted share of work automated, Σ θρL / L (θρ for a task).
    case automationProbability = "automation_probability"
    /// G = P·L: gross annual saving once adopted.
    case grossSaving = "gross_saving"
    /// X = Σ θρ·fte: FTE displaced once adopted.
    case displacedFTE = "displaced_fte"
    /// I: one-off implementation cost.
    case implementationCost = "implementation_cost"
    /// C: running cost per year.
    case runningCost = "running_cost"
    /// NPV over the horizon.
    case npv
    /// Labour-weighted share of work adopted within the horizon (only with `barriers:`).
    case adoptedByHorizon = "adopted_by_horizon"
    /// Labour-weighted mean delay, in years, that barriers add to adoption (only with `barriers:`).
    case adoptionDelay = "adoption_delay"

    /// Whether the metric is an amount of money (labour value, savings, costs, NPV).
    public var isMoney: Bool {
        switch self {
        case .labourValue, .grossSaving, .implementationCost, .runningCost, .npv: true
        case .automationProbability, .displacedFTE, .adoptedByHorizon, .adoptionDelay: false
        }
    }

    /// The metrics of a run: adoption metrics only when the scenario has barriers.
    static func metrics(adoption: Bool) -> [Metric] {
        adoption ? allCases : allCases.filter { $0 != .adoptedByHorizon && $0 != .adoptionDelay }
    }
}

/// The per-draw series the engine accumulates for each entity; the other
/// metrics are exact transforms of these (labour value is constant,
/// gross saving = automation probability × labour value).
enum Series: Int, CaseIterable {
    case share, displaced, implementation, running, npv
    /// Only with barriers (see ``MappingModel/seriesCount``).
    case adopted, delay
    /// Series of every run, and of a run with barriers (the adoption series come last).
    static let count = Series.adopted.rawValue
    static let countWithAdoption = Series.allCases.count

    init?(_ metric: Metric) {
        switch metric {
        case .automationProbability: self = .share
        case .displacedFTE: self = .displaced
        case .implementationCost: self = .implementation
        case .runningCost: self = .running
        case .npv: self = .npv
        case .adoptedByHorizon: self = .adopted
        case .adoptionDelay: self = .delay
        case .labourValue, .grossSaving: return nil
        }
    }
}
