import DXSampling
import Foundation

/// The expected value of information from a probabilistic analysis's draws (the first part of issue 18: the
/// estimators; the decisions, inputs recorded per draw and `dxmap voi` build on them).
///
/// `values[d][i]` is the value of option `d` in draw `i` (an NPV, a net saving…); the decision maker picks the
/// option with the highest expected value.
public enum ValueOfInformation {
    /// An estimate with its Monte Carlo standard error.
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var standardError: Double
    }

    /// The expected value of perfect information, EVPI = E[max_d V_d] − max_d E[V_d], with its Monte Carlo standard
    /// error: the sd over draws of max_d V_d − V_d*, where d* is the option best on average, over √n (the choice of
    /// d* is taken as known). Nil without options or draws.
    public static func evpi(_ values: [[Double]]) -> Estimate? {
        guard let n = values.first?.count, n > 1, values.allSatisfy({ $0.count == n }) else { return nil }
        let best = bestOnAverage(values)
        let regret = (0..<n).map { i in values.map { $0[i] }.max()! - values[best][i] }
        return meanWithError(regret)
    }

    /// The expected value of partial perfect information about one input, EVPPI = E_x[max_d E(V_d | x)] −
    /// max_d E[V_d], by nonparametric regression (Strong, Oakley & Brennan 2014): each option's value, relative to
    /// the option best on average, is regressed on a cubic regression spline of the input, with knots at the input's
    /// quantiles and their number chosen by generalised cross-validation; the fitted values stand in for the
    /// conditional expectations. The standard error includes the fit's error (see ``evppi(_:inputs:)``). Nil when
    /// the input does not match the draws.
    public static func evppi(_ values: [[Double]], input x: [Double]) -> Estimate? {
        evppi(values, inputs: [x])
    }

    /// EVPPI about a group of inputs learnt together (`inputs[j][i]`: input j in draw i), by an additive regression:
    /// a cubic regression spline per input, summed (exact where the inputs act additively on the values, as in a
    /// linear model; interactions between the group's inputs are not captured). With every input that moves the
    /// values, it approaches the EVPI.
    public static func evppi(_ values: [[Double]], inputs: [[Double]]) -> Estimate? {
        guard let n = values.first?.count, n >= 100, !inputs.isEmpty, values.allSatisfy({ $0.count == n }),
              inputs.allSatisfy({ $0.count == n && $0.allSatisfy(\.isFinite) }) else { return nil }
        let best = bestOnAverage(values)
        let incremental = values.enumerated().filter { $0.offset != best }.map { _, v in (0..<n).map { v[$0] - values[best][$0] } }
        func estimate(_ draws: [Int]) -> Double {
            let fitted = RegressionSpline.fit(inputs: inputs.map { x in draws.map { x[$0] } },
                                              responses: incremental.map { v in draws.map { v[$0] } })
            var total = 0.0
            for i in draws.indices { total += max(0, fitted.map { $0[i] }.max() ?? 0) }
            return total / Double(draws.count)
        }
        // The standard error counts the fit's own error as well as the draws': the estimate is made again on ten
        // interleaved batches of the draws (each fitted on its own), and their spread, over √10, is the error of a
        // mean of ten such; a batch fits on a tenth of the draws, so this errs on the large side.
        let batches = 10
        let perBatch = (0..<batches).map { b in estimate(Array(stride(from: b, to: n, by: batches))) }
        let batchMean = perBatch.reduce(0, +) / Double(batches)
        let spread = perBatch.reduce(0) { $0 + ($1 - batchMean) * ($1 - batchMean) } / Double(batches - 1)
        return Estimate(value: estimate(Array(0..<n)), standardError: (spread / Double(batches)).squareRoot())
    }

    /// A proposed pilot: what it observes of the input it studies, in each draw.
    public enum Pilot: Sendable, Equatable {
        /// `cases` cases, each handled end to end with the draw's value of the input as its probability: the pilot
        /// observes how many succeed.
        case successes(cases: Int)
        /// `cases` measurements of the input, each with normal noise of sd `noise`: the pilot observes their mean.
        case measured(cases: Int, noise: Double)
    }

    /// The expected value of sample information of a pilot, by the regression method (Strong, Oakley, Brennan &
    /// Breeze 2015): in each draw the pilot's result is simulated from the draw's value of the input it observes,
    /// and the options' values are regressed on the results as on an input (``evppi(_:inputs:)``). It rises with
    /// the pilot's size towards the input's EVPPI. The results come from their own stream of `seed`, so the
    /// estimate is reproducible. Nil for a pilot of no cases, or inputs that do not match the draws.
    public static func evsi(_ values: [[Double]], input θ: [Double], pilot: Pilot, seed: UInt64) -> Estimate? {
        let random = RandomStream(seed: seed, stream: 0x5E51)
        let results: [Double]
        switch pilot {
        case let .successes(cases):
            guard cases > 0, θ.allSatisfy({ (0...1).contains($0) }) else { return nil }
            results = θ.map { Double(random.binomial(trials: cases, probability: $0)) }
        case let .measured(cases, noise):
            guard cases > 0, noise >= 0, noise.isFinite else { return nil }
            let sd = noise / Double(cases).squareRoot()
            results = θ.map { $0 + sd * random.standardNormal() }
        }
        return evppi(values, input: results)
    }

    /// The option with the highest mean value.
    static func bestOnAverage(_ values: [[Double]]) -> Int {
        let means = values.map { $0.reduce(0, +) / Double($0.count) }
        return means.indices.max { means[$0] < means[$1] }!
    }

    static func meanWithError(_ x: [Double]) -> Estimate {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return Estimate(value: mean, standardError: (variance / n).squareRoot())
    }
}

