import Foundation

/// Bayes' rule for one input: a prior ``Distribution`` and what was observed of it (one ``Observation`` or several,
/// independent given the input) give the posterior distribution.
///
/// Conjugate where the prior allows — beta prior and successes (beta–binomial), untruncated normal prior and
/// measurements (normal–normal), a discrete prior (its weights times the likelihood) — and otherwise an exact
/// one-dimensional posterior by quadrature on the prior's normal scores: with t standard normal and x = Q(Φ(t)) (Q the
/// prior's quantile function, computed from Φ(t) below the median and from 1 − Φ(t) above it, so that both tails
/// keep their precision), the posterior density of t is φ(t)·L(x(t)) normalised. Its CDF is a cumulative sum over a
/// grid of cells in t, laid first over t ∈ [−37, 37] (all but 10⁻²⁹⁹ of the prior) and then again, up to
/// `maxZooms` times, over the cells that hold all but 10⁻¹² of the posterior in each tail, until they fill more than
/// half the grid: wherever the likelihood puts the posterior — in the prior's bulk, far in its tail, or in a sliver
/// of it — it spans thousands of cells. The posterior's quantile at p is x(t) at the t where that CDF reaches p.
///
/// The result is a ``Distribution/tabulated(quantiles:)`` of `pieces` (8,192) pieces: its quantiles at j/`pieces`
/// exactly, but for the two ends, which are placed so that each end piece has the posterior's mean over its
/// 1/`pieces` of probability (a uniform piece reaching into an unbounded tail would inflate the variance; one
/// stopping short of it would bias the mean). The posterior's mean, sd, p5 and p95 are within 10⁻⁴ of its sd of the
/// exact ones (tests check them against numerical integration in x), and its draws pass Kolmogorov–Smirnov at 10⁵.
///
/// Several observations update the prior once, with the product of their likelihoods, so that evidence in sequence
/// equals the same data pooled. ``Version/v1`` is the quadrature of earlier releases (a grid in u = F(x), and each
/// further observation updating the tabulated posterior of the one before), kept for their numbers.
public enum Posterior {
    /// How a posterior was found.
    public enum Method: String, Sendable, Codable {
        case betaBinomial = "beta-binomial"
        case normalNormal = "normal-normal"
        case discrete
        case quadrature
        /// The quadrature of ``Version/v1``.
        case quadratureV1 = "quadrature-v1"
        /// A constant prior: no observation moves it.
        case unchanged
    }

    /// Which quadrature finds non-conjugate posteriors.
    public enum Version: String, Sendable, CaseIterable, Codable {
        /// Before issue 26: cells in u = F(x) (which misplaces a posterior beyond the prior's 99.9th percentile), and
        /// evidence in sequence updating the previous posterior's table (which ends at its 0.005th percentiles).
        case v1
        /// Cells in the prior's normal scores, zoomed until the posterior fills them; all observations at once.
        case v2
    }

    /// Grid cells per pass of the quadrature.
    static let cells = 8_192
    /// Pieces of the tabulated posterior (its quantiles at j/pieces): enough that an end piece, 1/8,192 of the
    /// probability, moves the sd by under 10⁻⁴ even where the posterior's tail is exponential.
    static let pieces = 8_192
    /// Pieces of ``Version/v1``'s tables.
    static let piecesV1 = 2_048

    /// The posterior of `prior` after `observation`, and how it was found.
    /// - Throws: ``DistributionError`` when the observation is invalid, cannot inform this prior (successes for an
    ///   input outside [0, 1]), or is impossible under it.
    public static func update(_ prior: Distribution, _ observation: Observation) throws(DistributionError) -> (Distribution, Method) {
        try update(prior, [observation])
    }

