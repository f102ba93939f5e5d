import Foundation

/// What a pilot observed about one uncertain input.
public enum Observation: Sendable, Hashable {
    /// `successes` of `trials` cases succeeded, each with the input (a share in [0, 1]) as its probability: a
    /// binomial likelihood.
    case successes(Int, trials: Int)
    /// The input was measured as `value` with normal error of sd `standardError`.
    case measured(value: Double, standardError: Double)

    /// Checks the observation on its own (successes within trials, a positive finite standard error).
    public func validate() throws(DistributionError) {
        switch self {
        case let .successes(s, n):
            try Distribution.require(n >= 1, "trials", "trials must be a whole number of at least 1, found \(n)")
            try Distribution.require(s >= 0 && s <= n, "successes",
                                     "successes must lie between 0 and the \(n) trials, found \(s)")
        case let .measured(value, se):
            try Distribution.require(value.isFinite, "measured", "the measured value must be a finite number, found \(value)")
            try Distribution.require(se.isFinite && se > 0, "se", "the standard error must be a positive number, found \(fmt(se))")
        }
    }

    /// The largest log-likelihood any input value could give (at s/n, or at the measured value).
    var bestLogLikelihood: Double {
        switch self {
        case let .successes(s, n): logLikelihood(Double(s) / Double(n))
        case .measured: 0
        }
    }

    /// The largest log-likelihood over input values in [lower, upper]: at s/n or the measured value when it lies
    /// there, else at the nearer end (the likelihood is unimodal).
    func bestLogLikelihood(in lower: Double, _ upper: Double) -> Double {
        let peak: Double
        switch self {
        case let .successes(s, n): peak = Double(s) / Double(n)
        case let .measured(value, _): peak = value
        }
        return logLikelihood(min(max(peak, lower), upper))
    }

    /// The log-likelihood of the observation at input value x (up to a constant).
    func logLikelihood(_ x: Double) -> Double {
        switch self {
        case let .successes(s, n):
            let a = s == 0 ? 0 : Double(s) * log(x), b = s == n ? 0 : Double(n - s) * log1p(-x)
            return a + b
        case let .measured(value, se):
            let z = (x - value) / se
            return -z * z / 2
        }
    }
}

/// Bayes' rule for one input: a prior ``Distribution`` and an ``Observation`` give the posterior distribution.
///
/// Conjugate where the prior allows — beta prior and successes (beta–binomial), untruncated normal prior and a
/// measurement (normal–normal), a discrete prior (its weights times the likelihood) — and otherwise an exact
/// one-dimensional posterior by quadrature on the prior's quantile function, for any family: with u uniform on
/// (0, 1) and x = Q(u), the posterior density of u is the likelihood L(Q(u)) normalised, so its CDF is a
/// cumulative sum over a fine grid of u, and the posterior's quantile at p is Q(u) at the u where that CDF
/// reaches p. The grid is laid twice, the second time over the u-interval that holds the posterior's mass, so
/// that data much more precise than the prior are resolved too. The result is a ``Distribution/tabulated(quantiles:)``
/// whose two end pieces stop a tenth of a piece (5·10⁻⁵ of probability) short of the extreme tails.
public enum Posterior {
    /// How a posterior was found.
    public enum Method: String, Sendable, Codable {
        case betaBinomial = "beta-binomial"
        case normalNormal = "normal-normal"
        case discrete
        case quadrature
        /// A constant prior: no observation moves it.
        case unchanged
    }

    /// Grid cells per pass of the quadrature.
    static let cells = 8_192
    /// Pieces of the tabulated posterior (its quantiles at j/pieces).
    static let pieces = 2_048

    /// The posterior of `prior` after `observation`, and how it was found.
    /// - Throws: ``DistributionError`` when the observation is invalid, cannot inform this prior (successes for an
    ///   input outside [0, 1]), or is impossible under it.
    public static func update(_ prior: Distribution, _ observation: Observation) throws(DistributionError) -> (Distribution, Method) {
        try observation.validate()
        if case let .successes(_, n) = observation {
            let s = prior.support
            try Distribution.require(s.lower >= 0 && s.upper <= 1, "successes", """
                successes out of trials inform a share in [0, 1], but this \(prior.family) prior ranges over \
                [\(fmt(s.lower)), \(fmt(s.upper))]
                """)
            _ = n
        }
        switch (prior, observation) {
        case (.constant, _):
            return (prior, .unchanged)
        case let (.beta(a, b), .successes(s, n)):
            return (.beta(alpha: a + Double(s), beta: b + Double(n - s)), .betaBinomial)
        case let (.normal(mu, sd, nil, nil), .measured(x, se)):
            let precision = 1 / (sd * sd) + 1 / (se * se)
            return (.normal(mean: (mu / (sd * sd) + x / (se * se)) / precision, sd: (1 / precision).squareRoot(), min: nil, max: nil),
                    .normalNormal)
        case let (.discrete(values, weights), _):
            let log = values.map(observation.logLikelihood)
            let top = zip(log, weights).filter { $0.1 > 0 }.map(\.0).max() ?? -.infinity
            try possible(top, observation)
            return (.discrete(values: values, weights: zip(log, weights).map { $1 * exp($0 - top) }), .discrete)
        default:
            return (.tabulated(quantiles: try quadrature(prior, observation)), .quadrature)
        }
    }

