import DXSampling
import XCTest

final class ExperimentDesignTests: XCTestCase {
    func testGridCoversEveryCombination() {
        let g = ExperimentDesign.grid(levels: [3, 2, 1])
        XCTAssertEqual(g.count, 6)
        XCTAssertEqual(Set(g.map { $0[0] }), [0, 0.5, 1])
        XCTAssertEqual(Set(g.map { $0[1] }), [0, 1])
        XCTAssertEqual(Set(g.map { $0[2] }), [0.5])
        XCTAssertEqual(Set(g.map { "\($0)" }).count, 6, "no point twice")
    }

    func testLatinHypercubeHasOnePointPerStratumPerParameter() {
        let n = 50, k = 4
        let points = ExperimentDesign.latinHypercube(points: n, dimensions: k, stream: RandomStream(seed: 3))
        XCTAssertEqual(points.count, n)
        for d in 0..<k {
            let strata = points.map { Int($0[d] * Double(n)) }
            XCTAssertEqual(Set(strata), Set(0..<n), "parameter \(d)")
        }
        XCTAssertNotEqual(points.map { $0[0] }, points.map { $0[1] }, "parameters are paired at random")
    }

    func testSobolIsGSLsSequence() {
        // The first points of GSL's 2-D Sobol sequence (gsl_qrng_sobol starts after the origin).
        let s = ExperimentDesign.sobol(points: 4, dimensions: 2)!
        XCTAssertEqual(s, [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375]])
        XCTAssertEqual(ExperimentDesign.sobol(points: 2, dimensions: 2, skip: 2)!, Array(s[2...]))
        XCTAssertNil(ExperimentDesign.sobol(points: 1, dimensions: 41))
        // Low discrepancy: every dyadic interval of length 1/16 holds exactly one of the first 16 points, per dimension.
        let s16 = ExperimentDesign.sobol(points: 16, dimensions: 5, skip: 0)!
        for d in 0..<5 {
            let cells = s16.map { Int($0[d] * 16) }
            XCTAssertLessThanOrEqual(Set(cells).count, 16)
            XCTAssertGreaterThanOrEqual(Set(cells).count, 15, "dimension \(d)")
        }
    }

    func testMorrisTrajectoriesMoveOneParameterAtATimeByDelta() {
        let (r, k, p) = (6, 5, 4)
        let points = ExperimentDesign.morris(trajectories: r, dimensions: k, levels: p, stream: RandomStream(seed: 11))
        XCTAssertEqual(points.count, r * (k + 1))
        let delta = Double(p) / Double(2 * (p - 1))
        for t in 0..<r {
            let trajectory = Array(points[(t * (k + 1))..<((t + 1) * (k + 1))])
            var moved = Set<Int>()
            for (a, b) in zip(trajectory, trajectory.dropFirst()) {
                let changed = (0..<k).filter { a[$0] != b[$0] }
                XCTAssertEqual(changed.count, 1)
                XCTAssertEqual(abs(b[changed[0]] - a[changed[0]]), delta, accuracy: 1e-12)
                moved.insert(changed[0])
            }
            XCTAssertEqual(moved, Set(0..<k), "every parameter moves once per trajectory")
            for x in trajectory.joined() {
                XCTAssert((0...1).contains(x))
                XCTAssertEqual(x * Double(p - 1), (x * Double(p - 1)).rounded(), accuracy: 1e-9, "on the p-level grid")
            }
        }
    }
}
