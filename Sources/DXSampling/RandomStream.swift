import CGSL
import Foundation

/// A GSL random-number generator owned by one thread.
///
/// A stream is identified by a master seed and a stream index: the same pair
/// always gives the same sequence, and different pairs give independent
/// sequences. dxmap cuts every Monte Carlo run into fixed chunks of draws and
/// gives chunk `k` the stream `(seed, k)`, which is what makes results
/// bit-identical whatever the number of threads (the idea of NumPy's
/// `SeedSequence.spawn`).
///
/// The class owns its `gsl_rng` and frees it in `deinit`. It is deliberately
/// not `Sendable`: a stream belongs to one thread at a time.
public final class RandomStream {
    /// GSL generator algorithms dxmap offers.
    public enum Generator: String, Sendable, CaseIterable {
        /// Mersenne Twister (Matsumoto & Nishimura 1998), GSL's `gsl_rng_mt19937`. The default.
        case mt19937
        /// Tausworthe (L'Ecuyer 1996), `gsl_rng_taus2`: faster, period 2^88, passes DIEHARD.
        case taus2
        /// RANLUX, luxury level 2 (Lüscher 1994), `gsl_rng_ranlxd2`: slow, strongest decorrelation.
        case ranlxd2
        /// xoshiro256** (Blackman & Vigna 2021), added to GSL through its `gsl_rng_type` interface: 256 bits of state,
        /// 64 bits a call, the fastest here and clean under dieharder's full battery (Benchmarks/dieharder/).
        case xoshiro256 = "xoshiro256starstar"
    }

    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// Whether the stream is a draw design's (``init(design:seed:replicate:points:)``): its uniforms are coordinates of
    /// a point, normals come by inversion (a rejection method would use a varying number of coordinates).
    @usableFromInline let isDesign: Bool
    /// A xoshiro256** generator's state, drawn from inline (the values of `gsl_rng_uniform_pos`, without its indirect
    /// call); nil for GSL's own generators and designs.
    @usableFromInline let xoshiro: UnsafeMutablePointer<dx_xoshiro256_state>?
    /// Master seed, stream index and algorithm that identify the sequence.
    public let seed: UInt64
    public let stream: UInt64
    public let generator: Generator

    /// Creates the stream `stream` of master seed `seed`.
    public init(seed: UInt64, stream: UInt64 = 0, generator: Generator = .mt19937) {
        GSLRuntime.prepare()
        let type: UnsafePointer<gsl_rng_type>
        switch generator {
        case .mt19937: type = dx_rng_type_mt19937()
        case .taus2: type = dx_rng_type_taus2()
        case .ranlxd2: type = dx_rng_type_ranlxd2()
        case .xoshiro256: type = dx_rng_type_xoshiro256()
        }
        guard let r = gsl_rng_alloc(type) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        rng = r
        self.seed = seed
        self.stream = stream
        self.generator = generator
        isDesign = false
        dx_rng_seed_stream(r, seed, stream)
        xoshiro = dx_xoshiro256_state_of(r)
    }

    /// Replicate `replicate` of a Latin hypercube or scrambled Sobol' design of `points` draws (1 ≤ points < 2³²) under
    /// master seed `seed`. Call ``startDraw(_:)`` before each draw; its uniforms are then the point's coordinates.
    public init(design: DrawDesign.Method, seed: UInt64, replicate: Int, points: Int) {
        precondition(design != .plain && (1..<(1 << 32)).contains(points), "a design of 1 to 2^32 - 1 points")
        GSLRuntime.prepare()
        guard let r = gsl_rng_alloc(dx_rng_type_design()) else { fatalError("gsl_rng_alloc failed: out of memory") }
        rng = r
        self.seed = seed
        stream = UInt64(replicate)
        generator = .mt19937   // not used: the design is the source
        isDesign = true
        xoshiro = nil
        dx_design_configure(r, seed, UInt64(replicate), UInt32(points), design == .sobol ? 1 : 0)
    }

    /// Moves a design's stream to draw `index` of its replicate (0-based); nothing for a plain stream.
    @inlinable @inline(__always) public func startDraw(_ index: Int) {
        if isDesign { dx_design_start(rng, UInt64(index)) }
    }

    /// Sobol' point `index` (Gray-code order) of dimension `d` < 4 as the C design makes it, 32 binary digits (tests).
    static func sobolPoint(_ index: UInt32, dimension d: Int) -> UInt32 { dx_sobol4_point(index ^ (index >> 1), Int32(d)) }

    /// Coordinate `coordinate` of draw `index` of a design stream, without moving it (tests).
    func designValue(draw index: Int, coordinate: Int) -> Double { dx_design_value(rng, UInt64(index), UInt64(coordinate)) }

    /// A xoshiro256** stream in the given state (known-answer tests; the words must not all be zero).
    convenience init(xoshiro256State s: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(seed: 0, generator: .xoshiro256)
        dx_xoshiro256_set_state(rng, s.0, s.1, s.2, s.3)
    }

    deinit { gsl_rng_free(rng) }

    /// The generator's next raw output (`gsl_rng_get`): 64 bits for xoshiro256**, 32 for the others.
    public func rawBits() -> UInt64 { UInt64(gsl_rng_get(rng)) }

    /// A uniform variate on [0, 1) (`gsl_rng_uniform`).
    @inlinable @inline(__always) public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform variate on (0, 1), never 0 (`gsl_rng_uniform_pos`); safe to pass to inverse CDFs.
    @inlinable @inline(__always) public func uniformPositive() -> Double {
        if let xoshiro { return dx_xoshiro256_uniform_pos(xoshiro) }
        return gsl_rng_uniform_pos(rng)
    }

