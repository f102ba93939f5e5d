import DXSampling
import Foundation

/// The expected value of information from a probabilistic analysis's draws: the estimators that
/// `VOIStudy` (DXExperiments) applies to the decisions and inputs the engines record.
///
/// `values[d][i]` is the value of option `d` in draw `i` (an NPV, a net saving…); the decision maker picks the
/// option with the highest expected value.
public enum ValueOfInformation {
    /// An estimate with its Monte Carlo standard error, or without one where these draws cannot give it.
    public struct MeanEstimate: Sendable, Equatable {
        public var value: Double
        /// The Monte Carlo standard error; nil when it cannot be estimated from these draws (``errorNeedsDraws`` says
        /// how many would do). Never a 0 that stands for "unknown": a 0 here is exact (an input that cannot reach the
        /// decision, a decision with nothing to learn).
        public var standardError: Double?
        /// Without a standard error: the fewest draws at which it could be estimated.
        public var errorNeedsDraws: Int?

        public init(value: Double, standardError: Double) { (self.value, self.standardError) = (value, standardError) }

        /// An estimate whose standard error needs `draws` draws.
        public init(value: Double, errorNeedsDraws draws: Int) { (self.value, errorNeedsDraws) = (value, draws) }

        /// Half the width of the 95% interval, 1.96 standard errors (nil without one).
        public var halfWidth95: Double? { standardError.map { 1.96 * $0 } }
    }

    /// Which EVPPI estimator (``evppiParts(decisions:inputs:estimator:)``).
    public enum Estimator: String, Sendable, CaseIterable, Codable {
        /// Before issue 26: knot counts from 0 interior knots up (no intercept-only model), and each batch refitted at
        /// the knots chosen on all draws, a batch too small for them counted as 0.
        case v1
        /// An intercept-only model among the candidates; the standard error is unavailable (never 0) where a batch is
        /// too small for the model chosen on all draws.
        case v2
    }

    /// The expected value of perfect information, EVPI = E[max_d V_d] − max_d E[V_d], with its Monte Carlo standard
    /// error: the sd over draws of max_d V_d − V_d*, where d* is the option best on average, over √n (the choice of
    /// d* is taken as known). Nil without options or draws.
    public static func evpi(_ values: [[Double]]) -> MeanEstimate? {
        guard let n = values.first?.count, n > 1, values.allSatisfy({ $0.count == n }) else { return nil }
        return meanWithError(regret(values))
    }

    /// Each draw's regret: the best option's value in that draw less the value of the option best on average (the
    /// EVPI is their mean; a portfolio's is the mean of their sum over its decisions).
    public static func regret(_ values: [[Double]]) -> [Double] {
        let best = bestOnAverage(values)
        // The best option on average itself regrets 0; each other option raises the regret where it does better.
        var regret = [Double](repeating: 0, count: values[best].count)
        for option in values {
            for i in regret.indices { regret[i] = max(regret[i], option[i] - values[best][i]) }
        }
        return regret
    }

    /// The expected value of partial perfect information about one input, EVPPI = E_x[max_d E(V_d | x)] −
    /// max_d E[V_d], by nonparametric regression (Strong, Oakley & Brennan 2014): each option's value, relative to
    /// the option best on average, is regressed on a cubic regression spline of the input, with knots at the input's
    /// quantiles and their number chosen by generalised cross-validation; the fitted values stand in for the
    /// conditional expectations. The standard error includes the fit's error (see ``evppi(_:inputs:)``). Nil when
    /// the input does not match the draws.
    public static func evppi(_ values: [[Double]], input x: [Double]) -> MeanEstimate? {
        evppi(values, inputs: [x])
    }

    /// EVPPI about a group of inputs learnt together (`inputs[j][i]`: input j in draw i), by an additive regression:
    /// a cubic regression spline per input, summed (exact where the inputs act additively on the values, as in a
    /// linear model; interactions between the group's inputs are not captured). With every input that moves the
    /// values, it approaches the EVPI.
    public static func evppi(_ values: [[Double]], inputs: [[Double]]) -> MeanEstimate? {
        evppi(decisions: [values], inputs: inputs)?.first
    }