    /// The posterior of `prior` after all of `observations` (independent given the input), and how it was found:
    /// with ``Version/v2`` one update with the product of their likelihoods, the same as pooling their data.
    /// - Throws: ``DistributionError`` when an observation is invalid, cannot inform this prior, or the observations
    ///   together are impossible under it.
    public static func update(_ prior: Distribution, _ observations: [Observation],
                              version: Version = .v2) throws(DistributionError) -> (Distribution, Method) {
        try Distribution.require(!observations.isEmpty, nil, "there is no observation to update the prior with")
        for observation in observations {
            try observation.validate()
            try observation.canInform(prior)
        }
        if version == .v1 {
            var current = (prior, Method.unchanged)
            for observation in observations { current = try updateV1(current.0, observation) }
            return current
        }
        // The product of the likelihoods in at most two terms, so that a long sequence costs what one observation does.
        let observations = Observation.pooled(observations)
        let successes = observations.compactMap { o -> (Int, Int)? in if case let .successes(s, n) = o { (s, n) } else { nil } }
        let measured = observations.compactMap { o -> (Double, Double)? in if case let .measured(x, se) = o { (x, se) } else { nil } }
        switch prior {
        case .constant:
            return (prior, .unchanged)
        case let .beta(a, b) where successes.count == observations.count:
            let s = successes.reduce(0) { $0 + $1.0 }, n = successes.reduce(0) { $0 + $1.1 }
            return (.beta(alpha: a + Double(s), beta: b + Double(n - s)), .betaBinomial)
        case let .normal(mu, sd, nil, nil) where measured.count == observations.count:
            var precision = 1 / (sd * sd), weighted = mu / (sd * sd)
            for (x, se) in measured { precision += 1 / (se * se); weighted += x / (se * se) }
            return (.normal(mean: weighted / precision, sd: (1 / precision).squareRoot(), min: nil, max: nil), .normalNormal)
        case let .discrete(values, weights):
            let log = values.map { logLikelihood(observations, $0) }
            let top = zip(log, weights).filter { $0.1 > 0 }.map(\.0).max() ?? -.infinity
            try possible(top - bestLogLikelihood(observations))
            return (.discrete(values: values, weights: zip(log, weights).map { $1 * exp($0 - top) }), .discrete)
        default:
            return (.tabulated(quantiles: try quadrature(prior, observations)), .quadrature)
        }
    }

    /// The first releases' update by one observation (``Version/v1``).
    static func updateV1(_ prior: Distribution, _ observation: Observation) throws(DistributionError) -> (Distribution, Method) {
        switch (prior, observation) {
        case (.constant, _), (.beta, .successes), (.normal(_, _, nil, nil), .measured), (.discrete, _):
            return try update(prior, [observation])
        default:
            return (.tabulated(quantiles: try quadratureV1(prior, observation)), .quadratureV1)
        }
    }

    /// Refuses observations that contradict the prior: their likelihood everywhere the prior allows is below e⁻⁵⁰ of
    /// its best (a measurement more than 10 standard errors from every value the prior allows). `drop` is the best
    /// log-likelihood where the prior allows less the best anywhere.
    static func possible(_ drop: Double) throws(DistributionError) {
        try Distribution.require(drop.isFinite && drop > -50, nil, """
            the observation contradicts the prior: it is practically impossible (likelihood below e^-50 of its best) everywhere the \
            prior allows; check the prior's range and the observation
            """)
    }

    /// The log-likelihood of independent observations at input value x (NaN, as from a share outside [0, 1], as −∞).
    static func logLikelihood(_ observations: [Observation], _ x: Double) -> Double {
        var total = 0.0
        for o in observations { total += o.logLikelihood(x) }
        return total.isNaN ? -.infinity : total
    }

    /// Where the joint log-likelihood of `observations` peaks: each is concave in x and peaks at s/n or its measured
    /// value, so their sum peaks between the smallest and the largest of those (golden-section search there).
    static func peak(_ observations: [Observation]) -> Double {
        let peaks = observations.map(\.peak)
        var (a, b) = (peaks.min()!, peaks.max()!)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<200 where b - a > 1e-15 * max(abs(a), abs(b), 1e-300) {
            let (c, d) = (b - ratio * (b - a), a + ratio * (b - a))
            if logLikelihood(observations, c) >= logLikelihood(observations, d) { b = d } else { a = c }
        }
        return (a + b) / 2
    }

