import CGSL
@testable import DXEngine
import DXSampling
import DXScenario
import DXTestSupport
import XCTest

/// The equality impact: who is displaced and what becomes of them, by group.
final class EqualityImpactTests: XCTestCase {
    /// A random workforce scenario with a composition: sex by role (random shares), and age for the whole workforce
    /// with a random relative risk for the oldest group.
    static func scenarioWithComposition(_ k: UInt64) -> Scenario {
        var s = RedeploymentTests.randomScenario(k)
        func u(_ n: UInt64) -> Double { KeyedUniform.value(k, 1000 + n) }
        var sex = CompositionDimension(id: "sex", groups: ["women", "men"], default: [0.7, 0.3])
        for (i, role) in s.roles.enumerated() where i % 2 == 0 { sex.roles[role.id] = [u(UInt64(i)), 1 - u(UInt64(i))] }
        var age = CompositionDimension(id: "age", groups: ["young", "middle", "old"], default: [2, 5, 3])
        age.relativeRisk = [1, 1, 0.5 + 2 * u(99)]
        s.workforce!.composition = [sex, age]
        return s
    }

    /// Every person is in one state at the horizon's end, group by group, and each dimension's groups add up to the
    /// whole workforce's flows, in every draw, under every policy.
    func testEveryGroupIsConservedInEveryDraw() throws {
        for k in 0..<8 as Range<UInt64> {
            let scenario = Self.scenarioWithComposition(k)
            let model = try RedeploymentModel(scenario)
            let equality = try XCTUnwrap(model.equality)
            for draw in 0..<20 as Range<UInt64> {
                let outcomes = try RedeploymentEngine.simulateOneDraw(scenario, seed: 11, stream: draw)
                for (p, out) in outcomes.enumerated() {
                    func total(_ m: RedeploymentMetric, stock: Bool = false) -> Int {
                        (0..<out.cells).reduce(0) { sum, c in
                            sum + (stock ? Int(out[out.years, c, m]) : (1...out.years).reduce(0) { $0 + Int(out[$1, c, m]) })
                        }
                    }
                    let expected: [EqualityFlow: Int] = [
                        .displaced: total(.displaced), .absorbed: total(.absorbedByAttrition),
                        .redeployed: total(.redeployedInternal) + total(.redeployedCrossOrg), .retrained: total(.retrainedPlaced),
                        .redundant: total(.redundant), .inPool: total(.inPool, stock: true), .inTraining: total(.inTraining, stock: true),
                    ]
                    for d in equality.dimensions.indices {
                        for flow in EqualityFlow.allCases {
                            let sum = equality.groups(of: d).reduce(0) { $0 + out.people(group: $1, flow) }
                            XCTAssertEqual(sum, expected[flow], "scenario \(k) draw \(draw) policy \(p) dimension \(d) \(flow)")
                        }
                    }
                    for g in 0..<equality.groupCount {
                        let settled = [EqualityFlow.absorbed, .redeployed, .retrained, .redundant, .inPool, .inTraining]
                            .reduce(0) { $0 + out.people(group: g, $1) }
                        XCTAssertEqual(out.people(group: g, .displaced), settled, "scenario \(k) draw \(draw) policy \(p) group \(g)")
                        XCTAssertLessThanOrEqual(out.people(group: g, .displaced), equality.headcount[g])
                        XCTAssert(EqualityFlow.allCases.allSatisfy { out.people(group: g, $0) >= 0 })
                    }
                }
            }
        }
    }

    /// Without relative risks, the displaced of a cell are a random sample of its people: in expectation each group's
    /// displaced are Σ over cells of the cell's displaced × the group's share of the cell. Checked on the per-draw
    /// difference (whose mean is 0) within Monte Carlo error.
    func testDisplacedGroupsFollowTheCompositionInExpectation() throws {
        var scenario = Self.scenarioWithComposition(3)
        scenario.workforce!.composition[1].relativeRisk = [1, 1, 1]
        let model = try RedeploymentModel(scenario)
        let equality = try XCTUnwrap(model.equality)
        let cellShares = (0..<model.cellCount).map { c in
            (0..<equality.groupCount).map { Double(equality.people[c * equality.groupCount + $0]) / Double(model.people[c]) }
        }
        var differences = Array(repeating: [Double](), count: equality.groupCount)
        var displacedSeen = 0.0
        for draw in 0..<3000 as Range<UInt64> {
            let out = try RedeploymentEngine.simulateOneDraw(scenario, seed: 5, stream: draw)[0]
            for g in 0..<equality.groupCount {
                let expected = (0..<out.cells).reduce(0.0) { sum, c in
                    sum + (1...out.years).reduce(0.0) { $0 + out[$1, c, .displaced] } * cellShares[c][g]
                }
                differences[g].append(Double(out.people(group: g, .displaced)) - expected)
                if g == 0 { displacedSeen += Double(out.people(group: g, .displaced)) }
            }
        }
        XCTAssertGreaterThan(displacedSeen, 1000, "the check needs displacement to test")
        for g in 0..<equality.groupCount {
            let (mean, se, _) = meanAndStandardError(differences[g])
            assertWithinMonteCarloError(mean, 0, standardError: se, "group \(g)")
        }
    }