    /// EVPPI of one input or group for several decisions at once (`decisions[k][d][i]`: decision k's option d in
    /// draw i), sharing the regression's basis; each decision chooses its own number of knots. Nil when the inputs
    /// do not match the draws (or there are fewer than 100).
    public static func evppi(decisions: [[[Double]]], inputs: [[Double]]) -> [MeanEstimate]? {
        evppiParts(decisions: decisions, inputs: inputs).map { $0.map(\.estimate) }
    }

    /// One decision's EVPPI on all the draws and on each of ``batches`` interleaved batches; the batches give the
    /// standard error, and summing parts over separate decisions gives a portfolio's estimate with its error.
    public struct Parts: Sendable {
        public var value: Double
        public var batches: [Double]
        /// When the batches cannot give a standard error: the fewest draws at which they could.
        public var errorNeedsDraws: Int?

        public init(value: Double, batches: [Double], errorNeedsDraws: Int? = nil) {
            (self.value, self.batches, self.errorNeedsDraws) = (value, batches, errorNeedsDraws)
        }

        /// Exactly 0, with no error: a decision the input cannot reach, or one with nothing to learn.
        public static var zero: Parts { Parts(value: 0, batches: Array(repeating: 0, count: ValueOfInformation.batches)) }

        /// The value with its standard error: the spread of the batch estimates over √batches. Each batch fits the
        /// model chosen on all draws to a tenth of them, so the error counts the fit's own error as well as the
        /// draws', on the large side.
        public var estimate: MeanEstimate {
            if let errorNeedsDraws { return MeanEstimate(value: value, errorNeedsDraws: errorNeedsDraws) }
            let b = Double(batches.count), mean = batches.reduce(0, +) / b
            let spread = batches.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (b - 1)
            return MeanEstimate(value: value, standardError: (spread / b).squareRoot())
        }

        /// The parts of a sum of separate decisions (a portfolio); without an error when any part is.
        public static func sum(_ parts: [Parts]) -> Parts {
            let b = parts.first?.batches.count ?? ValueOfInformation.batches
            return Parts(value: parts.reduce(0) { $0 + $1.value },
                         batches: (0..<b).map { k in parts.reduce(0) { $0 + $1.batches[k] } },
                         errorNeedsDraws: parts.compactMap(\.errorNeedsDraws).max())
        }
    }

    /// Interleaved batches for the standard error.
    public static let batches = 10

    /// The EVPPI of each decision, on all draws and per batch: each decision's options less its option best on
    /// average are regressed on the inputs (`RegressionSpline`), the model — intercept only, or a spline of 0 to 16
    /// interior knots — chosen per decision by generalised cross-validation, and max(0, the largest fitted increment)
    /// averaged over the draws. An input that does not move a decision's values is mostly fitted by its intercept,
    /// whose gain is exactly 0, so irrelevant inputs add nothing on average; pass only the decisions an input can reach
    /// (`VOIStudy` does). Nil when the inputs do not match the draws (or there are fewer than 100).
    public static func evppiParts(decisions: [[[Double]]], inputs: [[Double]], estimator: Estimator = .v2) -> [Parts]? {
        guard let n = decisions.first?.first?.count, n >= 100, !inputs.isEmpty,
              decisions.allSatisfy({ $0.allSatisfy { $0.count == n } }),
              inputs.allSatisfy({ $0.count == n && $0.allSatisfy(\.isFinite) }) else { return nil }
        // An input that never varies tells nothing.
        let varying = inputs.filter { x in x.contains { $0 != x[0] } }
        guard !varying.isEmpty else { return decisions.map { _ in .zero } }
        // Each decision's options less its option best on average: max(0, max of the fitted increments) is the
        // conditional gain of choosing with the input known.
        let increments = decisions.map { values -> [[Double]] in
            let best = bestOnAverage(values)
            return values.indices.filter { $0 != best }.map { d in (0..<n).map { values[d][$0] - values[best][$0] } }
        }
        if estimator == .v1 { return evppiPartsV1(increments, varying, n) }
        let full = RegressionSpline.choose(increments, inputs: varying, draws: Array(0..<n))
        // Each batch refits the model chosen on all draws (re-choosing per batch would let most batches of an input that
        // barely matters fall back to the intercept, and their agreement understate the error of the full fit's choice).
        var batchValues = [[Double]](repeating: Array(repeating: 0, count: batches), count: decisions.count)
        var unfit = [Bool](repeating: false, count: decisions.count)
        for b in 0..<batches {
            let draws = Array(stride(from: b, to: n, by: batches))
            for knots in Set(full.map(\.knots)) {
                let chosen = decisions.indices.filter { full[$0].knots == knots }
                guard let knots else {
                    // The intercept alone: each increment's batch mean.
                    for d in chosen {
                        let means = increments[d].map { y in draws.reduce(0) { $0 + y[$1] } / Double(draws.count) }
                        batchValues[d][b] = max(0, means.max() ?? 0)
                    }
                    continue
                }
                guard let basis = RegressionSpline.Basis(inputs: varying, draws: draws, interiorKnots: knots),
                      let solver = basis.solver() else {
                    for d in chosen { unfit[d] = true }
                    continue
                }
                for d in chosen {
                    batchValues[d][b] = RegressionSpline.gain(increments[d].map { y in solver.fitted(draws.map { y[$0] }) })
                }
            }
        }
        // A batch must be able to fit the model chosen on all draws (four draws a coefficient) for the spread of the
        // batches to stand for the estimator's: else the error needs more draws. Batches that all agree on a value the
        // full fit does not give (all 0 under a positive estimate) say nothing of its error either: it needs at least
        // twice the draws.
        return decisions.indices.map { d in
            let needs = batches * (4 * full[d].columns + 1)
            let silent = batchValues[d].allSatisfy { $0 == batchValues[d][0] } && full[d].gain != batchValues[d][0]
            return Parts(value: full[d].gain, batches: batchValues[d],
                         errorNeedsDraws: unfit[d] ? max(needs, n + batches) : silent ? max(needs, 2 * n) : nil)
        }
    }

