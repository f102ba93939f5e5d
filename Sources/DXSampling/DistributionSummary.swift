/// What dxmap reports for every quantity: a distribution over Monte Carlo draws.
public struct DistributionSummary: Sendable, Equatable, Codable {
    /// Number of draws.
    public var count: Int
    /// Sample mean (exact).
    public var mean: Double
    /// Sample standard deviation (exact, n − 1 denominator).
    public var sd: Double
    /// Percentiles, within the sketch's relative error (0.5%) of the exact empirical percentiles.
    public var p5: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p95: Double
    /// P(X < 0): the probability of a loss, when X is a net value.
    public var pLoss: Double
    /// P(X > 0): the share of draws above zero; NaN where it was not counted. With ``pLoss`` it gives the share of
    /// draws with X = 0 (|X| ≤ ``QuantileSketch/zeroThreshold`` for the sketch's counts): ties, for a difference.
    public var pGain: Double = .nan
    /// Conditional value at risk at 5%: the mean of the lowest 5% of draws (in the units of X;
    /// for NPV a negative number is a loss).
    public var cvar5: Double
    /// The standard error of the mean from a draw design's replicates (``DrawDesign``); nil for plain Monte Carlo,
    /// whose standard error is sd/√count.
    public var replicateStandardError: Double? = nil

    /// A summary from its fields.
    public init(count: Int, mean: Double, sd: Double, p5: Double, p25: Double, p50: Double,
                p75: Double, p95: Double, pLoss: Double, cvar5: Double) {
        (self.count, self.mean, self.sd) = (count, mean, sd)
        (self.p5, self.p25, self.p50, self.p75, self.p95) = (p5, p25, p50, p75, p95)
        (self.pLoss, self.cvar5) = (pLoss, cvar5)
    }

    /// Combines exact moments with sketch percentiles and tail statistics; `negatives` is the caller's exact count of
    /// values below zero, ``pGain`` the sketch's count of values above it.
    ///
    /// Percentiles are clamped to the exact [min, max] the moments saw, so a
    /// quantity that never varies reports its value exactly rather than its
    /// bucket's representative.
    public init(moments: RunningMoments, sketch: QuantileSketch, negatives: Int) {
        let exact = moments.min == moments.max
        let q = exact ? Array(repeating: moments.min, count: 5)
            : sketch.quantiles([0.05, 0.25, 0.5, 0.75, 0.95]).map { Swift.min(Swift.max($0, moments.min), moments.max) }
        self.init(count: moments.count, mean: moments.mean, sd: moments.standardDeviation,
                  p5: q[0], p25: q[1], p50: q[2], p75: q[3], p95: q[4],
                  pLoss: moments.count > 0 ? Double(negatives) / Double(moments.count) : .nan,
                  cvar5: exact ? moments.min : Swift.min(Swift.max(sketch.lowerTailMean(0.05), moments.min), moments.max))
        pGain = sketch.count > 0 ? Double(sketch.signCounts.positive) / Double(sketch.count) : .nan
    }

    /// Exact moments with sketch percentiles, and the shares of draws below and above zero counted by the sketch
    /// (exact: its buckets are kept per sign; within ±``QuantileSketch/zeroThreshold`` counts as zero).
    public init(moments: RunningMoments, sketch: QuantileSketch) {
        self.init(moments: moments, sketch: sketch, negatives: sketch.signCounts.negative)
    }

    /// Exact moments and the loss probability without percentiles: percentiles and CVaR are NaN, unless the
    /// quantity never varied (then they are its value, exactly).
    public init(moments: RunningMoments, negatives: Int) {
        let q = moments.min == moments.max ? moments.min : .nan
        self.init(count: moments.count, mean: moments.mean, sd: moments.standardDeviation, p5: q, p25: q, p50: q, p75: q, p95: q,
                  pLoss: moments.count > 0 ? Double(negatives) / Double(moments.count) : .nan, cvar5: q)
        if !q.isNaN { pGain = q > QuantileSketch.zeroThreshold ? 1 : 0 }
    }

    /// Whether the summary has percentiles (false for one made from moments alone, and for ``missing``).
    public var hasPercentiles: Bool { !p50.isNaN }

    /// No distribution: count 0 and every statistic NaN (a metric a run did not summarise, an entity a point lacks).
    public static let missing = DistributionSummary(
        count: 0, mean: .nan, sd: .nan, p5: .nan, p25: .nan, p50: .nan, p75: .nan, p95: .nan, pLoss: .nan, cvar5: .nan)

    /// A quantity that does not vary: every statistic is the value itself.
    public static func constant(_ x: Double, count: Int) -> DistributionSummary {
        var s = DistributionSummary(count: count, mean: x, sd: 0, p5: x, p25: x, p50: x, p75: x, p95: x,
                                    pLoss: x < 0 ? 1 : 0, cvar5: x)
        s.pGain = x > QuantileSketch.zeroThreshold ? 1 : 0
        return s
    }

    /// The summary of `factor · X` for a constant factor ≥ 0 (percentiles and CVaR scale exactly).
    public func scaled(by factor: Double) -> DistributionSummary {
        precondition(factor >= 0)
        return DistributionSummary(count: count, mean: mean * factor, sd: sd * factor,
                                   p5: p5 * factor, p25: p25 * factor, p50: p50 * factor,
                                   p75: p75 * factor, p95: p95 * factor,
                                   pLoss: factor > 0 ? pLoss : 0, cvar5: cvar5 * factor)
            .withGainShare(factor > 0 ? pGain : 0)
            .withReplicateStandardError(replicateStandardError.map { $0 * factor })
    }

    func withGainShare(_ p: Double) -> DistributionSummary {
        var s = self
        s.pGain = p
        return s
    }

    /// This summary with a design's standard error of the mean (nil: plain Monte Carlo's).
    public func withReplicateStandardError(_ se: Double?) -> DistributionSummary {
        var s = self
        s.replicateStandardError = se
        return s
    }

    /// The standard error of the mean: from the replicates of a draw design, else plain Monte Carlo's sd/√count.
    public var standardError: Double { replicateStandardError ?? (count > 0 ? sd / Double(count).squareRoot() : .nan) }
}

/// Streaming statistics of one quantity: exact mean and sd, sketch
/// percentiles, loss probability and CVaR, in memory that does not grow with
/// the number of values. The engine keeps the same three parts in flat arrays
/// for speed; this type is the one-quantity form of the API.
public struct StreamingSummary: Sendable {
    public private(set) var moments = RunningMoments()
    public private(set) var sketch: QuantileSketch
    public private(set) var negatives = 0

    /// An empty summary whose percentiles have the given relative accuracy.
    public init(relativeAccuracy: Double = QuantileSketch.defaultRelativeAccuracy) {
        sketch = QuantileSketch(relativeAccuracy: relativeAccuracy)
    }

    /// Adds one value.
    public mutating func add(_ x: Double) {
        moments.add(x)
        sketch.add(x)
        if x < 0 { negatives += 1 }
    }

    /// Folds in another summary, as if its values had come after ours.
    public mutating func merge(_ other: StreamingSummary) {
        moments.merge(other.moments)
        sketch.merge(other.sketch)
        negatives += other.negatives
    }

    /// The statistics of the values added so far.
    public var summary: DistributionSummary {
        DistributionSummary(moments: moments, sketch: sketch, negatives: negatives)
    }
}
