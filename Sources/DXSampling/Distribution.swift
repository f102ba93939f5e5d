import CGSL
import Foundation

/// A probability distribution of one scalar input, in one of the families of
/// scenario schema 1.
///
/// Every family has the same four abilities, as in GSL: draw a variate
/// (``Sampler/sample(_:)``), evaluate the CDF (``cdf(_:)``), invert it
/// (``quantile(_:)``), and report its moments (``mean``, ``variance``).
/// Alternative parametrisations (`lognormal {mean, sd}`, `beta {mean, sd}`,
/// `lognormal {p5, p95}`, `gamma {mean, sd}`) are converted to the canonical
/// ones by the throwing factory functions below, which also say what is wrong
/// with impossible parameters.
public enum Distribution: Sendable, Hashable {
    /// A fixed value: the scenario wrote a bare number.
    case constant(Double)
    /// Uniform on [min, max].
    case uniform(min: Double, max: Double)
    /// Normal with mean and sd, truncated to [min, max] when either bound is given.
    case normal(mean: Double, sd: Double, min: Double?, max: Double?)
    /// Lognormal: `exp(N(mu, sigma²))`.
    case lognormal(mu: Double, sigma: Double)
    /// Beta(alpha, beta) on [0, 1].
    case beta(alpha: Double, beta: Double)
    /// PERT on [min, max] with the given mode: `min + (max−min)·Beta(α, β)` with
    /// `α = 1 + λ(mode−min)/(max−min)`, `β = 1 + λ(max−mode)/(max−min)` (λ defaults to 4).
    case pert(min: Double, mode: Double, max: Double, lambda: Double)
    /// Triangular on [min, max] with the given mode.
    case triangular(min: Double, mode: Double, max: Double)
    /// Gamma with shape k and scale θ (mean kθ).
    case gamma(shape: Double, scale: Double)
    /// A finite set of values with non-negative weights (normalised internally).
    case discrete(values: [Double], weights: [Double])
    /// A continuous distribution given by its quantiles at the equally spaced probabilities 0, 1/m, …, 1
    /// (`quantiles[j]` at j/m), linear between them: a piecewise-uniform density. Evidence (``Posterior``) makes
    /// it from a prior by quadrature; scenario files do not write it.
    case tabulated(quantiles: [Double])

    /// The family name as written in scenario files.
    public var family: String {
        switch self {
        case .constant: "constant"
        case .uniform: "uniform"
        case .normal: "normal"
        case .lognormal: "lognormal"
        case .beta: "beta"
        case .pert: "pert"
        case .triangular: "triangular"
        case .gamma: "gamma"
        case .discrete: "discrete"
        case .tabulated: "tabulated"
        }
    }
}

/// Why a set of distribution parameters cannot work.
public struct DistributionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter at fault as written in the scenario (`sd`, `max`, `weights`), or nil for the whole distribution.
    public var parameter: String?
    /// What is wrong and what would be right.
    public var message: String

    public init(parameter: String?, _ message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { message }
}

// MARK: - Alternative parametrisations

extension Distribution {
    /// The 95th percentile of the standard normal, Φ⁻¹(0.95).
    static let z95 = 1.6448536269514722

