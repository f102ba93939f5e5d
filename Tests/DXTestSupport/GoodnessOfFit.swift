import CGSL
import DXSampling
import Foundation

/// Goodness-of-fit tests used to check samplers against their CDFs.
public enum GoodnessOfFit {
    /// One-sample Kolmogorov–Smirnov test of `sample` against a continuous CDF.
    ///
    /// Returns the statistic D = sup |F_n(x) − F(x)| and its p-value from the
    /// asymptotic Kolmogorov distribution with Stephens' (1970) small-sample
    /// correction λ = (√n + 0.12 + 0.11/√n)·D, accurate for n ≥ 35.
    public static func kolmogorovSmirnov(_ sample: [Double], cdf: (Double) -> Double) -> (statistic: Double, pValue: Double) {
        let xs = sample.sorted()
        let n = Double(xs.count)
        var d = 0.0
        for (i, x) in xs.enumerated() {
            let f = cdf(x)
            d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
        }
        let root = n.squareRoot()
        return (d, kolmogorovSurvival((root + 0.12 + 0.11 / root) * d))
    }

    /// P(K > λ) for the Kolmogorov distribution: 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²).
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? term : -term)
            if term < 1e-16 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    /// Pearson's χ² test of observed counts against expected probabilities; returns the statistic and p-value
    /// (upper tail of χ² with k − 1 degrees of freedom, `gsl_cdf_chisq_Q`).
    public static func chiSquared(observed: [Int], expected probabilities: [Double]) -> (statistic: Double, pValue: Double) {
        precondition(observed.count == probabilities.count && observed.count > 1)
        let n = Double(observed.reduce(0, +))
        var chi2 = 0.0
        for (o, p) in zip(observed, probabilities) {
            let e = n * p
            chi2 += (Double(o) - e) * (Double(o) - e) / e
        }
        GSLRuntime.prepare()
        return (chi2, gsl_cdf_chisq_Q(chi2, Double(observed.count - 1)))
    }
}
