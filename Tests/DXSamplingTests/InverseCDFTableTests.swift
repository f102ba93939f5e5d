import CGSL
@testable import DXSampling
import DXTestSupport
import Foundation
import XCTest

/// Tables of quantile functions against GSL's exact CDFs: the u-error bound on a grid far denser than the table's own
/// check grid, tails included, for ordinary and extreme shapes; and draws by inversion through them pass
/// Kolmogorov–Smirnov.
final class InverseCDFTableTests: XCTestCase {
    /// The largest |F(Q̃(u)) − u| over 50,000 uniform points, 2,000 log-spaced points in each tail down to 10⁻¹⁵, and
    /// the u just inside and outside the table's range, less the u-error of the exact quantile itself where doubles
    /// cannot do better (beta(0.5, 0.5) within 10⁻⁹ of u = 1: x rounds to 1 − 2⁻⁵³, where 1 − F is already 6.7·10⁻⁹).
    static func largestUError(_ table: InverseCDFTable, cdf: (Double) -> Double) -> Double {
        var points = (1..<50_000).map { Double($0) / 50_000 }
        for k in 0..<2_000 {
            let u = pow(10, -15 + 15 * Double(k) / 2_000)
            points += [u, 1 - u]
        }
        points += [InverseCDFTable.tailU, InverseCDFTable.tailU * (1 + 1e-9), 1 - InverseCDFTable.tailU]
        var worst = 0.0
        for u in points where u > 0 && u < 1 {
            let floor = abs(cdf(table.exact(u)) - u)
            worst = max(worst, abs(cdf(table.quantile(u)) - u) - floor)
        }
        return worst
    }

    func testTheUErrorBoundHoldsForOrdinaryAndExtremeShapes() {
        let normal = InverseCDFTable.standardNormal
        let e = Self.largestUError(normal, cdf: { gsl_cdf_ugaussian_P($0) })
        XCTAssertLessThanOrEqual(e, 1e-11, "standard normal")
        print("standard normal: \(normal.cellCount) cells, \(normal.exactCells) exact, u-error \(e)")
        let betas: [(Double, Double)] = [(0.5, 0.5), (200, 2), (2, 200), (2, 5), (1, 1), (33, 34), (1.235, 4.765), (0.2, 3)]
        for (a, b) in betas {
            let started = Date()
            let table = InverseCDFTable.beta(a, b)
            let seconds = Date().timeIntervalSince(started)
            let e = Self.largestUError(table, cdf: { gsl_cdf_beta_P($0, a, b) })
            XCTAssertLessThanOrEqual(e, InverseCDFTable.uErrorBound, "beta(\(a), \(b))")
            XCTAssertLessThanOrEqual(table.measuredUError, InverseCDFTable.uErrorBound)
            print("beta(\(a), \(b)): \(table.cellCount) cells, \(table.exactCells) exact, u-error \(e), built in \(seconds) s")
        }
        for k in [0.2, 1, 5, 80] {
            let table = InverseCDFTable.gamma(shape: k)
            let e = Self.largestUError(table, cdf: { gsl_cdf_gamma_P($0, k, 1) })
            XCTAssertLessThanOrEqual(e, InverseCDFTable.uErrorBound, "gamma(\(k))")
            print("gamma(\(k)): \(table.cellCount) cells, \(table.exactCells) exact, u-error \(e)")
        }
        // A lognormal of sigma 3 is exp(μ + 3·Φ̃⁻¹(u)): its u-error is the normal table's.
        let e3 = Self.largestUError(normal, cdf: { gsl_cdf_lognormal_P(exp(3 * $0), 0, 3) })
        XCTAssertLessThanOrEqual(e3, 1e-10, "lognormal sigma 3")
    }

    /// The table's draws are a monotone function of u, and 10⁵ of them pass KS against the exact CDF.
    func testDrawsByInversionAreMonotoneAndPassKolmogorovSmirnov() {
        let table = InverseCDFTable.beta(0.5, 0.5)
        var previous = -Double.infinity
        for i in 1..<100_000 {
            let x = table.quantile(Double(i) / 100_000)
            XCTAssertGreaterThanOrEqual(x, previous)
            previous = x
        }
        let stream = RandomStream(seed: 27, stream: 1)
        let sample = (0..<100_000).map { _ in table.quantile(stream.uniformPositive()) }
        XCTAssertGreaterThan(GoodnessOfFit.kolmogorovSmirnov(sample, cdf: { gsl_cdf_beta_P($0, 0.5, 0.5) }).pValue, 1e-3)
    }

