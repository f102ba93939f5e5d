import DXSampling
import XCTest

final class ExperimentDesignTests: XCTestCase {
    func testGridCoversEveryCombination() throws {
        let g = try XCTUnwrap(ExperimentDesign.grid(levels: [3, 2, 1])).points
        XCTAssertEqual(g.count, 6)
        XCTAssertEqual(Set(g.map { $0[0] }), [0, 0.5, 1])
        XCTAssertEqual(Set(g.map { $0[1] }), [0, 1])
        XCTAssertEqual(Set(g.map { $0[2] }), [0.5])
        XCTAssertEqual(Set(g.map { "\($0)" }).count, 6, "no point twice")
        XCTAssertEqual(g[1], [0, 1, 0.5], "the last parameter varies fastest")
        XCTAssertNil(ExperimentDesign.grid(levels: Array(repeating: 40, count: 6)), "4.1e9 points are over the limit")
        XCTAssertNil(ExperimentDesign.gridSize(levels: Array(repeating: 10_000, count: 6)), "the product overflows")
    }

    /// Each of the n strata of every parameter holds exactly one point (checked on all points and on the lazy
    /// point-by-point form), strata are paired at random, and the design is a pure function of the seed.
    func testLatinHypercubeHasOnePointPerStratumPerParameter() {
        for n in [1, 2, 50, 1000] {
            let k = 4
            let design = ExperimentDesign.latinHypercube(points: n, dimensions: k, seed: 3)
            let points = design.points
            XCTAssertEqual(points.count, n)
            for d in 0..<k {
                let strata = points.map { Int($0[d] * Double(n)) }.sorted()
                XCTAssertEqual(strata, Array(0..<n), "n \(n), parameter \(d)")
            }
            if n > 2 { XCTAssertNotEqual(points.map { Int($0[0] * Double(n)) }, points.map { Int($0[1] * Double(n)) }, "parameters are paired at random") }
            XCTAssertEqual(design.point(n - 1), ExperimentDesign.latinHypercube(points: n, dimensions: k, seed: 3).point(n - 1))
        }
        XCTAssertNotEqual(ExperimentDesign.latinHypercube(points: 50, dimensions: 2, seed: 3).points,
                          ExperimentDesign.latinHypercube(points: 50, dimensions: 2, seed: 4).points)
    }

    /// A keyed permutation is a bijection of [0, n) for any n, including ones far from a power of four.
    func testKeyedPermutationIsABijection() {
        for n in [1, 2, 3, 5, 17, 100, 1023, 4097] {
            let p = KeyedPermutation(count: n, key: 99)
            XCTAssertEqual((0..<n).map { p($0) }.sorted(), Array(0..<n), "n = \(n)")
        }
    }

    /// A point of a ten-million-point Latin hypercube is computed alone, without the others.
    func testAPointOfAHugeDesignNeedsNoOtherPoint() {
        let design = ExperimentDesign.latinHypercube(points: 10_000_000, dimensions: 6, seed: 1)
        let u = design.point(9_999_999)
        XCTAssertEqual(u.count, 6)
        XCTAssert(u.allSatisfy { (0..<1).contains($0) })
    }