    /// With relative risks, one person at a time is drawn with odds risk × people left (Wallenius): the mean of each
    /// group matches its exact value, enumerated over every sequence of draws by dynamic programming.
    func testWeightedSelectionMatchesExactEnumeration() throws {
        let counts = [6, 10, 4], risk = [2.5, 1, 0.4], n = 7
        // P(state) over how many of each group have been taken so far.
        var states: [[Int]: Double] = [[0, 0, 0]: 1]
        for _ in 0..<n {
            var next: [[Int]: Double] = [:]
            for (taken, p) in states {
                let weights = counts.indices.map { risk[$0] * Double(counts[$0] - taken[$0]) }
                let total = weights.reduce(0, +)
                for g in counts.indices where weights[g] > 0 {
                    var t = taken; t[g] += 1
                    next[t, default: 0] += p * weights[g] / total
                }
            }
            states = next
        }
        let exact = counts.indices.map { g in states.reduce(0.0) { $0 + Double($1.key[g]) * $1.value } }
        let stream = RandomStream(seed: 17, generator: .xoshiro256)
        var samples = Array(repeating: [Double](), count: counts.count)
        var urn = counts, taken = [Int](repeating: 0, count: counts.count)
        for _ in 0..<100_000 {
            urn = counts
            urn.withUnsafeMutableBufferPointer { u in
                taken.withUnsafeMutableBufferPointer { t in EqualityModel.weightedDraw(u, risk: risk, draws: n, stream: stream, into: t) }
            }
            XCTAssertEqual(urn, counts, "the urn itself is left as it was")
            XCTAssertEqual(taken.reduce(0, +), n)
            for g in counts.indices { samples[g].append(Double(taken[g])) }
        }
        for g in counts.indices {
            let (mean, se, _) = meanAndStandardError(samples[g])
            assertWithinMonteCarloError(mean, exact[g], standardError: se, "group \(g)")
        }
    }

    /// A relative risk moves the rate ratio of those displaced as the closed form says: when few of a cell are
    /// displaced, each of them is from group a with probability r·Nₐ / (r·Nₐ + N_b), so the rate ratio of a against b
    /// tends to r. One large cell, a small automated share, a run of the engine; the ratio of mean rates is read
    /// from the result.
    func testRelativeRiskGivesItsRateRatio() throws {
        let role = Role(id: "clerk", costPerFTE: 30_000, automation: .constant(0.01))
        var task = ServiceTask(id: "t", role: "clerk", fte: 20_000)
        task.adoptionYear = .constant(1)
        var s = Scenario(name: "risk", organisations: [Organisation(id: "o")], roles: [role],
                         services: [Service(id: "s", organisation: "o", tasks: [task])])
        s.horizon = 1
        var w = Workforce()
        var age = CompositionDimension(id: "age", groups: ["older", "younger"], default: [1, 3])
        age.relativeRisk = [2, 1]
        w.composition = [age]
        s.workforce = w
        s.policies = [RedeploymentPolicy(id: "none")]
        var options = RedeploymentOptions(draws: 4000, seed: 3, threads: 2)
        options.progress = nil
        let result = try RedeploymentEngine.run(s, options: options)
        let older = try XCTUnwrap(result.equality?.row(policy: "none", dimension: "age", group: "older"))
        let ratio = try XCTUnwrap(older.rateRatio(.displaced))
        // About 200 displaced of 20,000 in each draw: the sampling fraction (1%) biases the ratio by well under 2%.
        XCTAssertEqual(ratio.estimate, 2, accuracy: 0.06)
        XCTAssertGreaterThan(ratio.probabilityAbove, 0.99)
        XCTAssertTrue(ratio.isAdverse)
        // The share of the displaced is the closed form's r·Nₐ / (r·Nₐ + N_b) = 2·5000 / (2·5000 + 15000) = 0.4.
        XCTAssertEqual(older.share(of: .displaced), 0.4, accuracy: 0.01)
        XCTAssertEqual(older.workforceShare, 0.25)
        XCTAssertEqual(older.people, 5000)
    }

