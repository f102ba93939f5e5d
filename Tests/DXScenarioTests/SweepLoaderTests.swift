import DXSampling
@testable import DXScenario
import DXTestSupport
import XCTest

final class SweepLoaderTests: XCTestCase {
    func testPathsWithWildcardsIdsAndPositions() throws {
        let dir = TemporaryDirectory()
        let plan = try SweepLoader.load(path: try SweepFixtures.write(into: dir, points: 5))
        XCTAssertEqual(plan.pointCount, 5)
        XCTAssertEqual(plan.definition.scenarioPath, dir.path("base.yaml"))
        let builder = try plan.builder()
        for i in 0..<plan.pointCount {
            let (values, scenario) = (plan.values(ofPoint: i), try builder.scenario(ofPoint: i))
            guard case let .number(speed) = values[0], case let .number(size) = values[1] else { return XCTFail() }
            XCTAssertEqual(scenario.roles[0].automation!.mean, 0.62 * speed, accuracy: 1e-12, "roles[*] scaled")
            XCTAssertEqual(scenario.services[0].tasks.map(\.fte), [14 * size, 3 * size], "tasks[*] of one service by id")
        }
        XCTAssertEqual(plan.base.services[0].tasks[0].fte, 14, "the base is untouched")
        XCTAssertNotEqual(plan.seed(ofPoint: 0), plan.seed(ofPoint: 1))
        XCTAssertEqual(plan.seed(ofPoint: 3), try SweepLoader.load(path: dir.path("sweep.yaml")).seed(ofPoint: 3))
    }

    /// A point whose parameters do not reach `services:` reuses the base scenario's services instead of reading
    /// them again; what it gets is what reading the patched tree whole gives, and references are still checked.
    func testPointsThatDoNotPatchServicesReuseThem() throws {
        let dir = TemporaryDirectory()
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        let sweep = """
        dxmap-sweep: 1
        scenario: base.yaml
        draws: 10
        design: { lhs: { points: 6 } }
        parameters:
          - { name: pay, path: "roles[*].cost_per_fte", scale: { min: 0.8, max: 1.2 } }
          - { name: speed, path: "roles[admin].automation.beta.mean", scale: { min: 0.5, max: 1.1 } }
        outputs: [total.npv]
        """
        let plan = try SweepLoader.load(path: try dir.write(sweep, to: "s.yaml"))
        let builder = try plan.builder()
        XCTAssertFalse(builder.patchesServices)
        for i in 0..<plan.pointCount {
            var node = builder.baseNode
            for (j, value) in plan.values(ofPoint: i).enumerated() {
                (node, _) = try ScenarioPatch.apply(builder.steps[j], to: node, value: value, operation: plan.definition.parameters[j].operation)
            }
            let whole = try ScenarioLoader.read(node, file: "base.yaml"), reused = try builder.scenario(ofPoint: i)
            XCTAssertEqual(reused.services, whole.services)
            XCTAssertEqual(reused.roles, whole.roles)
            XCTAssertNotEqual(reused.roles, plan.base.roles, "the roles are the point's own")
        }
        // A parameter that renames a role is still checked against the services' references (when loading, at its value).
        let renaming = sweep.replacingOccurrences(of: "outputs:", with: "  - { name: rename, path: \"roles[admin].id\", values: [x] }\noutputs:")
        XCTAssertThrowsError(try SweepLoader.load(path: try dir.write(renaming, to: "r.yaml"))) { error in
            XCTAssert("\(error)".contains("unknown role 'admin'"), "\(error)")
        }
        XCTAssertTrue(try SweepLoader.load(path: try SweepFixtures.write(into: dir, points: 2)).builder().patchesServices)
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
        let scenarios = try (0..<plan.pointCount).map { try plan.scenario(ofPoint: $0) }
        XCTAssertEqual(scenarios.map { $0.services[0].tasks[1].fte }, [2, 5])
        XCTAssertEqual(scenarios.map { $0.services[0].tasks[0].fte }, [14, 14])
        XCTAssertEqual(scenarios[1].discountRate, 0.28, accuracy: 1e-12)
    }

    /// Levers cross the design's futures: the design spans the uncertainties alone, each future runs under every
    /// combination of the levers' values (the last lever fastest), and every point of a future has that future's seed.
    func testLeversRunInEveryFutureOnItsSeed() throws {
        let dir = TemporaryDirectory()
        let path = try SweepFixtures.write(into: dir, design: "{ lhs: { points: 4 } }", parameters: [
            "  - { name: speed, path: roles[*].automation.beta.mean, scale: { min: 0.8, max: 1.2 } }",
            "  - { name: rate, kind: lever, path: discount_rate, values: [0, 0.035] }",
            "  - { name: pay, path: roles[*].cost_per_fte, scale: { min: 0.9, max: 1.1 } }",
            "  - { name: second, kind: lever, path: \"services[blue-badge].tasks[1].fte\", values: [1, 2, 3] }",
        ])
        let plan = try SweepLoader.load(path: path)
        XCTAssertEqual(plan.definition.levers.map(\.name), ["rate", "second"])
        XCTAssertEqual(plan.definition.uncertainties.map(\.name), ["speed", "pay"])
        XCTAssert(plan.crossesLevers)
        XCTAssertEqual(plan.futureCount, 4)
        XCTAssertEqual(plan.leverCombinations, 6)
        XCTAssertEqual(plan.pointCount, 24)
        // The Latin hypercube over two uncertainties alone: one point per stratum of each.
        let speeds = Set((0..<4).map { f -> Double in if case let .number(x) = plan.values(ofPoint: f * 6)[0] { x } else { .nan } })
        XCTAssertEqual(speeds.map { Int(($0 - 0.8) / 0.1) }.sorted(), [0, 1, 2, 3])
        for f in 0..<4 {
            let points = (f * 6..<(f + 1) * 6)
            let values = points.map(plan.values(ofPoint:))
            XCTAssertEqual(Set(values.map { [$0[0], $0[2]].description }).count, 1, "one future's uncertainties in all its points")
            XCTAssertEqual(values.map { [$0[1], $0[3]] }, [[0, 1], [0, 2], [0, 3], [0.035, 1], [0.035, 2], [0.035, 3]].map { $0.map(SweepValue.number) })
            XCTAssertEqual(Set(points.map(plan.seed(ofPoint:))).count, 1, "every lever combination on the future's draws")
            XCTAssertEqual(points.map(plan.future(ofPoint:)), Array(repeating: f, count: 6))
        }
        XCTAssertNotEqual(plan.seed(ofPoint: 0), plan.seed(ofPoint: 6), "futures differ")
        XCTAssertEqual(try plan.scenario(ofPoint: 5).services[0].tasks[1].fte, 3)
    }

