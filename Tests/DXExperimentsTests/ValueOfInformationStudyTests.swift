import DXAnalysis
import DXEngine
import DXExperiments
import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// `dxmap voi`'s study on scenarios whose value of information has a closed form, and on the bundled pilot example.
final class ValueOfInformationStudyTests: XCTestCase {
    /// One task adopted in year 1 with every input fixed but a normal implementation cost: its NPV is
    /// (share·L − running)·d₁ − I·d₁, normal with mean (share·L − running − μ)·d₁ and sd σ·d₁.
    static func normalNPVScenario(mean μ: Double, sd σ: Double) -> String {
        """
        dxmap: 1
        name: Normal NPV
        horizon: 1
        discount_rate: 0.05
        organisations: [{ id: org }]
        roles: [{ id: clerk, cost_per_fte: 10000, automation: 0.5 }]
        services:
          - id: service
            organisation: org
            tasks:
              - { id: task, role: clerk, fte: 20, implementation_cost: { normal: { mean: \(μ), sd: \(σ), min: 0 } } }
        """
    }

    static func normalEVPI(mean μ: Double, sd σ: Double) -> Double {
        let z = abs(μ) / σ
        return σ * exp(-z * z / 2) / (2 * Double.pi).squareRoot() - abs(μ) * 0.5 * erfc(z / 2.squareRoot())
    }

    func testEVPIOfANormalNPVIsItsClosedFormAndTheOnlyInputCarriesIt() throws {
        // Gross saving 0.5 × 20 × 10,000 = 100,000 a year; the cost has mean 95,000 and sd 20,000 (min 0 is 4.75 sd away).
        let scenario = try ScenarioLoader.parse(Self.normalNPVScenario(mean: 95_000, sd: 20_000))
        var options = VOIOptions(draws: 40_000, seed: 7, threads: 2)
        options.decision = .automate(.service)
        let r = try ValueOfInformationStudy.run(scenario, options: options)
        let d1 = 1 / 1.05
        let expected = Self.normalEVPI(mean: 5_000 * d1, sd: 20_000 * d1)
        let service = try XCTUnwrap(r.decisions.first { $0.name == "service" })
        assertWithinMonteCarloError(service.evpi.value, expected, standardError: service.evpi.se, z: 4)
        let cost = try XCTUnwrap(r.inputs.first { $0.name == "service/task:implementation_cost" })
        let k = r.decisions.firstIndex { $0.name == "service" }!
        XCTAssertEqual(cost.evppi[k].value, service.evpi.value, accuracy: 4 * (cost.evppi[k].se + service.evpi.se),
                       "the only varying input is all there is to learn")
        XCTAssertEqual(r.inputs.count, 1, "inputs that never vary are left out")
        XCTAssertEqual(r.decisions.map(\.name), ["service"], "one service: no portfolio beside it")
    }

    /// A decision that never regrets its choice (automating pays in every draw) has EVPI exactly 0, and so has every
    /// input's EVPPI, without regression noise.
    func testADecisionWithNothingToLearnIsWorthExactlyNothing() throws {
        // Saving 100,000 against a cost of 50,000 ± 1,000: the NPV is positive in every draw.
        let scenario = try ScenarioLoader.parse(Self.normalNPVScenario(mean: 50_000, sd: 1_000))
        let r = try ValueOfInformationStudy.run(scenario, options: VOIOptions(draws: 2_000, seed: 3, threads: 2))
        XCTAssertEqual(r.decisions[0].evpi, ValueOfInformation.Estimate(value: 0, standardError: 0))
        XCTAssertEqual(r.inputs.flatMap(\.evppi).map(\.value), [0])
        XCTAssertEqual(r.inputs.flatMap(\.evppi).map(\.standardError), [0])
    }

