@testable import DXAnalysis
import DXSampling
import Foundation
import XCTest

/// EVPI and EVPPI against their closed forms, with tolerances from their Monte Carlo standard errors.
final class ValueOfInformationTests: XCTestCase {
    /// E[max(0, μ + σZ)] − max(0, μ) = σφ(μ/σ) − |μ|Φ(−|μ|/σ): the value of knowing a normal value before choosing
    /// between it and 0.
    static func normalEVPI(mean μ: Double, sd σ: Double) -> Double {
        let z = abs(μ) / σ
        return σ * exp(-z * z / 2) / (2 * Double.pi).squareRoot() - abs(μ) * 0.5 * erfc(z / 2.squareRoot())
    }

    func normals(_ n: Int, seed: UInt64, stream: UInt64) -> [Double] {
        let random = RandomStream(seed: seed, stream: stream)
        let sampler = Sampler(.normal(mean: 0, sd: 1, min: nil, max: nil))
        return (0..<n).map { _ in sampler.sample(random) }
    }

    func testEVPIOfANormalValueAgainstNothingIsItsClosedForm() throws {
        for (μ, σ) in [(1.0, 2.0), (-0.5, 1.0), (3.0, 1.0)] {
            let z = normals(200_000, seed: 7, stream: 1)
            let evpi = try XCTUnwrap(ValueOfInformation.evpi([z.map { _ in 0 }, z.map { μ + σ * $0 }]))
            XCTAssertEqual(evpi.value, Self.normalEVPI(mean: μ, sd: σ), accuracy: 4 * evpi.standardError + 1e-12, "μ \(μ), σ \(σ)")
            XCTAssertGreaterThan(evpi.standardError, 0)
        }
    }

    /// In V = μ + X₁ + X₂ against 0, with independent normal inputs, each input's EVPPI is the normal closed form
    /// with its own sd; neither exceeds the EVPI, both together give the EVPI, and an input unrelated to the value
    /// is worth nothing.
    func testEVPPIOfALinearNormalModelAndOfAnIrrelevantInput() throws {
        let n = 40_000
        let (μ, σ1, σ2) = (0.3, 1.0, 0.5)
        let x1 = normals(n, seed: 11, stream: 1).map { σ1 * $0 }, x2 = normals(n, seed: 11, stream: 2).map { σ2 * $0 }
        let noise = normals(n, seed: 11, stream: 3)
        let values = [[Double](repeating: 0, count: n), (0..<n).map { μ + x1[$0] + x2[$0] }]
        let evpi = try XCTUnwrap(ValueOfInformation.evpi(values))
        for (input, σ) in [(x1, σ1), (x2, σ2)] {
            let evppi = try XCTUnwrap(ValueOfInformation.evppi(values, input: input))
            let expected = Self.normalEVPI(mean: μ, sd: σ)
            XCTAssertEqual(evppi.value, expected, accuracy: 4 * evppi.standardError, "σ \(σ)")
            XCTAssertLessThanOrEqual(evppi.value, evpi.value + 4 * evpi.standardError)
        }
        // Both inputs together are all there is to learn: their EVPPI is the EVPI.
        let both = try XCTUnwrap(ValueOfInformation.evppi(values, inputs: [x1, x2]))
        XCTAssertEqual(both.value, evpi.value, accuracy: 4 * (both.standardError + evpi.standardError))
        let irrelevant = try XCTUnwrap(ValueOfInformation.evppi(values, input: noise))
        XCTAssertEqual(irrelevant.value, 0, accuracy: 4 * irrelevant.standardError + 1e-9,
                       "an input that cannot change the decision is worth nothing")
    }

    /// The spline basis sums to one everywhere, and least squares reproduces a cubic exactly.
    func testRegressionSplineReproducesACubic() {
        let x = (0..<400).map { Double($0) / 399 * 4 - 2 }
        let y = x.map { 1 - 2 * $0 + 0.5 * $0 * $0 * $0 }
        let knots = [-2.0, -2, -2, -2, -1, 0, 1, 2, 2, 2, 2]
        for v in [-2.0, -1.5, 0, 0.3, 2] { XCTAssertEqual(RegressionSpline.bsplineBasis(v, knots: knots).reduce(0, +), 1, accuracy: 1e-12) }
        let fitted = RegressionSpline.fit(x: x, responses: [y])[0]
        for (a, b) in zip(fitted, y) { XCTAssertEqual(a, b, accuracy: 1e-8) }
    }
}
