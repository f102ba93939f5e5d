import DXSampling

/// Variance-based (Sobol) sensitivity: first-order and total indices, and
/// optionally second-order ones, from a Saltelli design.
///
/// - **Sample** (Saltelli 2002; Saltelli et al. 2010): two base matrices A
///   and B of N rows are the two halves of the first N points of a
///   2k-dimensional Sobol sequence counted from the origin (Joe & Kuo's
///   directions, so k ≤ 256; see `ExperimentDesign/sobol(points:dimensions:skip:scramble:)`),
///   optionally Owen-scrambled. N a power of two keeps the design balanced.
///   Row j of the design is the block
///   A_j, A_j with column i taken from B_j (i = 1…k), [B_j with column i
///   from A_j, when second order], B_j: N(k + 2) points, or N(2k + 2).
/// - **Analyze**: with f centred on the mean of all complete blocks and V
///   the variance of f(A) and f(B) together,
///   S1_i = mean(f(B)·(f(AB_i) − f(A))) / V (Saltelli et al. 2010, table 2 (b)),
///   ST_i = mean((f(A) − f(AB_i))²) / (2V) (Jansen 1999), and
///   S2_ij = mean(f(BA_i)·f(AB_j) − f(A)·f(B)) / V − S1_i − S1_j (Saltelli 2002).
///   Confidence intervals are percentile bootstrap intervals over the N rows.
/// - **Failed points.** A row whose block holds a NaN (a failed model run)
///   is left out whole: the estimators use the complete blocks only, and
///   ``Result/completeRows`` says how many there were.
public enum SobolIndices {
    /// A Saltelli design: where each point of each block sits.
    public struct Design: Sendable, Equatable {
        public let dimensions: Int
        public let baseRows: Int
        public let secondOrder: Bool
        /// All points, block after block.
        public let points: [[Double]]

        public var blockSize: Int { secondOrder ? 2 * dimensions + 2 : dimensions + 2 }
    }

    /// The result for one output.
    public struct Result: Sendable {
        public var firstOrder: [Estimate]
        public var total: [Estimate]
        /// S1 − ST per input, with its own bootstrap interval. ST ≥ S1 holds for the true indices, so an
        /// interval wholly above 0 says the design is too small (or the outputs too noisy) for this output.
        public var firstMinusTotal: [Estimate]
        /// secondOrder[i][j] for i < j (nil elsewhere, and when not requested).
        public var secondOrder: [[Estimate?]]
        /// Rows (blocks) used, and rows left out because a point in them failed.
        public var completeRows: Int
        public var failedRows: Int

        public init(firstOrder: [Estimate], total: [Estimate], firstMinusTotal: [Estimate], secondOrder: [[Estimate?]],
                    completeRows: Int, failedRows: Int) {
            (self.firstOrder, self.total, self.firstMinusTotal, self.secondOrder) = (firstOrder, total, firstMinusTotal, secondOrder)
            (self.completeRows, self.failedRows) = (completeRows, failedRows)
        }
    }

    /// The largest number of inputs (the Sobol sequence has 2k ≤ 512 dimensions).
    public static let maxDimensions = ExperimentDesign.sobolMaxDimensions / 2

    /// The design for `dimensions` inputs and `baseRows` rows (a power of 2 keeps the Sobol sequence balanced).
    /// `skip` drops that many leading points of the sequence (keep it a multiple of `baseRows`); `scramble`
    /// Owen-scrambles the sequence with that seed, as SALib's default sampler scrambles its own. Nil when
    /// dimensions is outside 1…256.
    public static func sample(dimensions k: Int, baseRows n: Int, secondOrder: Bool = false, skip: Int = 0,
                              scramble: UInt64? = nil) -> Design? {
        guard (1...maxDimensions).contains(k), n >= 2,
            let sequence = ExperimentDesign.sobol(points: n, dimensions: 2 * k, skip: skip, scramble: scramble)?.points
        else { return nil }
        var points: [[Double]] = []
        points.reserveCapacity(n * (secondOrder ? 2 * k + 2 : k + 2))
        for q in sequence {
            let a = Array(q[0..<k]), b = Array(q[k..<(2 * k)])
            points.append(a)
            for i in 0..<k { var ab = a; ab[i] = b[i]; points.append(ab) }
            if secondOrder { for i in 0..<k { var ba = b; ba[i] = a[i]; points.append(ba) } }
            points.append(b)
        }
        return Design(dimensions: k, baseRows: n, secondOrder: secondOrder, points: points)
    }

    /// The indices of one output, `y[p]` being the output at `design.points[p]` (NaN for a failed point).
    public static func analyze(_ design: Design, outputs y: [Double], resamples: Int = 1000,
                               confidence: Double = 0.95, seed: UInt64 = 1) -> Result {
        precondition(y.count == design.points.count, "one output per design point")
        let k = design.dimensions, size = design.blockSize
        let rows = (0..<design.baseRows).filter { j in (0..<size).allSatisfy { y[j * size + $0].isFinite } }
        let values = y.filter(\.isFinite)
        let centre = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        // f[row][slot], centred: slot 0 = A, 1…k = AB_i, k+1…2k = BA_i (second order), last = B.
        let f = rows.map { j in (0..<size).map { y[j * size + $0] - centre } }
        let pairs = design.secondOrder ? (0..<k).flatMap { i in ((i + 1)..<k).map { (i, $0) } } : []
        let count = 3 * k + pairs.count

        func statistic(_ sample: [Int]) -> [Double] {
            let n = Double(sample.count)
            var sumAB = 0.0, sumSquaresAB = 0.0
            for r in sample { let a = f[r][0], b = f[r][size - 1]; sumAB += a + b; sumSquaresAB += a * a + b * b }
            let mean = sumAB / (2 * n)
            let variance = sumSquaresAB / (2 * n) - mean * mean
            var out = [Double](repeating: 0, count: count)
            for i in 0..<k {
                var first = 0.0, total = 0.0
                for r in sample {
                    let a = f[r][0], b = f[r][size - 1], ab = f[r][1 + i]
                    first += b * (ab - a)
                    total += (a - ab) * (a - ab)
                }
                out[i] = first / n / variance
                out[k + i] = total / (2 * n) / variance
                out[2 * k + i] = out[i] - out[k + i]
            }
            for (p, (i, j)) in pairs.enumerated() {
                var v = 0.0
                for r in sample { v += f[r][1 + k + i] * f[r][1 + j] - f[r][0] * f[r][size - 1] }
                out[3 * k + p] = v / n / variance - out[i] - out[j]
            }
            return out
        }

        let estimates = rows.count >= 2
            ? Bootstrap.estimates(units: rows.count, count: count, resamples: resamples, confidence: confidence, seed: seed) { idx in
                statistic(idx)
            }
            : Array(repeating: Estimate(value: .nan, low: .nan, high: .nan), count: count)
        var second = Array(repeating: [Estimate?](repeating: nil, count: k), count: k)
        for (p, (i, j)) in pairs.enumerated() { second[i][j] = estimates[3 * k + p] }
        return Result(firstOrder: Array(estimates[0..<k]), total: Array(estimates[k..<(2 * k)]),
                      firstMinusTotal: Array(estimates[(2 * k)..<(3 * k)]), secondOrder: second,
                      completeRows: rows.count, failedRows: design.baseRows - rows.count)
    }
}
