import DXScenario
import DXSampling
import Foundation

/// What every Monte Carlo run takes: draws, seed, threads, generator and a
/// progress callback. Results depend only on `draws`, `seed` and `generator`
/// — never on `threads`.
public struct MonteCarloSettings: Sendable {
    /// Monte Carlo draws. Default 10,000.
    public var draws: Int = 10_000
    /// Master seed: chunk k draws from stream (seed, k).
    public var seed: UInt64 = MappingOptions.defaultSeed
    /// Worker threads; default all cores.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// GSL generator algorithm.
    public var generator: RandomStream.Generator = .mt19937
    /// Called after each merged chunk with (draws done, draws in total), from worker threads.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(draws: Int = 10_000, seed: UInt64 = MappingOptions.defaultSeed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.draws = draws
        self.seed = seed
        self.threads = threads
    }
}

/// Options that carry ``MonteCarloSettings`` and expose its fields as their own
/// (`options.draws`, `options.seed`, `options.threads`, `options.generator`, `options.progress`).
@dynamicMemberLookup
public protocol MonteCarloOptions: Sendable {
    var common: MonteCarloSettings { get set }
}

extension MonteCarloOptions {
    public subscript<T>(dynamicMember path: WritableKeyPath<MonteCarloSettings, T>) -> T {
        get { common[keyPath: path] }
        set { common[keyPath: path] = newValue }
    }
}

/// How a mapping run is done: the common Monte Carlo settings, matrix thresholds and an adoption programme.
public struct MappingOptions: MonteCarloOptions {
    /// The seed used when none is given, so that two plain runs agree.
    public static let defaultSeed: UInt64 = DXMapDefaults.seed
    /// Draws per chunk: each chunk has its own random stream `(seed, chunk index)`.
    /// Part of the reproducibility contract; changing it changes results.
    public static let chunkSize = 1024

    public var common: MonteCarloSettings
    /// Matrix thresholds; nil entries take the scenario's, then the defaults.
    public var thresholds = MatrixThresholds()
    /// With `barriers:`, the adoption programme whose routines run (its id); nil runs the barriers with no routines.
    public var programme: String?

    /// Options with the given draws, seed and threads, default thresholds and no progress callback.
    public init(draws: Int = 10_000, seed: UInt64 = MappingOptions.defaultSeed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}
