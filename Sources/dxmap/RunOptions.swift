import ArgumentParser
import DXEngine
import DXSampling
import Foundation

extension RandomStream.Generator: ExpressibleByArgument {}

enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// Options every Monte Carlo command takes.
struct RunOptions: ParsableArguments {
    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    @Option(help: "Monte Carlo draws.")
    var draws: Int = 10_000

    @Option(help: "Random seed (the default is fixed, so two plain runs agree).")
    var seed: UInt64 = MappingOptions.defaultSeed

    @Option(help: "Worker threads (default: all cores). Does not change results.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Directory for the output files.")
    var out: String?

    @Option(help: "What to print on standard output: table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "GSL generator: mt19937, taus2 or ranlxd2.")
    var generator: RandomStream.Generator = .mt19937

    func validate() throws {
        guard (2...1_000_000_000).contains(draws) else { throw ValidationError("--draws must be between 2 and 1,000,000,000, found \(draws)") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024, found \(threads)") }
    }

    /// Whether standard output gets ANSI colours: a terminal, and NO_COLOR unset or empty.
    var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true)
    }
}
