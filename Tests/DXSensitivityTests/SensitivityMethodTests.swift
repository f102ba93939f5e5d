import DXSampling
import DXSensitivity
import Foundation
import XCTest

/// Reference functions with known indices (Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer").
enum ReferenceFunctions {
    static let pi = Double.pi

    /// Ishigami: sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³.
    static func ishigami(_ x: [Double], a: Double = 7, b: Double = 0.1) -> Double {
        sin(x[0]) + a * sin(x[1]) * sin(x[1]) + b * pow(x[2], 4) * sin(x[0])
    }

    static let ishigamiProblem = SensitivityProblem(names: ["x1", "x2", "x3"], bounds: Array(repeating: (-pi, pi), count: 3))

    /// Sobol G: Π (|4xᵢ − 2| + aᵢ) / (1 + aᵢ) on [0, 1]^k.
    static func sobolG(_ x: [Double], a: [Double]) -> Double {
        zip(x, a).reduce(1) { $0 * (abs(4 * $1.0 - 2) + $1.1) / (1 + $1.1) }
    }
}

final class SobolIndicesTests: XCTestCase {
    func testIshigamiIndicesMatchTheClosedFormAndTheIntervalsCoverThem() throws {
        let design = try XCTUnwrap(SobolIndices.sample(dimensions: 3, baseRows: 1 << 13))
        XCTAssertEqual(design.points.count, (1 << 13) * 5)
        let y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        let result = SobolIndices.analyze(design, outputs: y, resamples: 300, seed: 11)
        let s1 = [0.3139, 0.4424, 0.0], st = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            XCTAssertEqual(result.firstOrder[i].value, s1[i], accuracy: 0.02, "S1 x\(i + 1)")
            XCTAssertEqual(result.total[i].value, st[i], accuracy: 0.02, "ST x\(i + 1)")
            XCTAssertTrue(result.firstOrder[i].covers(s1[i]), "S1 x\(i + 1): \(result.firstOrder[i]) misses \(s1[i])")
            XCTAssertTrue(result.total[i].covers(st[i]), "ST x\(i + 1): \(result.total[i]) misses \(st[i])")
        }
        XCTAssertEqual(result.completeRows, 1 << 13)
        XCTAssertEqual(result.failedRows, 0)
    }

    func testSobolGFirstOrderIndicesMatchTheClosedForm() throws {
        let a = [78.0, 12, 0.5, 2, 97, 33]
        // Vᵢ = 1/(3(1 + aᵢ)²); S1ᵢ = Vᵢ / (Π(1 + Vⱼ) − 1).
        let v = a.map { 1 / (3 * (1 + $0) * (1 + $0)) }
        let total = v.reduce(1) { $0 * (1 + $1) } - 1
        let expected = v.map { $0 / total }
        XCTAssertEqual(expected, [0.000276, 0.010195, 0.765743, 0.191436, 0.000179, 0.001490].map { $0 }, accuracy: 5e-6)
        let design = try XCTUnwrap(SobolIndices.sample(dimensions: 6, baseRows: 1 << 13))
        let problem = SensitivityProblem(names: (1...6).map { "x\($0)" }, bounds: Array(repeating: (0, 1), count: 6))
        let result = SobolIndices.analyze(design, outputs: problem.evaluate(design.points) { ReferenceFunctions.sobolG($0, a: a) },
                                          resamples: 200, seed: 3)
        for i in 0..<6 { XCTAssertEqual(result.firstOrder[i].value, expected[i], accuracy: 0.01, "S1 x\(i + 1)") }
    }

    func testSecondOrderIndexOfIshigamiIsTheX1X3Interaction() throws {
        // The only interaction is x1·x3: S13 = ST1 − S1 = 0.5576 − 0.3139 = 0.2437; S12 = S23 = 0.
        let design = try XCTUnwrap(SobolIndices.sample(dimensions: 3, baseRows: 1 << 12, secondOrder: true))
        XCTAssertEqual(design.points.count, (1 << 12) * 8)
        let y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        let result = SobolIndices.analyze(design, outputs: y, resamples: 100)
        XCTAssertEqual(try XCTUnwrap(result.secondOrder[0][2]).value, 0.2437, accuracy: 0.05)
        XCTAssertEqual(try XCTUnwrap(result.secondOrder[0][1]).value, 0, accuracy: 0.05)
        XCTAssertEqual(try XCTUnwrap(result.secondOrder[1][2]).value, 0, accuracy: 0.05)
        XCTAssertNil(result.secondOrder[2][0])
    }

    func testFailedPointsDropTheirBlocksOnlyAndAreCounted() throws {
        let design = try XCTUnwrap(SobolIndices.sample(dimensions: 3, baseRows: 1 << 12))
        var y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        // Fail one point in every 16th block (at a varying position in the block).
        for j in stride(from: 0, to: 1 << 12, by: 16) { y[j * 5 + j % 5] = .nan }
        let result = SobolIndices.analyze(design, outputs: y, resamples: 100)
        XCTAssertEqual(result.failedRows, (1 << 12) / 16)
        XCTAssertEqual(result.completeRows, (1 << 12) - (1 << 12) / 16)
        for (i, truth) in [0.3139, 0.4424, 0.0].enumerated() { XCTAssertEqual(result.firstOrder[i].value, truth, accuracy: 0.04) }
        XCTAssertFalse(result.firstOrder.contains { !$0.value.isFinite })
    }

    func testAnalysisIsReproducible() throws {
        let design = try XCTUnwrap(SobolIndices.sample(dimensions: 3, baseRows: 256))
        let y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        let a = SobolIndices.analyze(design, outputs: y, resamples: 50, seed: 5)
        let b = SobolIndices.analyze(design, outputs: y, resamples: 50, seed: 5)
        XCTAssertEqual(a.firstOrder, b.firstOrder)
        XCTAssertEqual(a.total, b.total)
    }
}

