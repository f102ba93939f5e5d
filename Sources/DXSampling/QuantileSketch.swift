import Foundation

/// A mergeable quantile sketch with a guaranteed relative error (DDSketch:
/// Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch
/// with relative-error guarantees", VLDB 2019).
///
/// Values are counted in buckets of a logarithm-like index with γ = (1+α)/(1−α).
/// To avoid a `log` per value, the index uses the linear interpolation of
/// log₂ between powers of two that the double's own bits give:
/// L(x) = e + (s − 1) for x = s·2^e, s ∈ [1, 2). Since d(log₂x)/dL ≤ 1/ln 2,
/// a bucket of width w in L spans a factor of at most 2^(w/ln 2) = e^w; with
/// w = ln γ every bucket [lo, hi] has hi/lo ≤ γ, and reporting it as the
/// value 2·lo·hi/(lo + hi) is within a relative error α of every value in
/// it. (DDSketch's "linearly interpolated mapping": exact bound, about 44%
/// more buckets than the logarithmic one.) Hence:
///
/// - **Error bound.** ``quantile(_:)`` returns a value within relative
///   error α (``relativeAccuracy``, 0.5% by default) of the exact empirical
///   quantile — the order statistic of rank ⌊q(n−1)⌋ (0-based) — for every q.
///   Values with |x| below ``zeroThreshold`` (1e-9) are counted as zero, an
///   absolute error of at most that.
/// - **Memory** does not grow with the number of values: one `UInt32` per
///   bucket spanned by the data (about 670 per factor of 100 in range at
///   α = 0.5%). The top ``maxBuckets`` per sign (about 61 octaves, a factor
///   of 2·10^18) keep the bound; smaller magnitudes collapse into one
///   bucket, so memory stays under 2·``maxBuckets`` per sign.
/// - **Merging** adds bucket counts: it is exact, commutative and
///   associative, so per-thread sketches merge to the same result in any order.
public struct QuantileSketch: Sendable {
    public static let defaultRelativeAccuracy = 0.005
    public static let zeroThreshold = 1e-9
    public static let maxBuckets = 6144

    public let relativeAccuracy: Double
    /// Buckets per unit of L (= 1 / ln γ).
    @usableFromInline let multiplier: Double
    @usableFromInline var positive = BucketStore()
    @usableFromInline var negative = BucketStore()
    @usableFromInline var zeros: Int = 0
    public private(set) var count: Int = 0

    public init(relativeAccuracy: Double = QuantileSketch.defaultRelativeAccuracy) {
        precondition(relativeAccuracy >= 1e-6 && relativeAccuracy < 1, "relative accuracy must be in [1e-6, 1)")
        self.relativeAccuracy = relativeAccuracy
        multiplier = 1 / log((1 + relativeAccuracy) / (1 - relativeAccuracy))
    }

    /// ⌈L(x) · multiplier⌉ for a normal x > 0 (every value above the zero threshold is normal).
    /// Reads the IEEE 754 fields directly: `Double.exponent` and `.significand` are calls into the runtime.
    @inline(__always) func index(_ magnitude: Double) -> Int { Self.index(magnitude, multiplier: multiplier) }

    @inline(__always) static func index(_ magnitude: Double, multiplier: Double) -> Int {
        let bits = magnitude.bitPattern
        let exponent = Double(Int((bits >> 52) & 0x7FF) - 1023)
        let significand = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        // ⌈y⌉ without `rounded(.up)` (a call to libm's `ceil` on baseline x86-64) or `Int(y)`'s range checks:
        // adding 1.5·2⁵² rounds y to the nearest integer r in the low bits, exact for |y| < 2³¹, which holds
        // since |L| ≤ 1024 and multiplier ≤ 1/(2α) ≤ 5·10⁵. Then ⌈y⌉ = r or r + 1.
        let y = (exponent + significand - 1) * multiplier
        let r = Int(Int32(truncatingIfNeeded: (y + 6_755_399_441_055_744.0).bitPattern))
        return Double(r) < y ? r &+ 1 : r
    }

    /// The x with L(x) = l.
    @inline(__always) static func inverse(_ l: Double) -> Double {
        let e = l.rounded(.down)
        return Double(sign: .plus, exponent: Int(e), significand: 1 + (l - e))
    }

    /// The representative of bucket i: 2·lo·hi/(lo + hi), within α of every value in (lo, hi].
    @inline(__always) func value(ofBucket i: Int) -> Double {
        let lo = Self.inverse(Double(i - 1) / multiplier), hi = Self.inverse(Double(i) / multiplier)
        return lo * (2 / (1 + lo / hi))   // = 2·lo·hi/(lo + hi), without overflow near the top of the range
    }

