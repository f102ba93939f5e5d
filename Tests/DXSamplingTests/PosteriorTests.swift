@testable import DXSampling
import DXTestSupport
import Foundation
import XCTest

/// Posteriors against closed forms and against importance reweighting of prior draws.
final class PosteriorTests: XCTestCase {
    func testBetaBinomialIsTheClosedFormAndQuadratureAgreesWithIt() throws {
        let prior = Distribution.beta(alpha: 2, beta: 5)
        let (posterior, method) = try Posterior.update(prior, .successes(31, trials: 60))
        XCTAssertEqual(posterior, .beta(alpha: 33, beta: 34))
        XCTAssertEqual(method, .betaBinomial)
        // The quadrature path, run on the same prior, gives the conjugate posterior's quantiles.
        let table = Distribution.tabulated(quantiles: try Posterior.quadrature(prior, .successes(31, trials: 60)))
        for p in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] {
            XCTAssertEqual(table.quantile(p), posterior.quantile(p), accuracy: 2e-4, "p \(p)")
        }
        XCTAssertEqual(table.mean, posterior.mean, accuracy: 1e-4)
        XCTAssertEqual(table.variance.squareRoot(), posterior.variance.squareRoot(), accuracy: 1e-4)
    }

    func testNormalNormalIsTheClosedForm() throws {
        let (posterior, method) = try Posterior.update(.normal(mean: 10, sd: 3, min: nil, max: nil), .measured(value: 16, standardError: 4))
        XCTAssertEqual(method, .normalNormal)
        // Precision-weighted mean (10/9 + 16/16) / (1/9 + 1/16) and sd 1/√(1/9 + 1/16) = 2.4.
        XCTAssertEqual(posterior.mean, (10.0 / 9 + 1) / (1.0 / 9 + 1.0 / 16), accuracy: 1e-12)
        XCTAssertEqual(posterior.variance.squareRoot(), 2.4, accuracy: 1e-12)
    }

    /// The quadrature posterior of a PERT prior after successes, and of a lognormal after a measurement, against
    /// 10⁶ prior draws reweighted by the likelihood: mean and quantiles within 4 of their standard errors.
    func testQuadratureAgreesWithImportanceReweightingOfAMillionPriorDraws() throws {
        let cases: [(Distribution, Observation)] = [
            (.pert(min: 0.35, mode: 0.55, max: 0.85, lambda: 4), .successes(31, trials: 60)),
            (.lognormal(mu: log(1.6e9), sigma: 0.3), .measured(value: 1.2e9, standardError: 2e8)),
        ]
        for (k, (prior, observation)) in cases.enumerated() {
            let (posterior, method) = try Posterior.update(prior, observation)
            XCTAssertEqual(method, .quadrature)
            let stream = RandomStream(seed: 99, stream: UInt64(k))
            let sampler = Sampler(prior)
            let x = (0..<1_000_000).map { _ in sampler.sample(stream) }
            let log = x.map(observation.logLikelihood)
            let top = log.max()!
            let w = log.map { exp($0 - top) }
            let total = w.reduce(0, +)
            let mean = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / total
            // Self-normalised importance sampling: se² = Σ w²(x − mean)² / (Σ w)².
            let se = zip(x, w).reduce(0) { $0 + $1.1 * $1.1 * ($1.0 - mean) * ($1.0 - mean) }.squareRoot() / total
            XCTAssertEqual(posterior.mean, mean, accuracy: 4 * se, "case \(k) mean")
            let ess = total * total / w.reduce(0) { $0 + $1 * $1 }
            let order = x.indices.sorted { x[$0] < x[$1] }
            for p in [0.05, 0.5, 0.95] {
                var cumulative = 0.0, q = x[order[0]]
                for i in order {
                    cumulative += w[i] / total
                    if cumulative >= p { q = x[i]; break }
                }
                // A quantile's se: √(p(1−p)/ESS) over the posterior density there (from the table's own CDF).
                let h = 1e-3 * posterior.variance.squareRoot()
                let density = (posterior.cdf(q + h) - posterior.cdf(q - h)) / (2 * h)
                let quantileSE = (p * (1 - p) / ess).squareRoot() / density
                XCTAssertEqual(posterior.quantile(p), q, accuracy: 4 * quantileSE, "case \(k) quantile \(p)")
            }
        }
    }

    /// A tabulated distribution draws what its CDF says (Kolmogorov–Smirnov), and its quantile inverts its CDF.
    /// A measurement far more precise than the prior, inside it (a costed estimate of 1.6e9 with se 10⁶, 1,000, 1):
    /// the posterior is the measurement's normal (the prior is flat on its scale: its log-density's slope shifts the
    /// mean by se²·|d log f/dx| < 10⁻³ se), where se ≤ 1,000 used to be refused as contradicting the prior.
    func testAPreciseMeasurementInsideThePriorIsResolved() throws {
        let prior = Distribution.lognormal(mu: log(1.6e9), sigma: 0.28)
        for se in [1e6, 1e3, 1.0] {
            let (posterior, method) = try Posterior.update(prior, .measured(value: 1.6e9, standardError: se))
            XCTAssertEqual(method, .quadrature)
            XCTAssertEqual(posterior.mean, 1.6e9, accuracy: 0.01 * se, "se \(se): mean")
            XCTAssertEqual(posterior.variance.squareRoot() / se, 1, accuracy: 0.01, "se \(se): sd")
            for (p, z) in [(0.05, -1.6448536269514722), (0.5, 0.0), (0.95, 1.6448536269514722)] {
                XCTAssertEqual((posterior.quantile(p) - 1.6e9) / se, z, accuracy: 0.02, "se \(se): quantile \(p)")
            }
        }
        // Far outside what the prior allows, it is still a contradiction.
        XCTAssertThrowsError(try Posterior.update(prior, .measured(value: 9e12, standardError: 1e3))) {
            XCTAssert("\($0)".contains("contradicts the prior"), "\($0)")
        }
    }

    func testTabulatedDistributionSamplesItsCDF() throws {
        let (posterior, _) = try Posterior.update(.triangular(min: 0, mode: 0.2, max: 1), .successes(3, trials: 10))
        for p in [0.001, 0.1, 0.5, 0.9, 0.999] { XCTAssertEqual(posterior.cdf(posterior.quantile(p)), p, accuracy: 1e-9) }
        let stream = RandomStream(seed: 5, stream: 1)
        let sampler = Sampler(posterior)
        let sample = (0..<20_000).map { _ in sampler.sample(stream) }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(sample, cdf: posterior.cdf).pValue, 1e-3)
        let m = meanAndStandardError(sample)
        assertWithinMonteCarloError(m.mean, posterior.mean, standardError: m.se)
    }

    func testImpossibleOrInvalidObservationsAreRefused() {
        func parameter(_ prior: Distribution, _ o: Observation) -> String? {
            do { _ = try Posterior.update(prior, o); return "accepted" } catch { return error.parameter }
        }
        XCTAssertEqual(parameter(.beta(alpha: 1, beta: 1), .successes(7, trials: 5)), "successes")
        XCTAssertEqual(parameter(.beta(alpha: 1, beta: 1), .successes(0, trials: 0)), "trials")
        XCTAssertEqual(parameter(.normal(mean: 0, sd: 1, min: nil, max: nil), .measured(value: 1, standardError: -1)), "se")
        XCTAssertEqual(parameter(.lognormal(mu: 0, sigma: 1), .successes(1, trials: 2)), "successes", "successes need a share")
        XCTAssertNil(parameter(.uniform(min: 0, max: 0.5), .measured(value: 50, standardError: 0.01)),
                     "a measurement impossible under the prior")
    }
}
