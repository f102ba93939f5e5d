import ArgumentParser
import DXScenario
import DXEngine
import DXReport
import DXSupport
import Foundation

extension Level: ExpressibleByArgument {
    /// What `--level` takes, as help lists it: a matrix has services, roles or organisations. `task` and `total` still
    /// parse, so that validation can say where those levels are (summary.csv; the portfolio).
    public static var allValueStrings: [String] { [Level.service, .role, .organisation].map(\.rawValue) }
}
extension MatrixView: ExpressibleByArgument {}
extension RiskMeasure: ExpressibleByArgument {}

/// The baseline a run is compared with draw by draw: the scenario, the name a reader knows it by, and its record.
struct Baseline {
    var scenario: Scenario
    var name: String
    var record: RunRecord.Versus
}

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Run the top-down mapping and print the risk–return matrix.",
        discussion: """
        Samples every task's automation share, realisation, costs and adoption year, aggregates them to \
        services, roles and organisations, and places the entities of --level on the matrix. Each entity \
        gets the quadrant of its mean and the share of draws that fall in each quadrant.

        With --out DIR it also writes DIR/summary.csv (every metric, every level; a task's percentiles \
        only with --task-percentiles), DIR/matrix.csv, \
        DIR/matrix.svg and DIR/run.json, and with a workforce composition DIR/exposure.csv (each group's FTE and \
        labour value by quadrant, also printed). With barriers: in the scenario, adoption is delayed or fails \
        as they say (under --programme's routines, if given), and the table adds each service's chance \
        of adoption within the horizon and its expected delay. Results depend only on the scenario, --draws, --seed and \
        --generator, never on --threads.

        Example:
          dxmap map Scenarios/italian-pa.yaml --out out/
        """
    )

    @OptionGroup var common: RunOptions

    @Option(help: "Matrix level: service, role or organisation (default: the scenario's, else service).")
    var level: Level?

    @Option(help: """
        Matrix view: probability, risk-return, or output (by output cost: services with an output_cost) (default: the \
        scenario's, else probability).
        """)
    var view: MatrixView?

    @Option(help: "Risk measure of the risk-return view: sd, loss (P(NPV<0)) or cvar (expected shortfall at 5%).")
    var risk: RiskMeasure?

    @Option(name: .customLong("x-threshold"), parsing: .unconditional, help: """
        x threshold: automation probability (probability view; a number, ons-medium = 0.3 or ons-high = 0.7; \
        default 0.5) or risk (risk-return view; a number or median, the default).
        """)
    var xThreshold: String?

    @Option(name: .customLong("y-threshold"), parsing: .unconditional, help: """
        y threshold: annual value (probability view; a number or median, the default) or NPV (risk-return view; \
        a number, break-even = 0, the default, or median).
        """)
    var yThreshold: String?

    @Option(help: "With barriers: the adoption programme whose routines run (default: barriers with no routines).")
    var programme: String?

    @Flag(name: .customLong("task-percentiles"), help: """
        Also give every task's percentiles and CVaR in summary.csv and JSON (default: tasks get mean, sd and \
        P(loss) only; services, roles, organisations and the total always have percentiles). Costs about \
        a sixth more per task and draw.
        """)
    var taskPercentiles = false

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Compare this run draw by draw with another scenario's, on the same draws: per entity the share of futures \
        in which this one's NPV is higher, the spread of the difference and its mean (writes versus.csv).
        """, valueName: "scenario"))
    var versus: String?

    @Flag(name: .customLong("versus-no-evidence"), help: """
        Compare this run draw by draw with the same scenario without its evidence: what the pilots' results change.
        """)
    var versusNoEvidence = false

    func validate() throws {
        if versus != nil && versusNoEvidence { throw ValidationError("give one of --versus SCENARIO and --versus-no-evidence") }
        if versus?.isEmpty == true { throw ValidationError("--versus needs a scenario file, found an empty path") }
        if versusNoEvidence && common.noEvidence {
            throw ValidationError("--versus-no-evidence compares the run with its evidence against it without; drop --no-evidence")
        }
        do { try MatrixThresholds.checkWords(x: xThreshold, y: yThreshold) } catch let e as RunSettingsError { throw ValidationError(e.message) }
        if level == .task || level == .total {
            throw ValidationError("--level must be service, role or organisation (tasks and the total are in summary.csv)")
        }
    }

    func run() throws {
        let scenario = common.scenario
        try reportingErrors {
            let input = try common.load()
            let (bytes, loaded) = (input.bytes, input.scenario)
            var options = MappingOptions()
            options.programme = programme
            if !taskPercentiles { options.percentileLevels.remove(.task) }
            options.thresholds = try MatrixThresholds.parse(x: xThreshold, y: yThreshold, settings: MatrixSettings(view: view),
                                                            scenario: loaded.matrix)
            // A comparison records each draw's NPVs in both runs (no inputs: a column per entity).
            let baseline = try versusBaseline(loaded, bytes: bytes)
            if baseline != nil { (options.recordsDraws, options.recordsInputs) = (true, false) }
            if MatrixSettings(view: view).or(loaded.matrix).resolved.view == .output, !loaded.services.contains(where: { $0.outputCost != nil }) {
                throw DataError(message: "the output view needs services with an 'output_cost:'; no service of the scenario gives one")
            }
            let result = try common.running("mapping", options) { try MappingEngine.run(loaded, options: $0) }
            let comparison = try baseline.map { b in
                let other = try common.running("baseline", options) { try MappingEngine.run(b.scenario, options: $0) }
                return try MappingComparison(result, against: other, baseline: b.name)
            }

            let matrix = result.matrix(level: level, view: view, risk: risk)
            var record = RunRecord(command: "map", scenarioPath: scenario, scenarioBytes: bytes, run: result.run, evidence: input.evidence,
                                   details: .mapping(result, matrix: matrix))
            record.target = common.target
            record.versus = baseline?.record
            try emit(MappingOutput(result: result, matrix: matrix, record: record, versus: comparison,
                                   exposure: GroupExposure(scenario: loaded, matrix: matrix)), common)
        }
    }

    /// The baseline `--versus` or `--versus-no-evidence` names, or nil. `--no-evidence` applies to both scenarios.
    func versusBaseline(_ loaded: Scenario, bytes scenarioBytes: Data) throws -> Baseline? {
        if versusNoEvidence {
            guard !loaded.evidence.isEmpty else {
                throw RunSettingsError("--versus-no-evidence: \(common.scenario) has no evidence: to compare; the two runs would be the same")
            }
            return Baseline(scenario: loaded.withoutEvidence(), name: "the run without its evidence",
                            record: .init(scenario: common.scenario, sha256: SHA256.hex(Array(scenarioBytes)),
                                          evidenceApplied: false))
        }
        guard let versus else { return nil }
        let bytes = try ScenarioLoader.read(path: versus)
        let parsed = try ScenarioLoader.parse(bytes, file: versus, posterior: common.posterior)
        printWarnings(parsed)
        let other = common.noEvidence ? parsed.withoutEvidence() : parsed
        // The baseline by its name, or by its file's where the two scenarios share a name (a variant of this one).
        let name = other.name == loaded.name || other.name.isEmpty ? URL(fileURLWithPath: versus).lastPathComponent : "\"\(other.name)\""
        return Baseline(scenario: other, name: name, record: .init(scenario: versus, sha256: SHA256.hex(Array(bytes)),
                                                                              evidenceApplied: !common.noEvidence))
    }
}
