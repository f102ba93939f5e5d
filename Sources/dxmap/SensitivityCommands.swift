import ArgumentParser
import DXMap
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Rank which of a sweep's parameters drive its outputs: Sobol indices, Morris screening or a tornado.",
        discussion: """
        Builds the method's own design from the sweep file's parameters (a design: in the file is not used), \
        runs its points like `dxmap sweep` (resumable with --resume, shardable with --shard or --slurm), all on \
        common random numbers, then writes DIR/sensitivity.csv (output,parameter,method,index,value,ci_low,ci_high), \
        DIR/points.csv (each point's value, Monte Carlo standard error and failure) and DIR/sobol.svg, \
        morris.svg or tornado.svg. Each parameter's range or list of values is its uncertainty (uniform).

        --base is the number of Saltelli base rows for sobol (a power of 2, default 1024; N(k+2) points) and the \
        number of trajectories for morris (default 20; r(k+1) points); the tornado has 2k+1 points. The Sobol \
        design is Owen-scrambled with a seed that follows from the sweep seed (--no-scramble for the plain \
        sequence, SALib's scramble=False). dxmap warns, naming the parameters, when an S1 exceeds its ST \
        beyond its interval, when an interval is wider than 0.1, or when Monte Carlo noise dominates.

        Examples:
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method sobol --db s.sqlite --out out/sobol
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method morris --base 20 --db m.sqlite --out out/morris
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method tornado --db t.sqlite --out out/tornado
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case sobol, morris, tornado }

    @Argument(help: "Sweep file (dxmap-sweep: 1): its parameters, outputs, draws and seed.")
    var sweep: String

    @Option(help: "sobol, morris or tornado.")
    var method: Method

    @Option(parsing: .unconditional, help: "Saltelli base rows (sobol: a power of 2, default 1024) or trajectories (morris, default 20).")
    var base: Int?

    @Flag(help: "Also estimate second-order Sobol indices (N(2k+2) points).")
    var secondOrder = false

    @Flag(inversion: .prefixedNo, help: "Owen-scramble the Sobol design (seeded from the sweep seed).")
    var scramble = true

    @Option(parsing: .unconditional, help: "Grid levels for morris (even).")
    var levels: Int = 4

    @Option(name: .customLong("output"), help: "An output to analyse (repeatable; default: all the sweep's outputs).")
    var selected: [String] = []

    @OptionGroup var points: PointRunOptions

    @Option(parsing: .unconditional, help: "Directory for sensitivity.csv, points.csv and the chart.")
    var out: String = "out"

    @Option(parsing: .unconditional, help: "Bootstrap resamples for confidence intervals.")
    var resamples: Int = 1000

    func validate() throws {
        if let base {
            if method == .tornado { throw ValidationError("--base does not apply to the tornado (it has 2k+1 points)") }
            if method == .sobol, let problem = SensitivityMethod.sobolBaseProblem(base) { throw ValidationError("--base: \(problem)") }
            guard (2...1_000_000).contains(base) else { throw ValidationError("--base must be between 2 and 1000000, found \(base)") }
        }
        if secondOrder && method != .sobol { throw ValidationError("--second-order goes with --method sobol") }
        if out.isEmpty { throw ValidationError("--out needs a directory path, found an empty one") }
        if !scramble && method != .sobol { throw ValidationError("--no-scramble goes with --method sobol") }
        guard levels >= 2, levels % 2 == 0, levels <= 1000 else { throw ValidationError("--levels must be even, from 2 to 1000, found \(levels)") }
        guard (0...100_000).contains(resamples) else { throw ValidationError("--resamples must be between 0 and 100000, found \(resamples)") }
    }

    var sensitivityMethod: SensitivityMethod {
        switch method {
        case .sobol: .sobol(baseRows: base ?? SensitivityMethod.defaultSobolBase, secondOrder: secondOrder, scramble: scramble)
        case .morris: .morris(trajectories: base ?? 20, levels: levels)
        case .tornado: .tornado
        }
    }

    /// The arguments that make the same study (for the Slurm scripts).
    var studyArguments: [String] {
        var args = ["sensitivity", URL(fileURLWithPath: sweep).standardized.path, "--method", method.rawValue, "--levels", "\(levels)",
                    "--resamples", "\(resamples)"]
        if let base { args += ["--base", "\(base)"] }
        if secondOrder { args.append("--second-order") }
        if !scramble { args.append("--no-scramble") }
        for s in selected { args += ["--output", s] }
        return args
    }

    func run() throws {
        try reportingErrors {
            var study = try SensitivityStudy.load(path: sweep, method: sensitivityMethod)
            study.resamples = resamples
            printWarnings(study.plan.base)
            if let problem = study.unknownOutput(in: selected) { throw ValidationError(problem) }
            if study.fileDesignIgnored {
                printError("note: the design: in \(sweep) is not used; \(method.rawValue) runs its own design of \(study.plan.pointCount) points")
            }
            if let shards = points.slurm {
                try points.slurmJobs(shards, command: studyArguments, then: studyArguments + ["--out", URL(fileURLWithPath: out).standardized.path])
                return
            }
            let (db, shard) = (points.db, points.selectedShard)
            let store = try SweepStore(path: db, plan: study.plan, outputs: study.outputs, shard: shard, resume: points.resume)
            let progress = ProgressBar(label: method.rawValue, unit: "points")
            let summary = try SweepRunner.run(study.plan, outputs: study.outputs, store: store, shard: shard, jobs: points.jobs,
                                              progress: { progress.update($0, $1) })
            progress.finish()
            printError(String(format: "%@: %@ design, %d points run, %d already done, %.1f s (%.2f points/s) → %@",
                              sweep, method.rawValue, summary.ran, summary.skipped, summary.seconds, summary.pointsPerSecond, db))
            guard shard == .all else {
                printError("shard \(shard) done; after `dxmap merge`, run this command on the merged database with --resume to analyse")
                return
            }
            let report = try study.analyze(store: store, outputs: selected.isEmpty ? nil : selected)
            let record = StudyRecord(command: "sensitivity", arguments: Array(CommandLine.arguments.dropFirst()), inputs: [
                .init(path: study.plan.definition.file, sha256: SHA256.hex(Array(study.plan.definition.text.utf8))),
                .init(path: study.plan.definition.scenarioPath, sha256: SHA256.hex(Array(study.plan.baseScenarioData))),
                .init(path: db, sha256: try store.meta("sha256") ?? ""),
            ], wallTime: summary.seconds)
            let written = try report.write(to: out, title: "\(study.plan.base.name): \(method.rawValue) sensitivity", run: record)
            for output in report.outputs {
                try printOut(report.table(output: output).joined(separator: "\n"))
                try printOut("")
            }
            report.messages.forEach(printError)
            printError("wrote \(written.joined(separator: ", "))")
        }
    }
}

extension PRIM.Objective: ExpressibleByArgument {}

struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the futures in which an output goes bad: PRIM boxes on a sweep's results.",
        discussion: """
        A future (point) is bad when the output's mean over draws is above (--above) or below (--below) the \
        threshold. PRIM (the EMA Workbench's peeling and pasting rules) peels the parameter space towards the \
        bad points, keeps the peeling trajectory (coverage against density), chooses the densest box that \
        still covers --min-coverage of the bad points, pastes it back where that raises the density, drops \
        every limit that no longer excludes a point, and gives each limit a quasi-p-value (the chance of so \
        many bad futures in the box without that limit: small means it matters). Writes DIR/boxes.csv and \
        DIR/prim.svg. A threshold that no point, or every point, crosses is refused with the output's range.

        Example:
          dxmap sweep Scenarios/sweeps/discover-redeployment.yaml --db d.sqlite
          dxmap discover d.sqlite --output redeploy.shared-pool.redundant --above 250 --out out/discover
        """
    )

    @Argument(help: "Results database of a sweep (or of a sensitivity study).")
    var database: String

    @Option(help: "The output that goes bad.")
    var output: String

    @Option(parsing: .unconditional, help: "Bad means the output is above this value.")
    var above: Double?

    @Option(parsing: .unconditional, help: "Bad means the output is below this value.")
    var below: Double?

    @Option(parsing: .unconditional, help: "Directory for boxes.csv and prim.svg.")
    var out: String = "out"

    @Option(parsing: .unconditional, help: "Share of the box's points removed by each peel.")
    var peelAlpha: Double = 0.05

    @Option(parsing: .unconditional, help: "Smallest share of all points a box may keep.")
    var minMass: Double = 0.05

    @Option(parsing: .unconditional, help: "The chosen box is the densest whose coverage is at least this.")
    var minCoverage: Double = 0.5

    @Option(help: "How peels are scored: lenient1 (the EMA Workbench's default), lenient2 or original.")
    var objective: PRIM.Objective = .lenient1

    func validate() throws {
        guard (above == nil) != (below == nil) else { throw ValidationError("give exactly one of --above T or --below T") }
        if let t = above ?? below, !t.isFinite { throw ValidationError("the threshold must be a number") }
        guard peelAlpha > 0, peelAlpha < 0.5 else { throw ValidationError("--peel-alpha must be in (0, 0.5), found \(peelAlpha)") }
        guard minMass > 0, minMass < 1 else { throw ValidationError("--min-mass must be in (0, 1), found \(minMass)") }
        guard (0...1).contains(minCoverage) else { throw ValidationError("--min-coverage must be in [0, 1], found \(minCoverage)") }
        if out.isEmpty { throw ValidationError("--out needs a directory path, found an empty one") }
    }

    func run() throws {
        try reportingErrors {
            let store = try SweepStore(existing: database)
            if let problem = try ScenarioDiscovery.unknownOutput(output, in: store) { throw ValidationError("--output: \(database): \(problem)") }
            var options = PRIM.Options()
            options.peelAlpha = peelAlpha
            options.minimumMass = minMass
            options.minimumCoverage = minCoverage
            options.objective = objective
            let side: ScenarioDiscovery.Side = above.map { .above($0) } ?? .below(below!)
            let started = Date()
            let found = try ScenarioDiscovery.run(store: store, output: output, side: side, options: options)
            let record = try StudyRecord(command: "discover", arguments: Array(CommandLine.arguments.dropFirst()), store: store,
                                         wallTime: Date().timeIntervalSince(started))
            let written = try found.write(to: out, source: database, run: record)
            try printOut(found.summaryLines.joined(separator: "\n"))
            printError("wrote \(written.joined(separator: ", "))")
        }
    }
}
