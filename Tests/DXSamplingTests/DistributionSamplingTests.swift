import DXSampling
import DXTestSupport
import XCTest

/// Every sampler is checked against GSL's CDF (Kolmogorov–Smirnov) and its
/// closed-form mean and variance, at a fixed seed.
final class DistributionSamplingTests: XCTestCase {
    static let continuous: [(String, Distribution)] = [
        ("uniform", .uniform(min: 2, max: 5)),
        ("normal", .normal(mean: 10, sd: 3, min: nil, max: nil)),
        ("normal truncated both sides", .normal(mean: 0.6, sd: 0.2, min: 0, max: 1)),
        ("normal truncated in upper tail", .normal(mean: 0, sd: 1, min: 2, max: 4)),
        ("normal truncated below only", .normal(mean: 1, sd: 2, min: 0, max: nil)),
        ("lognormal", .lognormal(mu: 11, sigma: 0.6)),
        ("beta", .beta(alpha: 2.5, beta: 4)),
        ("pert", .pert(min: 0.4, mode: 0.7, max: 0.9, lambda: 4)),
        ("pert skewed", .pert(min: 10, mode: 12, max: 40, lambda: 6)),
        ("triangular", .triangular(min: 1, mode: 2, max: 6)),
        ("triangular mode at min", .triangular(min: 0, mode: 0, max: 1)),
        ("gamma", .gamma(shape: 2.2, scale: 1500)),
        // Extreme shapes (issue 27): U-shaped and J-shaped betas, a heavy lognormal, a gamma piled at 0.
        ("beta 0.5/0.5", .beta(alpha: 0.5, beta: 0.5)),
        ("beta 200/2", .beta(alpha: 200, beta: 2)),
        ("lognormal sigma 3", .lognormal(mu: 0, sigma: 3)),
        ("gamma shape 0.2", .gamma(shape: 0.2, scale: 1)),
    ]

    func draws(_ d: Distribution, n: Int, seed: UInt64 = 20261123, method: Sampler.Method = .gslDirect) -> [Double] {
        let sampler = Sampler(d, method: method)
        let stream = RandomStream(seed: seed, stream: 3)
        return (0..<n).map { _ in sampler.sample(stream) }
    }

    /// Both methods: GSL's samplers and inversion through the quantile tables.
    func testSamplersMatchTheirCDF() {
        for method in Sampler.Method.allCases {
            for (name, d) in Self.continuous {
                XCTAssertNoThrow(try d.validate(), name)
                let xs = draws(d, n: 20_000, method: method)
                let ks = GoodnessOfFit.kolmogorovSmirnov(xs, cdf: d.cdf)
                XCTAssertGreaterThan(ks.pValue, 0.001, "\(method) \(name): KS D = \(ks.statistic)")
                let (lo, hi) = d.support
                XCTAssert(xs.allSatisfy { $0 >= lo && $0 <= hi }, "\(method) \(name): draw outside support")
            }
        }
    }

    /// The compiled state every task carries five of stays small: 80 bytes for GSL's samplers' parameters, 24 for a
    /// quantile table's pointers and counts (the inversion flag sits in the family tag's padding).
    func testTheCompiledSamplerStaysCompact() {
        XCTAssertLessThanOrEqual(MemoryLayout<SamplerCore>.stride, 104)
    }

    /// By inversion a draw is the quantile of its uniform: the same stream gives F⁻¹ of its uniforms, to the table's
    /// u-error, and larger uniforms never give smaller draws.
    func testInversionDrawsAreTheQuantilesOfTheirUniforms() {
        for (name, d) in Self.continuous {
            let sampler = Sampler(d, method: .inversion)
            let (a, b) = (RandomStream(seed: 5, stream: 1), RandomStream(seed: 5, stream: 1))
            var pairs: [(Double, Double)] = []
            for _ in 0..<2_000 {
                let x = sampler.sample(a), u = b.uniformPositive()
                XCTAssertEqual(d.cdf(x), u, accuracy: 1e-9, "\(name)")
                pairs.append((u, x))
            }
            pairs.sort { $0.0 < $1.0 }
            XCTAssert(zip(pairs, pairs.dropFirst()).allSatisfy { $0.1 <= $1.1 }, "\(name): monotone in u")
        }
    }

    func testKolmogorovSmirnovRejectsAWrongCDF() {
        // The check above can fail: a beta sample against a slightly different beta is rejected.
        let xs = draws(.beta(alpha: 2.5, beta: 4), n: 20_000)
        let wrong = Distribution.beta(alpha: 2.6, beta: 4)
        XCTAssertLessThan(GoodnessOfFit.kolmogorovSmirnov(xs, cdf: wrong.cdf).pValue, 1e-6)
    }

    func testSampleMomentsMatchClosedForms() {
        for method in Sampler.Method.allCases {
            // A lognormal of sigma 3 has kurtosis near 10⁷: its sample variance has no usable standard error.
            for (name, d) in Self.continuous where name != "lognormal sigma 3" {
                let xs = draws(d, n: 40_000, seed: 7, method: method)
                let (mean, se, variance) = meanAndStandardError(xs)
                assertWithinMonteCarloError(mean, d.mean, standardError: se, "\(method) \(name) mean:")
                assertWithinMonteCarloError(variance, d.variance, standardError: varianceStandardError(xs), "\(method) \(name) variance:")
            }
        }
    }

    func testDiscreteMatchesItsWeights() {
        let d = Distribution.discrete(values: [1, 2, 3, 5], weights: [0.3, 0.5, 0.2, 0])
        let xs = draws(d, n: 30_000)
        let observed = [1.0, 2, 3].map { v in xs.filter { $0 == v }.count }
        XCTAssertEqual(observed.reduce(0, +), xs.count, "only values with weight are drawn")
        let test = GoodnessOfFit.chiSquared(observed: observed, expected: [0.3, 0.5, 0.2])
        XCTAssertGreaterThan(test.pValue, 0.001)
        let (mean, se, _) = meanAndStandardError(xs)
        assertWithinMonteCarloError(mean, d.mean, standardError: se)
        XCTAssertEqual(d.mean, 1.9, accuracy: 1e-12)
        XCTAssertEqual(d.cdf(2.5), 0.8, accuracy: 1e-12)
        XCTAssertEqual(d.quantile(0.31), 2)
        XCTAssertEqual(Sampler(d).quantile(0.31), 2)
        XCTAssertEqual(Sampler(d).quantile(0.99), 3)
    }

    /// The one inverse CDF (the compiled sampler's, which `Distribution.quantile` calls) inverts GSL's CDF.
    func testQuantileInvertsCDF() {
        for (name, d) in Self.continuous {
            for p in [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999] {
                XCTAssertEqual(d.cdf(d.quantile(p)), p, accuracy: 1e-7, "\(name) at p = \(p)")
            }
        }
    }

    func testConstantUsesNoRandomness() {
        let s = RandomStream(seed: 1)
        XCTAssertEqual(Sampler(.constant(12_000)).sample(s), 12_000)
        XCTAssertEqual(Distribution.constant(3).variance, 0)
    }
}