    /// Lognormal with the given mean and standard deviation of the variate itself.
    public static func lognormal(mean: Double, sd: Double) throws -> Distribution {
        try require(mean.isFinite && mean > 0, "mean", "lognormal mean must be a positive number, found \(mean)")
        try require(sd.isFinite && sd > 0, "sd", "lognormal sd must be a positive number, found \(sd)")
        let sigma2 = log1p(sd * sd / (mean * mean))
        return .lognormal(mu: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
    }

    /// Lognormal whose 5th and 95th percentiles are `p5` and `p95`.
    public static func lognormal(p5: Double, p95: Double) throws -> Distribution {
        try require(p5.isFinite && p5 > 0, "p5", "lognormal p5 must be a positive number, found \(p5)")
        try require(p95.isFinite && p95 > p5, "p95", "lognormal p95 must be above p5 (\(p5)), found \(p95)")
        let (l5, l95) = (log(p5), log(p95))
        return .lognormal(mu: (l5 + l95) / 2, sigma: (l95 - l5) / (2 * z95))
    }

    /// Beta with the given mean and standard deviation (method of moments).
    public static func beta(mean: Double, sd: Double) throws -> Distribution {
        try require(mean.isFinite && mean > 0 && mean < 1, "mean", "beta mean must lie strictly between 0 and 1, found \(mean)")
        try require(sd.isFinite && sd > 0, "sd", "beta sd must be a positive number, found \(sd)")
        let limit = mean * (1 - mean)
        try require(sd * sd < limit, "sd",
                    "beta sd² must be below mean·(1−mean) = \(fmt(limit)) (sd below \(fmt(limit.squareRoot()))), found sd = \(sd)")
        let nu = limit / (sd * sd) - 1
        return .beta(alpha: mean * nu, beta: (1 - mean) * nu)
    }

    /// Gamma with the given mean and standard deviation.
    public static func gamma(mean: Double, sd: Double) throws -> Distribution {
        try require(mean.isFinite && mean > 0, "mean", "gamma mean must be a positive number, found \(mean)")
        try require(sd.isFinite && sd > 0, "sd", "gamma sd must be a positive number, found \(sd)")
        return .gamma(shape: mean * mean / (sd * sd), scale: sd * sd / mean)
    }

    static func require(_ condition: Bool, _ parameter: String?, _ message: @autoclosure () -> String) throws(DistributionError) {
        if !condition { throw DistributionError(parameter: parameter, message()) }
    }
}

// MARK: - Validation

extension Distribution {
    /// Checks that the parameters describe a proper distribution; throws the first problem found.
    public func validate() throws(DistributionError) {
        func finite(_ pairs: KeyValuePairs<String, Double>) throws(DistributionError) {
            for (name, value) in pairs where !value.isFinite {
                throw DistributionError(parameter: name, "\(name) must be a finite number, found \(value)")
            }
        }
        switch self {
        case let .constant(c):
            try Self.require(c.isFinite, nil, "expected a finite number, found \(c)")
        case let .uniform(a, b):
            try finite(["min": a, "max": b])
            try Self.require(a < b, "max", """
                uniform needs min < max, found min \(fmt(a)) and max \(fmt(b)) (write a bare number for a constant)
                """)
        case let .normal(mu, sd, lo, hi):
            try finite(["mean": mu, "sd": sd])
            try Self.require(sd > 0, "sd", "normal sd must be positive, found \(fmt(sd))")
            if let lo { try finite(["min": lo]) }
            if let hi { try finite(["max": hi]) }
            if let lo, let hi {
                try Self.require(lo < hi, "max", "normal needs min < max, found min \(fmt(lo)) and max \(fmt(hi))")
            }
            try Self.require(truncatedNormalMass(mu, sd, lo, hi) > 1e-12, "min",
                             "the bounds of this normal leave no probability mass (they lie far in one tail)")
        case let .lognormal(mu, sigma):
            try finite(["mu": mu, "sigma": sigma])
            try Self.require(sigma > 0, "sigma", "lognormal sigma must be positive, found \(fmt(sigma))")
        case let .beta(a, b):
            try finite(["alpha": a, "beta": b])
            try Self.require(a > 0, "alpha", "beta alpha must be positive, found \(fmt(a))")
            try Self.require(b > 0, "beta", "beta beta must be positive, found \(fmt(b))")
        case let .pert(lo, mode, hi, lambda):
            try finite(["min": lo, "mode": mode, "max": hi, "lambda": lambda])
            try Self.require(lo < hi, "max", "pert needs min < max, found min \(fmt(lo)) and max \(fmt(hi))")
            try Self.require(lo <= mode && mode <= hi, "mode", """
                pert mode must lie in [min, max] = [\(fmt(lo)), \(fmt(hi))], found \(fmt(mode))
                """)
            try Self.require(lambda > 0, "lambda", "pert lambda must be positive, found \(fmt(lambda))")
        case let .triangular(lo, mode, hi):
            try finite(["min": lo, "mode": mode, "max": hi])
            try Self.require(lo < hi, "max", "triangular needs min < max, found min \(fmt(lo)) and max \(fmt(hi))")
            try Self.require(lo <= mode && mode <= hi, "mode", """
                triangular mode must lie in [min, max] = [\(fmt(lo)), \(fmt(hi))], found \(fmt(mode))
                """)
        case let .gamma(k, theta):
            try finite(["shape": k, "scale": theta])
            try Self.require(k > 0, "shape", "gamma shape must be positive, found \(fmt(k))")
            try Self.require(theta > 0, "scale", "gamma scale must be positive, found \(fmt(theta))")
        case let .discrete(values, weights):
            try Self.require(!values.isEmpty, "values", "discrete needs at least one value")
            try Self.require(values.count == weights.count, "weights",
                             "discrete needs one weight per value: \(values.count) values but \(weights.count) weights")
            for v in values { try Self.require(v.isFinite, "values", "discrete values must be finite numbers, found \(v)") }
            for w in weights {
                try Self.require(w.isFinite && w >= 0, "weights", "discrete weights must be non-negative numbers, found \(w)")
            }
            try Self.require(weights.reduce(0, +) > 0, "weights", "discrete weights must not all be zero")
        case let .tabulated(q):
            try Self.require(q.count >= 2, "quantiles", "tabulated needs at least two quantiles")
            try Self.require(q.allSatisfy(\.isFinite), "quantiles", "tabulated quantiles must be finite numbers")
            try Self.require(zip(q, q.dropFirst()).allSatisfy { $0 <= $1 }, "quantiles", "tabulated quantiles must not decrease")
            try Self.require(q[0] < q[q.count - 1], "quantiles", "tabulated quantiles must not all be equal")
        }
    }