    /// The largest joint log-likelihood any input value could give.
    static func bestLogLikelihood(_ observations: [Observation]) -> Double { logLikelihood(observations, peak(observations)) }

    /// Zooms of the quadrature after its first pass, at most.
    static let maxZooms = 8
    /// Each tail's posterior probability the zoom may leave out.
    static let zoomTail = 1e-12
    /// The normal scores of what the prior allows, for the contradiction test: all but 10⁻¹² in each tail.
    static let allowedScore = 7.034483825
    /// The normal scores the quadrature spans: all but Φ(−37) ≈ 6·10⁻³⁰⁰ of the prior in each tail.
    static let scoreLimit = 37.0

    /// The posterior's quantiles at j/``pieces`` (the ends mean-matched), by quadrature on the prior's normal scores
    /// (see ``Posterior``).
    static func quadrature(_ prior: Distribution, _ observations: [Observation]) throws(DistributionError) -> [Double] {
        let score = NormalScores(prior)
        let (lowest, highest) = (score.x(-scoreLimit), score.x(scoreLimit))
        // What the prior allows, for the contradiction test: all but 10⁻¹² of it in each tail (Φ⁻¹(10⁻¹²) = −7.034).
        let best = peak(observations), allowed = (score.x(-allowedScore), score.x(allowedScore))
        try possible(logLikelihood(observations, min(max(best, allowed.0), allowed.1)) - logLikelihood(observations, best))
        // One pass over [lo, hi] in t: each cell's posterior weight (its density at the midpoint, times the width).
        func pass(_ lo: Double, _ hi: Double) throws(DistributionError) -> [Double] {
            let width = (hi - lo) / Double(cells)
            let log = (0..<cells).map { k -> Double in
                let t = lo + (Double(k) + 0.5) * width
                return -t * t / 2 + logLikelihood(observations, score.x(t))
            }
            let top = log.max() ?? -.infinity
            try Distribution.require(top.isFinite, nil, "the observation's likelihood is not a number anywhere the prior allows")
            return log.map { exp($0 - top) }
        }
        var (lo, hi) = (-scoreLimit, scoreLimit)
        var weights = try pass(lo, hi)
        for _ in 0..<maxZooms {
            let (first, last) = kept(weights, leaving: zoomTail)
            if last - first + 1 > cells / 2 { break }
            let width = (hi - lo) / Double(cells)
            let (newLo, newHi) = (lo + Double(max(0, first - 1)) * width, lo + Double(min(cells, last + 2)) * width)
            // Narrower than the scores' precision: the posterior is a point for this quadrature.
            guard newHi - newLo > 1e-13 * max(1, abs(newLo), abs(newHi)) else { break }
            (lo, hi) = (newLo, newHi)
            weights = try pass(lo, hi)
        }
        // The posterior CDF of t at the cell boundaries, then its inverse at j/pieces, mapped through x(t).
        let cumulative = runningSum(weights), mass = cumulative[cells]
        let width = (hi - lo) / Double(cells)
        func t(_ p: Double, from start: Int) -> (t: Double, cell: Int) {
            var k = start
            while k < cells - 1 && cumulative[k + 1] < p { k += 1 }
            let inCell = weights[k] > 0 ? min(1, max(0, (p - cumulative[k]) / weights[k])) : 0
            return (lo + (Double(k) + inCell) * width, k)
        }
        var quantiles: [Double] = []
        quantiles.reserveCapacity(pieces + 1)
        var k = 0
        for j in 0...pieces {
            let found = t(Double(j) / Double(pieces) * mass, from: k)
            k = found.cell
            quantiles.append(score.x(found.t))
        }
        // The end pieces: each has the posterior's mean over its 1/pieces of probability (within the support).
        let (lowMean, highMean) = endMeans(score, weights, cumulative, lo, width, mass / Double(pieces))
        quantiles[0] = max(lowest, min(quantiles[1], 2 * lowMean - quantiles[1]))
        quantiles[pieces] = min(highest, max(quantiles[pieces - 1], 2 * highMean - quantiles[pieces - 1]))
        // x(t) is monotone; rounding in the last place must not make the table decrease.
        for j in 1..<quantiles.count where quantiles[j] < quantiles[j - 1] { quantiles[j] = quantiles[j - 1] }
        try Distribution.require(quantiles[0] < quantiles[pieces], nil, """
            the posterior is narrower than dxmap can tabulate (the observation is far more precise than the prior's scale)
            """)
        return quantiles
    }