    /// Reference points from SciPy 1.17's `qmc.Sobol(d, scramble=False)` (Joe & Kuo's directions, Gray-code order).
    func testSobolIsJoeKuosSequenceFromTheOrigin() throws {
        let s = try XCTUnwrap(ExperimentDesign.sobol(points: 8, dimensions: 4)).points
        XCTAssertEqual(s, [[0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5], [0.75, 0.25, 0.25, 0.25], [0.25, 0.75, 0.75, 0.75],
                           [0.375, 0.375, 0.625, 0.875], [0.875, 0.875, 0.125, 0.375], [0.625, 0.125, 0.875, 0.625],
                           [0.125, 0.625, 0.375, 0.125]])
        XCTAssertEqual(try XCTUnwrap(ExperimentDesign.sobol(points: 3, dimensions: 4, skip: 5)).points, Array(s[5...]))
        let sequence = try XCTUnwrap(SobolSequence(dimensions: 12))
        let deep = sequence.integerPoints(1024)
        XCTAssertEqual(deep[1000], [235929600, 103809024, 556793856, 726663168, 300941312, 974127104, 49283072, 965738496,
                                    537919488, 74448896, 91226112, 273678336])
        XCTAssertEqual(sequence.integerPoints(1, skip: 1023)[0], [1048576, 808452096, 657457152, 156237824, 200278016, 470810624,
                                                                 149946368, 663748608, 370147328, 913309696, 728760320, 38797312])
        let wide = try XCTUnwrap(SobolSequence(dimensions: 512)).integerPoints(1, skip: 37)[0]
        XCTAssertEqual([wide[100], wide[255], wide[511]], [385875968, 486539264, 50331648])
        XCTAssertNil(ExperimentDesign.sobol(points: 1, dimensions: 513))
        XCTAssertNil(ExperimentDesign.sobol(points: 1, dimensions: 0))
    }

    /// The first 2^m points are balanced: each dyadic interval of length 2^−m of every coordinate holds exactly one
    /// point, with or without Owen scrambling (GSL's sequence, which starts after the origin, left one empty).
    func testSobolPointsFillEveryDyadicIntervalExactlyOnce() throws {
        for scramble in [nil, UInt64(7), UInt64(8)] as [UInt64?] {
            for m in [4, 7] {
                let n = 1 << m
                let points = try XCTUnwrap(ExperimentDesign.sobol(points: n, dimensions: 9, scramble: scramble)).points
                for d in 0..<9 {
                    let cells = points.map { Int($0[d] * Double(n)) }.sorted()
                    XCTAssertEqual(cells, Array(0..<n), "dimension \(d), \(n) points, scramble \(String(describing: scramble))")
                }
            }
        }
    }

    /// Owen scrambling keeps each two-dimensional elementary interval of volume 1/16 (2^a × 2^b cells, a + b = 4)
    /// exactly as full as the unscrambled net does, makes every point uniform (mean 1/2 over seeds), and depends on the seed.
    func testOwenScramblingKeepsTheNetAndRandomises() throws {
        let plain = try XCTUnwrap(ExperimentDesign.sobol(points: 16, dimensions: 2)).points
        let one = try XCTUnwrap(ExperimentDesign.sobol(points: 16, dimensions: 2, scramble: 1)).points
        XCTAssertNotEqual(one, try XCTUnwrap(ExperimentDesign.sobol(points: 16, dimensions: 2, scramble: 2)).points)
        XCTAssertEqual(one, try XCTUnwrap(ExperimentDesign.sobol(points: 16, dimensions: 2, scramble: 1)).points, "a pure function of the seed")
        func counts(_ points: [[Double]], _ a: Int) -> [Int] {
            var c = [Int](repeating: 0, count: 16)
            for p in points { c[Int(p[0] * Double(1 << a)) * (1 << (4 - a)) + Int(p[1] * Double(1 << (4 - a)))] += 1 }
            return c.sorted()
        }
        for a in 0...4 { XCTAssertEqual(counts(one, a), counts(plain, a), "cells of 2^-\(a) × 2^-\(4 - a)") }
        // Point 5 of the sequence, scrambled under 400 seeds: uniform, so its mean is 1/2 within 4.5 standard errors of 1/√(12·400).
        let values = (0..<400).map { SobolSequence.owenScrambled(SobolSequence(dimensions: 1)!.integerPoints(1, skip: 5)[0][0], dimension: 0, seed: UInt64($0)) }
        XCTAssertEqual(values.reduce(0, +) / 400, 0.5, accuracy: 4.5 / (12.0 * 400).squareRoot())
    }

    func testMorrisTrajectoriesMoveOneParameterAtATimeByDelta() {
        let (r, k, p) = (6, 5, 4)
        let points = ExperimentDesign.morris(trajectories: r, dimensions: k, levels: p, seed: 11).points
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
