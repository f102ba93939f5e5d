import DXScenario
import DXSampling
import Foundation

/// How a mapping run is done: the common Monte Carlo settings, matrix thresholds and an adoption programme.
public struct MappingOptions: MonteCarloOptions {
    /// Draws per chunk: each chunk has its own random stream `(seed, chunk index)`.
    /// Part of the reproducibility contract; changing it changes results.
    public static let chunkSize = 1024

    public var common: MonteCarloSettings
    /// Matrix thresholds; nil entries take the scenario's, then the defaults.
    public var thresholds = MatrixThresholds()
    /// With `barriers:`, the adoption programme whose routines run (its id); nil runs the barriers with no routines.
    public var programme: String?

    /// Options with the given draws, seed and threads, default thresholds and no progress callback.
    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}