final class MorrisScreeningTests: XCTestCase {
    func testIshigamiX2HasMuStarExactly7875() {
        let design = MorrisScreening.sample(dimensions: 3, trajectories: 30, levels: 4, seed: 9)
        XCTAssertEqual(design.points.count, 30 * 4)
        let y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        let result = MorrisScreening.analyze(design, outputs: y)
        // Every x2 step moves between −π and π/3 or −π/3 and π: 7·sin² changes by 5.25 over a step of 2/3.
        XCTAssertEqual(result.effects[1].muStar.value, 7.875, accuracy: 1e-9)
        XCTAssertEqual(result.effects[1].count, 30)
        XCTAssertGreaterThan(result.effects[0].muStar.value, 0)
    }

    func testLinearFunctionGivesItsCoefficientsAndNoSpread() {
        let c = [1.5, -2.0, 0.25, 4.0]
        let problem = SensitivityProblem(names: ["a", "b", "c", "d"], bounds: Array(repeating: (0, 1), count: 4))
        let design = MorrisScreening.sample(dimensions: 4, trajectories: 12, levels: 6, seed: 2)
        let result = MorrisScreening.analyze(design, outputs: problem.evaluate(design.points) { x in zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } })
        for i in 0..<4 {
            XCTAssertEqual(result.effects[i].mu, c[i], accuracy: 1e-12)
            XCTAssertEqual(result.effects[i].muStar.value, abs(c[i]), accuracy: 1e-12)
            XCTAssertEqual(result.effects[i].sigma, 0, accuracy: 1e-12)
        }
    }

    func testAFailedPointLosesOnlyTheStepsThatTouchIt() {
        let design = MorrisScreening.sample(dimensions: 3, trajectories: 10, levels: 4, seed: 1)
        var y = ReferenceFunctions.ishigamiProblem.evaluate(design.points) { ReferenceFunctions.ishigami($0) }
        y[5] = .nan   // trajectory 1, its second point: two steps touch it
        let result = MorrisScreening.analyze(design, outputs: y)
        XCTAssertEqual(result.failedSteps, 2)
        XCTAssertEqual(result.effects.map(\.count).reduce(0, +), 30 - 2)
        XCTAssertEqual(result.effects[1].muStar.value, 7.875, accuracy: 1e-9)
    }
}