    /// The smallest and largest values the distribution can take (infinite where unbounded).
    /// The same distribution moved by `delta` (X + delta), for the families that are closed under a shift; nil for
    /// lognormal, beta and gamma, whose shifted forms have no parameters here.
    public func shifted(by delta: Double) -> Distribution? {
        switch self {
        case let .constant(c): .constant(c + delta)
        case let .uniform(a, b): .uniform(min: a + delta, max: b + delta)
        case let .normal(m, sd, lo, hi): .normal(mean: m + delta, sd: sd, min: lo.map { $0 + delta }, max: hi.map { $0 + delta })
        case let .pert(lo, mode, hi, lambda): .pert(min: lo + delta, mode: mode + delta, max: hi + delta, lambda: lambda)
        case let .triangular(lo, mode, hi): .triangular(min: lo + delta, mode: mode + delta, max: hi + delta)
        case let .discrete(values, weights): .discrete(values: values.map { $0 + delta }, weights: weights)
        case let .tabulated(q): .tabulated(quantiles: q.map { $0 + delta })
        case .lognormal, .beta, .gamma: nil
        }
    }

    public var support: (lower: Double, upper: Double) {
        switch self {
        case let .constant(c): (c, c)
        case let .uniform(a, b): (a, b)
        case let .normal(_, _, lo, hi): (lo ?? -.infinity, hi ?? .infinity)
        case .lognormal: (0, .infinity)
        case .beta: (0, 1)
        case let .pert(lo, _, hi, _), let .triangular(lo, _, hi): (lo, hi)
        case .gamma: (0, .infinity)
        case let .discrete(values, weights):
            zip(values, weights).filter { $0.1 > 0 }.map(\.0)
                .reduce((Double.infinity, -Double.infinity)) { (Swift.min($0.0, $1), Swift.max($0.1, $1)) }
        case let .tabulated(q): (q[0], q[q.count - 1])
        }
    }

