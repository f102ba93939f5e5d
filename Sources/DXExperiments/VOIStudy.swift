import DXAnalysis
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// How a value-of-information study runs.
public struct VOIOptions: MonteCarloOptions {
    public var common: MonteCarloSettings
    public var decision: VOIDecision = .automate(.service)
    /// Only the inputs whose name contains one of these (nil: every input that varies).
    public var inputs: [String]?
    /// Pilots to value, by id (nil: every pilot of the scenario).
    public var pilots: [String]?
    /// Progress of the regressions (inputs done, inputs in all).
    public var analysisProgress: (@Sendable (Int, Int) -> Void)?
    /// The most memory the study may plan to use, in bytes; nil: `MachineMemory/defaultBudget` (80% of the
    /// machine's memory, or of its cgroup's limit). A study planned above it is refused before it draws anything
    /// (``VOIStudy/plannedBytes(_:options:)``).
    public var memoryLimit: Int?
    /// The EVPPI estimator: `ValueOfInformation/Estimator/v2` (each input regressed only for the decisions it can
    /// reach, an intercept-only model among the candidates), or `ValueOfInformation/Estimator/v1` for the numbers
    /// of earlier releases (every decision on every input).
    public var estimator: ValueOfInformation.Estimator = .v2
    /// Values per year over the annuity even for undiscounted money (a policy decision), as earlier releases divided them; by default
    /// undiscounted money is spread over the horizon's years.
    public var perYearByAnnuity = false

    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}

/// What the value of information says about one scenario and decision: the EVPI of each decision and of the
/// portfolio, the EVPPI of every input and group of inputs, and the EVSI of the scenario's proposed pilots.
public struct VOIResult: Sendable {
    /// One decision (an entity's automate-or-not, the portfolio, or the programme choice).
    public struct Decision: Sendable {
        public var name: String
        public var options: [String]
        /// Each option's expected value, in `options` order.
        public var expected: [Double]
        public var evpi: ValueOfInformation.MeanEstimate
        /// The option best on average against the next best, draw by draw (nil with one option): in how many futures
        /// the choice on expected values is right between the two, and by how much it wins or loses.
        public var versusNextBest: PolicyDifference? = nil
        /// The option best on average, by name.
        public var best: String { options[expected.indices.max { expected[$0] < expected[$1] }!] }
        /// The second best on average, by name (nil with one option).
        public var nextBest: String? {
            guard options.count > 1 else { return nil }
            let order = expected.indices.sorted { expected[$0] > expected[$1] }
            return options[order[1]]
        }
    }

    /// One input (or group) and what knowing it exactly is worth, per decision and for the portfolio.
    public struct Input: Sendable {
        public var name: String
        /// `task input`, `role automation` (all the role's tasks' θ together) or `barrier presence`.
        public var kind: String
        /// The EVPPI per decision, in ``VOIResult/decisions`` order (the portfolio last).
        public var evppi: [ValueOfInformation.MeanEstimate]
    }

    /// A proposed pilot at one size.
    public struct PilotSize: Sendable {
        public var pilot: String
        public var task: String
        public var input: String
        public var cases: Int
        public var evsi: ValueOfInformation.MeanEstimate
        public var cost: Double
        /// Expected net benefit of sampling: EVSI − cost.
        public var net: Double { evsi.value - cost }
    }

    /// The run: scenario, horizon, currency, discount rate, draws, seed, sampling, threads, and the study's wall time
    /// (sampling and analyses).
    public var run: RunInfo
    /// What EVPI, EVPPI and EVSI are divided by for their value per year: for present values (``isDiscounted``) the
    /// sum of the discount factors of years 1…horizon; for undiscounted money the horizon in years
    /// (``VOIOptions/perYearByAnnuity`` restores the annuity for both, as earlier releases divided).
    public var annuity: Double
    /// Whether the values are present values (automation NPVs, programme net values) or undiscounted money over the
    /// horizon (redeployment policies: net saving as `dxmap redeploy` reports it).
    public var isDiscounted: Bool = true
    public var decisionKind: String
    public var decisions: [Decision]
    public var inputs: [Input]
    public var pilots: [PilotSize]
    /// Every draw's inputs and the engine's raw outputs, as the analyses read them.
    public var drawTable: DrawTable
    /// Option values the decision computed from several outputs (`policy:ID`), per draw, for `draws.csv`.
    public var derivedColumns: [(name: String, values: [Double])] = []

