import DXEngine
import DXSampling
import DXScenario
import XCTest

/// The same scenario, seed and draws give bit-identical results whatever the thread count.
final class DeterminismTests: XCTestCase {
    func everything(_ r: MappingResult) -> [DistributionSummary] {
        r.entities.indices.flatMap { e in r.metrics.map { r.summary(e, $0) } }
    }

    func matrices(_ r: MappingResult) -> [RiskReturnMatrix] {
        [Level.service, .role, .organisation].flatMap { level in
            [r.matrix(level: level, view: .probability), r.matrix(level: level, view: .riskReturn, risk: .cvar)]
        }
    }

    func testBitIdenticalFor1And2And7Threads() throws {
        var scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        scenario.correlation = Correlation(global: 0.3, role: 0.4)
        // 9,500 draws: 10 chunks, the last one partial.
        let runs = try [1, 2, 7].map { try MappingEngine.run(scenario, options: MappingOptions(draws: 9_500, seed: 42, threads: $0)) }
        XCTAssertEqual(runs.map(\.run.threadsUsed), [1, 2, 7])
        for r in runs.dropFirst() {
            XCTAssertEqual(everything(r), everything(runs[0]))
            XCTAssertEqual(matrices(r).map(\.points), matrices(runs[0]).map(\.points))
        }
    }

    func testSameSeedAgreesAndAnotherSeedDiffers() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        let a = try MappingEngine.run(scenario, options: MappingOptions(draws: 3_000, seed: 42, threads: 2))
        let b = try MappingEngine.run(scenario, options: MappingOptions(draws: 3_000, seed: 42, threads: 2))
        let c = try MappingEngine.run(scenario, options: MappingOptions(draws: 3_000, seed: 43, threads: 2))
        XCTAssertEqual(everything(a), everything(b))
        XCTAssertNotEqual(everything(a).map(\.mean), everything(c).map(\.mean))
    }

    func testRejectsImpossibleRunOptions() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        XCTAssertThrowsError(try MappingEngine.run(scenario, options: MappingOptions(draws: 1)))
        XCTAssertThrowsError(try MappingEngine.run(scenario, options: MappingOptions(draws: 100, threads: 0)))
    }
}