    /// The first and last cells once all but `share` of the total weight is left out in each tail.
    static func kept(_ weights: [Double], leaving share: Double) -> (first: Int, last: Int) {
        let total = weights.reduce(0, +)
        var first = 0, last = weights.count - 1, tail = 0.0
        while first < last, tail + weights[first] < share * total { tail += weights[first]; first += 1 }
        tail = 0
        while last > first, tail + weights[last] < share * total { tail += weights[last]; last -= 1 }
        return (first, last)
    }

    /// 0 and the running sums of `weights`: the CDF at the cell boundaries, unnormalised.
    static func runningSum(_ weights: [Double]) -> [Double] {
        var cumulative = [0.0]
        cumulative.reserveCapacity(weights.count + 1)
        for w in weights { cumulative.append(cumulative[cumulative.count - 1] + w) }
        return cumulative
    }

    /// The posterior's mean over its lowest and over its highest `share` of probability, from the quadrature's cells
    /// (each cell's density constant in t, as the quantiles take it; x averaged at eight points across the part taken).
    static func endMeans(_ score: NormalScores, _ weights: [Double], _ cumulative: [Double], _ lo: Double, _ width: Double,
                         _ share: Double) -> (low: Double, high: Double) {
        func mean(fromLow: Bool) -> Double {
            var mass = 0.0, moment = 0.0
            for k in fromLow ? Array(0..<cells) : Array((0..<cells).reversed()) where mass < share && weights[k] > 0 {
                let take = min(weights[k], share - mass), fraction = take / weights[k]
                // The part of cell k taken lies on the side of the end: [k, k + fraction] or [k + 1 − fraction, k + 1].
                let start = fromLow ? Double(k) : Double(k + 1) - fraction
                let x = (0..<8).reduce(0.0) { $0 + score.x(lo + (start + (Double($1) + 0.5) / 8 * fraction) * width) }
                moment += take * x / 8
                mass += take
            }
            return moment / mass
        }
        return (mean(fromLow: true), mean(fromLow: false))
    }

    /// The probability, under the prior, of a result at least as extreme as `observation` (two-sided: twice the
    /// smaller tail of its prior predictive distribution, at most 1). Below about 10⁻³ the data sit far in the prior's
    /// tail, and the prior is probably wrong (a prior–data conflict, Evans & Moshonov 2006): the posterior is still
    /// what Bayes' rule gives, but it leans on the prior's tail shape, which nobody elicited.
    public static func conflict(_ prior: Distribution, _ observation: Observation) -> Double {
        func tails(_ x: Double) -> (Double, Double) { observation.tails(at: x) }
        var upper = 0.0, lower = 0.0, total = 0.0
        switch prior {
        case let .constant(c):
            (upper, lower, total) = (tails(c).0, tails(c).1, 1)
        case let .discrete(values, weights):
            for (v, w) in zip(values, weights) where w > 0 {
                let (u, l) = tails(v)
                (upper, lower, total) = (upper + w * u, lower + w * l, total + w)
            }
        default:
            // The prior's normal scores over ±8.5 (all but 10⁻¹⁷ of it), 4,096 cells.
            let score = NormalScores(prior), count = 4_096, width = 17.0 / Double(count)
            for k in 0..<count {
                let t = -8.5 + (Double(k) + 0.5) * width, w = exp(-t * t / 2)
                let (u, l) = tails(score.x(t))
                (upper, lower, total) = (upper + w * u, lower + w * l, total + w)
            }
        }
        return min(1, 2 * min(upper, lower) / total)
    }