    /// The decision all others add up to (the portfolio), or the one decision.
    public var headline: Int { decisions.count - 1 }

    /// Inputs by their value for the headline decision, largest first.
    public var ranked: [Input] { inputs.sorted { $0.evppi[headline].value > $1.evppi[headline].value } }

    /// Each pilot's best size: the one with the largest expected net benefit (nil when no size pays).
    public func bestSize(_ pilot: String) -> PilotSize? {
        pilots.filter { $0.pilot == pilot && $0.net > 0 }.max { $0.net < $1.net }
    }

    /// The sizes of a pilot that cannot be told from the best: those whose net benefit is within 1.96 standard
    /// errors of the best's (the larger of the two EVSI standard errors; the same draws give both, so their
    /// difference is known at least that well). One size when the best is better beyond its error; empty when no
    /// size pays; every paying size when a standard error is unavailable.
    public func sizesAsGoodAsBest(_ pilot: String) -> [PilotSize] {
        guard let best = bestSize(pilot) else { return [] }
        return pilots.filter { p in
            guard p.pilot == pilot, p.net > 0 else { return false }
            if p.cases == best.cases { return true }
            guard let a = best.evsi.standardError, let b = p.evsi.standardError else { return true }
            return best.net - p.net <= 1.96 * max(a, b)
        }.sorted { $0.cases < $1.cases }
    }
}

/// Value of information from a run's draws: EVPI = E[max_d V_d] − max_d E[V_d]; EVPPI of an input by regressing the
/// options' values on it (`ValueOfInformation`); EVSI of a pilot by regressing them on the pilot's simulated
/// results. The draws come from the mapping, adoption or redeployment engine with `DrawTable` on.
public enum VOIStudy {
    /// The fewest draws the regressions accept.
    public static let minimumDraws = 100

    /// One decision as the draws give it: its name, its options, and each option's value in every draw.
    typealias DrawnDecision = (name: String, options: [String], values: [[Double]])

    /// An input, or a group of inputs regressed on together, as record columns.
    typealias InputGroup = (name: String, kind: String, columns: [Int])

    /// Runs the engine the decision needs with its draws recorded, then the analyses: the EVPI of each decision,
    /// the EVPPI of each input and group, the EVSI of each pilot at each size.
    /// - Throws: `RunSettingsError` for fewer than ``minimumDraws`` draws, a design other than plain or a plan over
    ///   the memory budget; what the engines throw; `DataError` for a programme or policy decision without
    ///   programmes or policies, a level with nothing to decide, or an unknown pilot.
    public static func run(_ scenario: Scenario, options given: VOIOptions = VOIOptions()) throws -> VOIResult {
        let options = try given.resolved(for: scenario)
        try check(scenario, options)
        let started = Date()
        var (run, record, decisions) = try draws(scenario, options)
        guard !decisions.isEmpty else { throw DataError(message: "the scenario has nothing to decide at this level") }
        let rows = perfectInformation(decisions, draws: options.draws)
        let regress = Regressions(scenario: scenario, options: options, record: record, decisions: decisions, rows: rows)
        let inputs = try regress.inputs(groups(record, wanted: options.inputs))
        let pilots = try regress.pilots(selectedPilots(scenario, options.pilots))
        let r = scenario.discountRate
        let discounted = options.decision.isDiscounted
        let annuity = discounted || options.perYearByAnnuity
            ? (1...scenario.horizon).reduce(0.0) { $0 + pow(1 + r, -Double($1)) } : Double(scenario.horizon)
        run.wallTime = Date().timeIntervalSince(started)
        return VOIResult(run: run, annuity: annuity, isDiscounted: discounted, decisionKind: options.decision.describe(scenario),
                         decisions: rows, inputs: inputs, pilots: pilots, drawTable: record,
                         derivedColumns: options.decision.derivedColumns(decisions))
    }

