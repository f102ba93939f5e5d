import CGSL
import Foundation

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
    /// precision. Returns NaN if GSL fails to converge.
    public func quantile(_ p: Double) -> Double {
        switch self {
        case let .constant(c): return c
        case let .uniform(a, b): return a + (b - a) * p
        case let .normal(mu, sd, lo, hi):
            guard lo != nil || hi != nil else { return mu + sd * gsl_cdf_ugaussian_Pinv(p) }
            let a = lo.map { ($0 - mu) / sd } ?? -.infinity
            let b = hi.map { ($0 - mu) / sd } ?? .infinity
            let z: Double
            if a > 0 {
                let qa = gsl_cdf_ugaussian_Q(a), qb = gsl_cdf_ugaussian_Q(b)
                z = gsl_cdf_ugaussian_Qinv(qa - p * (qa - qb))
            } else {
                let pa = gsl_cdf_ugaussian_P(a), pb = gsl_cdf_ugaussian_P(b)
                z = gsl_cdf_ugaussian_Pinv(pa + p * (pb - pa))
            }
            return Swift.min(Swift.max(mu + sd * z, lo ?? -.infinity), hi ?? .infinity)
        case let .lognormal(mu, sigma): return gsl_cdf_lognormal_Pinv(p, mu, sigma)
        case let .beta(a, b): return gsl_cdf_beta_Pinv(p, a, b)
        case let .pert(lo, mode, hi, lambda):
            let (a, b) = Self.pertShape(lo, mode, hi, lambda)
            return lo + (hi - lo) * gsl_cdf_beta_Pinv(p, a, b)
        case let .triangular(lo, mode, hi):
            let split = (mode - lo) / (hi - lo)
            if p < split { return lo + ((hi - lo) * (mode - lo) * p).squareRoot() }
            return hi - ((hi - lo) * (hi - mode) * (1 - p)).squareRoot()
        case let .gamma(k, theta): return gsl_cdf_gamma_Pinv(p, k, theta)
        case let .discrete(values, weights):
            let total = weights.reduce(0, +)
            let order = values.indices.sorted { values[$0] < values[$1] }
            var cumulative = 0.0
            for i in order where weights[i] > 0 {
                cumulative += weights[i] / total
                if cumulative >= p { return values[i] }
            }
            return values[order.last(where: { weights[$0] > 0 })!]
        }
    }
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