    /// The kind-by-kind multivariate hypergeometric draw has the right marginals: the last kind's count (drawn from
    /// what the others leave) follows the hypergeometric pmf of GSL (χ² test).
    func testMultivariateHypergeometricMarginals() {
        let counts = [8, 5, 12], n = 9
        let stream = RandomStream(seed: 23, generator: .mt19937)
        var observed = [Int](repeating: 0, count: n + 1)
        var taken = [Int](repeating: 0, count: counts.count)
        for _ in 0..<50_000 {
            counts.withUnsafeBufferPointer { c in taken.withUnsafeMutableBufferPointer { stream.multivariateHypergeometric(c, draws: n, into: $0) } }
            XCTAssertEqual(taken.reduce(0, +), n)
            XCTAssert(zip(taken, counts).allSatisfy { $0 <= $1 })
            observed[taken[2]] += 1
        }
        let pmf = (0...n).map { gsl_ran_hypergeometric_pdf(UInt32($0), 12, 13, UInt32(n)) }
        let (_, p) = GoodnessOfFit.chiSquared(observed: observed, expected: pmf)
        XCTAssertGreaterThan(p, 1e-4)
    }

    /// Large urns use the ratio-of-uniforms method (HRUA): its draws follow GSL's hypergeometric pmf (χ² over cells
    /// of at least 5 expected draws each, tails lumped), both when the sample is the smaller part and when the
    /// complement is, and when successes outnumber failures.
    func testRatioOfUniformsHypergeometricFollowsThePMF() {
        for (good, bad, sample) in [(5000, 8000, 3000), (9000, 700, 6000), (120, 400, 45)] {
            XCTAssertGreaterThanOrEqual(min(sample, good + bad - sample), RandomStream.hypergeometricDirectLimit)
            let stream = RandomStream(seed: 29, generator: .xoshiro256)
            let n = 60_000
            let pmf = (0...sample).map { gsl_ran_hypergeometric_pdf(UInt32($0), UInt32(good), UInt32(bad), UInt32(sample)) }
            // Cells: each value with an expected count ≥ 5, and the two tails.
            let kept = pmf.indices.filter { pmf[$0] * Double(n) >= 5 }
            let (lo, hi) = (kept.first!, kept.last!)
            var observed = [Int](repeating: 0, count: hi - lo + 3)
            var draws: [Double] = []
            for _ in 0..<n {
                let k = stream.hypergeometric(successes: good, failures: bad, draws: sample)
                XCTAssert((max(0, sample - bad)...min(sample, good)).contains(k))
                observed[k < lo ? 0 : k > hi ? hi - lo + 2 : k - lo + 1] += 1
                draws.append(Double(k))
            }
            let expected = [pmf[..<lo].reduce(0, +)] + pmf[lo...hi] + [pmf[(hi + 1)...].reduce(0, +)]
            let cells = zip(observed, expected).filter { $0.1 * Double(n) >= 1 }
            let (_, p) = GoodnessOfFit.chiSquared(observed: cells.map(\.0), expected: cells.map(\.1))
            XCTAssertGreaterThan(p, 1e-4, "good \(good) bad \(bad) sample \(sample)")
            let (mean, se, _) = meanAndStandardError(draws)
            assertWithinMonteCarloError(mean, Double(sample * good) / Double(good + bad), standardError: se)
        }
    }

    /// A cell with no people needs no proportions, as the reader says: a headcount of 0 for a role at an organisation
    /// that no composition entry covers runs, and that cell holds no one of any group.
    func testACellWithNoPeopleNeedsNoProportions() throws {
        var s = Self.scenarioWithComposition(2)
        var sex = CompositionDimension(id: "sex", groups: ["women", "men"])
        let cells = Set(s.services.flatMap { service in service.tasks.map { "\(service.organisation)|\($0.role)" } })
        for key in cells { sex.cells[key] = [3, 1] }
        let empty = s.organisations.flatMap { o in s.roles.map { "\(o.id)|\($0.id)" } }.first { !cells.contains($0) }
        let parts = try XCTUnwrap(empty, "the random scenario leaves some role and organisation without tasks").split(separator: "|")
        s.workforce!.headcount.append(HeadcountEntry(organisation: String(parts[0]), role: String(parts[1]), people: 0))
        s.workforce!.composition = [sex]
        let model = try RedeploymentModel(s)
        let equality = try XCTUnwrap(model.equality)
        XCTAssertEqual(equality.headcount.reduce(0, +), model.people.reduce(0, +))
        XCTAssertNoThrow(try RedeploymentEngine.run(s, options: RedeploymentOptions(draws: 50, seed: 1, threads: 1)))
    }

    /// Counts or shares, the largest-remainder split adds up exactly; counts that add up to the cell are kept.
    func testApportionment() {
        XCTAssertEqual(CompositionDimension.apportion(10, weights: [1, 1, 1]), [4, 3, 3])
        XCTAssertEqual(CompositionDimension.apportion(150, weights: [120, 30]), [120, 30])
        XCTAssertEqual(CompositionDimension.apportion(7, weights: [0.74, 0.26]), [5, 2])
        XCTAssertEqual(CompositionDimension.apportion(0, weights: [1, 2]), [0, 0])
    }
}
