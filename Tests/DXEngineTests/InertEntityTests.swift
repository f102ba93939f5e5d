import DXEngine
import DXScenario
import DXTestSupport
import XCTest

/// Issue 30, item 4: what the model cannot act on is said, not drawn as "cannot be automated".
final class InertEntityTests: XCTestCase {
    /// The corpus base with a role no task names and an organisation without services.
    static let withIdle = ScenarioFixtures.corpusBase
        .replacingOccurrences(of: "  - id: essex\n", with: "  - id: essex\n  - id: suffolk\n")
        .replacingOccurrences(of: "roles:\n", with: "roles:\n  - id: nurse\n    cost_per_fte: 40000\n    automation: 0.2\n")

    func testIdleRolesAndOrganisationsAreWarnedAtTheirLineAndLeftOffTheMatrix() throws {
        let idle = try ScenarioLoader.parse(Self.withIdle, file: "idle.yaml")
        let messages = idle.warnings.map(\.description)
        XCTAssert(messages.contains { $0.hasPrefix("idle.yaml:9:") && $0.contains("role 'nurse' employs no one in the map (no task names it)") },
                  "\(messages)")
        XCTAssert(messages.contains { $0.hasPrefix("idle.yaml:7:") && $0.contains("organisation 'suffolk' employs no one") }, "\(messages)")
        let options = MappingOptions(draws: 2_000, seed: 4)
        let result = try MappingEngine.run(idle, options: options)
        let roles = result.matrix(level: .role)
        XCTAssertEqual(roles.points.map(\.entity.id), ["admin"])
        XCTAssertEqual(roles.leftOut.map(\.id), ["nurse"])
        XCTAssertEqual(roles.leftOutNote, "left out of the matrix, with no FTE to automate: nurse (roles that no task names)")
        XCTAssertEqual(result.matrix(level: .organisation).leftOut.map(\.id), ["suffolk"])
        // The medians behind the default thresholds are those of the entities placed: the same as without the idle ones.
        let plain = try MappingEngine.run(try ScenarioLoader.parse(ScenarioFixtures.corpusBase, file: "base.yaml"), options: options)
        XCTAssertEqual(roles.yThreshold, plain.matrix(level: .role).yThreshold)
        XCTAssertNil(plain.matrix(level: .role).leftOutNote)
        XCTAssert(try ScenarioLoader.parse(ScenarioFixtures.corpusBase, file: "base.yaml").warnings.isEmpty)
    }

    /// A calendar year where a year of the horizon belongs is refused with what it probably is.
    func testACalendarAdoptionYearIsNamed() {
        let text = ScenarioFixtures.corpusBase.replacingOccurrences(of: "values: [1, 2, 3]", with: "values: [2026, 2027, 2028]")
        XCTAssertThrowsError(try ScenarioLoader.parse(text, file: "calendar.yaml")) { error in
            XCTAssert("\(error)".contains("""
                that looks like a calendar year: give the scenario start_year: 2026 to write calendar years, or write 2026 as 1 and \
                2027 as 2
                """), "\(error)")
            XCTAssert("\(error)".contains("calendar.yaml:21:"), "at the adoption year's line: \(error)")
        }
    }

