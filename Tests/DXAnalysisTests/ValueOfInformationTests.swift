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
            XCTAssertEqual(evpi.value, Self.normalEVPI(mean: μ, sd: σ), accuracy: 4 * evpi.se + 1e-12, "μ \(μ), σ \(σ)")
            XCTAssertGreaterThan(evpi.se, 0)
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
            XCTAssertEqual(evppi.value, expected, accuracy: 4 * evppi.se, "σ \(σ)")
            XCTAssertLessThanOrEqual(evppi.value, evpi.value + 4 * evpi.se)
        }
        // Both inputs together are all there is to learn: their EVPPI is the EVPI.
        let both = try XCTUnwrap(ValueOfInformation.evppi(values, inputs: [x1, x2]))
        XCTAssertEqual(both.value, evpi.value, accuracy: 4 * (both.se + evpi.se))
        let irrelevant = try XCTUnwrap(ValueOfInformation.evppi(values, input: noise))
        XCTAssertEqual(irrelevant.value, 0, accuracy: 4 * irrelevant.se + 1e-9,
                       "an input that cannot change the decision is worth nothing")
    }

    /// An input with three values (a discrete adoption year, say) is fitted by its values' means, the exact
    /// conditional expectation: EVPPI = Σ p(x)·max(0, E[V | x]) − max(0, E[V]). (A cubic spline through three
    /// distinct points is singular; this input used to be worth 0.)
    func testEVPPIOfADiscreteInputIsExact() throws {
        let n = 30_000
        let random = RandomStream(seed: 13, stream: 1)
        let years = (0..<n).map { _ in Double(1 + Int(random.uniform() * 3)) }   // 1, 2, 3 with probability 1/3 each
        let noise = normals(n, seed: 13, stream: 2)
        let effect: [Double: Double] = [1: 1.0, 2: -0.2, 3: -1.1]
        let values = [[Double](repeating: 0, count: n), (0..<n).map { effect[years[$0]]! + noise[$0] }]
        let evppi = try XCTUnwrap(ValueOfInformation.evppi(values, input: years))
        // E[V] = −0.1 < 0: without information, do not; knowing the year, act in year 1 only: (1/3)·1.0.
        XCTAssertEqual(evppi.value, 1.0 / 3, accuracy: 4 * evppi.se)
        XCTAssertGreaterThan(evppi.value, 0.25)
    }

    /// The spline basis sums to one everywhere, and least squares reproduces a cubic exactly.
    func testRegressionSplineReproducesACubic() {
        let x = (0..<400).map { Double($0) / 399 * 4 - 2 }
        let y = x.map { 1 - 2 * $0 + 0.5 * $0 * $0 * $0 }
        let knots = [-2.0, -2, -2, -2, -1, 0, 1, 2, 2, 2, 2]
        for v in [-2.0, -1.5, 0, 0.3, 2] { XCTAssertEqual(RegressionSpline.bsplineBasis(v, knots: knots).reduce(0, +), 1, accuracy: 1e-12) }
        let fitted = RegressionSpline.fit(inputs: [x], responses: [y])[0]
        for (a, b) in zip(fitted, y) { XCTAssertEqual(a, b, accuracy: 1e-8) }
    }

    /// A normal input measured with normal noise: the pilot's EVSI is the normal closed form with the sd of the
    /// preposterior mean, σ²/√(σ² + τ²/n); it rises with n and stays below the input's EVPPI.
    func testEVSIOfANormalPilotAgainstTheClosedForm() throws {
        let draws = 20_000
        let (μ, σ, τ) = (0.2, 1.0, 2.0)
        let θ = normals(draws, seed: 21, stream: 1).map { μ + σ * $0 }
        let values = [[Double](repeating: 0, count: draws), θ]
        var previous = 0.0
        for n in [1, 8, 64] {
            let evsi = try XCTUnwrap(ValueOfInformation.evsi(values, input: θ, observing: .normal(noise: τ), cases: n, seed: 3))
            let s = σ * σ / (σ * σ + τ * τ / Double(n)).squareRoot()
            XCTAssertEqual(evsi.value, Self.normalEVPI(mean: μ, sd: s), accuracy: 4 * evsi.se, "n \(n)")
            XCTAssertGreaterThan(evsi.value, previous, "EVSI rises with the pilot's size")
            previous = evsi.value
        }
        XCTAssertLessThan(previous, Self.normalEVPI(mean: μ, sd: σ), "below the EVPPI of the input itself")
    }

    /// A beta share observed by a pilot of n cases: the EVSI against exact enumeration over the n + 1 possible
    /// results (beta-binomial probabilities, posterior means (a + k)/(a + b + n)).
    func testEVSIOfABinomialPilotAgainstEnumeration() throws {
        let draws = 20_000
        let (a, b, c) = (4.0, 6.0, 0.45)    // share ~ Beta(4, 6), mean 0.4; automating pays when the share exceeds c
        let random = RandomStream(seed: 31)
        let beta = Sampler(.beta(alpha: a, beta: b))
        let θ = (0..<draws).map { _ in beta.sample(random) }
        let values = [[Double](repeating: 0, count: draws), θ.map { $0 - c }]
        func logBeta(_ x: Double, _ y: Double) -> Double { lgamma(x) + lgamma(y) - lgamma(x + y) }
        for n in [5, 20] {
            let evsi = try XCTUnwrap(ValueOfInformation.evsi(values, input: θ, observing: .binomial, cases: n, seed: 5))
            var exact = -max(0, a / (a + b) - c)
            for k in 0...n {
                let logChoose = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                let p = exp(logChoose + logBeta(a + Double(k), b + Double(n - k)) - logBeta(a, b))
                exact += p * max(0, (a + Double(k)) / (a + b + Double(n)) - c)
            }
            XCTAssertEqual(evsi.value, exact, accuracy: 4 * evsi.se, "n \(n)")
        }
    }
}