/// Least-squares cubic regression splines of one variable: a clamped cubic B-spline basis with interior knots at
/// the variable's quantiles, the number of knots chosen by generalised cross-validation, GCV = n·RSS / (n − p)²,
/// summed over the responses (they share the basis and the choice).
enum RegressionSpline {
    /// Interior knot counts tried.
    static let knotCounts = [0, 1, 2, 4, 8, 16]

    /// Each response's fitted values at the data, on one variable.
    static func fit(x: [Double], responses: [[Double]]) -> [[Double]] { fit(inputs: [x], responses: responses) }

    /// Each response's fitted values at the data, on the sum of a spline per input (one intercept; each input's
    /// first basis function dropped, as the functions of each input sum to one). The same number of interior knots
    /// for every input, chosen by GCV.
    static func fit(inputs: [[Double]], responses: [[Double]]) -> [[Double]] {
        guard !responses.isEmpty, let n = inputs.first?.count else { return [] }
        let sortedInputs = inputs.map { $0.sorted() }
        var best: (score: Double, fitted: [[Double]])?
        for k in knotCounts where inputs.count * (k + 3) + 1 < n / 4 {
            let knots = sortedInputs.map { sorted -> [Double] in
                let interior = (0..<k).map { sorted[min(n - 1, Int(Double($0 + 1) / Double(k + 1) * Double(n)))] }
                return Array(repeating: sorted[0], count: 4) + interior + Array(repeating: sorted[n - 1], count: 4)
            }
            let basis = (0..<n).map { i in
                [1.0] + inputs.indices.flatMap { j in bsplineBasis(inputs[j][i], knots: knots[j]).dropFirst() }
            }
            guard let fitted = leastSquares(basis, responses) else { continue }
            let p = Double(basis[0].count)
            let rss = zip(responses, fitted).reduce(0.0) { total, pair in
                total + zip(pair.0, pair.1).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            let score = Double(n) * rss / ((Double(n) - p) * (Double(n) - p))
            if best == nil || score < best!.score { best = (score, fitted) }
        }
        return best?.fitted ?? responses.map { r in Array(repeating: r.reduce(0, +) / Double(n), count: n) }
    }

    /// The cubic B-spline basis functions at `x` (Cox–de Boor), for clamped `knots`; they sum to 1.
    static func bsplineBasis(_ x: Double, knots t: [Double]) -> [Double] {
        let count = t.count - 4
        // The knot span holding x (the last non-empty span for x at the right end).
        var span = 3
        while span < count - 1 && x >= t[span + 1] { span += 1 }
        var b = [Double](repeating: 0, count: 4)
        b[0] = 1
        var left = [Double](repeating: 0, count: 4), right = [Double](repeating: 0, count: 4)
        for j in 1...3 {
            left[j] = x - t[span + 1 - j]
            right[j] = t[span + j] - x
            var saved = 0.0
            for r in 0..<j {
                let denominator = right[r + 1] + left[j - r]
                let term = denominator == 0 ? 0 : b[r] / denominator
                b[r] = saved + right[r + 1] * term
                saved = left[j - r] * term
            }
            b[j] = saved
        }
        var row = [Double](repeating: 0, count: count)
        for j in 0...3 where span - 3 + j >= 0 && span - 3 + j < count { row[span - 3 + j] = b[j] }
        return row
    }

    /// Fitted values of least squares of each response on the columns of `rows` (normal equations, Cholesky);
    /// nil when the basis is singular.
    static func leastSquares(_ rows: [[Double]], _ responses: [[Double]]) -> [[Double]]? {
        let p = rows[0].count
        // B-spline rows are sparse (four functions per input are non-zero at any point): work on the non-zeros.
        let nonZero = rows.map { row in row.indices.filter { row[$0] != 0 } }
        var gram = [Double](repeating: 0, count: p * p)
        for (row, columns) in zip(rows, nonZero) {
            for a in columns {
                for b in columns where b >= a { gram[a * p + b] += row[a] * row[b] }
            }
        }
        for a in 0..<p { for b in 0..<a { gram[a * p + b] = gram[b * p + a] } }
        // Cholesky: gram = L·Lᵀ.
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = gram[i * p + j]
                for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard sum > 1e-12 * max(1, gram[i * p + i]) else { return nil }
                    l[i * p + i] = sum.squareRoot()
                } else {
                    l[i * p + j] = sum / l[j * p + j]
                }
            }
        }
        return responses.map { y in
            var rhs = [Double](repeating: 0, count: p)
            for ((row, columns), value) in zip(zip(rows, nonZero), y) { for a in columns { rhs[a] += row[a] * value } }
            // Solve L z = rhs, then Lᵀ β = z.
            for i in 0..<p {
                var s = rhs[i]
                for k in 0..<i { s -= l[i * p + k] * rhs[k] }
                rhs[i] = s / l[i * p + i]
            }
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = rhs[i]
                for k in (i + 1)..<p { s -= l[k * p + i] * rhs[k] }
                rhs[i] = s / l[i * p + i]
            }
            return zip(rows, nonZero).map { row, columns in columns.reduce(0) { $0 + row[$1] * rhs[$1] } }
        }
    }
}
