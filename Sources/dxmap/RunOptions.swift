import ArgumentParser
import DXSampling
import DXScenario
import DXSupport
import DXAnalysis
import DXEngine
import DXExperiments
import DXReport
import Foundation

extension RandomStream.Generator: ExpressibleByArgument {}
extension Posterior.Version: ExpressibleByArgument {}
extension Sampler.Method: ExpressibleByArgument {}
extension DrawDesign.Method: ExpressibleByArgument {}
extension ValueOfInformation.Estimator: ExpressibleByArgument {}

enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// Options every Monte Carlo command takes.
struct RunOptions: ParsableArguments {
    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    // Numeric options parse their next word whatever it looks like, so that `--draws -1` is told what is wrong
    // with -1 rather than that --draws has no value.
    @Option(parsing: .unconditional, help: "Monte Carlo draws.")
    var draws: Int = 10_000

    @Option(parsing: .unconditional, help: "Random seed (the default is fixed, so two plain runs agree).", transform: parseSeed)
    var seed: UInt64 = DXMapDefaults.seed

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores). Does not change results.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Directory for the output files.")
    var out: String?

    @Option(help: "What to print on standard output: table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: """
        GSL generator: xoshiro256starstar, mt19937, taus2 or ranlxd2 (default: the scenario's, else xoshiro256starstar \
        with inversion and mt19937 with gsl-direct).
        """)
    var generator: RandomStream.Generator?

    @Option(help: """
        How inputs are drawn from the generator's uniforms: inversion (one uniform through each distribution's quantile \
        function, tabulated to a u-error of 1e-10; the default) or gsl-direct (GSL's samplers with mt19937: the numbers \
        of the releases before inversion).
        """)
    var sampler: Sampler.Method?

    @Option(name: .customLong("draw-design"), help: """
        How the draws cover the inputs: plain (Monte Carlo, the default), latin-hypercube or sobol (scrambled Sobol' \
        points); a design's standard errors come from its replicates.
        """)
    var drawDesign: DrawDesign.Method?

    @Option(parsing: .unconditional, help: "Independent replicates of a draw design (default 10); --draws must be a multiple.")
    var replicates: Int?

    @Flag(help: "Tables as wide as their contents (default: the terminal's width, else COLUMNS, else 100; long names cut).")
    var wide = false

    @Option(parsing: .unconditional, help: """
        A value of the headline money output to read the share of futures above it against, in the report's \
        distributions: map's NPV, redeploy's net saving, adopt's net value (default: 0, break-even).
        """)
    var target: Double?

    @Flag(name: .customLong("no-evidence"), help: """
        Ignore the scenario's 'evidence:': every input at its prior, for the run before the pilots' results.
        """)
    var noEvidence = false

    @Option(help: """
        How evidence's non-conjugate posteriors are found: v2 (exact wherever the data put them, evidence in sequence \
        pooled) or v1 (the numbers of releases before it).
        """)
    var posterior: Posterior.Version = .v2

    func validate() throws {
        if let target, !target.isFinite { throw ValidationError("--target must be a finite number, found \(target)") }
        guard (2...1_000_000_000).contains(draws) else {
            throw ValidationError("--draws must be between 2 and 1,000,000,000, found \(draws)")
        }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024, found \(threads)") }
        if out?.isEmpty == true { throw ValidationError("--out needs a directory path, found an empty one") }
        if let replicates, !(2...10_000).contains(replicates) {
            throw ValidationError("--replicates must be between 2 and 10000, found \(replicates)")
        }
    }

    /// What the flags say of the sampling (nil where they say nothing: the scenario's `sampling:`, then the default).
    var sampling: SamplingSettings {
        SamplingSettings(sampler: sampler, generator: generator, design: drawDesign, replicates: replicates)
    }

    /// Runs `engine` on `options` with what the flags say (draws, seed, threads, sampling; the library fills the rest
    /// from the scenario) and a progress bar labelled `label` on standard error, cleared when it returns or throws.
    func running<Options: MonteCarloOptions, Result>(_ label: String, _ options: Options,
                                                      _ engine: (Options) throws -> Result) throws -> Result {
        var options = options
        (options.common.draws, options.common.seed, options.common.threads) = (draws, seed, threads)
        options.common.choices = sampling
        let progress = ProgressBar(label: label)
        options.common.progress = { progress.update($0, $1) }
        defer { progress.finish() }
        return try engine(options)
    }

    /// Reads and validates the scenario, prints its warnings, and sets its evidence aside with `--no-evidence`.
    func load() throws -> LoadedScenario {
        let bytes = try ScenarioLoader.read(path: scenario)
        let parsed = try ScenarioLoader.parse(bytes, file: scenario, posterior: posterior)
        printWarnings(parsed)
        return LoadedScenario(bytes: bytes, scenario: noEvidence ? parsed.withoutEvidence() : parsed,
                              evidence: EvidenceRecord.list(parsed, applied: !noEvidence))
    }

    /// Whether standard output gets ANSI colours: a terminal, and NO_COLOR unset or empty.
    var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true)
    }
}

/// How a sweep's points run: the results database, parallel jobs, shards, resuming, Slurm.
/// Shared by `dxmap sweep` and `dxmap sensitivity`.
struct PointRunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Results database (a directory with --slurm).")
    var db: String

    @Option(parsing: .unconditional, help: "Points run at once (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Run only the points with index ≡ K (mod N), written K/N.")
    var shard: String?

    @Flag(help: "Continue a database that exists (it must come from the same sweep file, base scenario, design and shard).")
    var resume = false

    @Option(parsing: .unconditional, help: """
        Write Slurm scripts for N shards into the --db directory: a job array and a dependent merge job.
        """)
    var slurm: Int?

    @Flag(help: "With --slurm, submit the scripts with sbatch.")
    var submit = false

    @Flag(help: "With --submit, return only when the merge job has finished.")
    var wait = false

    func validate() throws {
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 1024, found \(jobs)") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 0 ≤ K < N, found \(shard)") }
        if let slurm, !(1...100_000).contains(slurm) { throw ValidationError("--slurm must be between 1 and 100000, found \(slurm)") }
        if (submit || wait) && slurm == nil { throw ValidationError("--submit and --wait go with --slurm N") }
        if slurm != nil && shard != nil { throw ValidationError("--slurm makes its own shards; drop --shard") }
        if slurm == nil, let problem = SweepStore.pathProblem(db) { throw ValidationError(problem) }
        if slurm != nil, db.isEmpty { throw ValidationError("--db with --slurm needs a directory path, found an empty one") }
    }

    var selectedShard: Shard { shard.flatMap(Shard.init) ?? .all }

    /// Writes the Slurm scripts for `command` (dxmap arguments before `--db`), with `then` run after the merge,
    /// and submits them when asked; prints what it did.
    func slurmJobs(_ shards: Int, command: [String], then: [String]? = nil) throws {
        let executable = currentExecutable()
        let scripts = try SlurmJobs.write(executable: executable, command: command, directory: db, shards: shards, then: then)
        try printOut("wrote \(scripts.array) and \(scripts.merge)")
        if submit {
            let jobs = try SlurmJobs.submit(array: scripts.array, merge: scripts.merge, wait: wait)
            try printOut("submitted array job \(jobs.array) (\(shards) tasks) and merge job \(jobs.merge) → \(db)/results.sqlite")
        }
    }
}

/// The absolute path of the running dxmap binary, for scripts that run it again elsewhere (Slurm jobs): the
/// kernel's /proc/self/exe where there is one, else argv[0] made absolute, looked up on PATH when it has no '/'.
func currentExecutable() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    let name = CommandLine.arguments[0]
    if name.contains("/") { return URL(fileURLWithPath: name).standardized.resolvingSymlinksInPath().path }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate).standardized.path }
    }
    return name
}

/// `--seed`: a whole number from 0 to 2⁶⁴ − 1, with a message that says so.
func parseSeed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else { throw ValidationError("""
        --seed must be a whole number from 0 to 18446744073709551615, found \(text)
        """) }
    return seed
}

/// A scenario as a command runs it: its file's bytes (for the run's SHA-256), the scenario (with or without its
/// evidence) and what its evidence did, for run.json and the report.
struct LoadedScenario {
    var bytes: Data
    var scenario: Scenario
    var evidence: [EvidenceRecord]?
}

/// The terminal's style: what fits standard output (its window's width, else `COLUMNS`, else
/// ``TerminalStyle/defaultColumns``), all of it with `wide`.
func terminalStyle(wide: Bool = false, colour: Bool = false) -> TerminalStyle {
    TerminalStyle(wide: wide, colour: colour, columns: Terminal.columns(of: STDOUT_FILENO) ?? TerminalStyle.defaultColumns)
}

/// Emits a command's output set: its warnings on standard error, its files written to `out` (when given, as a set),
/// then on standard output `text` when given (a run's CSV or JSON), else its terminal table.
func emit<O: OutputSet>(_ output: O, out: String?, style: TerminalStyle = terminalStyle(), text: ((O) throws -> String)? = nil) throws {
    for warning in output.warnings { printError(warning) }
    if let out { printError("wrote \(try output.write(to: out).joined(separator: ", "))") }
    if let text { return try printOut(text(output), terminator: "") }
    for piece in try output.table(style) { try printOut(piece.text, terminator: piece.terminator, coloured: piece.coloured) }
}

/// Emits a run's output set in the format `--format` asks for, to `--out` when given.
func emit(_ output: some RunOutput, _ common: RunOptions) throws {
    let style = terminalStyle(wide: common.wide, colour: common.colour)
    switch common.format {
    case .table: try emit(output, out: common.out, style: style)
    case .csv: try emit(output, out: common.out, style: style) { $0.csv() }
    case .json: try emit(output, out: common.out, style: style) { try $0.json() }
    }
}
