import ArgumentParser
import DXAnalysis
import DXEngine
import DXExperiments
import DXReport
import DXScenario
import Foundation

/// `dxmap voi`: which uncertainty is worth resolving before deciding.
struct VOICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voi",
        abstract: "Value of information: what knowing an input, or running a pilot, would be worth before deciding.",
        discussion: """
        Runs the mapping (or, with --decision programme, the adoption comparison; with --decision policy, the \
        redeployment simulation) keeping every draw's inputs and \
        values, then estimates the expected value of perfect information (EVPI) of each decision, the EVPPI of every \
        input and of each role's automation shares together, by spline regression on the draws (for the decisions the \
        input can reach; a standard error that too few draws cannot give is shown as —), and the EVSI of the \
        scenario's proposed pilots ('pilots:') at each size, with their cost and net value; a pilot's best size is \
        marked only when it is better beyond its standard error, else the smallest as good ("any size from N"). Per \
        decision, the option best on average is compared with the next best across futures (the share of draws in \
        which it is better). Money is present values, except a policy decision's, undiscounted as dxmap redeploy \
        reports it. Writes voi.csv, decisions.csv, voi.svg, run.json and report.html with --out.

        Examples:
          dxmap voi Scenarios/italian-registry-pilot.yaml --out out/voi
          dxmap voi Scenarios/italian-pa.yaml --level organisation --input automation
          dxmap voi Scenarios/catalyst.yaml --decision programme
          dxmap voi Scenarios/county-councils-workforce.yaml --decision policy
        """
    )

    enum Decision: String, CaseIterable, ExpressibleByArgument { case automate, programme, policy }

    @OptionGroup var common: RunOptions

    @Option(help: """
        The decision: automate (per entity of --level, automate or not), programme (which adoption programme) or policy \
        (which redeployment policy: net saving plus the workforce's value_per_redundancy_avoided per redundancy avoided).
        """)
    var decision: Decision = .automate

    @Option(help: "With --decision automate: service, role or organisation.")
    var level: Level = .service

    @Option(name: .customLong("input"), help: "Only inputs whose name contains this text; repeat for several (default: every input).")
    var inputs: [String] = []

    @Option(name: .customLong("pilot"), help: "Only this pilot of the scenario's 'pilots:'; repeat for several (default: all).")
    var pilots: [String] = []

    @Flag(name: .customLong("write-draws"), help: """
        With --out, also write draws.csv: every draw's inputs and option values, for another tool to estimate from.
        """)
    var writeDraws = false

    @Option(parsing: .unconditional, help: """
        Most memory the study may plan to use, in GB (default: 80% of this machine's memory, or of its cgroup's limit). \
        The study keeps every draw; one planned above this is refused before it starts, with the draws that fit.
        """)
    var memory: Double?

    @Option(help: """
        The EVPPI estimator: v2 (each input regressed for the decisions it can reach, an intercept-only model among the \
        candidates) or v1 (the numbers of releases before it).
        """)
    var evppi: ValueOfInformation.Estimator = .v2

    @Flag(name: .customLong("per-year-by-annuity"), help: """
        With --decision policy, divide values by the discount annuity for their per-year figure, as earlier releases \
        did (default: undiscounted money is spread over the horizon's years).
        """)
    var perYearByAnnuity = false

    func validate() throws {
        if let memory, !(memory > 0 && memory < 1e9) { throw ValidationError("--memory must be a positive number of GB, found \(memory)") }
        if common.target != nil { throw ValidationError("--target applies to map, redeploy and adopt (voi values decisions, not one output)") }
        if writeDraws, common.out == nil { throw ValidationError("--write-draws needs --out DIR") }
        if decision == .automate, level == .task || level == .total {
            throw ValidationError("--level must be service, role or organisation (the total is the portfolio, reported with them)")
        }
        if decision != .automate, level != .service {
            throw ValidationError("--level applies to --decision automate; the \(decision.rawValue) decision is for the whole scenario")
        }
        if common.draws < VOIStudy.minimumDraws { throw ValidationError("--draws must be at least \(VOIStudy.minimumDraws) for the regressions, found \(common.draws)") }
    }

    func run() throws {
        try reportingErrors {
            let input = try common.load()
            var options = VOIOptions()
            switch decision {
            case .automate: options.decision = .automate(level)
            case .programme: options.decision = .programme
            case .policy: options.decision = .policy
            }
            options.memoryLimit = memory.map { Int($0 * 1e9) }
            options.estimator = evppi
            options.perYearByAnnuity = perYearByAnnuity
            options.inputs = inputs.isEmpty ? nil : inputs
            options.pilots = pilots.isEmpty ? nil : pilots
            let analysis = ProgressBar(label: "regressions", unit: "inputs")
            options.analysisProgress = { analysis.update($0, $1) }
            let result = try common.running("sampling", options) { options in
                defer { analysis.finish() }
                return try VOIStudy.run(input.scenario, options: options)
            }
            let record = RunRecord(command: "voi", scenarioPath: common.scenario, scenarioBytes: input.bytes, run: result.run,
                                   evidence: input.evidence,
                                   details: .valueOfInformation(level: decision == .automate ? level.rawValue : nil, evppiEstimator: evppi.rawValue))
            try emit(VOIOutput(result: result, record: record, writesDraws: writeDraws), common)
        }
    }
}
