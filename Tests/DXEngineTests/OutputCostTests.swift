import DXEngine
import DXSampling
import DXScenario
import DXTestSupport
import XCTest

/// The value of outputs: `output_cost` per service, the automatable share of it, and the output view of the matrix.
final class OutputCostTests: XCTestCase {
    /// Two services of one organisation and one of another, with constant automation (θ) and full realisation, so
    /// every draw's gross saving is θ·L and each share is known by hand.
    static func scenario(costs: [Distribution?]) -> Scenario {
        let roles = [Role(id: "clerk", costPerFTE: 40_000, automation: .constant(0.5)),
                     Role(id: "nurse", costPerFTE: 50_000, automation: .constant(0.1))]
        let services = [
            Service(id: "registry", organisation: "city", tasks: [ServiceTask(id: "records", role: "clerk", fte: 100)]),   // L = 4.0M
            Service(id: "care", organisation: "city", tasks: [ServiceTask(id: "visits", role: "nurse", fte: 200),          // L = 10M
                                                               ServiceTask(id: "booking", role: "clerk", fte: 50)]),       // + 2.0M
            Service(id: "clinic", organisation: "region", tasks: [ServiceTask(id: "care", role: "nurse", fte: 40)]),       // L = 2.0M
        ]
        var s = Scenario(name: "outputs", organisations: [Organisation(id: "city"), Organisation(id: "region")], roles: roles,
                         services: zip(services, costs).map { service, cost in var s = service; s.outputCost = cost; return s })
        s.horizon = 3
        return s
    }

    func testSharesOfOutputCostMatchAHandComputation() throws {
        let scenario = Self.scenario(costs: [.constant(10e6), .constant(60e6), .constant(8e6)])
        let r = try MappingEngine.run(scenario, options: MappingOptions(draws: 200, seed: 1, threads: 2))
        func mean(_ level: Level, _ id: String, _ m: Metric) throws -> Double { try XCTUnwrap(r.summary(level: level, id: id, m)).mean }
        // Gross saving θ·L: registry 0.5 × 4M = 2M; care 0.1 × 10M + 0.5 × 2M = 2M; clinic 0.1 × 2M = 0.2M.
        XCTAssertEqual(try mean(.service, "registry", .outputAutomationShare), 2e6 / 10e6, accuracy: 1e-12)
        XCTAssertEqual(try mean(.service, "care", .outputAutomationShare), 2e6 / 60e6, accuracy: 1e-12)
        XCTAssertEqual(try mean(.service, "clinic", .outputAutomationShare), 0.2e6 / 8e6, accuracy: 1e-12)
        XCTAssertEqual(try mean(.organisation, "city", .outputCost), 70e6, accuracy: 1e-6)
        XCTAssertEqual(try mean(.organisation, "city", .outputAutomationShare), 4e6 / 70e6, accuracy: 1e-12)
        XCTAssertEqual(try mean(.total, "total", .outputAutomationShare), 4.2e6 / 78e6, accuracy: 1e-12)
        // Roles have no output cost: not kept, never a made-up number.
        XCTAssertFalse(r.isSummarised(r.entities.firstIndex { $0.level == .role && $0.id == "clerk" }!, .outputCost))

        let m = r.matrix(level: .service, view: .output)
        XCTAssertEqual(Set(m.points.map(\.entity.id)), ["registry", "care", "clinic"])
        // Medians: share 2M / 60M (care's), cost 10M (registry's); "high" is at or above. Care saves a sixth of what the
        // registry does as a share of its outputs, though the two save the same 2M: the output view tells them apart.
        XCTAssertEqual(m.xThreshold, 2e6 / 60e6, accuracy: 1e-12)
        XCTAssertEqual(m.yThreshold, 10e6, accuracy: 1e-6)
        XCTAssertEqual(m.points.first { $0.entity.id == "registry" }?.quadrant, .automateFirst)
        XCTAssertEqual(m.points.first { $0.entity.id == "care" }?.quadrant, .automateFirst)
        XCTAssertEqual(m.points.first { $0.entity.id == "clinic" }?.quadrant, .leave)
        XCTAssertEqual(m.points.first { $0.entity.id == "care" }?.x ?? 0, m.points.first { $0.entity.id == "registry" }!.x / 6,
                       accuracy: 1e-12)
    }

