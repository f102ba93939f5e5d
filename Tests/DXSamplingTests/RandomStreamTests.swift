@testable import DXSampling
import DXTestSupport
import XCTest

final class RandomStreamTests: XCTestCase {
    func testSameSeedAndStreamGiveTheSameSequence() {
        let a = RandomStream(seed: 42, stream: 7), b = RandomStream(seed: 42, stream: 7)
        XCTAssertEqual((0..<1000).map { _ in a.uniform() }, (0..<1000).map { _ in b.uniform() })
    }

    func testDifferentStreamsAndSeedsDiffer() {
        let base = RandomStream(seed: 42, stream: 7)
        let xs = (0..<1000).map { _ in base.uniform() }
        for other in [RandomStream(seed: 42, stream: 8), RandomStream(seed: 43, stream: 7), RandomStream(seed: 42, stream: 7, generator: .taus2),
                      RandomStream(seed: 42, stream: 7, generator: .xoshiro256)] {
            let ys = (0..<1000).map { _ in other.uniform() }
            XCTAssertNotEqual(xs, ys)
            // Independent uniforms: correlation ~ N(0, 1/n); 5/√n is a generous bound.
            let mx = xs.reduce(0, +) / 1000, my = ys.reduce(0, +) / 1000
            let cov = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let vx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }, vy = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) }
            XCTAssertLessThan(abs(cov / (vx * vy).squareRoot()), 5 / 1000.0.squareRoot())
        }
    }

    func testAdjacentStreamsAreUniformTogether() {
        // The first draw of 20,000 consecutive streams must itself be uniform (no seeding artefacts), for every generator.
        for generator in RandomStream.Generator.allCases {
            let firsts = (0..<20_000).map { RandomStream(seed: 1, stream: UInt64($0), generator: generator).uniform() }
            XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(firsts, cdf: { min(max($0, 0), 1) }).pValue, 0.001, "\(generator)")
        }
    }

    /// xoshiro256** against an independent implementation: PyPI's randomgen 2.5.1 `Xoshiro256` with its state set word by
    /// word (Benchmarks/rng/xoshiro_known_answers.py prints these), outputs 1–4 and 1,000.
    func testXoshiro256MatchesRandomgen() {
        let cases: [((UInt64, UInt64, UInt64, UInt64), [UInt64], UInt64)] = [
            ((1, 2, 3, 4), [0x0000_0000_0000_2d00, 0, 0x0000_0000_5a00_7080, 0x10e0_0000_0000_9d80], 0x3039_d010_986d_012d),
            ((0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 0x0123_4567_89AB_CDEF),
             [0x4247_170a_1e30_c5ce, 0x53ff_4b66_057a_3ff6, 0x9b72_8ae9_7b24_7a8c, 0xe2ca_711a_c19b_94cc], 0x814a_45b3_e219_bc45),
        ]
        for (state, first, thousandth) in cases {
            let stream = RandomStream(xoshiro256State: state)
            let outputs = (0..<1000).map { _ in stream.rawBits() }
            XCTAssertEqual(Array(outputs.prefix(4)), first)
            XCTAssertEqual(outputs[999], thousandth)
        }
        // Doubles are the top 53 bits: the state (1, 2, 3, 4) gives 0x2d00 >> 11 = 5 units of 2⁻⁵³ first.
        XCTAssertEqual(RandomStream(xoshiro256State: (1, 2, 3, 4)).uniform(), 5 * 0x1p-53)
    }

    func testXoshiro256IsUniformAndSeedsEveryStateWord() {
        // KS on 100,000 uniforms and on the top and bottom 32 bits of the raw outputs.
        let s = RandomStream(seed: 9, stream: 3, generator: .xoshiro256)
        let u = (0..<100_000).map { _ in s.uniform() }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(u, cdf: { min(max($0, 0), 1) }).pValue, 0.001)
        let raw = (0..<100_000).map { _ in s.rawBits() }
        for bits in [raw.map { Double($0 >> 32) * 0x1p-32 }, raw.map { Double($0 & 0xffff_ffff) * 0x1p-32 }] {
            XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(bits, cdf: { min(max($0, 0), 1) }).pValue, 0.001)
        }
    }

    func testBinomialMeanAndEdgeCases() {
        let s = RandomStream(seed: 5)
        XCTAssertEqual(s.binomial(trials: 0, probability: 0.5), 0)
        XCTAssertEqual(s.binomial(trials: 10, probability: 1), 10)
        XCTAssertEqual(s.binomial(trials: 10, probability: 0), 0)
        let n = 20_000
        let mean = Double((0..<n).reduce(0) { acc, _ in acc + s.binomial(trials: 40, probability: 0.3) }) / Double(n)
        XCTAssertEqual(mean, 12, accuracy: 4.5 * (40 * 0.3 * 0.7 / Double(n)).squareRoot())
    }

    /// A Latin hypercube: every coordinate of n points has exactly one point in each stratum [k/n, (k+1)/n); the
    /// replicates are independent randomisations (different points).
    func testLatinHypercubeStratifiesEveryCoordinate() {
        let n = 1000
        let design = RandomStream(design: .latinHypercube, seed: 7, replicate: 0, points: n)
        for c in [0, 1, 5, 37, 1000] {
            let strata = Set((0..<n).map { Int(design.designValue(draw: $0, coordinate: c) * Double(n)) })
            XCTAssertEqual(strata.count, n, "coordinate \(c)")
        }
        let other = RandomStream(design: .latinHypercube, seed: 7, replicate: 1, points: n)
        XCTAssertNotEqual(design.designValue(draw: 3, coordinate: 2), other.designValue(draw: 3, coordinate: 2))
        // Drawn in sequence, a draw's uniforms are its coordinates 0, 1, 2…
        design.startDraw(17)
        XCTAssertEqual([design.uniform(), design.uniform()], [design.designValue(draw: 17, coordinate: 0), design.designValue(draw: 17, coordinate: 1)])
    }

    /// Scrambled Sobol': each coordinate of 2^m points is stratified like a Latin hypercube, each group of four is a
    /// (t, m, 4)-net of Sobol' points (the first two dimensions a (0, m, 2)-net: one point in every elementary box of
    /// volume 2^-m), and a point's coordinates are uniform across replicates (KS).
    func testScrambledSobolIsANetInEachGroupAndUniform() {
        let m = 10, n = 1 << m
        let design = RandomStream(design: .sobol, seed: 3, replicate: 0, points: n)
        for c in [0, 1, 2, 3, 4, 9, 402] {
            XCTAssertEqual(Set((0..<n).map { Int(design.designValue(draw: $0, coordinate: c) * Double(n)) }).count, n, "coordinate \(c)")
        }
        for group in [0, 5] {
            for a in 0...m {
                let boxes = Set((0..<n).map { i -> Int in
                    let x = design.designValue(draw: i, coordinate: 4 * group), y = design.designValue(draw: i, coordinate: 4 * group + 1)
                    return Int(x * Double(1 << a)) << m | Int(y * Double(1 << (m - a)))
                })
                XCTAssertEqual(boxes.count, n, "group \(group): boxes 2^-\(a) × 2^-\(m - a)")
            }
        }
        let firsts = (0..<5_000).map { RandomStream(design: .sobol, seed: 1, replicate: $0, points: n).designValue(draw: 9, coordinate: 6) }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(firsts, cdf: { min(max($0, 0), 1) }).pValue, 0.001)
        let lhs = (0..<5_000).map { RandomStream(design: .latinHypercube, seed: 1, replicate: $0, points: 999).designValue(draw: 9, coordinate: 6) }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(lhs, cdf: { min(max($0, 0), 1) }).pValue, 0.001)
    }

    /// The coordinates of a design are independent of one another across its points: the correlation of every pair of
    /// 60 coordinates over 2,000 points is within 4.5/√n of 0, in every one of 20 replicates (a weak permutation made
    /// two inputs of one draw move together and biased the mean of their product).
    func testDesignCoordinatesAreUncorrelated() {
        let n = 2000
        for method in [DrawDesign.Method.latinHypercube, .sobol] {
            var worst = 0.0
            for replicate in 0..<20 {
                let d = RandomStream(design: method, seed: 4, replicate: replicate, points: n)
                let columns = (0..<60).map { c in (0..<n).map { d.designValue(draw: $0, coordinate: c) - 0.5 } }
                for a in 0..<60 {
                    for b in (a + 1)..<60 {
                        let r = zip(columns[a], columns[b]).reduce(0) { $0 + $1.0 * $1.1 } / (Double(n) / 12)
                        worst = max(worst, abs(r))
                    }
                }
            }
            XCTAssertLessThan(worst, 4.5 / Double(n).squareRoot() * 1.25, "\(method): the largest |correlation| of 35,400 pairs")
        }
    }

    /// The C design's Sobol' points are ``SobolSequence``'s (Joe & Kuo's directions, Gray-code order) before scrambling.
    func testDesignSobolPointsAreTheSobolSequence() {
        let reference = SobolSequence(dimensions: 4)!.integerPoints(300)
        for i in 0..<300 {
            for d in 0..<4 {
                XCTAssertEqual(RandomStream.sobolPoint(UInt32(i), dimension: d) >> 2, reference[i][d], "point \(i) dimension \(d)")
            }
        }
    }
}
