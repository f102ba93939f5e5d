/// The shape of one output's distribution over draws, for a histogram or an S-curve: its quantiles at evenly
/// spaced levels, read once from the run's quantile sketch, so that what a chart needs stays a few hundred numbers
/// however many draws there were.
///
/// `values[i]` is the quantile at level i / ``steps`` (the sketch's, within its relative error α, and clamped to the
/// exact range); `values[0]` and `values[steps]` are the exact minimum and maximum. Between levels the quantile
/// function is taken as linear, so the distribution function ``fractionBelow(_:)`` is piecewise linear: exact at
/// the levels, within 1 / ``steps`` (half a percentage point) of the sketch's between them.
public struct QuantileCurve: Sendable, Equatable {
    /// Levels per unit: quantiles at 0, 0.5%, 1%, …, 100%.
    public static let steps = 200
    /// The quantiles at levels 0, 1/steps, …, 1.
    public let values: [Double]

    /// The curve of the values a sketch counted, whose exact minimum and maximum are `min` and `max`; nil when the
    /// sketch is empty.
    public init?(sketch: QuantileSketch, min: Double, max: Double) {
        guard sketch.count > 0, min <= max else { return nil }
        let levels = (0...Self.steps).map { Double($0) / Double(Self.steps) }
        var q = min == max ? levels.map { _ in min } : sketch.quantiles(levels).map { Swift.min(Swift.max($0, min), max) }
        (q[0], q[Self.steps]) = (min, max)
        // The sketch's representatives are monotone in rank; clamping keeps them so. Make sure regardless.
        for i in 1..<q.count where q[i] < q[i - 1] { q[i] = q[i - 1] }
        values = q
    }

    /// A curve from its quantiles (``steps`` + 1 of them, non-decreasing), e.g. of exactly known draws.
    public init(values: [Double]) {
        precondition(values.count == Self.steps + 1, "a curve has \(Self.steps + 1) quantiles")
        self.values = values
    }

    /// The curve of a set of values, exactly: each level's order statistic of rank ⌊q(n−1)⌋, as the sketch defines it.
    public init?(exactly sample: [Double]) {
        guard !sample.isEmpty else { return nil }
        let sorted = sample.sorted()
        values = (0...Self.steps).map { sorted[Int((Double($0) / Double(Self.steps) * Double(sorted.count - 1)).rounded(.down))] }
    }

    public var minimum: Double { values[0] }
    public var maximum: Double { values[Self.steps] }

    /// The q-quantile, q in [0, 1], linear between levels.
    public func quantile(_ q: Double) -> Double {
        let t = Swift.min(Swift.max(q, 0), 1) * Double(Self.steps)
        let i = Swift.min(Int(t), Self.steps - 1)
        return values[i] + (t - Double(i)) * (values[i + 1] - values[i])
    }

    /// The share of draws at or below x: the inverse of ``quantile(_:)`` (0 below the minimum, 1 from the maximum).
    public func fractionBelow(_ x: Double) -> Double {
        if x < values[0] { return 0 }
        if x >= values[Self.steps] { return 1 }
        // The last level whose quantile is at most x, then linear within the step.
        var lo = 0, hi = Self.steps
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if values[mid] <= x { lo = mid } else { hi = mid }
        }
        let span = values[hi] - values[lo]
        let within = span > 0 ? (x - values[lo]) / span : 1
        return (Double(lo) + within) / Double(Self.steps)
    }

    /// The share of draws above x.
    public func fractionAbove(_ x: Double) -> Double { 1 - fractionBelow(x) }

    /// A histogram over `range` in `bins` equal bins: each bin's share of draws (shares outside the range are left
    /// out, so the shares add up to the share inside it).
    public func histogram(bins: Int, over range: ClosedRange<Double>) -> [Double] {
        precondition(bins > 0)
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        guard width > 0 else { return [1] + Array(repeating: 0, count: bins - 1) }
        var below = fractionBelow(range.lowerBound)
        return (1...bins).map { k in
            let edge = k == bins ? range.upperBound : range.lowerBound + Double(k) * width
            let next = fractionBelow(edge)
            defer { below = next }
            return Swift.max(0, next - below)
        }
    }
}