    /// A service without an output cost is left out of the output view, and so is its organisation (whose cost would
    /// be partial) and the total; the labour numbers are the same with and without output costs, draw for draw.
    func testPartialCostsLeaveEntitiesOutAndChangeNothingElse() throws {
        let with = Self.scenario(costs: [.constant(10e6), nil, .uniform(min: 3e6, max: 9e6)])
        let without = Self.scenario(costs: [nil, nil, nil])
        let options = MappingOptions(draws: 500, seed: 7, threads: 2)
        let a = try MappingEngine.run(with, options: options), b = try MappingEngine.run(without, options: options)
        XCTAssertFalse(b.metrics.contains(.outputCost))
        XCTAssertTrue(a.metrics.contains(.outputCost))
        for metric in b.metrics {
            for (e, entity) in b.entities.enumerated() {
                XCTAssertEqual(a.summary(e, metric).mean, b.summary(e, metric).mean, "\(entity.id) \(metric)")
            }
        }
        let m = a.matrix(level: .organisation, view: .output)
        XCTAssertEqual(m.points.map(\.entity.id), ["region"])
        XCTAssertEqual(m.withoutOutputCost.map(\.id), ["city"])
        XCTAssert(m.leftOutNote?.contains("city") == true)
        XCTAssertNil(a.summary(level: .total, id: "total", .outputCost).flatMap { $0.mean.isNaN ? nil : $0 })
    }

    /// A draw below the service's labour value counts as the labour value: with the cost uniform on [a, b] around the
    /// labour L, the mean is E[max(O, L)] = (L(L − a) + (b² − L²)/2) / (b − a), within Monte Carlo error.
    func testDrawsBelowLabourCountAsLabour() throws {
        let (a, b, L) = (1.0e6, 5.0e6, 2.0e6)
        let scenario = Self.scenario(costs: [nil, nil, .uniform(min: a, max: b)])
        let r = try MappingEngine.run(scenario, options: MappingOptions(draws: 20_000, seed: 5, threads: 2))
        let cost = try XCTUnwrap(r.summary(level: .service, id: "clinic", .outputCost))
        let exact = (L * (L - a) + (b * b - L * L) / 2) / (b - a)
        assertWithinMonteCarloError(cost.mean, exact, standardError: cost.sd / Double(cost.count).squareRoot())
        XCTAssertEqual(cost.p5, L, accuracy: L * 0.02, "a quarter of the draws are raised to L")
    }

    /// The reader refuses an output cost below the labour it includes, and warns where only some draws can be.
    func testLabourAboveOutputCostIsRefusedOrWarned() throws {
        let base = ScenarioFixtures.corpusBase
        // The fixture's blue-badge service: two admin tasks; read its labour from the scenario.
        let scenario = try ScenarioLoader.parse(base)
        let cost = Dictionary(uniqueKeysWithValues: scenario.roles.map { ($0.id, $0.costPerFTE) })
        let labour = scenario.services[0].tasks.reduce(0) { $0 + $1.fte * cost[$1.role]! }
        func with(_ outputCost: String) -> String {
            base.replacingOccurrences(of: "    organisation: essex\n", with: "    organisation: essex\n    output_cost: \(outputCost)\n")
        }
        XCTAssertThrowsError(try ScenarioLoader.parse(with("\(labour / 2)"))) { error in
            XCTAssert("\(error)".contains("below the service's labour value"), "\(error)")
            XCTAssert("\(error)".contains("services[blue-badge].output_cost"), "\(error)")
        }
        let warned = try ScenarioLoader.parse(with("{ uniform: { min: \(labour * 0.5), max: \(labour * 3) } }"))
        XCTAssert(warned.warnings.contains { $0.message.contains("in 20% of draws") }, "\(warned.warnings)")
        XCTAssertEqual(try ScenarioLoader.parse(with("\(labour * 2)")).warnings.count, 0)
    }
}
