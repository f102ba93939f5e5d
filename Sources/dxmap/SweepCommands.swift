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
        """
    )

    @Argument(help: "Sweep file (dxmap-sweep: 1).")
    var sweep: String

    @OptionGroup var points: PointRunOptions

    func run() throws {
        try reportingErrors {
            let plan = try SweepLoader.load(path: sweep)
            printWarnings(plan.base)
            let outputs = try SweepOutput.resolve(plan.definition, base: plan.base)
            if let shards = points.slurm {
                try points.slurmJobs(shards, command: ["sweep", URL(fileURLWithPath: sweep).standardized.path])
                return
            }
            let (db, shard) = (points.db, points.selectedShard)
            let store = try SweepStore(path: db, plan: plan, outputs: outputs, shard: shard, resume: points.resume)
            let progress = ProgressBar(label: "sweep", unit: "points")
            let summary = try SweepRunner.run(plan, outputs: outputs, store: store, shard: shard, jobs: points.jobs,
                                              progress: { progress.update($0, $1) })
            progress.finish()
            printError(String(format: "%@: %@ run, %d already done, %@ each, %.1f s (%.2f points/s) → %@",
                              sweep, NumberFormatting.counted(summary.ran, "point"), summary.skipped,
                              NumberFormatting.counted(outputs.count, "output"), summary.seconds, summary.pointsPerSecond, db))
            if summary.failed > 0 {
                printError("warning: \(summary.failed) points failed; `dxmap export` lists them with their reasons in failures.csv")
            }
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
