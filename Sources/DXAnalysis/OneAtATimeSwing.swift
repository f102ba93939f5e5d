/// One-at-a-time swings for a tornado chart: every input at its median
/// (the base point), then each input in turn at a low and a high quantile
/// (5% and 95% by default) with the others at their medians.
///
/// Design point 0 is the base; points 2i + 1 and 2i + 2 move input i to its
/// low and high quantile. In the unit cube those are the coordinates
/// 0.5, `low` and `high`, which ``SensitivityProblem/values(at:)`` maps to
/// each input's quantiles.
public enum OneAtATimeSwing {
    public struct Design: Sendable, Equatable {
        public let dimensions: Int
        public let low: Double
        public let high: Double
        public let points: [[Double]]
    }

    /// The output at the base point and each input's two settings.
    public struct Result: Sendable {
        public var base: Double
        /// swings[i] = (output with input i low, output with input i high).
        public var swings: [(low: Double, high: Double)]

        /// Inputs ordered by the width of their swing, widest first (a failed setting counts as no swing).
        public var ranking: [Int] {
            swings.indices.sorted { width($0) > width($1) || (width($0) == width($1) && $0 < $1) }
        }

        /// |high − low| of input i (0 when either setting failed).
        public func width(_ i: Int) -> Double {
            let w = abs(swings[i].high - swings[i].low)
            return w.isFinite ? w : 0
        }
    }

    /// The design coordinates of the low and high swings a tornado uses unless told otherwise.
    public static let defaultLow = 0.05, defaultHigh = 0.95

    public static func sample(dimensions k: Int, low: Double = defaultLow, high: Double = defaultHigh) -> Design {
        precondition(k >= 1 && 0 <= low && low < high && high <= 1, "needs k ≥ 1 and 0 ≤ low < high ≤ 1")
        let base = [Double](repeating: 0.5, count: k)
        var points = [base]
        for i in 0..<k {
            var lo = base, hi = base
            lo[i] = low
            hi[i] = high
            points += [lo, hi]
        }
        return Design(dimensions: k, low: low, high: high, points: points)
    }

    public static func analyze(_ design: Design, outputs y: [Double]) -> Result {
        precondition(y.count == design.points.count, "one output per design point")
        return Result(base: y[0], swings: (0..<design.dimensions).map { (y[2 * $0 + 1], y[2 * $0 + 2]) })
    }
}