    /// Counts one value. NaN is ignored (the caller counts failures separately).
    @inline(__always)
    public mutating func add(_ x: Double) {
        if x > Self.zeroThreshold {
            positive.increment(index(x))
        } else if x < -Self.zeroThreshold {
            negative.increment(index(-x))
        } else if x.isNaN {
            return
        } else {
            zeros += 1
        }
        count += 1
    }

    /// Counts a block of values; the same counts as adding them one by one.
    ///
    /// The engines' inner loops add values in blocks: this finds the block's
    /// index range first, grows each store once, and then counts through a
    /// pointer, with no per-value growth or uniqueness checks.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: values.count) { indices in
            // Pass 1: each value's bucket (0 for zeros and NaN), and each sign's index range.
            var positiveRange = (low: Int.max, high: Int.min), negativeRange = positiveRange
            var added = 0
            let m = multiplier
            for (j, x) in values.enumerated() {
                var i = 0
                if x > Self.zeroThreshold {
                    i = Self.index(x, multiplier: m)
                    positiveRange = (Swift.min(positiveRange.low, i), Swift.max(positiveRange.high, i))
                } else if x < -Self.zeroThreshold {
                    i = Self.index(-x, multiplier: m)
                    negativeRange = (Swift.min(negativeRange.low, i), Swift.max(negativeRange.high, i))
                } else if !x.isNaN {
                    zeros += 1
                }
                indices[j] = i
                added += x.isNaN ? 0 : 1
            }
            count += added
            // Pass 2: grow each store once, then count through its pointer.
            if positiveRange.low <= positiveRange.high {
                let floor = positive.reserve(positiveRange.low, positiveRange.high), offset = positive.offset
                positive.counts.withUnsafeMutableBufferPointer { counts in
                    for (j, x) in values.enumerated() where x > Self.zeroThreshold {
                        counts[Swift.max(indices[j], floor) &- offset] &+= 1
                    }
                }
            }
            if negativeRange.low <= negativeRange.high {
                let floor = negative.reserve(negativeRange.low, negativeRange.high), offset = negative.offset
                negative.counts.withUnsafeMutableBufferPointer { counts in
                    for (j, x) in values.enumerated() where x < -Self.zeroThreshold {
                        counts[Swift.max(indices[j], floor) &- offset] &+= 1
                    }
                }
            }
        }
    }

    /// Adds another sketch's counts (same accuracy required).
    public mutating func merge(_ other: QuantileSketch) {
        precondition(other.relativeAccuracy == relativeAccuracy, "sketches of different accuracy")
        positive.merge(other.positive)
        negative.merge(other.negative)
        zeros += other.zeros
        count += other.count
    }

    /// The q-quantile, q in [0, 1], within relative error α of the exact empirical quantile; NaN when empty.
    public func quantile(_ q: Double) -> Double { quantiles([q])[0] }

    /// Several quantiles in one pass over the buckets (`qs` in any order).
    public func quantiles(_ qs: [Double]) -> [Double] {
        guard count > 0 else { return qs.map { _ in .nan } }
        let ranks = qs.map { Int((Swift.min(Swift.max($0, 0), 1) * Double(count - 1)).rounded(.down)) }
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var result = [Double](repeating: .nan, count: qs.count)
        var next = 0, seen = 0
        visitAscending { value, n in
            seen += n
            while next < order.count && seen > ranks[order[next]] {
                result[order[next]] = value()
                next += 1
            }
            return next < order.count
        }
        return result
    }

    /// Mean of the lowest ⌈q·n⌉ values (the lower tail), e.g. q = 0.05 for CVaR at 5%.
    ///
    /// Each value is replaced by its bucket's representative, so the result is
    /// within α·mean(|x|) over that tail of the exact tail mean.
    public func lowerTailMean(_ q: Double) -> Double {
        guard count > 0 else { return .nan }
        let k = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var remaining = k
        var sum = 0.0
        visitAscending { value, n in
            let take = Swift.min(n, remaining)
            sum += Double(take) * value()
            remaining -= take
            return remaining > 0
        }
        return sum / Double(k)
    }

    /// Visits (representative value, count) from the lowest to the highest value until `body` returns false.
    /// The value is computed only when asked for (one `exp`), since most buckets are only counted.
    /// Indices at or below each store's ``BucketStore/floor`` are reported as one bucket at the floor.
    func visitAscending(_ body: (() -> Double, Int) -> Bool) {
        let negativeFloor = negative.floor, positiveFloor = positive.floor
        var folded = 0
        for i in negative.indicesDescending() where negative[i] > 0 {
            if i <= negativeFloor { folded += Int(negative[i]); continue }
            if !body({ -value(ofBucket: i) }, Int(negative[i])) { return }
        }
        if folded > 0, !body({ -value(ofBucket: negativeFloor) }, folded) { return }
        if zeros > 0, !body({ 0 }, zeros) { return }
        folded = 0
        for i in positive.indicesAscending() where positive[i] > 0 {
            if i <= positiveFloor { folded += Int(positive[i]); continue }
            if folded > 0 {
                if !body({ value(ofBucket: positiveFloor) }, folded) { return }
                folded = 0
            }
            if !body({ value(ofBucket: i) }, Int(positive[i])) { return }
        }
        if folded > 0 { _ = body({ value(ofBucket: positiveFloor) }, folded) }
    }
}

