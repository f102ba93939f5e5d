import DXSampling
@testable import DXScenario
import DXTestSupport
import XCTest

final class SweepLoaderTests: XCTestCase {
    func testPathsWithWildcardsIdsAndPositions() throws {
        let dir = TemporaryDirectory()
        let plan = try SweepLoader.load(path: try SweepFixtures.write(into: dir, points: 5))
        XCTAssertEqual(plan.points.count, 5)
        XCTAssertEqual(plan.definition.scenarioPath, dir.path("base.yaml"))
        for (values, scenario) in zip(plan.points, plan.scenarios.compactMap { $0 }) {
            guard case let .number(speed) = values[0], case let .number(size) = values[1] else { return XCTFail() }
            XCTAssertEqual(scenario.roles[0].automation!.mean, 0.62 * speed, accuracy: 1e-12, "roles[*] scaled")
            XCTAssertEqual(scenario.services[0].tasks.map(\.fte), [14 * size, 3 * size], "tasks[*] of one service by id")
        }
        XCTAssertEqual(plan.base.services[0].tasks[0].fte, 14, "the base is untouched")
        XCTAssertNotEqual(plan.seed(ofPoint: 0), plan.seed(ofPoint: 1))
        XCTAssertEqual(plan.seed(ofPoint: 3), try SweepLoader.load(path: dir.path("sweep.yaml")).seed(ofPoint: 3))
    }

    func testPositionalSelectorAndSetAndShift() throws {
        let dir = TemporaryDirectory()
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        let path = try dir.write("""
        dxmap-sweep: 1
        scenario: base.yaml
        draws: 10
        design: { list: { points: [[2, 0.5], [5, 0.25]] } }
        parameters:
          - { name: second-fte, path: "services[blue-badge].tasks[1].fte", set: { min: 1, max: 9 } }
          - { name: discount, path: discount_rate, shift: { min: 0, max: 0.5 } }
        outputs: [total.npv]
        """, to: "s.yaml")
        let plan = try SweepLoader.load(path: path)
        XCTAssertEqual(plan.scenarios.map { $0!.services[0].tasks[1].fte }, [2, 5])
        XCTAssertEqual(plan.scenarios.map { $0!.services[0].tasks[0].fte }, [14, 14])
        XCTAssertEqual(plan.scenarios[1]!.discountRate, 0.28, accuracy: 1e-12)
    }

    func expectError(_ extra: String, parameters: String? = nil, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = TemporaryDirectory()
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        let path = try dir.write("""
        dxmap-sweep: 1
        scenario: base.yaml
        draws: 10
        design: { grid: { levels: 3 } }
        parameters:
        \(parameters ?? "  - { name: speed, path: roles[*].automation.beta.mean, scale: { min: 0.8, max: 1.2 } }")
        outputs: [total.npv]
        \(extra)
        """, to: "s.yaml")
        XCTAssertThrowsError(try SweepLoader.load(path: path), file: file, line: line) { error in
            XCTAssert("\(error)".contains(fragment), "\(error)", file: file, line: line)
            XCTAssert("\(error)".hasPrefix(path + ":") || "\(error)".contains("s.yaml:"), "\(error)", file: file, line: line)
        }
    }

    func testErrorsNameTheParameterAndThePoint() throws {
        try expectError("", parameters: "  - { name: x, path: roles[*].automation.gamma.mean, scale: { min: 1, max: 2 } }",
                        "'roles[*].automation.gamma.mean' matches no field")
        try expectError("", parameters: "  - { name: x, path: roles[nobody].cost_per_fte, scale: { min: 1, max: 2 } }", "matches no field")
        try expectError("", parameters: "  - { name: x, path: \"roles[*]..cost\", scale: { min: 1, max: 2 } }", "expected a path of field names")
        try expectError("", parameters: "  - { name: x, path: roles[*].automation, scale: { min: 1, max: 2 } }", "ends at a mapping, not a number")
        // Scaling the beta mean to 1.6 × 0.62 > 1 breaks the scenario at the grid's last point.
        try expectError("", parameters: "  - { name: speed, path: roles[*].automation.beta.mean, scale: { min: 1, max: 1.6 } }",
                        "at point 2 (speed = 1.6), speed = 1.6: this value alone makes the scenario invalid: ")
        try expectError("", parameters: "  - { name: x, path: horizon, scale: { min: 1, max: 2 }, set: { min: 1, max: 2 } }", "exactly one of set, scale, shift or values")
        try expectError("", parameters: "  - { name: x, path: horizon, scale: { min: 2, max: 1 } }", "expected max ≥ min")
    }

    /// An invalid point is blamed on the parameter that makes it invalid, at that parameter's line, not on the first.
    func testAnInvalidPointIsBlamedOnTheParameterThatMakesIt() throws {
        let dir = TemporaryDirectory()
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        let path = try dir.write("""
        dxmap-sweep: 1
        scenario: base.yaml
        draws: 10
        design: { grid: { levels: 2 } }
        parameters:
          - { name: size, path: services[blue-badge].tasks[*].fte, scale: { min: 0.5, max: 2 } }
          - { name: speed, path: roles[admin].automation.beta.mean, scale: { min: 1, max: 1.6 } }
        outputs: [total.npv]
        """, to: "s.yaml")
        XCTAssertThrowsError(try SweepLoader.load(path: path)) { error in
            let issues = (error as? ScenarioError)?.issues ?? []
            XCTAssertFalse(issues.isEmpty, "\(error)")
            XCTAssert(issues.allSatisfy { $0.path == "parameters[speed]" && $0.location.line == 7 && $0.location.column > 1 }, "\(error)")
            XCTAssert(issues[0].message.contains("speed = 1.6: this value alone makes the scenario invalid"), "\(error)")
        }
    }

    func testPathsNeedNoQuotesEvenInFlowStyle() {
        XCTAssertEqual(SweepLoader.quotingPaths("outputs: [total.npv, service[*].automation_probability]"),
                       "outputs: [total.npv, \"service[*].automation_probability\"]")
        XCTAssertEqual(SweepLoader.quotingPaths("  - { name: a, path: services[blue-badge].tasks[*].fte, scale: { min: 1 } }"),
                       "  - { name: a, path: \"services[blue-badge].tasks[*].fte\", scale: { min: 1 } }")
        XCTAssertEqual(SweepLoader.quotingPaths("design: { list: { points: [[2, 0.5], [5, 1]] } }"), "design: { list: { points: [[2, 0.5], [5, 1]] } }")
        XCTAssertEqual(SweepLoader.quotingPaths("    path: \"roles[*].x\""), "    path: \"roles[*].x\"")
    }
}
