import DXSampling
import DXScenario
import DXSupport
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
    /// What the caller chose of the sampling; unset fields fall back on the scenario's `sampling:` (``resolved(for:)``)
    /// and then on the defaults below.
    public var choices = SamplingSettings()
    /// How the inputs are drawn from the generator's uniforms (`Sampler/Method`): inversion through quantile tables
    /// (the default) or GSL's samplers (the numbers of the releases before inversion, with mt19937).
    public var sampler: Sampler.Method {
        get { choices.resolvedSampler }
        set { choices.sampler = newValue }
    }
    /// GSL generator algorithm; unless set, the sampler's (`Sampler/Method/defaultGenerator`: xoshiro256** for
    /// inversion, mt19937 for GSL's samplers).
    public var generator: RandomStream.Generator {
        get { choices.resolvedGenerator }
        set { choices.generator = newValue }
    }
    /// How the draws cover the inputs' uniforms (`DrawDesign`): plain Monte Carlo by default.
    public var design: DrawDesign {
        get { choices.resolvedDesign }
        set { (choices.design, choices.replicates) = (newValue.method, newValue.replicates) }
    }

    /// These settings with the scenario's `sampling:` filling what the caller left unset (engines call it first).
    public func resolved(for scenario: Scenario) -> MonteCarloSettings {
        var s = self
        s.choices = choices.overriding(scenario.sampling)
        return s
    }

    /// - Throws: `RunSettingsError` when the settings cannot run: fewer than 2 draws, no threads, draws a design
    ///   cannot divide into its replicates.
    public func check() throws {
        guard draws >= 2 else { throw RunSettingsError("draws must be at least 2, found \(draws)") }
        guard threads >= 1 else { throw RunSettingsError("threads must be at least 1, found \(threads)") }
        if let problem = design.problem(draws: draws) { throw RunSettingsError(problem) }
    }

    /// Draws per chunk, a function of the draws (per replicate) and the sampler only, never of the threads: 1,024
    /// (``MappingOptions/chunkSize``) for `gsl-direct`, as every earlier release, and for runs of at least 8,192 draws;
    /// shorter runs by inversion are cut into 8 chunks of at least 64 draws, so that two or more threads share even a
    /// run of a few hundred draws.
    public var chunkSize: Int {
        let points = design.method == .plain ? draws : draws / Swift.max(1, design.replicates)
        return Self.chunkSize(draws: points, sampler: sampler)
    }

    /// ``chunkSize`` for a run of `draws` draws (per replicate) with `sampler`.
    public static func chunkSize(draws: Int, sampler: Sampler.Method) -> Int {
        let long = MappingOptions.chunkSize
        guard sampler != .gslDirect, draws < 8 * long else { return long }
        return Swift.max(64, (draws + 7) / 8)
    }

    /// The sampling in force, every field set (run.json's record of it).
    public var sampling: SamplingSettings {
        SamplingSettings(sampler: sampler, generator: generator, design: design.method, replicates: design.replicates)
    }

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
    /// These options as a run of `scenario` uses them: the scenario's `sampling:` filling what they leave unset
    /// (``MonteCarloSettings/resolved(for:)``), checked (``MonteCarloSettings/check()``). Every engine starts here.
    /// - Throws: `RunSettingsError` when the settings cannot run.
    public func resolved(for scenario: Scenario) throws -> Self {
        var options = self
        options.common = common.resolved(for: scenario)
        try options.common.check()
        return options
    }

    public subscript<T>(dynamicMember path: WritableKeyPath<MonteCarloSettings, T>) -> T {
        get { common[keyPath: path] }
        set { common[keyPath: path] = newValue }
    }
}
