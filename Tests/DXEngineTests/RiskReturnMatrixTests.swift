import DXEngine
import DXScenario
import XCTest

final class RiskReturnMatrixTests: XCTestCase {
    func testQuadrantsFollowTheThresholdsAndProbabilitiesSumToOne() throws {
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        var options = MappingOptions(draws: 5_000, seed: 8, threads: 2)
        options.thresholds = MatrixThresholds(probability: 0.3)
        let result = try MappingEngine.run(scenario, options: options)
        for view in MatrixView.allCases {
            for level in [Level.service, .role, .organisation] {
                let m = result.matrix(level: level, view: view, risk: .loss)
                XCTAssertEqual(m.points.count, result.entities(at: level).count)
                for p in m.points {
                    XCTAssertEqual(p.probabilities.values.reduce(0, +), 1, accuracy: 1e-12)
                    let favourable = view == .probability ? p.x >= m.xThreshold : p.x <= m.xThreshold
                    XCTAssertEqual(p.quadrant, Quadrant(favourableX: favourable, highY: p.y >= m.yThreshold))
                }
            }
        }
        // Blue badge (admin and social work, P ≈ 0.37) sits right of the 0.3 line, safeguarding (P ≈ 0.21) left of it.
        let m = result.matrix(level: .service, view: .probability)
        XCTAssertGreaterThan(m.points.first { $0.entity.id == "blue-badge" }!.x, 0.3)
        XCTAssertLessThan(m.points.first { $0.entity.id == "safeguarding" }!.x, 0.3)
    }

    func testQuadrantProbabilitiesCountDraws() throws {
        // With the x threshold at 0, every draw is on the high side: only automate-first and opportunistic occur,
        // and with the y threshold at 0 every draw is automate-first.
        let scenario = try ScenarioLoader.parse(MappingEngineTests.yaml)
        var options = MappingOptions(draws: 3_000, seed: 8, threads: 2)
        options.thresholds = MatrixThresholds(probability: 0, value: 0)
        let m = try MappingEngine.run(scenario, options: options).matrix(level: .organisation, view: .probability)
        for p in m.points {
            XCTAssertEqual(p.quadrant, .automateFirst)
            XCTAssertEqual(p.confidence, 1)
        }
    }
}