final class OneAtATimeSwingTests: XCTestCase {
    func testSwingsAreTheOutputAtEachInputsQuantilesAndRankByWidth() {
        let problem = SensitivityProblem(names: ["a", "b", "c"], inputs: [
            .uniform(min: 0, max: 10), .distribution(.normal(mean: 0, sd: 1, min: nil, max: nil)), .uniform(min: -1, max: 1),
        ])
        let design = OneAtATimeSwing.sample(dimensions: 3)
        let model: ([Double]) -> Double = { x in 2 * x[0] + 3 * x[1] + x[2] }
        let result = OneAtATimeSwing.analyze(design, outputs: problem.evaluate(design.points, model))
        XCTAssertEqual(result.base, 10, accuracy: 1e-12)
        XCTAssertEqual(result.swings[0].low, 2 * 0.5 + 0, accuracy: 1e-12)
        XCTAssertEqual(result.swings[0].high, 2 * 9.5, accuracy: 1e-12)
        XCTAssertEqual(result.swings[1].high - 10, 3 * 1.6448536269514722, accuracy: 1e-9)
        XCTAssertEqual(result.ranking, [0, 1, 2])
    }
}

final class PRIMTests: XCTestCase {
    func testThreeRowToyCase() {
        let columns: [PRIM.Column] = [.numeric([0, 2, 3]), .numeric([1, 5, 2]), .numeric([2, 6, 1])]
        let result = PRIM.run(columns: columns, interesting: [true, true, false])
        XCTAssertEqual(result.box.coverage, 1)
        XCTAssertEqual(result.box.density, 1)
        XCTAssertEqual(result.box.mass, 2.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(result.trajectory.count, 2)
    }

    func testRecoversAKnownBoxWithinThePeelingResolution() {
        let stream = RandomStream(seed: 17)
        let n = 4000
        let x = (0..<n).map { _ in stream.uniform() }, z = (0..<n).map { _ in stream.uniform() }, noise = (0..<n).map { _ in stream.uniform() }
        let y = (0..<n).map { (0.2...0.5).contains(x[$0]) && (0.6...0.9).contains(z[$0]) }
        var options = PRIM.Options()
        options.minimumCoverage = 0.8
        let result = PRIM.run(columns: [.numeric(x), .numeric(z), .numeric(noise)], interesting: y, options: options)
        let box = result.box
        XCTAssertEqual(box.restricted, [0, 1], "only x and z restricted, not the noise input")
        guard case let .range(xLow, xHigh) = box.limits[0], case let .range(zLow, zHigh) = box.limits[1] else {
            return XCTFail("numeric limits expected")
        }
        // One peel removes 5% of the box's points: about 0.05 × the box's width at the end.
        for (found, truth) in [(xLow, 0.2), (xHigh, 0.5), (zLow, 0.6), (zHigh, 0.9)] { XCTAssertEqual(found, truth, accuracy: 0.02) }
        XCTAssertGreaterThan(box.density, 0.9)
        XCTAssertGreaterThanOrEqual(box.coverage, 0.8)
        XCTAssertTrue(box.quasiPValues.allSatisfy { $0 < 1e-6 }, "both restrictions matter: \(box.quasiPValues)")
        // The trajectory trades coverage for density.
        XCTAssertEqual(result.trajectory.first?.mass, 1)
        XCTAssertGreaterThan(result.trajectory.last!.density, result.trajectory.first!.density)
    }

    func testCategoricalInputsPeelWholeCategories() {
        let stream = RandomStream(seed: 4)
        let n = 600
        let policy = (0..<n).map { ["none", "pool", "retrain"][$0 % 3] }
        let x = (0..<n).map { _ in stream.uniform() }
        let y = (0..<n).map { policy[$0] == "none" && x[$0] > 0.5 }
        let result = PRIM.run(columns: [.categorical(policy), .numeric(x)], interesting: y)
        XCTAssertEqual(result.box.limits[0], .categories(["none"]))
        XCTAssertEqual(result.box.density, 1)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
