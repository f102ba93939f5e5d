import DXSampling
import XCTest

final class StreamingStatisticsTests: XCTestCase {
    func lognormalSample(_ n: Int, stream: UInt64 = 0) -> [Double] {
        let s = RandomStream(seed: 99, stream: stream)
        let sampler = Sampler(.lognormal(mu: 10, sigma: 1))
        return (0..<n).map { _ in sampler.sample(s) - 30_000 }  // crosses zero: both signs
    }

    func testRunningMomentsMatchTwoPassAndMergeInAnyOrder() {
        let xs = lognormalSample(10_000)
        var whole = RunningMoments()
        xs.forEach { whole.add($0) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
        XCTAssertEqual(whole.mean, mean, accuracy: 1e-9 * abs(mean))
        XCTAssertEqual(whole.variance, variance, accuracy: 1e-9 * variance)
        var merged = RunningMoments()
        for chunk in stride(from: 0, to: xs.count, by: 777) {
            var part = RunningMoments()
            xs[chunk..<min(chunk + 777, xs.count)].forEach { part.add($0) }
            merged.merge(part)
        }
        XCTAssertEqual(merged.count, xs.count)
        XCTAssertEqual(merged.mean, mean, accuracy: 1e-9 * abs(mean))
        XCTAssertEqual(merged.variance, variance, accuracy: 1e-9 * variance)
        XCTAssertEqual(merged.min, xs.min())
        XCTAssertEqual(merged.max, xs.max())
    }

    func testSketchPercentilesAreWithinTheDocumentedRelativeError() {
        let xs = lognormalSample(100_000)
        var sketch = QuantileSketch()
        xs.forEach { sketch.add($0) }
        let sorted = xs.sorted()
        let alpha = sketch.relativeAccuracy
        for q in [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
            let exact = sorted[Int((q * Double(xs.count - 1)).rounded(.down))]
            XCTAssertLessThanOrEqual(abs(sketch.quantile(q) - exact), alpha * abs(exact) + 1e-9, "q = \(q)")
        }
        // CVaR: the mean of the lowest ⌈0.05 n⌉ values, within α·mean|x| of the exact tail mean.
        let k = Int((0.05 * Double(xs.count)).rounded(.up))
        let tail = sorted.prefix(k)
        let exactTail = tail.reduce(0, +) / Double(k)
        let bound = alpha * tail.reduce(0) { $0 + abs($1) } / Double(k)
        XCTAssertLessThanOrEqual(abs(sketch.lowerTailMean(0.05) - exactTail), bound + 1e-9)
    }

    func testSketchMergeIsOrderIndependent() {
        let parts = (0..<5).map { lognormalSample(3_000, stream: UInt64($0)) }
        var forward = QuantileSketch(), backward = QuantileSketch(), single = QuantileSketch()
        for p in parts {
            var s = QuantileSketch(); p.forEach { s.add($0) }; forward.merge(s)
        }
        for p in parts.reversed() {
            var s = QuantileSketch(); p.reversed().forEach { s.add($0) }; backward.merge(s)
        }
        parts.joined().forEach { single.add($0) }
        for q in stride(from: 0.0, through: 1.0, by: 0.05) {
            XCTAssertEqual(forward.quantile(q), single.quantile(q))
            XCTAssertEqual(backward.quantile(q), single.quantile(q))
        }
        XCTAssertEqual(forward.lowerTailMean(0.05), single.lowerTailMean(0.05))
    }

    func testSketchBlockAddCountsExactlyAsSingleAdds() {
        // Both signs, zeros, NaN, and a range wide enough to fold (600 orders of magnitude), in a shuffled order.
        var values = lognormalSample(5_000) + [0, -0.0, 1e-12, .nan, -1e-300]
        var x = 1e-300
        while x < 1e300 { values += [x, -x / 3]; x *= 1.7 }
        var generator = SystemRandomNumberGenerator()
        values.shuffle(using: &generator)
        var single = QuantileSketch(), blocked = QuantileSketch()
        values.forEach { single.add($0) }
        for start in stride(from: 0, to: values.count, by: 64) {
            values[start..<min(start + 64, values.count)].withUnsafeBufferPointer { blocked.add(contentsOf: $0) }
        }
        XCTAssertEqual(blocked.count, single.count)
        XCTAssertLessThanOrEqual(blocked.bucketCount, 4 * QuantileSketch.maxBuckets)  // 2·maxBuckets per sign at most
        let qs = Array(stride(from: 0.0, through: 1.0, by: 0.001))
        XCTAssertEqual(blocked.quantiles(qs).map(\.bitPattern), single.quantiles(qs).map(\.bitPattern))
        XCTAssertEqual(blocked.lowerTailMean(0.05), single.lowerTailMean(0.05))
    }

    func testSketchMemoryIsBoundedWhateverTheRange() {
        // Values spanning 600 orders of magnitude: the smallest magnitudes fold together, and the
        // top factor of 2^(maxBuckets·ln γ) ≈ 2e18 keeps the error bound (here the top 3% of values).
        var sketch = QuantileSketch()
        var x = 1e-300
        var values: [Double] = []
        while x < 1e300 { sketch.add(x); values.append(x); x *= 1.5 }
        XCTAssertLessThanOrEqual(sketch.bucketCount, 2 * QuantileSketch.maxBuckets)
        let exact = values.sorted()[Int(0.99 * Double(values.count - 1))]
        XCTAssertEqual(sketch.quantile(0.99), exact, accuracy: sketch.relativeAccuracy * exact)
    }

    func testStreamingSummaryReportsLossProbability() {
        var s = StreamingSummary()
        for x in [-2.0, -1, 1, 2, 3, 4, 5, 6, 7, 8] { s.add(x) }
        XCTAssertEqual(s.summary.pLoss, 0.2)
        XCTAssertEqual(s.summary.mean, 3.3, accuracy: 1e-12)
        XCTAssertEqual(s.summary.cvar5, -2, accuracy: 0.02)
    }
}
