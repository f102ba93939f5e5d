/// Count, mean and sum of squared deviations of a stream of values, updated
/// one value at a time with Welford's algorithm and merged with the pairwise
/// formula of Chan, Golub & LeVeque (1979). Memory is constant.
///
/// Merging is exact in exact arithmetic but not associative in floating
/// point; the engine therefore always merges partial results in a fixed
/// (chunk) order, which is what keeps results bit-identical across thread
/// counts.
public struct RunningMoments: Sendable, Equatable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    /// Σ (x − mean)².
    public private(set) var m2: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity

    public init() {}

    /// Moments from sums taken relative to a shift K (the "shifted data" algorithm): `sum` = Σ(x − K),
    /// `sumOfSquares` = Σ(x − K)². Exact in exact arithmetic and stable when K is a typical value (the
    /// engine uses a chunk's first value); it lets inner loops accumulate without a division per value.
    public init(count: Int, shift: Double, sum: Double, sumOfSquares: Double, min: Double, max: Double) {
        guard count > 0 else { return }
        self.count = count
        mean = shift + sum / Double(count)
        m2 = Swift.max(0, sumOfSquares - sum * sum / Double(count))
        self.min = min
        self.max = max
    }

    /// Adds one value.
    @inline(__always)
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }

    /// Folds in another stream's moments, as if its values had been added after ours.
    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The sample variance (n − 1 denominator); 0 for fewer than two values.
    public var variance: Double { count > 1 ? Swift.max(0, m2 / Double(count - 1)) : 0 }

    /// The sample standard deviation.
    public var standardDeviation: Double { variance.squareRoot() }

    /// The Monte Carlo standard error of the mean, sd/√n.
    public var standardError: Double { count > 0 ? standardDeviation / Double(count).squareRoot() : .nan }
}
