import ArgumentParser
import DXSampling
import DXScenario
import DXExperiments
import DXReport
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a design of points into a resumable SQLite results database.",
        discussion: """
        Each point runs the mapping (and the redeployment when an output needs it) with a seed derived from \
        the sweep seed and the point index, so any point gives the same numbers alone, in any order, on any \
        number of jobs or shards. Each point commits in one transaction: a killed sweep loses at most the \
        points in flight, and --resume finishes the rest.

        Examples:
          dxmap sweep Scenarios/sweeps/ai-progress.yaml --db ai.sqlite
          dxmap sweep Scenarios/sweeps/ai-progress.yaml --db ai.sqlite --resume
          dxmap sweep Scenarios/sweeps/ai-progress.yaml --db shard-0.sqlite --shard 0/4
          dxmap sweep Scenarios/sweeps/ai-progress.yaml --slurm 4 --db runs/ai --submit
          dxmap sweep Scenarios/sweeps/robust-redeployment.yaml --db r.sqlite --out out/robust --satisfy 'redeploy.*.redundant<=150'

        With --out, writes the sweep's report there when it finishes (what `dxmap report` writes).
        """
    )

    @Argument(help: "Sweep file (dxmap-sweep: 1).")
    var sweep: String

    @OptionGroup var points: PointRunOptions

    @OptionGroup var report: SweepReportOptions

    func validate() throws {
        try report.check()
        if report.out != nil, points.slurm != nil {
            throw ValidationError("--out writes the report of a finished sweep; with --slurm, run dxmap report on the merged database")
        }
    }

    func run() throws {
        try reportingErrors {
            let plan = try SweepLoader.load(path: sweep)
            printWarnings(plan)
            let outputs = try SweepOutput.resolve(plan.definition, base: plan.base)
            if let shards = points.slurm {
                try points.slurmJobs(shards, command: ["sweep", URL(fileURLWithPath: sweep).standardized.path])
                return
            }
            let (db, shard) = (points.db, points.selectedShard)
            // The writer is closed (and the file out of WAL mode) before the report reads it.
            let summary = try {
                let store = try SweepStore(path: db, plan: plan, outputs: outputs, shard: shard, resume: points.resume)
                let progress = ProgressBar(label: "sweep", unit: "points")
                defer { progress.finish() }
                return try SweepRunner.run(plan, outputs: outputs, store: store, shard: shard, jobs: points.jobs,
                                           progress: { progress.update($0, $1) })
            }()
            printError(String(format: "%@: %@ run, %d already done, %@ each, %.1f s (%.2f points/s) → %@",
                              sweep, NumberFormatting.counted(summary.ran, "point"), summary.skipped,
                              NumberFormatting.counted(outputs.count, "output"), summary.seconds, summary.pointsPerSecond, db))
            if summary.failed > 0 {
                printError("warning: \(summary.failed) points failed; `dxmap export` lists them with their reasons in failures.csv")
            }
            if let out = report.out {
                try report.writeReport(store: SweepStore(existing: db), out: out, wallTime: summary.seconds)
            }
        }
    }
}

/// What shapes a sweep report: where it goes and the thresholds options must meet. Shared by `dxmap sweep` and
/// `dxmap report`.
struct SweepReportOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Directory for the sweep's report (report.html, its charts and CSVs).")
    var out: String?

    @Option(parsing: .singleValue, help: ArgumentHelp("""
        A threshold an option must meet in a future, 'NAME>=X' or 'NAME<=X' (NAME an output, or redeploy.*.METRIC for \
        every policy's); the report gives each option's share of futures meeting it (repeatable).
        """, valueName: "threshold"))
    var satisfy: [String] = []

    func check() throws {
        if out?.isEmpty == true { throw ValidationError("--out needs a directory path, found an empty one") }
        for text in satisfy where SweepAnalysis.Threshold(text) == nil {
            throw ValidationError("--satisfy '\(text)': expected NAME>=X or NAME<=X with X a number, e.g. 'redeploy.*.redundant<=150'")
        }
    }

    var thresholds: [SweepAnalysis.Threshold] { satisfy.compactMap(SweepAnalysis.Threshold.init) }

    func writeReport(store: SweepStore, out: String?, wallTime: Double) throws {
        let analysis = try SweepAnalysis(store: store, thresholds: thresholds)
        let record = try StudyRecord(command: "report", arguments: Array(CommandLine.arguments.dropFirst()), store: store, wallTime: wallTime)
        try emit(SweepReportOutput(analysis: analysis, record: record), out: out)
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a sweep's report: outputs across futures, robustness of options, yearly envelopes, parameters against outputs.",
        discussion: """
        Reads a results database (of `dxmap sweep`, or merged shards) and writes DIR/report.html with: each output's \
        distribution across the futures; when the sweep compares options — the policies of redeploy.POLICY.METRIC \
        outputs, or parameters marked kind: lever — each option's regret against the best option in each future \
        (mean, 90th percentile, worst) and, with --satisfy, its share of futures meeting a threshold; the envelopes \
        of yearly outputs (redeploy.POLICY.METRIC@year*); and each parameter against each output with Spearman's ρ. \
        Also outputs.csv, robustness.csv, envelopes.csv, correlations.csv and the charts as SVG.

        Example:
          dxmap sweep Scenarios/sweeps/robust-redeployment.yaml --db r.sqlite
          dxmap report r.sqlite --out out/robust --satisfy 'redeploy.*.redundant<=150'
        """)

    @Argument(help: "Results database of a sweep.")
    var database: String

    @OptionGroup var report: SweepReportOptions

    func validate() throws { try report.check() }

    func run() throws {
        try reportingErrors {
            let started = Date()
            let store = try SweepStore(existing: database)
            try report.writeReport(store: store, out: report.out, wallTime: Date().timeIntervalSince(started))
        }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard databases of one sweep into one, identical to an unsharded run.")

    @Argument(help: "Shard databases.")
    var inputs: [String]

    @Option(name: .shortAndLong, parsing: .unconditional, help: "Merged database to create.")
    var output: String

    func validate() throws {
        if let problem = SweepStore.pathProblem(output) { throw ValidationError(problem.replacingOccurrences(of: "--db", with: "-o")) }
    }

    func run() throws {
        try reportingErrors {
            let merged = try SweepStore.merge(inputs, into: output)
            try printOut("""
                merged \(inputs.count) databases into \(output): \(merged.points) points
                """ + (merged.missing > 0 ? ", \(merged.missing) missing" : ""))
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a results database as tidy CSV: design.csv, results.csv and failures.csv.")

    @Argument(help: "Results database.")
    var database: String

    @Option(parsing: .unconditional, help: "Directory for design.csv, results.csv, failures.csv and run.json.")
    var csv: String

    func validate() throws {
        if csv.isEmpty { throw ValidationError("--csv needs a directory path, found an empty one") }
    }

    func run() throws {
        try reportingErrors {
            let store = try SweepStore(existing: database)
            let record = try StudyRecord(command: "export", arguments: Array(CommandLine.arguments.dropFirst()), store: store, wallTime: 0)
            try emit(ExportOutput(store: store, record: record), out: csv)
        }
    }
}