    /// Refuses an observation that contradicts the prior: its likelihood everywhere the prior allows is below e⁻⁵⁰ of
    /// its best (a measurement more than 10 standard errors from every value the prior allows).
    static func possible(_ top: Double, _ observation: Observation) throws(DistributionError) {
        try Distribution.require(top.isFinite && top - observation.bestLogLikelihood > -50, nil, """
            the observation contradicts the prior: it is practically impossible (likelihood below e^-50 of its best) everywhere the \
            prior allows; check the prior's range and the observation
            """)
    }

    /// Zooms after the first: while the posterior's mass lies in fewer cells than this (data far more precise
    /// than a first-pass cell), the grid is laid again over those cells.
    static let resolvedCells = 512
    /// The most zooms (a measurement 10⁻⁹ of the prior's scale is resolved in three). A further zoom starts only where
    /// a first-pass cell is wider than about 20 standard errors of a measurement (so that the mass of the second pass
    /// lies in under 512 cells), which the grid-based contradiction test before it refused: every posterior dxmap
    /// gave before is unchanged, bit for bit (CHANGELOG.md).
    static let maxZooms = 4

    /// The posterior's quantiles at j/``pieces``, by quadrature on the prior's quantile function.
    ///
    /// An observation contradicts the prior when its likelihood's best over the values the quadrature reaches,
    /// found exactly (``Observation/bestLogLikelihood(in:_:)``) rather than on a grid that a precise measurement
    /// falls between, is below e⁻⁵⁰ of its best anywhere.
    static func quadrature(_ prior: Distribution, _ observation: Observation) throws(DistributionError) -> [Double] {
        let sampler = Sampler(prior)
        // The quantile at u, kept off 0 and 1 where unbounded families have infinite quantiles.
        func q(_ u: Double) -> Double { sampler.quantile(min(max(u, 1e-12), 1 - 1e-12)) }
        try possible(observation.bestLogLikelihood(in: q(0), q(1)), observation)
        // One pass over [lo, hi] in u: each cell's posterior weight (likelihood at its midpoint, times its width).
        func pass(_ lo: Double, _ hi: Double) throws(DistributionError) -> [Double] {
            let width = (hi - lo) / Double(cells)
            let log = (0..<cells).map { observation.logLikelihood(q(lo + (Double($0) + 0.5) * width)) }
            let top = log.max() ?? -.infinity
            try Distribution.require(top.isFinite, nil, "the observation's likelihood is not a number anywhere the prior allows")
            return log.map { exp($0 - top) }
        }
        var (lo, hi) = (0.0, 1.0)
        var weights = try pass(lo, hi)
        // Zoom on the cells holding all but a negligible part of the mass (1e-13 in each tail), with one cell to spare;
        // again while that is only a few cells.
        for zoom in 0..<maxZooms {
            let total = weights.reduce(0, +)
            var first = 0, last = cells - 1, tail = 0.0
            while first < last, tail + weights[first] < 1e-13 * total { tail += weights[first]; first += 1 }
            tail = 0
            while last > first, tail + weights[last] < 1e-13 * total { tail += weights[last]; last -= 1 }
            if zoom > 0 && last - first + 1 >= resolvedCells { break }
            let width = (hi - lo) / Double(cells)
            (lo, hi) = (lo + Double(max(0, first - 1)) * width, lo + Double(min(cells, last + 2)) * width)
            weights = try pass(lo, hi)
        }
        // The posterior CDF of u at the cell boundaries, then its inverse at j/pieces, mapped through Q.
        var cumulative = [0.0]
        cumulative.reserveCapacity(cells + 1)
        for w in weights { cumulative.append(cumulative[cumulative.count - 1] + w) }
        let mass = cumulative[cells]
        let width = (hi - lo) / Double(cells)
        var quantiles: [Double] = []
        var k = 0
        for j in 0...pieces {
            // The end pieces start and stop a tenth of a piece inside the tails: a uniform piece reaching the far tail
            // would spread its 1/pieces of probability over it and inflate the variance.
            let p = min(max(Double(j), 0.1), Double(pieces) - 0.1) / Double(pieces) * mass
            while k < cells - 1 && cumulative[k + 1] < p { k += 1 }
            let inCell = weights[k] > 0 ? min(1, max(0, (p - cumulative[k]) / weights[k])) : 0
            quantiles.append(q(lo + (Double(k) + inCell) * width))
        }
        // Q is monotone; rounding in the last place must not make the table decrease.
        for j in 1..<quantiles.count where quantiles[j] < quantiles[j - 1] { quantiles[j] = quantiles[j - 1] }
        try Distribution.require(quantiles[0] < quantiles[pieces], nil, """
            the posterior is narrower than dxmap can tabulate (the observation is far more precise than the prior's scale)
            """)
        return quantiles
    }
}