    /// Issue 25's estimator (``Estimator/v1``), on the decisions' increments.
    static func evppiPartsV1(_ increments: [[[Double]]], _ varying: [[Double]], _ n: Int) -> [Parts] {
        let all = Array(0..<n)
        var chosen = [Int](repeating: -1, count: increments.count)
        var value = [Double](repeating: 0, count: increments.count)
        var bestScore = [Double](repeating: .infinity, count: increments.count)
        for k in RegressionSpline.knotCounts {
            guard let basis = RegressionSpline.Basis(inputs: varying, draws: all, interiorKnots: k) else { continue }
            if let solver = basis.solver() {
                for (d, responses) in increments.enumerated() where !responses.isEmpty {
                    let fitted = responses.map(solver.fitted)
                    let score = RegressionSpline.gcv(responses, fitted, columns: basis.columns)
                    if score < bestScore[d] { (bestScore[d], chosen[d], value[d]) = (score, k, RegressionSpline.gain(fitted)) }
                }
            }
            // Inputs fitted by their values' means have the same basis for every knot count.
            if !basis.hasSplines { break }
        }
        var batchValues = [[Double]](repeating: Array(repeating: 0, count: batches), count: increments.count)
        for b in 0..<batches {
            let draws = Array(stride(from: b, to: n, by: batches))
            for k in Set(chosen) where k >= 0 {
                guard let basis = RegressionSpline.Basis(inputs: varying, draws: draws, interiorKnots: k),
                      let solver = basis.solver() else { continue }
                for d in increments.indices where chosen[d] == k {
                    batchValues[d][b] = RegressionSpline.gain(increments[d].map { y in solver.fitted(draws.map { y[$0] }) })
                }
            }
        }
        return increments.indices.map { Parts(value: value[$0], batches: batchValues[$0]) }
    }

    /// The expected value of sample information of a pilot of `cases` cases observing the input θ under `model`, by
    /// the regression method (Strong, Oakley, Brennan & Breeze 2015): in each draw the pilot's result is simulated
    /// from the draw's value of the input, and the options' values are regressed on the results' statistic as on an
    /// input (``evppi(_:input:)``). It rises with the pilot's size towards the input's EVPPI. The results come from
    /// their own stream of `seed`, so the estimate is reproducible. Nil for a pilot of no cases, or inputs that do
    /// not match the draws.
    public static func evsi(_ values: [[Double]], input θ: [Double], observing model: ObservationModel, cases: Int,
                            seed: UInt64) -> MeanEstimate? {
        pilotResults(θ, observing: model, cases: cases, seed: seed).flatMap { evppi(values, input: $0) }
    }

