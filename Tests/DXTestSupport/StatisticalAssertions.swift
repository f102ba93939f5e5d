import DXAnalysis
import Foundation
import XCTest

/// Asserts that a Monte Carlo estimate agrees with its exact value within
/// `z` standard errors. With z = 4.5 a correct estimator fails about 7 times in a million
/// runs; with the fixed seeds the tests use, the outcome is deterministic.
public func assertWithinMonteCarloError(
    _ estimate: Double, _ exact: Double, standardError: Double, z: Double = 4.5,
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) {
    let tolerance = z * standardError + 1e-12 * max(1, abs(exact))
    XCTAssert(abs(estimate - exact) <= tolerance,
              "\(message()) estimate \(estimate) differs from exact \(exact) by \(abs(estimate - exact)) > \(z)·SE = \(tolerance)",
              file: file, line: line)
}

/// Sample mean and its standard error.
public func meanAndStandardError(_ xs: [Double]) -> (mean: Double, se: Double, variance: Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot(), variance)
}

/// Standard error of a sample variance, from the fourth central moment: Var(s²) ≈ (μ₄ − σ⁴)/n.
public func varianceStandardError(_ xs: [Double]) -> Double {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    let m2 = xs.reduce(0) { $0 + pow($1 - mean, 2) } / n
    let m4 = xs.reduce(0) { $0 + pow($1 - mean, 4) } / n
    return ((m4 - m2 * m2) / n).squareRoot()
}

extension ValueOfInformation.MeanEstimate {
    /// The standard error, NaN when it is unavailable, so that a tolerance built from it fails rather than passes.
    public var se: Double { standardError ?? .nan }
}
