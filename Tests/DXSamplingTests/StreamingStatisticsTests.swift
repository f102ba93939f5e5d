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

    /// A curve read from the sketch against the exact order statistics of the same values: every level within the
    /// sketch's relative error, the distribution function its inverse, and a histogram's shares the exact shares of
    /// the bins within the curve's resolution (half a percentage point per edge).
    func testQuantileCurveMatchesTheExactDistribution() throws {
        let sample = lognormalSample(20_000)
        var sketch = QuantileSketch()
        for x in sample { sketch.add(x) }
        let curve = try XCTUnwrap(QuantileCurve(sketch: sketch, min: sample.min()!, max: sample.max()!))
        let exact = try XCTUnwrap(QuantileCurve(exactly: sample))
        for (a, b) in zip(curve.values, exact.values) { XCTAssertEqual(a, b, accuracy: 0.005 * abs(b) + 1e-9) }
        XCTAssertEqual(curve.minimum, sample.min()!)
        XCTAssertEqual(curve.maximum, sample.max()!)
        XCTAssertEqual(curve.values, curve.values.sorted(), "non-decreasing")
        let n = Double(sample.count)
        for x in [-20_000.0, 0, 10_000, 40_000] {
            let share = Double(sample.filter { $0 <= x }.count) / n
            XCTAssertEqual(curve.fractionBelow(x), share, accuracy: 1.0 / Double(QuantileCurve.steps) + 0.003, "F(\(x))")
            XCTAssertEqual(curve.fractionAbove(x), 1 - curve.fractionBelow(x))
        }
        for q in [0.05, 0.5, 0.95] { XCTAssertEqual(curve.fractionBelow(curve.quantile(q)), q, accuracy: 1e-9) }
        let range = curve.quantile(0.005)...curve.quantile(0.995)
        let shares = curve.histogram(bins: 20, over: range)
        XCTAssertEqual(shares.reduce(0, +), 0.99, accuracy: 1e-9, "the shares inside the range")
        let width = (range.upperBound - range.lowerBound) / 20
        for (k, share) in shares.enumerated() {
            let a = range.lowerBound + Double(k) * width, b = a + width
            let exactShare = Double(sample.filter { $0 > a && $0 <= b }.count) / n
            XCTAssertEqual(share, exactShare, accuracy: 2.0 / Double(QuantileCurve.steps) + 0.004, "bin \(k)")
        }
        XCTAssertNil(QuantileCurve(sketch: QuantileSketch(), min: 0, max: 0), "no curve of nothing")
        var constant = QuantileSketch()
        for _ in 0..<10 { constant.add(3) }
        XCTAssertEqual(QuantileCurve(sketch: constant, min: 3, max: 3)?.values, Array(repeating: 3, count: QuantileCurve.steps + 1))
    }

    /// The sketch's per-sign counts are exact, whatever the values' spread.
    func testSignCountsAreExact() {
        let sample = lognormalSample(5_000, stream: 3) + [0, 0, 1e-12, -1e-12]
        var sketch = QuantileSketch()
        sample.withUnsafeBufferPointer { sketch.add(contentsOf: $0) }
        let signs = sketch.signCounts
        XCTAssertEqual(signs.negative, sample.filter { $0 < -QuantileSketch.zeroThreshold }.count)
        XCTAssertEqual(signs.positive, sample.filter { $0 > QuantileSketch.zeroThreshold }.count)
        XCTAssertEqual(signs.zero, 4)
        var s = StreamingSummary()
        for x in sample { s.add(x) }
        XCTAssertEqual(s.summary.pGain, Double(signs.positive) / Double(sample.count))
    }

    func testStreamingSummaryReportsLossProbability() {
        var s = StreamingSummary()
        for x in [-2.0, -1, 1, 2, 3, 4, 5, 6, 7, 8] { s.add(x) }
        XCTAssertEqual(s.summary.pLoss, 0.2)
        XCTAssertEqual(s.summary.mean, 3.3, accuracy: 1e-12)
        XCTAssertEqual(s.summary.cvar5, -2, accuracy: 0.02)
    }
}