    /// A pilot's simulated result in each draw (`Observation.statistic`: the successes, or the mean measurement),
    /// from the draw's value θ of the input, drawn from the pilot's own stream of `seed` (so the same for any
    /// threads). Nil where the model cannot observe some draw's θ (`ObservationModel.simulate(_:cases:random:)`).
    public static func pilotResults(_ θ: [Double], observing model: ObservationModel, cases: Int, seed: UInt64) -> [Double]? {
        let random = RandomStream(seed: seed, stream: 0x5E51)
        var results: [Double] = []
        results.reserveCapacity(θ.count)
        for value in θ {
            guard let observed = model.simulate(value, cases: cases, random: random) else { return nil }
            results.append(observed.statistic)
        }
        return results
    }

    /// The option with the highest mean value (its index).
    public static func bestOnAverage(_ values: [[Double]]) -> Int {
        let means = values.map { $0.reduce(0, +) / Double($0.count) }
        return means.indices.max { means[$0] < means[$1] }!
    }

    /// The mean of `x` with its standard error.
    public static func meanWithError(_ x: [Double]) -> MeanEstimate {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return MeanEstimate(value: mean, standardError: (variance / n).squareRoot())
    }
}

/// Least-squares cubic regression splines: a clamped cubic B-spline basis per input with interior knots at the
/// input's quantiles, summed over the inputs (an additive model), the number of knots chosen by generalised
/// cross-validation, GCV = n·RSS / (n − p)².
enum RegressionSpline {
    /// Interior knot counts tried.
    static let knotCounts = [0, 1, 2, 4, 8, 16]

    /// Each response's fitted values on the sum of a spline per input, the knots chosen by GCV over all responses.
    static func fit(inputs: [[Double]], responses: [[Double]]) -> [[Double]] {
        guard let n = inputs.first?.count else { return [] }
        var best: (score: Double, fitted: [[Double]])?
        for k in knotCounts {
            guard let basis = Basis(inputs: inputs, draws: Array(0..<n), interiorKnots: k) else { continue }
            if let solver = basis.solver() {
                let fitted = responses.map(solver.fitted)
                let score = gcv(responses, fitted, columns: basis.columns)
                if best == nil || score < best!.score { best = (score, fitted) }
            }
            if !basis.hasSplines { break }
        }
        return best?.fitted ?? responses.map { r in Array(repeating: r.reduce(0, +) / Double(max(1, n)), count: n) }
    }

    /// The conditional gain of choosing with the input known: the mean over draws of max(0, the largest fitted
    /// increment).
    static func gain(_ fitted: [[Double]]) -> Double {
        guard let m = fitted.first?.count, m > 0 else { return 0 }
        var top = [Double](repeating: 0, count: m)
        for f in fitted {
            for i in 0..<m where f[i] > top[i] { top[i] = f[i] }
        }
        return top.reduce(0, +) / Double(m)
    }

    /// Each decision's model chosen by GCV among an intercept alone (knots nil) and the splines of ``knotCounts``
    /// interior knots (`responses[d]`: decision d's increments, over `draws`), with its gain and its coefficients.
    static func choose(_ responses: [[[Double]]], inputs: [[Double]], draws: [Int])
        -> [(gain: Double, columns: Int, knots: Int?)] {
        let n = draws.count
        // The intercept alone (knots nil): each increment's mean, whose gain is max(0, the largest mean).
        var best = responses.map { r -> (score: Double, gain: Double, columns: Int, knots: Int?) in
            let means = r.map { $0.reduce(0, +) / Double(n) }
            let rss = zip(r, means).reduce(0.0) { t, pair in t + pair.0.reduce(0) { $0 + ($1 - pair.1) * ($1 - pair.1) } }
            return (Double(n) * rss / (Double(n - 1) * Double(n - 1)), max(0, means.max() ?? 0), 1, nil)
        }
        for k in knotCounts {
            guard let basis = Basis(inputs: inputs, draws: draws, interiorKnots: k) else { continue }
            if let solver = basis.solver() {
                for (d, r) in responses.enumerated() where !r.isEmpty {
                    let fitted = r.map(solver.fitted)
                    let score = gcv(r, fitted, columns: basis.columns)
                    if score < best[d].score { best[d] = (score, gain(fitted), basis.columns, k) }
                }
            }
            if !basis.hasSplines { break }
        }
        return best.map { ($0.gain, $0.columns, $0.knots) }
    }