    /// GSL's beta inverse fails to converge for beta(200, 2) near u = 0.007 (it returns NaN); the sampler's quantile
    /// and the table invert the CDF there instead, and keep GSL's value wherever it converges.
    func testABetaQuantileGSLCannotFindIsFoundByBisection() {
        GSLRuntime.prepare()
        XCTAssert(gsl_cdf_beta_Pinv(0.0071, 200, 2).isNaN, "GSL's failure this guards against")
        let prior = Distribution.beta(alpha: 200, beta: 2)
        for u in [0.0071, 0.01, 0.3] {
            let x = prior.quantile(u)
            XCTAssertEqual(gsl_cdf_beta_P(x, 200, 2), u, accuracy: 1e-14, "u \(u)")
        }
        XCTAssertEqual(prior.quantile(0.5), gsl_cdf_beta_Pinv(0.5, 200, 2), "GSL's value where it converges")
        XCTAssertEqual(Distribution.pert(min: 0, mode: 0.995, max: 1, lambda: 400).quantile(0.0071).isFinite, true)
    }

    /// A shape's table is built once and reused while it is recent (a sweep's points mostly keep their shapes).
    func testTablesOfAShapeAreReused() {
        XCTAssert(InverseCDFTable.beta(2.25, 5.5) === InverseCDFTable.beta(2.25, 5.5))
        XCTAssert(InverseCDFTable.gamma(shape: 3.5) === InverseCDFTable.gamma(shape: 3.5))
        XCTAssert(InverseCDFTable.beta(2.25, 5.5) !== InverseCDFTable.beta(2.25, 5.25))
    }

    /// The u a test reads tables at: a fine grid, log-spaced tails, and the last few doubles either side of the table's
    /// ends, of every cell's start and of every guide slice's start (where a slice computed by multiplication can round
    /// onto its neighbour).
    static func probePoints(_ table: InverseCDFTable) -> [Double] {
        var points = (1..<20_000).map { Double($0) / 20_000 }
        for k in 0..<500 {
            let u = pow(10, -15 + 15 * Double(k) / 500)
            points += [u, 1 - u]
        }
        var edges = [InverseCDFTable.tailU, 1 - InverseCDFTable.tailU, table.header.pointee.upperU]
        for c in stride(from: 0, to: table.cells.count, by: InverseCDFTable.stride) { edges.append(table.cells[c]) }
        let (lo, hi, n) = (InverseCDFTable.tailU, 1 - InverseCDFTable.tailU, Double(table.guide.count))
        for j in 0..<table.guide.count { edges.append(lo + (hi - lo) * Double(j) / n) }
        for e in edges {
            var (down, up) = (e, e)
            for _ in 0..<3 { points += [down, up]; (down, up) = (down.nextDown, up.nextUp) }
        }
        return points.filter { $0 > 0 && $0 < 1 }
    }

    /// The lookup's cell, found from a slice by multiplication and a walk both ways, is the cell the guide's own
    /// division and a forward walk find (what every release so far computed), bit for bit, at every probe point; and the
    /// table covers exactly the u it covered.
    func testTheLookupFindsTheCellTheGuidesDivisionFinds() {
        for table in [InverseCDFTable.standardNormal, .beta(0.5, 0.5), .beta(200, 2), .gamma(shape: 0.2)] {
            let h = table.header.pointee, lo = InverseCDFTable.tailU
            var mismatches = 0
            for u in Self.probePoints(table) {
                var expected = Double.nan
                let position = (u - lo) / (1 - 2 * lo) * Double(h.slices)
                if position >= 0 && position < Double(h.slices) {
                    var k = Int(h.guide[Int(position)])
                    while k + 1 < h.count && h.cells[(k + 1) * 6] <= u { k += 1 }
                    let c = h.cells + k * 6
                    if c[1] > 0 {
                        let t = (u - c[0]) * c[1]
                        expected = c[2] + t * (c[3] + t * (c[4] + t * c[5]))
                    }
                }
                let found = h.lookupOrNaN(u)
                if !(found.bitPattern == expected.bitPattern || (found.isNaN && expected.isNaN)) { mismatches += 1 }
            }
            XCTAssertEqual(mismatches, 0, "\(table.cellCount) cells")
        }
    }