    /// Below this prior predictive probability (``conflict(_:_:)``) a scenario's evidence is warned about.
    public static let conflictWarning = 1e-3

    // MARK: - Version 1

    /// Zooms after the first of ``Version/v1``: while the posterior's mass lies in fewer cells than this, the grid is
    /// laid again over those cells.
    static let resolvedCells = 512
    /// The most zooms of ``Version/v1``.
    static let maxZoomsV1 = 4

    /// The posterior's quantiles at j/``piecesV1`` by the quadrature of ``Version/v1``: cells in u = F(x), the
    /// prior's quantile function kept off 0 and 1 by 10⁻¹², zooms keeping every cell above 10⁻¹³ of the mass, and end
    /// pieces stopping a tenth of a piece short of the tails.
    static func quadratureV1(_ prior: Distribution, _ observation: Observation) throws(DistributionError) -> [Double] {
        let sampler = Sampler(prior)
        // The quantile at u, kept off 0 and 1 where unbounded families have infinite quantiles.
        func q(_ u: Double) -> Double { sampler.quantile(min(max(u, 1e-12), 1 - 1e-12)) }
        try possible(observation.bestLogLikelihood(in: q(0), q(1)) - observation.bestLogLikelihood)
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
        for zoom in 0..<maxZoomsV1 {
            let (first, last) = kept(weights, leaving: 1e-13)
            if zoom > 0 && last - first + 1 >= resolvedCells { break }
            let width = (hi - lo) / Double(cells)
            (lo, hi) = (lo + Double(max(0, first - 1)) * width, lo + Double(min(cells, last + 2)) * width)
            weights = try pass(lo, hi)
        }
        let cumulative = runningSum(weights), mass = cumulative[cells]
        let width = (hi - lo) / Double(cells)
        var quantiles: [Double] = []
        var k = 0
        for j in 0...piecesV1 {
            let p = min(max(Double(j), 0.1), Double(piecesV1) - 0.1) / Double(piecesV1) * mass
            while k < cells - 1 && cumulative[k + 1] < p { k += 1 }
            let inCell = weights[k] > 0 ? min(1, max(0, (p - cumulative[k]) / weights[k])) : 0
            quantiles.append(q(lo + (Double(k) + inCell) * width))
        }
        for j in 1..<quantiles.count where quantiles[j] < quantiles[j - 1] { quantiles[j] = quantiles[j - 1] }
        try Distribution.require(quantiles[0] < quantiles[piecesV1], nil, """
            the posterior is narrower than dxmap can tabulate (the observation is far more precise than the prior's scale)
            """)
        return quantiles
    }
}

/// A continuous distribution as a map of a standard normal score t: x(t) = Q(Φ(t)), computed from Φ(t) for t ≤ 0 and
/// from the upper tail 1 − Φ(t) = Φ(−t) for t > 0 (``Sampler/quantile(upper:)``), so that neither tail loses its
/// precision; exactly μ + σt for a normal and exp(μ + σt) for a lognormal.
struct NormalScores {
    let sampler: Sampler

    init(_ distribution: Distribution) { sampler = Sampler(distribution) }

    func x(_ t: Double) -> Double {
        switch sampler.distribution {
        case let .normal(mu, sd, nil, nil): return mu + sd * t
        case let .lognormal(mu, sigma): return exp(mu + sigma * t)
        default:
            return t <= 0 ? sampler.quantile(standardNormalCDF(t)) : sampler.quantile(upper: standardNormalCDF(-t))
        }
    }
}