    /// The bundled pilot example: EVPPI never above EVPI; the pilot's EVSI rises with its size towards the EVPPI of
    /// what it observes; the same results on 1 and 2 threads, to the bit.
    func testBundledPilotExample() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/italian-registry-pilot.yaml").path)
        XCTAssertEqual(scenario.appliedEvidence.count, 2)
        var options = VOIOptions(draws: 3_000, seed: 11, threads: 2)
        options.decision = .automate(.service)
        let r = try ValueOfInformationStudy.run(scenario, options: options)
        let head = r.decisions[r.headline]
        for input in r.inputs {
            for (d, e) in zip(r.decisions, input.evppi) {
                XCTAssertLessThanOrEqual(e.value, d.evpi.value + 4 * (e.se + d.evpi.se), "\(input.name) for \(d.name)")
                XCTAssertGreaterThanOrEqual(e.value, 0)
            }
        }
        let sizes = r.pilots.filter { $0.pilot == "permits-pilot" }
        XCTAssertEqual(sizes.map(\.cases), [10, 25, 50, 100, 200, 400, 1000])
        let ceiling = try XCTUnwrap(r.inputs.first { $0.name == "permits/permits-and-licences:automation" }).evppi[r.headline]
        XCTAssertGreaterThan(sizes.last!.evsi.value, sizes.first!.evsi.value + 2 * (sizes.last!.evsi.se + sizes.first!.evsi.se),
                             "EVSI rises with the pilot's size")
        XCTAssertLessThanOrEqual(sizes.last!.evsi.value, ceiling.value + 4 * (ceiling.se + sizes.last!.evsi.se))
        XCTAssertGreaterThan(head.evpi.value, 0)

        options.threads = 1
        let one = try ValueOfInformationStudy.run(scenario, options: options)
        XCTAssertEqual(one.decisions.map(\.evpi.value), r.decisions.map(\.evpi.value))
        XCTAssertEqual(one.inputs.map { $0.evppi.map(\.value) }, r.inputs.map { $0.evppi.map(\.value) })
        XCTAssertEqual(one.pilots.map(\.evsi.value), r.pilots.map(\.evsi.value))
    }

    /// The programme decision on the catalyst scenario: one decision among the programmes, EVPI ≥ 0 with an error.
    func testProgrammeDecisionOnCatalyst() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/catalyst.yaml").path)
        var options = VOIOptions(draws: 2_000, seed: 3, threads: 2)
        options.decision = .programme
        options.inputs = ["barrier:"]
        let r = try ValueOfInformationStudy.run(scenario, options: options)
        XCTAssertEqual(r.decisions.count, 1)
        XCTAssertEqual(r.decisions[0].options, scenario.programmes.map(\.id))
        XCTAssertGreaterThanOrEqual(r.decisions[0].evpi.value, 0)
        XCTAssertEqual(Set(r.inputs.map(\.kind)), ["barrier presence"])
        XCTAssertThrowsError(try ValueOfInformationStudy.run(
            try ScenarioLoader.parse(Self.normalNPVScenario(mean: 1, sd: 0.1)), options: options))
    }

    /// The policy decision: each policy's value is its net saving less the scenario's value per redundancy times its
    /// redundancies, on the same draws as `dxmap redeploy`.
    func testPolicyDecisionValuesRedundanciesAvoided() throws {
        var scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path)
        var options = VOIOptions(draws: 400, seed: 5, threads: 2)
        options.decision = .policy
        options.inputs = ["role:"]
        scenario.workforce!.valuePerRedundancyAvoided = 0
        let plain = try ValueOfInformationStudy.run(scenario, options: options)
        scenario.workforce!.valuePerRedundancyAvoided = 50_000
        let valued = try ValueOfInformationStudy.run(scenario, options: options)
        XCTAssertEqual(plain.decisions.map(\.options), [scenario.policies.map(\.id)])
        let redeploy = try RedeploymentEngine.run(scenario, options: RedeploymentOptions(draws: 400, seed: 5, threads: 2))
        for (k, policy) in scenario.policies.enumerated() {
            let redundant = try XCTUnwrap(redeploy.summary(policy: policy.id, year: 0, metric: .redundant)).mean
            let net = try XCTUnwrap(redeploy.summary(policy: policy.id, year: 0, metric: .netSaving)).mean
            XCTAssertEqual(plain.decisions[0].expected[k], net, accuracy: 1e-6 * abs(net))
            XCTAssertEqual(valued.decisions[0].expected[k], net - 50_000 * redundant, accuracy: 1e-6 * abs(net))
        }
        XCTAssert(Set(valued.inputs.map(\.kind)) == ["role automation"])
    }
}