    /// A task's compact record (``InverseDraw``) draws what its sampler's core draws from the same uniform, bit for
    /// bit, for every family and the extreme shapes, tails included.
    func testTheCompactRecordDrawsWhatTheSamplerDraws() {
        let families: [Distribution] = [
            .constant(3), .uniform(min: -2, max: 5), .normal(mean: 1, sd: 2, min: nil, max: nil), .lognormal(mu: 10.5, sigma: 3),
            .normal(mean: 0, sd: 1, min: -1, max: 2), .normal(mean: 0, sd: 1, min: 0.5, max: nil),
            .normal(mean: 0, sd: 1, min: 3, max: nil), .beta(alpha: 0.5, beta: 0.5), .beta(alpha: 200, beta: 2),
            .pert(min: 1, mode: 2, max: 10, lambda: 4), .triangular(min: 0, mode: 1, max: 4), .gamma(shape: 0.2, scale: 3),
            .gamma(shape: 6.25, scale: 800), .discrete(values: [1, 2, 3], weights: [0.3, 0.5, 0.2]),
            .discrete(values: [5, -1, 2, 9], weights: [0, 1, 1, 2]), .tabulated(quantiles: [0, 1, 4, 9, 16]),
        ]
        let probes = Self.probePoints(.standardNormal) + Self.probePoints(.beta(0.5, 0.5))
        for distribution in families {
            let sampler = Sampler(distribution, method: .inversion)
            withUnsafePointer(to: sampler.core) { core in
                let draw = InverseDraw(core)
                var mismatches = 0
                for u in probes where draw.value(u).bitPattern != core.pointee.invert(u).bitPattern { mismatches += 1 }
                XCTAssertEqual(mismatches, 0, "\(distribution)")
            }
        }
    }

    /// Where the multiplication rounds u just below a slice's start onto that slice, and a cell starts exactly there, the
    /// lookup walks back to the cell u is in. (Built by hand: the bundled tables have no cell start on a slice start.)
    func testTheLookupWalksBackWhereTheSliceRoundsUp() throws {
        let (lo, hi) = (InverseCDFTable.tailU, 1 - InverseCDFTable.tailU)
        var found: (slices: Int, j: Int, u: Double)?
        search: for n in 16...4_096 {
            let slicesPerU = Double(n) / (1 - 2 * lo)
            for j in 1..<n {
                let start = lo + (hi - lo) * Double(j) / Double(n)
                var u = start.nextDown
                for _ in 0..<4 {
                    if Int((u - lo) * slicesPerU) == j { found = (n, j, u); break search }
                    u = u.nextDown
                }
            }
        }
        let (n, j, u) = try XCTUnwrap(found, "no slice start the multiplication rounds onto")
        let start = lo + (hi - lo) * Double(j) / Double(n)
        // Two cells: x = 1 on [lo, start), x = 2 from start on.
        let cells: [Double] = [lo, 1 / (start - lo), 1, 0, 0, 0, start, 1 / (hi - start), 2, 0, 0, 0]
        let guide = (0..<n).map { i in Int32(lo + (hi - lo) * Double(i) / Double(n) >= start ? 1 : 0) }
        try cells.withUnsafeBufferPointer { c in
            try guide.withUnsafeBufferPointer { g in
                let header = InverseTableHeader(cells: try XCTUnwrap(c.baseAddress), count: 2, guide: try XCTUnwrap(g.baseAddress),
                                                slices: n)
                XCTAssertEqual(header.lookupOrNaN(u), 1, "u = \(u), just below the start of slice \(j) of \(n)")
                XCTAssertEqual(header.lookupOrNaN(start), 2)
            }
        }
    }
}
