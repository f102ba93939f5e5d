import DXSampling
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
        for other in [RandomStream(seed: 42, stream: 8), RandomStream(seed: 43, stream: 7), RandomStream(seed: 42, stream: 7, generator: .taus2)] {
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
        // The first draw of 20,000 consecutive streams must itself be uniform (no seeding artefacts).
        let firsts = (0..<20_000).map { RandomStream(seed: 1, stream: UInt64($0)).uniform() }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(firsts, cdf: { min(max($0, 0), 1) }).pValue, 0.001)
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
}
