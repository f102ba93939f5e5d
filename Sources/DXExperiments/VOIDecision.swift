import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

// Everything that differs from one value-of-information decision to another, in one place: the engine it runs,
// its options and what each is worth in every draw (from the raw outputs the engine records), its description and
// its memory. A new decision is a case here, `--decision`'s word in VOICommand.swift, and — when it values an
// output no engine records yet — that output's column in the engine (DXEngine). The study itself (EVPI, EVPPI,
// EVSI) reads only the option values.

/// The decision a value-of-information study informs.
public enum VOIDecision: Sendable, Equatable {
    /// Per entity of the level, automate (its NPV) or not (0); and the portfolio of all of them, decided
    /// separately, whose values of information are the sums of theirs.
    case automate(Level)
    /// Which adoption programme to fund: each programme's net value (NPV less routine costs) for the whole
    /// scenario, on common random numbers.
    case programme
    /// Which redeployment policy: each policy's net saving over the horizon plus the workforce's
    /// `value_per_redundancy_avoided` for each redundancy avoided, on common random numbers.
    case policy
}

extension VOIDecision {
    /// Whether the options' values are present values: an automation's NPV and a programme's net value are; a
    /// redeployment policy's net saving is money over the horizon, undiscounted (as `dxmap redeploy` reports it).
    public var isDiscounted: Bool { self != .policy }

    /// Runs the engine this decision needs, with every draw's inputs and raw outputs recorded.
    /// - Throws: what the engine throws; `DataError` for a programme or policy decision without programmes or
    ///   policies.
    func run(_ scenario: Scenario, _ common: MonteCarloSettings) throws -> (RunInfo, DrawTable) {
        switch self {
        case .automate:
            var o = MappingOptions()
            (o.common, o.recordsDraws, o.summarised) = (common, true, [])
            let result = try MappingEngine.run(scenario, options: o)
            return (result.run, result.drawTable!)
        case .programme:
            guard !scenario.programmes.isEmpty else {
                throw DataError(message: "the scenario has no 'programmes:': there is no programme to choose")
            }
            var o = AdoptionOptions()
            (o.common, o.recordsDraws) = (common, true)
            let result = try AdoptionEngine.run(scenario, options: o)
            return (result.run, result.drawTable!)
        case .policy:
            guard !scenario.policies.isEmpty else {
                throw DataError(message: "the scenario has no 'policies:': there is no redeployment policy to choose")
            }
            var o = RedeploymentOptions()
            (o.common, o.recordsDraws) = (common, true)
            let result = try RedeploymentEngine.run(scenario, options: o)
            return (result.run, result.drawTable!)
        }
    }

    /// The decisions this one makes in a run's draws, each with its options and each option's value in every draw,
    /// from the record's raw outputs: an entity's NPV against 0; a programme's net value; a policy's net saving
    /// less `value_per_redundancy_avoided` times its redundancies.
    func values(in record: DrawTable, scenario: Scenario) -> [VOIStudy.DrawnDecision] {
        switch self {
        case let .automate(level):
            return record.columns.indices.compactMap { k in
                guard case let .npv(l, id) = record.columns[k], l == level else { return nil }
                let npv = record.values(k)
                return (id, ["automate", "do not"], [npv, Array(repeating: 0, count: npv.count)])
            }
        case .programme:
            let columns = record.columns.indices.compactMap { k in
                if case let .programme(id) = record.columns[k] { (k, id) } else { nil }
            }
            return [("programme", columns.map(\.1), columns.map { record.values($0.0) })]
        case .policy:
            let perRedundancy = scenario.workforce?.valuePerRedundancyAvoided ?? 0
            let ids = record.columns.compactMap { column -> String? in
                if case let .policy(id, .netSaving) = column { id } else { nil }
            }
            let values = ids.map { id in
                let net = record.values(.policy(id, .netSaving))!, redundant = record.values(.policy(id, .redundant))!
                return zip(net, redundant).map { $0 - perRedundancy * $1 }
            }
            return [("policy", ids, values)]
        }
    }

    /// The option values this decision computes from several outputs, for `draws.csv` beside the record's columns
    /// (`policy:ID`); none where every option's value is an output the record already holds.
    func derivedColumns(_ decisions: [VOIStudy.DrawnDecision]) -> [(name: String, values: [Double])] {
        switch self {
        case .automate, .programme: []
        case .policy: decisions.flatMap { d in zip(d.options, d.values).map { ("policy:\($0)", $1) } }
        }
    }

    /// The decision in words, as the report's title gives it.
    func describe(_ scenario: Scenario) -> String {
        switch self {
        case let .automate(level): return "automate or not, per \(level.rawValue)"
        case .programme: return "which programme to fund"
        case .policy:
            let v = scenario.workforce?.valuePerRedundancyAvoided ?? 0
            return "which redeployment policy" + (v > 0 ? " (net saving + \(NumberFormatting.compact(v)) per redundancy avoided)" : " (net saving)")
        }
    }

    /// For the memory plan: the output columns the engine records, the option arrays the decisions hold (with the
    /// derived columns), and the increments each regression fits.
    func plannedColumns(_ scenario: Scenario) -> (values: Int, optionArrays: Int, increments: Int) {
        switch self {
        case let .automate(level):
            let entities = scenario.services.count + scenario.roles.count + scenario.organisations.count + 1
            let decided = level == .service ? scenario.services.count : level == .role ? scenario.roles.count : scenario.organisations.count
            return (entities, 2 * decided, decided)
        case .programme:
            let p = scenario.programmes.count + 1
            return (p, p, p - 1)
        case .policy:
            let p = scenario.policies.count
            return (2 * p, p, max(0, p - 1))
        }
    }
}