    /// A standard normal variate: `gsl_ran_gaussian_ziggurat` (GSL's fastest exact method), or in a design one
    /// coordinate through the normal quantile (its table, u-error ≤ 10⁻¹⁰).
    @inlinable @inline(__always) public func standardNormal() -> Double {
        if isDesign { return InverseCDFTable.standardNormalQuantile(uniformPositive()) }
        return gsl_ran_gaussian_ziggurat(rng, 1.0)
    }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`, exact: no modulo bias); n ≥ 1.
    public func uniformInt(_ n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }

    /// A binomial variate: successes in `trials` independent trials of probability `p` (`gsl_ran_binomial`).
    public func binomial(trials: Int, probability p: Double) -> Int {
        guard trials > 0, p > 0 else { return 0 }
        if p >= 1 { return trials }
        return Int(gsl_ran_binomial(rng, p, UInt32(clamping: trials)))
    }

    /// A hypergeometric variate: how many of `draws` taken without replacement from `successes` + `failures` items
    /// are successes (`gsl_ran_hypergeometric`).
    ///
    /// GSL draws item by item, in time proportional to the smaller of `draws` and the items left; from
    /// ``hypergeometricDirectLimit`` on, Stadlober's ratio-of-uniforms method (HRUA, as NumPy's `hypergeometric` uses it)
    /// takes a few uniforms whatever the size, with log-factorials from GSL (`gsl_sf_lnfact`).
    public func hypergeometric(successes: Int, failures: Int, draws: Int) -> Int {
        guard draws > 0, successes > 0 else { return 0 }
        if failures <= 0 { return min(draws, successes) }
        let total = successes + failures
        if draws >= total { return successes }
        if min(draws, total - draws) < Self.hypergeometricDirectLimit {
            return Int(gsl_ran_hypergeometric(rng, UInt32(clamping: successes), UInt32(clamping: failures), UInt32(clamping: draws)))
        }
        return hypergeometricRatioOfUniforms(good: successes, bad: failures, sample: draws)
    }

    /// Below this many items drawn (or left), GSL's item-by-item method; from it on, HRUA.
    public static let hypergeometricDirectLimit = 30

    /// Stadlober (1989), "Sampling from Poisson, binomial and hypergeometric distributions: ratio of uniforms as a
    /// simple and fast alternative" (HRUA), in the form of NumPy's `random_hypergeometric_hrua`.
    func hypergeometricRatioOfUniforms(good: Int, bad: Int, sample: Int) -> Int {
        func lnfact(_ k: Int) -> Double { gsl_sf_lnfact(UInt32(k)) }
        let popsize = good + bad
        let computed = min(sample, popsize - sample)
        let mingb = min(good, bad), maxgb = max(good, bad)
        let p = Double(mingb) / Double(popsize), q = Double(maxgb) / Double(popsize)
        let a = Double(computed) * p + 0.5
        let variance = Double(popsize - computed) * Double(computed) * p * q / Double(popsize - 1)
        let c = (variance + 0.5).squareRoot()
        let h = 1.7155277699214135 * c + 0.8989161620588988   // 2·√(2/e), 3 − 2·√(3/e)
        let m = Int((Double(computed + 1) * Double(mingb + 1) / Double(popsize + 2)).rounded(.down))
        let g = lnfact(m) + lnfact(mingb - m) + lnfact(computed - m) + lnfact(maxgb - computed + m)
        let b = min(Double(min(computed, mingb) + 1), (a + 16 * c).rounded(.down))
        var k = 0
        while true {
            let u = uniformPositive(), v = uniform()
            let x = a + h * (v - 0.5) / u
            guard x >= 0, x < b else { continue }
            k = Int(x.rounded(.down))
            let t = g - (lnfact(k) + lnfact(mingb - k) + lnfact(computed - k) + lnfact(maxgb - computed + k))
            if u * (4 - u) - 3 <= t { break }
            if u * (u - t) >= 1 { continue }
            if 2 * Foundation.log(u) <= t { break }
        }
        if good > bad { k = computed - k }
        if computed < sample { k = good - k }
        return k
    }

    /// A multivariate hypergeometric draw: `draws` items taken without replacement from an urn holding `counts[g]`
    /// of each kind g, as a count per kind (at most `counts[g]`, adding up to `min(draws, Σ counts)`). Drawn kind by
    /// kind, each conditional on the kinds before it (a hypergeometric of that kind against the rest).
    public func multivariateHypergeometric(_ counts: UnsafeBufferPointer<Int>, draws: Int, into taken: UnsafeMutableBufferPointer<Int>) {
        var rest = counts.reduce(0, +)
        var left = min(draws, rest)
        for g in counts.indices {
            rest -= counts[g]
            let x = g == counts.count - 1 ? left : hypergeometric(successes: counts[g], failures: rest, draws: left)
            taken[g] = x
            left -= x
        }
    }
}

/// One-time GSL set-up: switch off GSL's aborting error handler so that a
/// numerical failure (e.g. an inverse CDF that does not converge) becomes a
/// NaN the caller can report, never a crash.
/// GSL's process-wide setup (its abort-on-error handler switched off, so a domain error returns NaN instead of
/// killing the process). Call ``prepare()`` before calling GSL directly.
public enum GSLRuntime {
    private static let prepared: Bool = {
        dx_gsl_disable_abort()
        return true
    }()

    @inline(__always) public static func prepare() { _ = prepared }
}