    /// What the study refuses before drawing anything: a draw design whose draws are not independent, too few draws,
    /// a plan over the memory budget.
    static func check(_ scenario: Scenario, _ options: VOIOptions) throws {
        // The regressions and their batch standard errors treat draws as independent: a design's are not.
        guard options.design.method == .plain else {
            throw RunSettingsError("""
                the value of information regresses on independent draws: a \(options.design.method.rawValue) design's draws are not \
                (use the plain draw design for voi)
                """)
        }
        guard options.draws >= minimumDraws else {
            throw RunSettingsError("""
                the value of information regresses on the draws: draws must be at least \(minimumDraws), found \(options.draws)
                """)
        }
        let planned = plannedBytes(scenario, options: options)
        let budget = options.memoryLimit ?? MachineMemory.defaultBudget
        guard planned <= budget else {
            let perDraw = max(1, (planned - plannedFixedBytes) / options.draws)
            let most = max(0, (budget - plannedFixedBytes) / perDraw)
            throw RunSettingsError("""
                the value of information keeps every draw: \(NumberFormatting.grouped(options.draws)) draws need about \
                \(MachineMemory.describe(planned)) (\(NumberFormatting.grouped(perDraw)) bytes a draw), over the budget of \
                \(MachineMemory.describe(budget))\(options.memoryLimit == nil ? " (\(MachineMemory.budgetBasis))" : ""); use at most \
                \(NumberFormatting.grouped(most)) draws, or a larger budget (--memory)
                """)
        }
    }

    /// Runs the engine the decision needs with its draws recorded: the run's header, the record, and each decision's
    /// options with their values in every draw (``VOIDecision/values(in:scenario:)``).
    static func draws(_ scenario: Scenario, _ options: VOIOptions) throws -> (RunInfo, DrawTable, [DrawnDecision]) {
        let (run, record) = try options.decision.run(scenario, options.common)
        return (run, record, options.decision.values(in: record, scenario: scenario))
    }

    /// The option best on average minus the next best, draw by draw, as a distribution (nil with one option).
    static func bestAgainstNext(_ values: [[Double]], _ expected: [Double]) -> PolicyDifference? {
        guard values.count > 1 else { return nil }
        let order = expected.indices.sorted { expected[$0] > expected[$1] }
        var summary = StreamingSummary()
        for (a, b) in zip(values[order[0]], values[order[1]]) { summary.add(a - b) }
        return PolicyDifference(summary.summary, higherIsBetter: true)
    }

    /// The EVPI of each decision and, when there are several, of the portfolio from the per-draw sum of regrets; its
    /// expected value is that of deciding each on expected values now: the sum of their best options'.
    static func perfectInformation(_ decisions: [DrawnDecision], draws n: Int) -> [VOIResult.Decision] {
        var regretSum = [Double](repeating: 0, count: n)
        var rows: [VOIResult.Decision] = decisions.map { d in
            let regret = ValueOfInformation.regret(d.values)
            for i in 0..<n { regretSum[i] += regret[i] }
            let expected = d.values.map(mean)
            return VOIResult.Decision(name: d.name, options: d.options, expected: expected,
                                      evpi: ValueOfInformation.meanWithError(regret), versusNextBest: bestAgainstNext(d.values, expected))
        }
        if decisions.count > 1 {
            let decided = rows.reduce(0) { $0 + $1.expected.max()! }
            rows.append(VOIResult.Decision(name: "portfolio", options: ["as decided one by one"], expected: [decided],
                                           evpi: ValueOfInformation.meanWithError(regretSum)))
        }
        return rows
    }

    /// The inputs to value: every varying task input, each role's automation shares together (when the role has
    /// several tasks), each barrier's presence; only those whose name contains one of `wanted` when it is given.
    static func groups(_ record: DrawTable, wanted: [String]?) -> [InputGroup] {
        var groups: [InputGroup] = []
        var roleColumns: [String: [Int]] = [:], roleOrder: [String] = []
        for (k, c) in record.columns.enumerated() {
            switch c {
            case let .task(id, input, role):
                groups.append(("\(id):\(input.rawValue)", "task input", [k]))
                if input == .automation {
                    if roleColumns[role] == nil { roleOrder.append(role) }
                    roleColumns[role, default: []].append(k)
                }
            case let .barrier(id): groups.append(("barrier:\(id)", "barrier presence", [k]))
            default: break
            }
        }
        for role in roleOrder where roleColumns[role]!.count > 1 {
            groups.append(("role:\(role):automation", "role automation", roleColumns[role]!))
        }
        return groups.filter { g in
            g.columns.contains { k in let x = record.values(k); return x.contains { $0 != x[0] } }
                && (wanted.map { w in w.contains { g.name.contains($0) } } ?? true)
        }
    }

