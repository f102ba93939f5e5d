import DXEngine
import DXSampling
import DXScenario
import DXTestSupport
import XCTest

final class RedeploymentTests: XCTestCase {
    /// A random workforce scenario: 2–3 organisations, 3–5 roles, random tasks, rates, similarities,
    /// programmes and the four standard policies plus a random one.
    static func randomScenario(_ k: UInt64) -> Scenario {
        var n: UInt64 = 0
        func u() -> Double { n += 1; return KeyedUniform.value(k, n) }
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(u() * Double(range.count)) }
        let orgs = (0..<int(2...3)).map { Organisation(id: "o\($0)") }
        let roles = (0..<int(3...5)).map { Role(id: "r\($0)", costPerFTE: 20_000 + 30_000 * u(), automation: .beta(alpha: 1 + 4 * u(), beta: 1 + 4 * u())) }
        let services = orgs.flatMap { o in (0..<int(1...3)).map { s in
            Service(id: "\(o.id)-s\(s)", organisation: o.id, tasks: (0..<int(1...3)).map { t in
                var task = ServiceTask(id: "t\(t)", role: roles[int(0...(roles.count - 1))].id, fte: Double(int(1...60)))
                task.adoptionYear = .discrete(values: [1, 2, 3, 4, 6], weights: [u(), u(), u(), u(), u()])
                return task
            })
        } }
        var s = Scenario(name: "random \(k)", organisations: orgs, roles: roles, services: services)
        s.horizon = 5
        var w = Workforce()
        w.attrition = RateTable(default: .uniform(min: 0, max: 0.3 * u() + 0.001))
        w.growth = RateTable(default: .constant(0.05 * u()))
        var pairs: [String: [String: Double]] = [:]
        for a in roles.indices { for b in roles.indices where b > a { pairs[roles[a].id, default: [:]][roles[b].id] = u() } }
        w.similarity = .matrix(pairs)
        w.redeployThreshold = 0.5 + 0.3 * u()
        w.retrainThreshold = 0.2 + 0.2 * u()
        w.retraining = [RetrainingProgramme(id: "p0", roles: [roles[0].id, roles[1].id], cost: 1000, years: int(1...2), success: u(), places: int(0...20)),
                        RetrainingProgramme(id: "p1", cost: 3000, years: 1, success: u(), places: int(0...20))]
        w.poolYears = int(1...3)
        s.workforce = w
        var inside = RedeploymentPolicy(id: "internal"); inside.internalRedeployment = true
        var pool = inside; pool.id = "pool"; pool.crossOrganisationPool = true; pool.poolYears = int(1...3)
        var retrain = pool; retrain.id = "retrain"; retrain.retraining = true; retrain.retrainingBudget = 20_000 * u(); retrain.hiringFreeze = true
        var freeze = RedeploymentPolicy(id: "freeze"); freeze.hiringFreeze = u() < 0.5; freeze.retraining = true; freeze.crossOrganisationPool = u() < 0.5
        s.policies = [RedeploymentPolicy(id: "redundancy-only"), inside, pool, retrain, freeze]
        return s
    }

    func metric(_ m: RedeploymentMetric) -> Int { RedeploymentMetric.allCases.firstIndex(of: m)! }

    /// A programme that trains for a role whose own displaced take every vacancy it has is idle in every draw, and the
    /// result says so; the same programme with a role that grows is used. Starts per programme add up to the trainees.
    func testAProgrammeNoOneCanTakeIsFound() throws {
        func scenario(destinationAutomation: Double, growth: Double) -> Scenario {
            let roles = [Role(id: "clerk", costPerFTE: 30_000, automation: .constant(0.5)),
                         Role(id: "caseworker", costPerFTE: 40_000, automation: .constant(destinationAutomation))]
            var s = Scenario(name: "idle", organisations: [Organisation(id: "o")], roles: roles, services: [
                Service(id: "s", organisation: "o", tasks: [ServiceTask(id: "a", role: "clerk", fte: 200),
                                                            ServiceTask(id: "b", role: "caseworker", fte: 200)]),
            ])
            s.horizon = 3
            var w = Workforce()
            w.attrition = RateTable(default: .constant(0.02))
            w.growth = RateTable(default: .constant(0), roles: ["caseworker": .constant(growth)])
            w.similarity = .matrix(["clerk": ["caseworker": 0.5]])
            w.retraining = [RetrainingProgramme(id: "conversion", roles: ["caseworker"], cost: 1000, years: 1, success: 0.8, places: 50)]
            s.workforce = w
            var retrain = RedeploymentPolicy(id: "retrain"); retrain.internalRedeployment = true; retrain.retraining = true
            s.policies = [RedeploymentPolicy(id: "none"), retrain]
            return s
        }
        let options = RedeploymentOptions(draws: 300, seed: 4, threads: 2)
        let idle = try RedeploymentEngine.run(scenario(destinationAutomation: 0.5, growth: 0), options: options)
        XCTAssertEqual(idle.idleProgrammes, ["conversion"])
        XCTAssertEqual(idle.programmeStarts(policy: "retrain", programme: "conversion")?.mean, 0)
        let used = try RedeploymentEngine.run(scenario(destinationAutomation: 0, growth: 0.1), options: options)
        XCTAssertEqual(used.idleProgrammes, [])
        let starts = try XCTUnwrap(used.programmeStarts(policy: "retrain", programme: "conversion"))
        XCTAssertGreaterThan(starts.mean, 0)
        XCTAssertEqual(used.programmeStarts(policy: "none", programme: "conversion")?.mean, 0, "a policy that does not retrain starts no one")
        // Everyone who started is in training at the end or has finished (placed, or back in the pool).
        let inTraining = try XCTUnwrap(used.summary(policy: "retrain", year: 0, metric: .inTraining)).mean
        let placed = try XCTUnwrap(used.summary(policy: "retrain", year: 0, metric: .retrainedPlaced)).mean
        XCTAssertLessThanOrEqual(inTraining + placed, starts.mean + 1e-9)
    }

    func testEveryDrawConservesPeople() throws {
        for k in 0..<12 as Range<UInt64> {
            let scenario = Self.randomScenario(k)
            for draw in 0..<25 as Range<UInt64> {
                let outcomes = try RedeploymentEngine.simulateOneDraw(scenario, seed: 9, stream: draw)
                for (p, policy) in outcomes.enumerated() {
                    XCTAssertEqual(policy.years, scenario.horizon)
                    for c in 0..<policy.cells {
                        var displaced = 0.0, settled = 0.0
                        for y in 0..<policy.years {
                            let v = RedeploymentMetric.allCases.map { policy[y + 1, c, $0] }
                            // People and costs are never negative (net saving can be).
                            XCTAssert(v.enumerated().allSatisfy { $0.offset == metric(.netSaving) || $0.element >= 0 },
                                      "negative outcome: scenario \(k) draw \(draw) policy \(p) year \(y + 1): \(v)")
                            displaced += v[metric(.displaced)]
                            settled += v[metric(.absorbedByAttrition)] + v[metric(.redeployedInternal)] + v[metric(.redeployedCrossOrg)]
                                + v[metric(.retrainedPlaced)] + v[metric(.redundant)]
                            // Every displaced person is, each year, in exactly one state.
                            XCTAssertEqual(displaced, settled + v[metric(.inTraining)] + v[metric(.inPool)],
                                           "scenario \(k) draw \(draw) policy \(p) year \(y + 1) cell \(c)")
                        }
                    }
                }
            }
        }
    }

    /// No attrition, no growth and so no vacancies: everyone displaced is made redundant under every policy.
    func testWithoutVacanciesEveryoneIsRedundant() throws {
        var s = Self.randomScenario(3)
        s.workforce!.attrition = RateTable(default: .constant(0))
        s.workforce!.growth = RateTable(default: .constant(0))
        s.workforce!.poolYears = 1
        s.policies = s.policies.map { var p = $0; p.poolYears = nil; return p }
        let r = try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 300, seed: 4, threads: 2))
        for p in r.policies {
            let displaced = r.summary(policy: p.id, year: 0, metric: .displaced)!
            let redundant = r.summary(policy: p.id, year: 0, metric: .redundant)!
            XCTAssertGreaterThan(displaced.mean, 0)
            XCTAssertEqual(redundant.mean, displaced.mean, p.id)
            XCTAssertEqual(redundant.sd, displaced.sd, accuracy: 1e-9, p.id)
            let d = r.difference(policy: p.id, metric: .redundant)!
            XCTAssertEqual([d.summary.mean, d.summary.sd], [0, 0], "identical on every draw: \(p.id)")
        }
    }

    /// Everyone displaced in year 1 (θρ = 1) and attrition a: absorption ~ Binomial(N, a), E = N·a, Var = N·a(1−a).
    func testAttritionAloneAbsorbsAsBinomial() throws {
        let yaml = """
        dxmap: 1
        name: attrition only
        horizon: 3
        organisations: [{ id: o }]
        roles: [{ id: clerk, cost_per_fte: 30000, automation: 1 }]
        services:
          - { id: s, organisation: o, tasks: [{ id: t, role: clerk, fte: 200 }] }
        workforce:
          attrition: 0.12
          pool_years: 1
        policies:
          - { id: redundancy-only }
          - { id: internal, internal: true }
        """
        let r = try RedeploymentEngine.run(try ScenarioLoader.parse(yaml), options: RedeploymentOptions(draws: 20_000, seed: 2, threads: 2))
        for p in ["redundancy-only", "internal"] {
            let absorbed = r.summary(policy: p, year: 0, metric: .absorbedByAttrition)!
            assertWithinMonteCarloError(absorbed.mean, 200 * 0.12, standardError: (200 * 0.12 * 0.88 / 20_000).squareRoot())
            XCTAssertEqual(absorbed.sd * absorbed.sd, 200 * 0.12 * 0.88, accuracy: 0.05 * 200 * 0.12 * 0.88)
            XCTAssertEqual(r.summary(policy: p, year: 0, metric: .redundant)!.mean, 200 - absorbed.mean, accuracy: 1e-9)
            // Costs: each redundancy costs 6 months' salary; everyone is paid in the pool for the year they wait.
            XCTAssertEqual(r.summary(policy: p, year: 0, metric: .redundancyCost)!.mean, (200 - absorbed.mean) * 15_000, accuracy: 1e-3)
            XCTAssertEqual(r.summary(policy: p, year: 1, metric: .poolCost)!.mean, (200 - absorbed.mean) * 30_000, accuracy: 1e-3)
            XCTAssertEqual(r.summary(policy: p, year: 0, metric: .grossSaving)!.mean, 3 * 200 * 30_000, accuracy: 1e-6)
        }
    }

    /// Common random numbers: the variance of every policy's difference from the baseline is far below what
    /// independent runs would give. Measured here (docs/guide/redeployment.md, "Common random numbers"): redundancies 0.11 / 0.16 / 0.31,
    /// transition cost 0.10 / 0.27 / 0.27, net saving 0.01 / 0.06 / 0.05 for internal, shared-pool, pool-retraining.
    func testCommonRandomNumbersShrinkTheVarianceOfDifferences() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path)
        let r = try RedeploymentEngine.run(scenario, options: RedeploymentOptions(draws: 1_500, seed: 5, threads: 2))
        for policy in ["internal", "shared-pool", "pool-retraining"] {
            for metric in [RedeploymentMetric.redundant, .transitionCost, .netSaving] {
                let base = r.summary(policy: "redundancy-only", year: 0, metric: metric)!
                let other = r.summary(policy: policy, year: 0, metric: metric)!
                let d = r.difference(policy: policy, metric: metric)!
                // Independent runs: Var(X_policy − X_base) = Var(X_policy) + Var(X_base).
                let independent = other.sd * other.sd + base.sd * base.sd
                XCTAssertLessThan(d.summary.sd * d.summary.sd, 0.35 * independent, "\(policy) \(metric)")
                XCTAssertEqual(d.mean, other.mean - base.mean, accuracy: 1e-6 * max(1, abs(base.mean)))
                XCTAssertLessThan(d.high - d.low, 2 * 1.96 * independent.squareRoot() / Double(r.run.draws).squareRoot())
            }
        }
        // The pool avoids redundancies, with an interval that excludes zero.
        XCTAssertLessThan(r.difference(policy: "shared-pool", metric: .redundant)!.high, 0)
    }

    /// The comparison across futures against exact enumeration of the same draws: the share of draws in which a
    /// policy beats the baseline is the exact count (the sketch keeps its buckets per sign), and the difference's
    /// 5th and 95th percentiles are the exact order statistics within the sketch's relative error.
    func testDifferencesAcrossFuturesMatchTheDrawsExactly() throws {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils-workforce.yaml").path)
        var options = RedeploymentOptions(draws: 1_200, seed: 11, threads: 2)
        options.recordsDraws = true
        let r = try RedeploymentEngine.run(scenario, options: options)
        let table = try XCTUnwrap(r.drawTable)
        for policy in ["internal", "shared-pool", "pool-retraining"] {
            for metric in RedeploymentEngine.recordedMetrics {
                let base = try XCTUnwrap(table.values(.policy("redundancy-only", metric)))
                let other = try XCTUnwrap(table.values(.policy(policy, metric)))
                let differences = zip(other, base).map { $0 - $1 }
                let d = try XCTUnwrap(r.difference(policy: policy, metric: metric))
                let n = Double(differences.count)
                let above = Double(differences.filter { $0 > QuantileSketch.zeroThreshold }.count) / n
                let below = Double(differences.filter { $0 < -QuantileSketch.zeroThreshold }.count) / n
                let better = metric == .netSaving ? above : below, worse = metric == .netSaving ? below : above
                XCTAssertEqual(d.probabilityBetter, better, "\(policy) \(metric)")
                XCTAssertEqual(d.probabilityWorse, worse, "\(policy) \(metric)")
                XCTAssertEqual(d.probabilityTied, 1 - better - worse, accuracy: 1e-12)
                let sorted = differences.sorted()
                for (q, value) in [(0.05, d.spread.p5), (0.95, d.spread.p95)] {
                    let exact = sorted[Int((q * (n - 1)).rounded(.down))]
                    XCTAssertEqual(value, exact, accuracy: 0.005 * abs(exact) + 1e-9, "\(policy) \(metric) p\(Int(q * 100))")
                }
            }
        }
        // A metric no policy is meant to move has no better direction.
        XCTAssertTrue(try XCTUnwrap(r.difference(policy: "shared-pool", metric: .displaced)).probabilityBetter.isNaN)
    }

    func testBitIdenticalForAnyThreadCount() throws {
        let scenario = Self.randomScenario(7)
        let runs = try [1, 2, 7].map { try RedeploymentEngine.run(scenario, options: RedeploymentOptions(draws: 2_100, seed: 1, threads: $0)) }
        let rows = runs.map { $0.rows().map(\.summary) }
        XCTAssertEqual(rows[1], rows[0])
        XCTAssertEqual(rows[2], rows[0])
    }

    func testScenarioWithoutWorkforceIsAClearError() throws {
        let s = try ScenarioLoader.parse(ScenarioFixtures.corpusBase)
        XCTAssertThrowsError(try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 10))) {
            XCTAssert("\($0)".contains("no 'workforce:' section"), "\($0)")
        }
        var o = RedeploymentOptions(draws: 10)
        o.policies = ["nope"]
        XCTAssertThrowsError(try RedeploymentEngine.run(Self.randomScenario(1), options: o)) {
            XCTAssert("\($0)".contains("no policy 'nope'"), "\($0)")
        }
    }
}