    /// A sweep path through `[*]` that reaches only some elements says which it reached and which it skipped.
    func testAPartialWildcardPathIsWarned() throws {
        let dir = TemporaryDirectory()
        try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(
            of: "roles:\n", with: "roles:\n  - id: nurse\n    cost_per_fte: 40000\n    automation: { pert: { min: 0.1, mode: 0.2, max: 0.4 } }\n"),
            to: "base.yaml")
        let path = try dir.write("""
            dxmap-sweep: 1
            scenario: base.yaml
            draws: 10
            design: { lhs: { points: 2 } }
            parameters:
              - { name: ai-speed, path: "roles[*].automation.beta.mean", scale: { min: 0.9, max: 1.1 } }
            outputs: [total.npv]
            """, to: "s.yaml")
        let plan = try SweepLoader.load(path: path)
        XCTAssertEqual(plan.warnings.map(\.message), ["""
            ai-speed: 'roles[*].automation.beta.mean' reaches 1 of the 2 elements of roles (admin); nurse has no automation.beta.mean, and \
            is left as it is
            """])
        XCTAssert(plan.warnings[0].description.hasPrefix(path + ":6:"), plan.warnings[0].description)
        XCTAssert(try SweepLoader.load(path: try SweepFixtures.write(into: dir, points: 2)).warnings.isEmpty)
    }

    /// A retraining programme no displaced person can take (no role with tasks within its retraining band) is warned at
    /// its line, with the closest pair; the route table lists every direct and retraining route.
    func testIdleRetrainingIsWarnedAndRoutesAreListed() throws {
        let path = packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let bundled = try ScenarioLoader.parse(text, file: "w.yaml")
        XCTAssertFalse(bundled.warnings.contains { $0.message.contains("can take no one") })
        let raised = try ScenarioLoader.parse(text.replacingOccurrences(of: "retrain_threshold: 0.55", with: "retrain_threshold: 0.7"),
                                              file: "w.yaml")
        let idle = raised.warnings.filter { $0.message.contains("can take no one") }
        XCTAssertEqual(idle.map(\.message), ["""
            retraining 'data-skills' can take no one: no role with tasks has a similarity from the retrain threshold 0.7 to below \
            the redeploy threshold 0.85 with data-analyst; the closest: admin-officer → data-analyst at 0.68
            """])
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("id: data-skills") }! + 1
        XCTAssertEqual(idle.first?.location.line, line)
        let w = try XCTUnwrap(bundled.workforce)
        XCTAssertEqual(bundled.rolesWithTasks, bundled.roles.map(\.id).filter { id in bundled.services.contains { $0.tasks.contains { $0.role == id } } })
        for route in w.routes(from: bundled.rolesWithTasks, to: bundled.roles.map(\.id)) {
            let sim = w.similarity.between(route.from, route.to)
            switch route.kind {
            case .direct: XCTAssertGreaterThanOrEqual(sim, w.redeployThreshold)
            case let .retraining(ids):
                XCTAssert(sim >= w.retrainThreshold && sim < w.redeployThreshold)
                XCTAssert(ids.allSatisfy { id in w.retraining.first { $0.id == id }!.covers(role: route.to) })
            }
        }
    }

    /// With `start_year`, adoption years may be calendar years: the same run, bit for bit, as the horizon's years.
    func testCalendarAdoptionYearsWithAStartYear() throws {
        let horizonYears = ScenarioFixtures.corpusBase
        let calendar = ScenarioFixtures.corpusBase.replacingOccurrences(of: "horizon: 5\n", with: "horizon: 5\nstart_year: 2026\n")
            .replacingOccurrences(of: "values: [1, 2, 3]", with: "values: [2026, 2027, 2028]")
        let a = try ScenarioLoader.parse(horizonYears, file: "h.yaml"), b = try ScenarioLoader.parse(calendar, file: "c.yaml")
        XCTAssertEqual(b.startYear, 2026)
        XCTAssertEqual(b.services[0].tasks[0].adoptionYear, a.services[0].tasks[0].adoptionYear)
        let options = MappingOptions(draws: 1_000, seed: 9)
        let x = try MappingEngine.run(a, options: options), y = try MappingEngine.run(b, options: options)
        XCTAssertEqual(x.summary(level: .total, id: "total", .npv)!.mean.bitPattern, y.summary(level: .total, id: "total", .npv)!.mean.bitPattern)
        XCTAssertEqual(y.run.yearLabel(1), "2026")
        XCTAssertEqual(x.run.yearLabel(1), "1")
        // Horizon years still read with a start year; a triangle shifts whole.
        let triangle = calendar.replacingOccurrences(of: "{ discrete: { values: [2026, 2027, 2028], weights: [0.3, 0.5, 0.2] } }",
                                                     with: "{ triangular: { min: 2026, mode: 2027, max: 2030 } }")
        XCTAssertEqual(try ScenarioLoader.parse(triangle, file: "t.yaml").services[0].tasks[0].adoptionYear, .triangular(min: 1, mode: 2, max: 5))
        let mixed = calendar.replacingOccurrences(of: "values: [2026, 2027, 2028]", with: "values: [1, 2, 3]")
        XCTAssertEqual(try ScenarioLoader.parse(mixed, file: "m.yaml").services[0].tasks[0].adoptionYear, a.services[0].tasks[0].adoptionYear)
        for (text, message) in [
            (calendar.replacingOccurrences(of: "values: [2026, 2027, 2028]", with: "values: [2025, 2026, 2027]"), "reaches 2025: before the horizon"),
            (calendar.replacingOccurrences(of: "{ discrete: { values: [2026, 2027, 2028], weights: [0.3, 0.5, 0.2] } }",
                                           with: "{ gamma: { mean: 2027, sd: 1 } }"), "a gamma cannot be written in calendar years"),
            (calendar.replacingOccurrences(of: "start_year: 2026", with: "start_year: 26"), "a calendar year from 1900 to 2300"),
        ] {
            XCTAssertThrowsError(try ScenarioLoader.parse(text, file: "bad.yaml")) { XCTAssert("\($0)".contains(message), "\($0)") }
        }
        // Never adopted, said both ways.
        let late = calendar.replacingOccurrences(of: "values: [2026, 2027, 2028]", with: "values: [2032, 2033, 2034]")
        let warning = try ScenarioLoader.parse(late, file: "late.yaml").warnings.first?.message ?? ""
        XCTAssert(warning.contains("(earliest 7 (2032), past the horizon's last year 2030)"), warning)
    }
}