    /// The scenario's pilots with these ids, in the scenario's order (nil: all of them).
    /// - Throws: ``DataError`` for an id the scenario lacks, with the nearest it has.
    static func selectedPilots(_ scenario: Scenario, _ ids: [String]?) throws -> [ProposedPilot] {
        let known = scenario.pilots.map(\.id)
        let wanted = ids ?? known
        for id in wanted where !known.contains(id) {
            throw DataError(message: "no pilot '\(id)'\(Suggestion.didYouMean(id, among: known)); the scenario's pilots are "
                            + (known.isEmpty ? "none" : known.joined(separator: ", ")))
        }
        return scenario.pilots.filter { wanted.contains($0.id) }
    }

    /// The EVPPI and EVSI regressions of one study: each input (or pilot result) regressed on for the decisions it
    /// can reach.
    struct Regressions: Sendable {
        let options: VOIOptions
        let record: DrawTable
        let decisions: [DrawnDecision]
        /// The decisions with something to learn. One whose best option on average is best in every draw (EVPI
        /// exactly 0) has nothing to learn from any input or pilot: its EVPPIs and EVSIs are exactly 0, and only the
        /// others are regressed. Of those, each input is regressed for the decisions it can reach (``Reach``); the
        /// others are exactly 0 too.
        let active: [Int]
        let reach: Reach
        /// Whether the decisions add up to a portfolio, whose values of information are the sums of theirs.
        var separate: Bool { decisions.count > 1 }

        init(scenario: Scenario, options: VOIOptions, record: DrawTable, decisions: [DrawnDecision], rows: [VOIResult.Decision]) {
            (self.options, self.record, self.decisions) = (options, record, decisions)
            active = decisions.indices.filter { rows[$0].evpi.value > 0 }
            reach = Reach(scenario, options.decision, decisions.map(\.name), record.columns)
        }

        /// Each decision's EVPPI parts for the inputs of `inputColumns` with these `values` (nil: the regression
        /// cannot be fitted).
        func parts(_ inputColumns: [Int], _ values: [[Double]]) -> [ValueOfInformation.Parts]? {
            let reached = options.estimator == .v1 ? active : active.filter(reach.decisions(of: inputColumns).contains)
            var all = decisions.map { _ in ValueOfInformation.Parts.zero }
            guard !reached.isEmpty else { return all }
            guard let fitted = ValueOfInformation.evppiParts(decisions: reached.map { decisions[$0].values }, inputs: values,
                                                             estimator: options.estimator) else { return nil }
            for (k, d) in reached.enumerated() { all[d] = fitted[k] }
            return all
        }

        /// The EVPPI of each group, per decision and for the portfolio, regressed on the threads.
        func inputs(_ chosen: [InputGroup]) throws -> [VOIResult.Input] {
            let columns = Dictionary(uniqueKeysWithValues: Set(chosen.flatMap(\.columns)).map { ($0, record.values($0)) })
            let slots = LockedSlots<[ValueOfInformation.Parts]?>(count: chosen.count)
            let next = Counter()
            runOnThreads(max(1, min(options.threads, chosen.count))) { _ in
                while let g = next.take(below: chosen.count) {
                    slots.set(g, parts(chosen[g].columns, chosen[g].columns.map { columns[$0]! }))
                    options.analysisProgress?(next.done(), chosen.count)
                }
            }
            return try zip(chosen, slots.values).map { g, parts in
                guard let parts else { throw DataError(message: "input '\(g.name)': its regression cannot be fitted") }
                return VOIResult.Input(name: g.name, kind: g.kind,
                                       evppi: parts.map(\.estimate) + (separate ? [ValueOfInformation.Parts.sum(parts).estimate] : []))
            }
        }

        /// The EVSI of each pilot at each size: its simulated results regressed on as an input, for the decisions its
        /// task's input can reach.
        func pilots(_ wanted: [ProposedPilot]) throws -> [VOIResult.PilotSize] {
            var sizes: [VOIResult.PilotSize] = []
            for p in wanted {
                guard let k = record.columns.firstIndex(where: {
                    if case let .task(id, input, _) = $0 { id == p.task && input == p.input } else { false }
                }) else { throw DataError(message: "pilot '\(p.id)': no task \(p.task) in the run") }
                let observed = record.values(k)
                for cases in p.cases {
                    guard let results = ValueOfInformation.pilotResults(observed, observing: p.model, cases: cases,
                                                                        seed: options.seed ^ UInt64(cases)),
                          let all = parts([k], [results]) else {
                        throw DataError(message: "pilot '\(p.id)' cannot be simulated from \(p.task)'s \(p.input.rawValue) at \(cases) cases")
                    }
                    let estimate = separate ? ValueOfInformation.Parts.sum(all).estimate : all[0].estimate
                    sizes.append(VOIResult.PilotSize(pilot: p.id, task: p.task, input: p.input.rawValue, cases: cases, evsi: estimate,
                                                     cost: p.cost(cases: cases)))
                }
            }
            return sizes
        }
    }

