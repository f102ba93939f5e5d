/// How a run turns its generator's bits into draws: the sampler, the generator and the draw design. Every field is
/// optional, so that settings from several places (a command's flags, a sweep file, the scenario's `sampling:`)
/// layer: ``overriding(_:)`` keeps what the nearer one says and falls back on the other.
public struct SamplingSettings: Sendable, Equatable {
    /// Inversion through quantile tables (the default) or GSL's samplers.
    public var sampler: Sampler.Method?
    /// The uniform source; by default the sampler's own (``Sampler/Method/defaultGenerator``).
    public var generator: RandomStream.Generator?
    /// Plain Monte Carlo (the default), a Latin hypercube or scrambled Sobol' points.
    public var design: DrawDesign.Method?
    /// Replicates of a design (default ``DrawDesign/defaultReplicates``).
    public var replicates: Int?

    public init(sampler: Sampler.Method? = nil, generator: RandomStream.Generator? = nil, design: DrawDesign.Method? = nil,
                replicates: Int? = nil) {
        (self.sampler, self.generator, self.design, self.replicates) = (sampler, generator, design, replicates)
    }

    /// These settings where they say something, `base` where they do not.
    public func overriding(_ base: SamplingSettings) -> SamplingSettings {
        SamplingSettings(sampler: sampler ?? base.sampler, generator: generator ?? base.generator, design: design ?? base.design,
                         replicates: replicates ?? base.replicates)
    }

    /// The sampler in force.
    public var resolvedSampler: Sampler.Method { sampler ?? .inversion }
    /// The generator in force: the one given, else the sampler's.
    public var resolvedGenerator: RandomStream.Generator { generator ?? resolvedSampler.defaultGenerator }
    /// The draw design in force.
    public var resolvedDesign: DrawDesign { DrawDesign(design ?? .plain, replicates: replicates ?? DrawDesign.defaultReplicates) }
}

extension Sampler.Method {
    /// The generator a sampler uses unless told otherwise: xoshiro256** for inversion; mt19937 for GSL's samplers, so
    /// that `gsl-direct` alone reproduces the numbers of the releases before inversion, byte for byte.
    public var defaultGenerator: RandomStream.Generator {
        switch self {
        case .inversion: .xoshiro256
        case .gslDirect: .mt19937
        }
    }
}
