import DXSampling
import XCTest

final class ParametrisationTests: XCTestCase {
    func testBetaFromMeanAndSD() throws {
        let d = try Distribution.beta(mean: 0.62, sd: 0.10)
        XCTAssertEqual(d.mean, 0.62, accuracy: 1e-12)
        XCTAssertEqual(d.standardDeviation, 0.10, accuracy: 1e-12)
    }

    func testBetaWithImpossibleSDSaysWhy() {
        XCTAssertThrowsError(try Distribution.beta(mean: 0.9, sd: 0.31)) { error in
            let e = error as! DistributionError
            XCTAssertEqual(e.parameter, "sd")
            XCTAssert(e.message.contains("mean·(1−mean)"), e.message)
        }
    }

    func testLognormalFromPercentiles() throws {
        let d = try Distribution.lognormal(p5: 40_000, p95: 250_000)
        XCTAssertEqual(d.quantile(0.05), 40_000, accuracy: 1e-6)
        XCTAssertEqual(d.quantile(0.95), 250_000, accuracy: 1e-5)
    }

    func testLognormalAndGammaFromMeanAndSD() throws {
        let l = try Distribution.lognormal(mean: 50_000, sd: 20_000)
        XCTAssertEqual(l.mean, 50_000, accuracy: 1e-6)
        XCTAssertEqual(l.standardDeviation, 20_000, accuracy: 1e-6)
        let g = try Distribution.gamma(mean: 3, sd: 1.5)
        XCTAssertEqual(g.mean, 3, accuracy: 1e-12)
        XCTAssertEqual(g.standardDeviation, 1.5, accuracy: 1e-12)
    }

    func testValidationNamesTheParameter() {
        let cases: [(Distribution, String)] = [
            (.uniform(min: 3, max: 1), "max"),
            (.normal(mean: 0, sd: -1, min: nil, max: nil), "sd"),
            (.normal(mean: 0, sd: 1, min: 40, max: 50), "min"),
            (.pert(min: 2, mode: 2, max: 1, lambda: 4), "max"),
            (.pert(min: 0, mode: 2, max: 1, lambda: 4), "mode"),
            (.pert(min: 0, mode: 2, max: 3, lambda: 0), "lambda"),
            (.triangular(min: 4, mode: 5, max: 3), "max"),
            (.triangular(min: 0, mode: 5, max: 3), "mode"),
            (.gamma(shape: 0, scale: 1), "shape"),
            (.beta(alpha: 1, beta: .nan), "beta"),
            (.discrete(values: [1, 2], weights: [1]), "weights"),
            (.discrete(values: [1, 2], weights: [0, 0]), "weights"),
        ]
        for (d, parameter) in cases {
            XCTAssertThrowsError(try d.validate(), "\(d)") { error in
                XCTAssertEqual((error as! DistributionError).parameter, parameter, "\(d)")
            }
        }
    }

    func testTruncatedNormalMomentsMatchNumericalIntegration() {
        let d = Distribution.normal(mean: 0.6, sd: 0.25, min: 0, max: 1)
        // Midpoint rule on the density dF/dx.
        let n = 200_000
        var m1 = 0.0, m2 = 0.0
        for i in 0..<n {
            let a = Double(i) / Double(n), b = Double(i + 1) / Double(n)
            let mass = d.cdf(b) - d.cdf(a)
            let x = (a + b) / 2
            m1 += x * mass
            m2 += x * x * mass
        }
        XCTAssertEqual(d.mean, m1, accuracy: 1e-6)
        XCTAssertEqual(d.variance, m2 - m1 * m1, accuracy: 1e-6)
    }
}