    /// Memory a study does not scale with draws (the engines' buffers, the program itself): 64 MiB.
    static let plannedFixedBytes = 64 << 20

    /// The memory a study needs, in bytes, planned from the scenario before anything is drawn: per draw, 8 bytes
    /// for each value kept — the record's columns (every task's five inputs, each barrier, the option values),
    /// the inputs' copies for the regressions, each decision's options and regret, and on each thread the working
    /// set of one regression (its options' increments and fitted values, the spline basis) — with half as much again
    /// for what allocations round up to. Measured peaks lie below it (Benchmarks/README.md, "Memory").
    public static func plannedBytes(_ scenario: Scenario, options: VOIOptions) -> Int {
        let tasks = scenario.services.reduce(0) { $0 + $1.tasks.count }
        let inputs = TaskInput.allCases.count * tasks + scenario.barriers.count
        let (values, optionArrays, increments) = options.decision.plannedColumns(scenario)
        let perThread = 2 * increments + 12
        // The record holds the inputs and values; the regressions a copy of each input column; the decisions their
        // options and the regret sums (2).
        let perDraw = 2 * inputs + values + optionArrays + 2 + max(1, options.threads) * perThread
        let (bytes, overflow) = (8 * perDraw * 3 / 2).multipliedReportingOverflow(by: options.draws)
        return overflow ? Int.max : bytes.addingReportingOverflow(plannedFixedBytes).partialValue
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
}

/// Which decisions each recorded input can reach: those whose values depend on it, or on an input it is correlated
/// with. A task's realisation, costs and adoption year are drawn independently for each task, so they reach only
/// the entities the task belongs to (its service, its role, its organisation at the decision's level); its automation
/// share too, unless the copula couples it — with every task (a global loading) or with its role's tasks (a role
/// loading). A barrier's presence is shared across organisations and tasks, and a programme or policy is one
/// decision: those reach every decision. An input that cannot reach a decision is independent of its values, so its
/// EVPPI there is exactly 0.
struct Reach {
    /// Per recorded column, the decisions it reaches (nil: every decision).
    let perColumn: [Set<Int>?]
    let all: Set<Int>

    init(_ scenario: Scenario, _ decision: VOIDecision, _ names: [String], _ columns: [DrawTable.Column]) {
        all = Set(names.indices)
        guard case let .automate(level) = decision else {
            perColumn = columns.map { _ in nil }
            return
        }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let tasks = scenario.taskIndices
        // The decision a task's values feed at this level.
        func entity(_ key: String) -> Int? {
            guard let (i, j) = tasks[key] else { return nil }
            let service = scenario.services[i]
            switch level {
            case .service: return index[service.id]
            case .role: return index[service.tasks[j].role]
            case .organisation: return index[service.organisation]
            default: return nil
            }
        }
        // The decisions of each role's tasks (what a role loading of the copula couples).
        var byRole: [String: Set<Int>] = [:]
        for t in scenario.taskKeys {
            if let e = entity(t.key) { byRole[scenario.services[t.service].tasks[t.task].role, default: []].insert(e) }
        }
        let c = scenario.correlation
        perColumn = columns.map { column -> Set<Int>? in
            switch column {
            case let .task(key, input, role):
                if input == .automation && c.global > 0 { return nil }
                if input == .automation && c.role > 0 { return byRole[role] ?? [] }
                // A level that is not a decision's (unknown task): every decision, to be safe.
                return entity(key).map { [$0] }
            default: return nil
            }
        }
    }

    /// The decisions a group of recorded columns reaches.
    func decisions(of group: [Int]) -> Set<Int> {
        var reached = Set<Int>()
        for k in group {
            guard let r = perColumn[k] else { return all }
            reached.formUnion(r)
        }
        return reached
    }
}

/// Hands out 0, 1, 2… to threads, and counts what they finished.
final class Counter: @unchecked Sendable {
    // @unchecked: both counters are only touched under `lock`.
    private let lock = NSLock()
    private var taken = 0, finished = 0

    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < limit else { return nil }
        taken += 1
        return taken - 1
    }

    func done() -> Int {
        lock.lock(); defer { lock.unlock() }
        finished += 1
        return finished
    }
}