/// Dense counts for a contiguous range of bucket indices, grown on demand.
/// Every index at or below ``floor`` — `maxBuckets − 1` below the highest
/// index ever counted — is read as one bucket at the floor (the smallest
/// magnitudes fold together). Growth folds such indices physically, which
/// caps memory at 2·``QuantileSketch/maxBuckets`` per sign (the kept range
/// plus at most as much growth slack); readers fold the rest. The fold depends only on the highest index, so
/// what readers see does not depend on the order of insertion or merging.
@usableFromInline
struct BucketStore: Sendable {
    @usableFromInline var counts: [UInt32] = []
    @usableFromInline var offset: Int = 0   // index of counts[0]
    @usableFromInline var maxIndex: Int = .min

    @inline(__always)
    mutating func increment(_ i: Int, by n: UInt32 = 1) {
        var i = i
        if i < offset { i = Swift.max(i, floor) }   // a folded index needs no growth once the floor is kept
        if i < offset || i >= offset + counts.count { i = extend(to: i) }
        if i > maxIndex { maxIndex = i }
        counts[i - offset] &+= n
    }

    /// Indices at or below this read as one bucket here (`Int.min` while empty).
    var floor: Int { maxIndex == .min ? .min : maxIndex - QuantileSketch.maxBuckets + 1 }

    subscript(i: Int) -> UInt32 { counts[i - offset] }

    /// Makes room for every index in `low...high`; returns the fold floor: an
    /// index `i` in that range is counted at `max(i, floor) − offset`.
    mutating func reserve(_ low: Int, _ high: Int) -> Int {
        if high >= offset + counts.count || counts.isEmpty { _ = extend(to: high) }
        if low < offset { _ = extend(to: low) }
        maxIndex = Swift.max(maxIndex, high)
        return floor
    }

    func indicesAscending() -> Range<Int> { offset..<(offset + counts.count) }
    func indicesDescending() -> ReversedCollection<Range<Int>> { indicesAscending().reversed() }

    /// Makes room for index `i` (with slack, so growth is amortised); returns
    /// the index to count it under: `i`, or the lowest kept index if `i` folds.
    @inline(never)
    mutating func extend(to i: Int) -> Int {
        maxIndex = Swift.max(maxIndex, i)
        let floor = maxIndex - QuantileSketch.maxBuckets + 1
        let target = Swift.max(i, floor)
        let slack = Swift.max(16, counts.count / 2)
        var lo = target, hi = target
        if !counts.isEmpty {
            lo = target < offset ? target - slack : offset
            hi = target >= offset + counts.count ? target + slack : offset + counts.count - 1
        }
        lo = Swift.max(lo, floor)
        var newCounts = [UInt32](repeating: 0, count: hi - lo + 1)
        for (k, c) in counts.enumerated() where c > 0 {
            newCounts[Swift.max(offset + k, lo) - lo] &+= c
        }
        counts = newCounts
        offset = lo
        return target
    }

    mutating func merge(_ other: BucketStore) {
        guard !other.counts.isEmpty else { return }
        if other.maxIndex > maxIndex { _ = extend(to: other.maxIndex) }
        for (k, c) in other.counts.enumerated() where c > 0 {
            increment(other.offset + k, by: c)
        }
    }
}

extension QuantileSketch {
    /// Buckets held in memory (both signs): the sketch's size, independent of ``count``.
    public var bucketCount: Int { positive.counts.count + negative.counts.count }

    /// How many values were below −``zeroThreshold``, within ±``zeroThreshold`` of zero, and above it: exact
    /// counts (the buckets are kept per sign), so a share of draws above or below zero carries no sketch error.
    public var signCounts: (negative: Int, zero: Int, positive: Int) {
        let negatives = negative.counts.reduce(0) { $0 + Int($1) }, positives = positive.counts.reduce(0) { $0 + Int($1) }
        return (negatives, zeros, positives)
    }
}
