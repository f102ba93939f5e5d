import DXEngine
import DXSampling
import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// Barriers and routines against closed forms, on one task whose value and adoption year are fixed, so the
/// only randomness is the barriers'. Tolerances are 4.5 Monte Carlo standard errors at a fixed seed.
final class AdoptionTests: XCTestCase {
    /// One organisation, one task: 10 FTE at 40,000, automation 0.5 (annual saving 200,000), adopted in year 1,
    /// horizon 5, no discounting: NPV = 200,000 × (6 − adoption year), 0 after the horizon.
    func scenario(_ adoption: String, automation: String = "0.5") throws -> Scenario {
        try ScenarioLoader.parse("""
        dxmap: 1
        name: one task
        horizon: 5
        organisations: [{ id: org }]
        roles: [{ id: clerk, cost_per_fte: 40000, automation: \(automation) }]
        services:
          - id: svc
            organisation: org
            tasks: [{ id: work, role: clerk, fte: 10, adoption_year: 1, data_from: [org] }]
        \(adoption)
        """, file: "adoption-test.yaml")
    }

    func run(_ s: Scenario, programme: String? = nil, draws: Int = 20_000, threads: Int = 2) throws -> MappingResult {
        var options = MappingOptions(draws: draws, seed: 11, threads: threads)
        options.programme = programme
        return try MappingEngine.run(s, options: options)
    }

    func assertMean(_ s: DistributionSummary, _ expected: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = max(4.5 * s.standardError, 1e-9 * abs(expected))
        XCTAssertEqual(s.mean, expected, accuracy: tolerance, "\(what): \(s.mean) vs \(expected) (± \(tolerance))", file: file, line: line)
    }

    func testOneBarrierAddsPresenceTimesDelayAndItsNPV() throws {
        let (p, k) = (0.3, 2.0)
        let s = try scenario("barriers: [{ id: b, presence: \(p), delay: \(k) }]")
        let r = try run(s)
        // E[adoption year] = a + p·k: the delay's mean is p·k.
        assertMean(r.summary(level: .task, id: "svc/work", .adoptionDelay)!, p * k, "delay")
        assertMean(r.summary(level: .total, id: "total", .npv)!, (1 - p) * 200_000 * 5 + p * 200_000 * 3, "NPV")
        assertMean(r.summary(level: .total, id: "total", .adoptedByHorizon)!, 1, "adopted")
        // A delay past the horizon means not adopted within it.
        let late = try run(try scenario("barriers: [{ id: b, presence: \(p), delay: 7 }]"))
        assertMean(late.summary(level: .total, id: "total", .adoptedByHorizon)!, 1 - p, "adopted by the horizon")
        assertMean(late.summary(level: .total, id: "total", .npv)!, (1 - p) * 1_000_000, "NPV with late adoption")
    }

    func testARoutineThatHalvesPresenceHalvesTheExpectedDelay() throws {
        let s = try scenario("""
        barriers: [{ id: b, presence: 0.6, delay: { triangular: { min: 1, mode: 2, max: 4 } } }]
        routines: [{ id: r, annual_cost: 1000, effects: { b: { presence: 0.5 } } }]
        programmes: [{ id: none, routines: [] }, { id: with, routines: [r] }]
        """)
        let without = try run(s).summary(level: .total, id: "total", .adoptionDelay)!
        let with = try run(s, programme: "with").summary(level: .total, id: "total", .adoptionDelay)!
        let meanDelay = (1.0 + 2 + 4) / 3
        assertMean(without, 0.6 * meanDelay, "no routine")
        assertMean(with, 0.3 * meanDelay, "routine halving presence")
    }

    func testInteractionsApplyOnlyWhenAllArePresent() throws {
        let (p1, p2, k1, k2, f) = (0.4, 0.5, 1.0, 2.0, 1.5)
        let s = try scenario("""
        barriers:
          - { id: a, presence: \(p1), delay: \(k1) }
          - { id: b, presence: \(p2), delay: \(k2) }
        interactions: [{ barriers: [a, b], delay_factor: \(f) }]
        """)
        // Enumerate the four states of (a, b).
        var expected = 0.0
        for (a, b) in [(false, false), (true, false), (false, true), (true, true)] {
            let probability = (a ? p1 : 1 - p1) * (b ? p2 : 1 - p2)
            let delay = (a ? k1 : 0) * (a && b ? f : 1) + (b ? k2 : 0) * (a && b ? f : 1)
            expected += probability * delay
        }
        XCTAssertEqual(expected, p1 * k1 + p2 * k2 + p1 * p2 * (f - 1) * (k1 + k2), accuracy: 1e-12)
        assertMean(try run(s).summary(level: .total, id: "total", .adoptionDelay)!, expected, "delay with interaction")
    }

