import CGSL
import Foundation

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