    /// True when the distribution always gives the same value.
    public var isConstant: Bool {
        if case .constant = self { return true }
        let s = support
        return s.lower == s.upper
    }
}

/// Formats a number for messages (``NumberFormatting/message(_:)``).
func fmt(_ x: Double) -> String { NumberFormatting.message(x) }

// MARK: - Moments

extension Distribution {
    /// The expected value, in closed form.
    public var mean: Double {
        switch self {
        case let .constant(c): return c
        case let .uniform(a, b): return (a + b) / 2
        case let .normal(mu, sd, lo, hi):
            guard lo != nil || hi != nil else { return mu }
            let t = TruncatedNormalTerms(mu, sd, lo, hi)
            return mu + sd * (t.phiA - t.phiB) / t.mass
        case let .lognormal(mu, sigma): return exp(mu + sigma * sigma / 2)
        case let .beta(a, b): return a / (a + b)
        case let .pert(lo, mode, hi, lambda):
            let (a, b) = Self.pertShape(lo, mode, hi, lambda)
            return lo + (hi - lo) * a / (a + b)
        case let .triangular(lo, mode, hi): return (lo + mode + hi) / 3
        case let .gamma(k, theta): return k * theta
        case let .discrete(values, weights):
            let total = weights.reduce(0, +)
            return zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        case let .tabulated(q):
            // Uniform between neighbouring quantiles, each piece holding 1/m of the probability.
            return zip(q, q.dropFirst()).reduce(0) { $0 + ($1.0 + $1.1) / 2 } / Double(q.count - 1)
        }
    }

    /// The variance, in closed form.
    public var variance: Double {
        switch self {
        case .constant: return 0
        case let .uniform(a, b): return (b - a) * (b - a) / 12
        case let .normal(mu, sd, lo, hi):
            guard lo != nil || hi != nil else { return sd * sd }
            let t = TruncatedNormalTerms(mu, sd, lo, hi)
            let r = (t.phiA - t.phiB) / t.mass
            return sd * sd * (1 + (t.alphaPhiA - t.betaPhiB) / t.mass - r * r)
        case let .lognormal(mu, sigma):
            let s2 = sigma * sigma
            return expm1(s2) * exp(2 * mu + s2)
        case let .beta(a, b): return a * b / ((a + b) * (a + b) * (a + b + 1))
        case let .pert(lo, mode, hi, lambda):
            let (a, b) = Self.pertShape(lo, mode, hi, lambda)
            return (hi - lo) * (hi - lo) * a * b / ((a + b) * (a + b) * (a + b + 1))
        case let .triangular(a, c, b):
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case let .gamma(k, theta): return k * theta * theta
        case let .discrete(values, weights):
            let total = weights.reduce(0, +)
            let m = mean
            return zip(values, weights).reduce(0) { $0 + ($1.0 - m) * ($1.0 - m) * $1.1 } / total
        case let .tabulated(q):
            let m = mean
            // E[(X − m)²] over each uniform piece [a, b]: ((a−m)² + (a−m)(b−m) + (b−m)²) / 3.
            return zip(q, q.dropFirst()).reduce(0) { total, piece in
                let (a, b) = (piece.0 - m, piece.1 - m)
                return total + (a * a + a * b + b * b) / 3
            } / Double(q.count - 1)
        }
    }

    /// The standard deviation.
    public var standardDeviation: Double { variance.squareRoot() }

    /// Beta shape parameters of a PERT distribution.
    @inline(__always)
    static func pertShape(_ lo: Double, _ mode: Double, _ hi: Double, _ lambda: Double) -> (Double, Double) {
        let range = hi - lo
        return (1 + lambda * (mode - lo) / range, 1 + lambda * (hi - mode) / range)
    }
}

/// Standardised bounds α = (min−μ)/σ, β = (max−μ)/σ of a truncated normal and
/// the density and mass terms its moments need; an absent bound is infinite.
struct TruncatedNormalTerms {
    let phiA, phiB, alphaPhiA, betaPhiB, mass: Double

    init(_ mu: Double, _ sd: Double, _ lo: Double?, _ hi: Double?) {
        let a = lo.map { ($0 - mu) / sd } ?? -.infinity
        let b = hi.map { ($0 - mu) / sd } ?? .infinity
        phiA = a.isFinite ? gsl_ran_ugaussian_pdf(a) : 0
        phiB = b.isFinite ? gsl_ran_ugaussian_pdf(b) : 0
        alphaPhiA = a.isFinite ? a * phiA : 0
        betaPhiB = b.isFinite ? b * phiB : 0
        mass = truncatedNormalMass(mu, sd, lo, hi)
    }
}

/// P(min ≤ X ≤ max) for X ~ N(mu, sd²), computed on the side of the tail where it is accurate.
func truncatedNormalMass(_ mu: Double, _ sd: Double, _ lo: Double?, _ hi: Double?) -> Double {
    let a = lo.map { ($0 - mu) / sd } ?? -.infinity
    let b = hi.map { ($0 - mu) / sd } ?? .infinity
    if a > 0 { return gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b) }
    return gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
}

