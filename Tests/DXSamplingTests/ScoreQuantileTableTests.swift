import DXSampling
import Foundation
import XCTest

final class ScoreQuantileTableTests: XCTestCase {
    /// The families an automation share may take (the copula applies to automation shares only).
    static let families: [Distribution] = [
        .beta(alpha: 3.5, beta: 31.5),                        // mean 0.1, sd 0.05: a low automation share
        .beta(alpha: 12, beta: 12),                           // mean 0.5
        .beta(alpha: 0.8, beta: 0.6),                         // U-shaped, unbounded density at both ends
        .pert(min: 0.15, mode: 0.35, max: 0.6, lambda: 4),
        .triangular(min: 0.35, mode: 0.55, max: 0.85),
        .uniform(min: 0.2, max: 0.9),
        .normal(mean: 0.4, sd: 0.1, min: 0, max: 1),
    ]

    /// The largest error against the exact F⁻¹(Φ(z)) over 200,001 scores on [−6.5, 6.5]: at most the proven
    /// bound (the largest gap between adjacent node values), and in practice below 5e-6 standard deviations
    /// (the kinks of the triangular and the truncated normal's branches are the worst; beta is below 4e-7).
    func testInterpolationErrorIsWithinTheProvenBoundAndTinyInPractice() {
        for d in Self.families {
            let sampler = Sampler(d)
            let table = ScoreQuantileTable(sampler)
            var worst = 0.0
            for k in 0...200_000 {
                let z = -6.5 + 13 * Double(k) / 200_000
                let exact = ScoreQuantileTable.exact(sampler.core, z)
                worst = max(worst, abs(table.value(z) - exact))
            }
            let sd = d.variance.squareRoot()
            XCTAssertLessThanOrEqual(worst, table.maxGap, "\(d): the proven bound holds")
            XCTAssertLessThan(worst, 5e-6 * sd, "\(d): error \(worst), sd \(sd), proven bound \(table.maxGap)")
        }
    }

    func testExactAtTheNodesAndMonotone() {
        let sampler = Sampler(.beta(alpha: 2, beta: 5))
        let table = ScoreQuantileTable(sampler, nodes: 65)
        for i in 0..<65 {
            let z = -6 + 12 * Double(i) / 64
            XCTAssertEqual(table.value(z), ScoreQuantileTable.exact(sampler.core, z), accuracy: 1e-15)
        }
        var previous = -Double.infinity
        for k in 0...100_000 {
            let v = table.value(-6 + 12 * Double(k) / 100_000)
            XCTAssertGreaterThanOrEqual(v, previous)
            previous = v
        }
    }
}
