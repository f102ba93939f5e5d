import DXSampling
import DXScenario
import Foundation

/// What every Monte Carlo run takes: draws, seed, threads, generator and a
/// progress callback. Results depend only on `draws`, `seed` and `generator`
/// — never on `threads`.
public struct MonteCarloSettings: Sendable {
    // No defaults on the stored properties: the initialiser sets them, and a default here would be evaluated on
    // every initialisation (counting the cores is a system call, 2% of a short sweep point).
    /// Monte Carlo draws. Default 10,000.
    public var draws: Int
    /// Master seed: chunk k draws from stream (seed, k).
    public var seed: UInt64
    /// Worker threads; default all cores.
    public var threads: Int
    /// GSL generator algorithm.
    public var generator: RandomStream.Generator = .mt19937
    /// How the inputs are drawn from the generator's uniforms (``Sampler/Method``): GSL's samplers (the default, every
    /// release's numbers) or inversion through quantile tables.
    public var sampler: Sampler.Method = .gslDirect
    /// Called after each merged chunk with (draws done, draws in total), from worker threads.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
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