// MARK: - CDF and quantile

extension Distribution {
    /// P(X ≤ x).
    ///
    /// GSL's `gsl_cdf_*_P` where GSL has the family. Triangular (which GSL
    /// lacks) uses its closed form; PERT is a scaled beta; the truncated normal
    /// renormalises Φ over [min, max].
    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .constant(c): return x < c ? 0 : 1
        case let .uniform(a, b): return gsl_cdf_flat_P(x, a, b)
        case let .normal(mu, sd, lo, hi):
            if let lo, x < lo { return 0 }
            if let hi, x >= hi { return 1 }
            guard lo != nil || hi != nil else { return gsl_cdf_gaussian_P(x - mu, sd) }
            let a = lo.map { ($0 - mu) / sd } ?? -.infinity
            let z = (x - mu) / sd
            let mass = truncatedNormalMass(mu, sd, lo, hi)
            if a > 0 { return (gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(z)) / mass }
            return (gsl_cdf_ugaussian_P(z) - gsl_cdf_ugaussian_P(a)) / mass
        case let .lognormal(mu, sigma): return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, mu, sigma)
        case let .beta(a, b): return gsl_cdf_beta_P(x, a, b)
        case let .pert(lo, mode, hi, lambda):
            let (a, b) = Self.pertShape(lo, mode, hi, lambda)
            return gsl_cdf_beta_P((x - lo) / (hi - lo), a, b)
        case let .triangular(lo, mode, hi):
            if x <= lo { return 0 }
            if x >= hi { return 1 }
            if x <= mode { return (x - lo) * (x - lo) / ((hi - lo) * (mode - lo)) }
            return 1 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode))
        case let .gamma(k, theta): return x <= 0 ? 0 : gsl_cdf_gamma_P(x, k, theta)
        case let .discrete(values, weights):
            let total = weights.reduce(0, +)
            var below = 0.0
            for (v, w) in zip(values, weights) where v <= x { below += w }
            return min(1, below / total)
        case let .tabulated(q):
            if x < q[0] { return 0 }
            if x >= q[q.count - 1] { return 1 }
            // The last piece starting at or below x (binary search), then linear within it.
            var lo = 0, hi = q.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if q[mid] <= x { lo = mid } else { hi = mid }
            }
            let width = q[lo + 1] - q[lo]
            return (Double(lo) + (width > 0 ? (x - q[lo]) / width : 1)) / Double(q.count - 1)
        }
    }

    /// The inverse CDF: the smallest x with P(X ≤ x) ≥ p, for p in (0, 1).
    ///
    /// This is what the Gaussian copula calls for every correlated input:
    /// `x = F⁻¹(Φ(z))`. GSL's `gsl_cdf_*_Pinv` where GSL has the family
    /// (beta and gamma invert iteratively, to GSL's documented accuracy).
    /// Triangular uses its closed-form inverse; the truncated normal maps p
    /// into [Φ(α), Φ(β)], working in the upper tail with Q = 1 − Φ when the
    /// interval lies above the mean so that far-tail bounds keep their
    /// precision. Returns NaN if GSL fails to converge. Computed by the
    /// family's compiled ``Sampler`` (the one place quantiles are written);
    /// loops compile the sampler once and call ``Sampler/quantile(_:)``.
    public func quantile(_ p: Double) -> Double { Sampler(self).quantile(p) }
}

/// Φ, the standard normal CDF (`gsl_cdf_ugaussian_P`).
@inlinable @inline(__always) public func standardNormalCDF(_ z: Double) -> Double { gsl_cdf_ugaussian_P(z) }

/// Φ⁻¹, the standard normal quantile (`gsl_cdf_ugaussian_Pinv`).
public func standardNormalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }

/// P(X ≥ k) for X ~ Binomial(n, p) (`gsl_cdf_binomial_Q`); 1 when k ≤ 0.
public func binomialUpperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
    guard k > 0 else { return 1 }
    guard k <= n else { return 0 }
    return gsl_cdf_binomial_Q(UInt32(k - 1), p, UInt32(n))
}