    func testLeverErrors() throws {
        try expectError("", parameters: "  - { name: x, kind: lever, path: discount_rate, set: { min: 0, max: 0.1 } }", "a lever takes values:")
        try expectError("", parameters: "  - { name: x, kind: levr, path: discount_rate, values: [0] }", "expected uncertainty or lever, found \"levr\" (did you mean 'lever'?)")
        try expectError("", parameters: "  - { name: x, kind: lever, path: discount_rate, values: [0, 0.1] }", "every parameter is a lever")
    }

    func expectError(_ extra: String, parameters: String? = nil, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = TemporaryDirectory()
        let path = try SweepFixtures.write(into: dir, design: "{ grid: { levels: 3 } }",
                                           parameters: [parameters ?? "  - { name: speed, path: roles[*].automation.beta.mean, scale: { min: 0.8, max: 1.2 } }"],
                                           extra: extra)
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
        // Scaling the beta mean to 1.6 × 0.62 breaks the scenario at the top of the range: refused before anything runs.
        try expectError("", parameters: "  - { name: speed, path: roles[*].automation.beta.mean, scale: { min: 1, max: 1.6 } }",
                        "parameters[speed]: speed = 1.6 alone makes the scenario invalid: ")
        try expectError("", parameters: "  - { name: x, path: horizon, scale: { min: 1, max: 2 }, set: { min: 1, max: 2 } }", "exactly one of set, scale, shift or values")
        try expectError("", parameters: "  - { name: x, path: horizon, scale: { min: 2, max: 1 } }", "expected max ≥ min")
    }

    /// A parameter whose end alone makes the scenario invalid is blamed, at its line, before anything runs — not the
    /// first parameter.
    func testAnInvalidPointIsBlamedOnTheParameterThatMakesIt() throws {
        let dir = TemporaryDirectory()
        let path = try SweepFixtures.write(into: dir, design: "{ grid: { levels: 2 } }", parameters: [
            "  - { name: size, path: services[blue-badge].tasks[*].fte, scale: { min: 0.5, max: 2 } }",
            "  - { name: speed, path: roles[admin].automation.beta.mean, scale: { min: 1, max: 1.6 } }",
        ])
        XCTAssertThrowsError(try SweepLoader.load(path: path)) { error in
            let issues = (error as? ScenarioError)?.issues ?? []
            guard !issues.isEmpty else { return XCTFail("\(error)") }
            XCTAssert(issues.allSatisfy { $0.path == "parameters[speed]" && $0.location.line == 7 && $0.location.column > 1 }, "\(error)")
            XCTAssert(issues[0].message.contains("speed = 1.6 alone makes the scenario invalid"), "\(error)")
        }
    }

    /// A point that only the combination of its values makes invalid passes the up-front check; it fails when it runs
    /// (``InvalidPoint``, naming both values), and `checkEveryPoint` (dxmap validate) reports it at both parameters.
    func testAPointInvalidOnlyInCombinationFailsWhenItRuns() throws {
        // Mean 0.62 × 1.4 = 0.868 with sd 0.1, or sd 0.1 × 3.5 = 0.35 with mean 0.62, is a valid beta; both together
        // (sd² = 0.1225 > 0.868 × 0.132) is not.
        let dir = TemporaryDirectory()
        let path = try SweepFixtures.write(into: dir, design: "{ grid: { levels: 2 } }", parameters: [
            "  - { name: speed, path: roles[admin].automation.beta.mean, scale: { min: 1, max: 1.4 } }",
            "  - { name: spread, path: roles[admin].automation.beta.sd, scale: { min: 1, max: 3.5 } }",
        ])
        let plan = try SweepLoader.load(path: path)
        XCTAssertEqual(plan.pointCount, 4)
        XCTAssertNoThrow(try plan.scenario(ofPoint: 2))
        XCTAssertThrowsError(try plan.scenario(ofPoint: 3)) { error in
            let invalid = error as? InvalidPoint
            XCTAssertEqual(invalid?.culprits, [])
            XCTAssert("\(error)".contains("(speed = 1.4, spread = 3.5): together these values make it invalid: roles[admin].automation.beta.sd"), "\(error)")
        }
        XCTAssertThrowsError(try SweepLoader.checkEveryPoint(plan)) { error in
            XCTAssertEqual((error as? ScenarioError)?.issues.map(\.path), ["parameters[speed]", "parameters[spread]"])
            XCTAssertEqual((error as? ScenarioError)?.issues.map(\.location.line), [6, 7])
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
