import ArgumentParser
import DXAnalysis
import DXExperiments
import DXReport
import DXSupport
import Foundation

extension SensitivityMethod.Kind: ExpressibleByArgument {}

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

        --base is the number of Saltelli base rows for sobol (a power of 2, default \
        \(SensitivityMethod.defaultSobolBase); N(k+2) points) and the number of trajectories for morris (default \
        \(SensitivityMethod.defaultMorrisTrajectories); r(k+1) points); the tornado has 2k+1 points. The Sobol \
        design is Owen-scrambled with a seed that follows from the sweep seed (--no-scramble for the plain \
        sequence, SALib's scramble=False). dxmap warns, naming the parameters, when an S1 exceeds its ST \
        beyond its interval, when an interval is wider than 0.1, or when Monte Carlo noise dominates.

        Examples:
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method sobol --db s.sqlite --out out/sobol
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method morris --base 20 --db m.sqlite --out out/morris
          dxmap sensitivity Scenarios/sweeps/sensitivity-italian-pa.yaml --method tornado --db t.sqlite --out out/tornado
        """
    )

    @Argument(help: "Sweep file (dxmap-sweep: 1): its parameters, outputs, draws and seed.")
    var sweep: String

    @Option(help: "sobol, morris or tornado.")
    var method: SensitivityMethod.Kind

    @Option(parsing: .unconditional, help: """
        Saltelli base rows (sobol: a power of 2, default \(SensitivityMethod.defaultSobolBase)) or trajectories (morris, default \
        \(SensitivityMethod.defaultMorrisTrajectories)).
        """)
    var base: Int?

    @Flag(help: "Also estimate second-order Sobol indices (N(2k+2) points).")
    var secondOrder = false

    @Flag(inversion: .prefixedNo, help: "Owen-scramble the Sobol design (seeded from the sweep seed).")
    var scramble = true

    @Option(parsing: .unconditional, help: "Grid levels for morris (even).")
    var levels: Int = SensitivityMethod.defaultMorrisLevels

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
        guard levels >= 2, levels % 2 == 0, levels <= 1000 else {
            throw ValidationError("--levels must be even, from 2 to 1000, found \(levels)")
        }
        guard (0...100_000).contains(resamples) else { throw ValidationError("""
            --resamples must be between 0 and 100000, found \(resamples)
            """) }
    }

    var sensitivityMethod: SensitivityMethod {
        SensitivityMethod(method, base: base, levels: levels, secondOrder: secondOrder, scramble: scramble)
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
            printWarnings(study.plan)
            if let (_, problem) = study.unknownOutput(in: selected) { throw ValidationError(problem) }
            if study.fileDesignIgnored {
                printError("""
                    note: the design: in \(sweep) is not used; \(method.rawValue) runs its own design of \(study.plan.pointCount) points
                    """)
            }
            if let shards = points.slurm {
                try points.slurmJobs(
                    shards, command: studyArguments, then: studyArguments + ["--out", URL(fileURLWithPath: out).standardized.path])
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
            try emit(SensitivityOutput(result: report, title: "\(study.plan.base.name): \(method.rawValue) sensitivity", record: record),
                     out: out)
        }
    }
}

extension PRIM.Objective: ExpressibleByArgument {}