    /// Generalised cross-validation of a least-squares fit with `columns` coefficients, summed over the responses:
    /// n·RSS / (n − p)².
    static func gcv(_ responses: [[Double]], _ fitted: [[Double]], columns: Int) -> Double {
        let n = Double(responses.first?.count ?? 0), p = Double(columns)
        let rss = zip(responses, fitted).reduce(0.0) { t, pair in t + zip(pair.0, pair.1).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        return n * rss / ((n - p) * (n - p))
    }

    /// The design matrix of an additive cubic spline on some draws, stored by its non-zeros: one intercept, then
    /// per input its B-spline functions but the first (each input's functions sum to one); at any point four
    /// functions per input are non-zero.
    struct Basis {
        let rows: Int
        let columns: Int
        /// Non-zeros per row: the intercept and four per input.
        let perRow: Int
        let index: [Int]
        let value: [Double]
        /// Whether some input is fitted by a spline (else every input by its values' means, whatever the knots).
        let hasSplines: Bool

        /// Inputs with at most this many distinct values (an adoption year of 1, 2 or 3; a barrier present at 0, 1 or
        /// 2 of 3 organisations) get one indicator per value instead of a spline: the fit is then each value's
        /// mean, the exact conditional expectation, and a cubic through three points would be singular.
        static let categoricalUpTo = 24

        /// Nil when there are too few draws for this many knots (fewer than four per coefficient); a basis that is
        /// singular (knots that coincide) has no ``solver()``.
        init?(inputs: [[Double]], draws: [Int], interiorKnots k: Int) {
            let n = draws.count, functions = k + 4
            rows = n
            perRow = 1 + 4 * inputs.count
            var index = [Int](repeating: 0, count: n * perRow), value = [Double](repeating: 0, count: n * perRow)
            var offset = 1, splines = false
            for (j, x) in inputs.enumerated() {
                let sorted = draws.map { x[$0] }.sorted()
                var distinct: [Double] = []
                for v in sorted where distinct.last != v {
                    distinct.append(v)
                    if distinct.count > Self.categoricalUpTo { break }
                }
                if distinct.count <= Self.categoricalUpTo {
                    // One indicator per value but the first (collinear with the intercept).
                    let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
                    for (r, i) in draws.enumerated() {
                        let c = position[x[i]]!
                        index[r * perRow + 1 + 4 * j] = c == 0 ? 0 : offset + c - 1
                        value[r * perRow + 1 + 4 * j] = c == 0 ? 0 : 1
                    }
                    offset += distinct.count - 1
                    continue
                }
                splines = true
                let interior = (0..<k).map { sorted[min(n - 1, Int(Double($0 + 1) / Double(k + 1) * Double(n)))] }
                let knots = Array(repeating: sorted[0], count: 4) + interior + Array(repeating: sorted[n - 1], count: 4)
                for (r, i) in draws.enumerated() {
                    let (first, b) = RegressionSpline.nonZero(x[i], knots: knots)
                    let base = r * perRow + 1 + 4 * j
                    for q in 0..<4 {
                        // Function 0 is dropped (collinear with the intercept): its weight goes nowhere.
                        let f = first + q
                        index[base + q] = f == 0 ? 0 : offset + f - 1
                        value[base + q] = f == 0 ? 0 : b[q]
                    }
                }
                offset += functions - 1
            }
            columns = offset
            hasSplines = splines
            guard columns * 4 < n else { return nil }
            for r in 0..<n { index[r * perRow] = 0; value[r * perRow] = 1 }
            self.index = index
            self.value = value
        }

        /// The Cholesky factor of the normal equations; nil when the basis is singular.
        func solver() -> Solver? {
            let p = columns
            var gram = [Double](repeating: 0, count: p * p)
            // Raw buffers: the loops below run rows × (1 + 4·inputs)² times.
            index.withUnsafeBufferPointer { index in
                value.withUnsafeBufferPointer { value in
                    gram.withUnsafeMutableBufferPointer { gram in
                        for r in 0..<rows {
                            let base = r * perRow
                            for a in 0..<perRow {
                                let (ia, va) = (index[base + a], value[base + a])
                                guard va != 0 else { continue }
                                for b in 0..<perRow {
                                    let (ib, vb) = (index[base + b], value[base + b])
                                    if ib >= ia { gram[ia * p + ib] += va * vb }
                                }
                            }
                        }
                    }
                }
            }
            // Cholesky of the upper triangle: gram = L·Lᵀ, L stored row-major.
            var l = [Double](repeating: 0, count: p * p)
            for i in 0..<p {
                for j in 0...i {
                    var sum = gram[j * p + i]
                    for q in 0..<j { sum -= l[i * p + q] * l[j * p + q] }
                    if i == j {
                        guard sum > 1e-10 * max(1, gram[i * p + i]) else { return nil }
                        l[i * p + i] = sum.squareRoot()
                    } else {
                        l[i * p + j] = sum / l[j * p + j]
                    }
                }
            }
            return Solver(basis: self, l: l)
        }
    }

    /// Least squares on a ``Basis`` by its normal equations' Cholesky factor.
    struct Solver {
        let basis: Basis
        let l: [Double]

        /// The fitted values of least squares of `y` (one value per row of the basis).
        func fitted(_ y: [Double]) -> [Double] {
            let (p, perRow, rows) = (basis.columns, basis.perRow, basis.rows)
            var rhs = [Double](repeating: 0, count: p)
            var out = [Double](repeating: 0, count: rows)
            // Raw buffers: this runs once per response, input and batch, over every draw.
            basis.index.withUnsafeBufferPointer { index in
                basis.value.withUnsafeBufferPointer { value in
                    l.withUnsafeBufferPointer { l in
                        rhs.withUnsafeMutableBufferPointer { rhs in
                            y.withUnsafeBufferPointer { y in
                                for r in 0..<rows {
                                    let base = r * perRow
                                    for a in 0..<perRow { rhs[index[base + a]] += value[base + a] * y[r] }
                                }
                            }
                            // Solve L z = rhs, then Lᵀ β = z.
                            for i in 0..<p {
                                var s = rhs[i]
                                for q in 0..<i { s -= l[i * p + q] * rhs[q] }
                                rhs[i] = s / l[i * p + i]
                            }
                            for i in stride(from: p - 1, through: 0, by: -1) {
                                var s = rhs[i]
                                for q in (i + 1)..<p { s -= l[q * p + i] * rhs[q] }
                                rhs[i] = s / l[i * p + i]
                            }
                            out.withUnsafeMutableBufferPointer { out in
                                for r in 0..<rows {
                                    let base = r * perRow
                                    var f = 0.0
                                    for a in 0..<perRow { f += value[base + a] * rhs[index[base + a]] }
                                    out[r] = f
                                }
                            }
                        }
                    }
                }
            }
            return out
        }
    }

    /// The first of the four cubic B-spline functions non-zero at `x` for clamped `knots`, and their values
    /// (Cox–de Boor); they sum to 1.
    static func nonZero(_ x: Double, knots t: [Double]) -> (Int, SIMD4<Double>) {
        let count = t.count - 4
        // The knot span holding x (the last non-empty span for x at the right end), by binary search.
        var lo = 3, hi = count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if x >= t[mid] { lo = mid } else { hi = mid - 1 }
        }
        let span = lo
        var b = SIMD4<Double>(1, 0, 0, 0), left = SIMD4<Double>(), right = SIMD4<Double>()
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
        return (span - 3, b)
    }

    /// Every cubic B-spline function at `x` for clamped `knots` (zeros but four); they sum to 1.
    static func bsplineBasis(_ x: Double, knots t: [Double]) -> [Double] {
        var row = [Double](repeating: 0, count: t.count - 4)
        let (first, b) = nonZero(x, knots: t)
        for q in 0..<4 where first + q < row.count { row[first + q] = b[q] }
        return row
    }
}
