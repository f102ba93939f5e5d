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
    /// O: the annual cost of the outputs (a service's `output_cost`, summed for an organisation and the total when
    /// all of theirs have one); only when some service has one.
    case outputCost = "output_cost"
    /// G / O: the gross saving as a share of the output cost, per draw (the automatable share of the outputs' cost).
    case outputAutomationShare = "output_automation_share"

    /// Whether the metric is an amount of money (labour value, savings, costs, NPV).
    public var isMoney: Bool {
        switch self {
        case .labourValue, .grossSaving, .implementationCost, .runningCost, .npv, .outputCost: true
        case .automationProbability, .displacedFTE, .adoptedByHorizon, .adoptionDelay, .outputAutomationShare: false
        }
    }

    /// The metrics of a run: adoption metrics only when the scenario has barriers, output metrics only when some
    /// service has an output cost.
    static func metrics(adoption: Bool, output: Bool = false) -> [Metric] {
        allCases.filter { m in
            (adoption || (m != .adoptedByHorizon && m != .adoptionDelay)) && (output || (m != .outputCost && m != .outputAutomationShare))
        }
    }
}

/// The per-draw series the engine accumulates for each entity; the other
/// metrics are exact transforms of these (labour value is constant,
/// gross saving = automation probability × labour value).
enum Series: Int, CaseIterable {
    case share, displaced, implementation, running, npv
    /// Only with barriers (see ``MappingModel/seriesCount``).
    case adopted, delay
    /// Only with output costs (after the adoption series, which are then there with or without barriers).
    case outputCost, outputShare
    /// Series of every run, of a run with barriers, and of one with output costs.
    static let count = Series.adopted.rawValue
    static let countWithAdoption = Series.outputCost.rawValue
    static let countWithOutput = Series.allCases.count

    init?(_ metric: Metric) {
        switch metric {
        case .automationProbability: self = .share
        case .displacedFTE: self = .displaced
        case .implementationCost: self = .implementation
        case .runningCost: self = .running
        case .npv: self = .npv
        case .adoptedByHorizon: self = .adopted
        case .adoptionDelay: self = .delay
        case .outputCost: self = .outputCost
        case .outputAutomationShare: self = .outputShare
        case .labourValue, .grossSaving: return nil
        }
    }
}