    func testFailureReducesExpectedGrossSavingByExactlyItsShare() throws {
        let automation = "{ beta: { mean: 0.5, sd: 0.1 } }"
        let base = try run(try scenario("", automation: automation))
        let failing = try run(try scenario("barriers: [{ id: b, presence: 1, failure: 0.25 }]", automation: automation))
        let gross = failing.summary(level: .total, id: "total", .grossSaving)!
        // Same draws for θ in both runs; the failure events are keyed uniforms of their own.
        assertMean(gross, 0.75 * base.summary(level: .total, id: "total", .grossSaving)!.mean, "gross saving")
        assertMean(gross, 0.75 * 200_000, "gross saving against the closed form")
        assertMean(failing.summary(level: .total, id: "total", .adoptedByHorizon)!, 0.75, "adopted")
    }

    func testProgrammesOnCommonRandomNumbersHaveFarSmallerDifferenceVariance() throws {
        let s = try scenario("""
        barriers: [{ id: b, presence: 0.5, delay: { uniform: { min: 0, max: 3 } }, failure: 0.2 }]
        routines: [{ id: r, annual_cost: 5000, one_off_cost: 1000, effects: { b: { presence: 0.5, failure: 0.5 } } }]
        programmes: [{ id: none, routines: [] }, { id: with, routines: [r] }]
        """, automation: "{ beta: { mean: 0.5, sd: 0.15 } }")
        var options = AdoptionOptions(draws: 20_000, seed: 5, threads: 2)
        options.programmes = ["none", "with"]
        let r = try AdoptionEngine.run(s, options: options)
        let a = r.summary(programme: "none", level: .total, id: "total", .npv)!, b = r.summary(programme: "with", level: .total, id: "total", .npv)!
        let d = r.difference(programme: "with", level: .total, id: "total", .npv)!
        XCTAssertEqual(d.mean, b.mean - a.mean, accuracy: 1e-6 * abs(a.mean))
        // Independent runs would give a difference with variance var(a) + var(b).
        let independentSD = (a.sd * a.sd + b.sd * b.sd).squareRoot()
        XCTAssertLessThan(d.summary.sd, 0.6 * independentSD, "CRN: sd of the difference \(d.summary.sd) vs \(independentSD) for independent runs")
        XCTAssertGreaterThan(d.mean, 0)
        XCTAssertLessThan(d.low, d.mean)
        // Routine cost: 1,000 + 5,000 × 5 years (no discounting), run by the one organisation.
        XCTAssertEqual(r.summary(programme: "with", level: .total, id: "total", .routineCost)!.mean, 26_000)
        XCTAssertEqual(r.summary(programme: "with", level: .total, id: "total", .netValue)!.mean, b.mean - 26_000, accuracy: 1e-6 * b.mean)
        // The adopt engine's baseline agrees with the mapping engine on the same seed (the same task draws).
        let mapping = try run(s, draws: 20_000).summary(level: .total, id: "total", .npv)!
        XCTAssertEqual(mapping.mean, a.mean, accuracy: 4.5 * (mapping.standardError + a.standardError))
    }

    func testDeterministicForAnyThreadCount() throws {
        let s = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/catalyst.yaml").path)
        func adopt(_ threads: Int) throws -> [Double] {
            let r = try AdoptionEngine.run(s, options: AdoptionOptions(draws: 3000, seed: 9, threads: threads))
            return r.programmes.flatMap { p in AdoptionMetric.allCases.flatMap { m in
                [r.summary(programme: p.id, level: .total, id: "total", m)!.mean, r.difference(programme: p.id, level: .total, id: "total", m)!.summary.sd]
            } }
        }
        let one = try adopt(1)
        XCTAssertEqual(one, try adopt(2))
        XCTAssertEqual(one, try adopt(3))
        let m1 = try run(s, programme: "all-five", draws: 3000, threads: 1), m2 = try run(s, programme: "all-five", draws: 3000, threads: 3)
        XCTAssertEqual(m1.entities.indices.flatMap { e in m1.metrics.map { m1.summary(e, $0) } },
                       m2.entities.indices.flatMap { e in m2.metrics.map { m2.summary(e, $0) } })
    }

    func testRedeploymentTakesItsTimingFromTheAdjustedAdoptionYears() throws {
        var s = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path)
        let before = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 400, seed: 2, threads: 2))
        // A barrier on every task, always present, delaying adoption past the horizon: nobody is displaced.
        s.barriers = [Barrier(id: "never", scope: .all, presence: .constant(1))]
        s.barriers[0].delay = .constant(10)
        let after = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 400, seed: 2, threads: 2))
        let policy = s.policies[0].id
        XCTAssertGreaterThan(before.summary(policy: policy, year: 0, metric: .displaced)!.mean, 100)
        XCTAssertEqual(after.summary(policy: policy, year: 0, metric: .displaced)!.mean, 0)
        // A one-year delay on every task moves displacement one year later: none in year 1 (no base adoption is before year 1).
        s.barriers[0].delay = .constant(1)
        let shifted = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 400, seed: 2, threads: 2))
        XCTAssertEqual(shifted.summary(policy: policy, year: 1, metric: .displaced)!.mean, 0)
        XCTAssertGreaterThan(shifted.summary(policy: policy, year: 2, metric: .displaced)!.mean, 0)
    }
}
