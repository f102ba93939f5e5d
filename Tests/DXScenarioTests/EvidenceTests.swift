import DXSampling
@testable import DXScenario
import DXTestSupport
import XCTest

/// `evidence:` and `pilots:`: read, applied as posteriors, set aside by withoutEvidence(), and every malformed
/// entry reported at its line and field.
final class EvidenceTests: XCTestCase {
    // corpusBase ends at line 24; evidence starts at line 25.
    static let base = ScenarioFixtures.corpusBase + """
    evidence:
      - { id: trial, task: blue-badge/eligibility, successes: 12, trials: 20 }
      - { id: quote, task: appeals, input: implementation_cost, measured: 9000, se: 1500 }
    pilots:
      - { id: next, task: blue-badge/eligibility, cases: [20, 5], cost: { fixed: 1000, per_case: 50 } }

    """

    func testEvidenceUpdatesTheInputAndCanBeSetAside() throws {
        let s = try ScenarioLoader.parse(Self.base, file: "base.yaml")
        XCTAssertEqual(s.appliedEvidence.map(\.task), ["blue-badge/eligibility", "blue-badge/appeals"])
        // Beta prior (mean 0.62, sd 0.1) and 12 of 20: the conjugate posterior.
        let prior = try Distribution.beta(mean: 0.62, sd: 0.10)
        guard case let .beta(a, b) = prior else { return XCTFail() }
        XCTAssertEqual(s.services[0].tasks[0].automation, .beta(alpha: a + 12, beta: b + 8))
        XCTAssertEqual(s.appliedEvidence[0].method, .betaBinomial)
        // A constant prior (appeals' implementation cost is 0 by default) is not moved.
        XCTAssertEqual(s.appliedEvidence[1].method, .unchanged)
        XCTAssertEqual(s.pilots.first?.cases, [5, 20])
        XCTAssertEqual(s.pilots.first?.cost(cases: 20), 2000)
        let prior0 = s.withoutEvidence()
        XCTAssertEqual(prior0.services[0].tasks[0].automation, prior)
        XCTAssert(prior0.appliedEvidence.isEmpty)
    }

    func testBadEvidenceIsReportedAtItsField() {
        let cases = [
            MalformedCase(name: "successes above trials", replace: "successes: 12, trials: 20", with: "successes: 22, trials: 20", line: 26,
                          path: "evidence[trial].successes", message: "successes must not exceed the 20 trials"),
            MalformedCase(name: "negative se", replace: "se: 1500", with: "se: -1500", line: 27, path: "evidence[quote].se",
                          message: "expected a positive standard error"),
            MalformedCase(name: "unknown task", replace: "task: blue-badge/eligibility, successes", with: "task: blue-badge/eligibilty, successes",
                          line: 26, path: "evidence[trial].task", message: "unknown task 'blue-badge/eligibilty'"),
            MalformedCase(name: "successes of a cost", replace: "input: implementation_cost, measured: 9000, se: 1500",
                          with: "input: implementation_cost, successes: 3, trials: 4", line: 27, path: "evidence[quote].successes",
                          message: "successes out of trials inform a share"),
            MalformedCase(name: "no observation", replace: "measured: 9000, se: 1500", with: "source: a guess", line: 27,
                          path: "evidence[quote]", message: "missing the observation"),
            MalformedCase(name: "unknown input", replace: "input: implementation_cost", with: "input: implementation", line: 27,
                          path: "evidence[quote].input", message: "expected one of automation, realisation"),
            MalformedCase(name: "pilot of no cases", replace: "cases: [20, 5]", with: "cases: [20, 0]", line: 29,
                          path: "pilots[next].cases[1]", message: "a whole number of cases from 1"),
            MalformedCase(name: "contradicting measurement", replace: "task: blue-badge/eligibility, successes: 12, trials: 20",
                          with: "task: blue-badge/eligibility, measured: 5, se: 0.01", line: 26, path: "evidence[trial]",
                          message: "contradicts the prior"),
        ]
        assertEveryCaseIsReported(cases, base: Self.base)
    }

    /// A sweep point whose parameters leave `services:` alone reuses the base's services as written and applies the
    /// evidence once, as the base did (not on top of the base's posterior).
    func testSweepPointsApplyTheEvidenceOnce() throws {
        let dir = TemporaryDirectory()
        _ = try dir.write(Self.base, to: "base.yaml")
        let path = try dir.write("""
            dxmap-sweep: 1
            scenario: base.yaml
            draws: 10
            design: { grid: { levels: 2 } }
            parameters:
              - { name: rate, path: discount_rate, set: { min: 0.01, max: 0.05 } }
            outputs: [total.npv]

            """, to: "s.yaml")
        let plan = try SweepLoader.load(path: path)
        let base = try ScenarioLoader.parse(Self.base, file: "base.yaml")
        for i in 0..<plan.pointCount {
            let point = try plan.scenario(ofPoint: i)
            XCTAssertEqual(point.services[0].tasks[0].automation, base.services[0].tasks[0].automation, "point \(i)")
            XCTAssertEqual(point.appliedEvidence, base.appliedEvidence)
        }
    }

    /// Issue 26: two pieces of evidence on one input update the scenario's prior once with both, equal to their data
    /// pooled (not the first posterior's table, which ended at its 0.005th percentiles); each record keeps what was
    /// believed before it. An observation far in the tail of that is warned about at the evidence, and `v1` still
    /// gives the earlier releases' sequential tables.
    func testEvidenceInSequenceIsPooledAndAFarTailResultIsWarnedAbout() throws {
        func scenario(_ evidence: String, posterior: Posterior.Version = .v2) throws -> Scenario {
            try ScenarioLoader.parse(ScenarioFixtures.corpusBase + "evidence:\n" + evidence, file: "s.yaml", posterior: posterior)
        }
        let twice = try scenario("""
              - { id: small, task: blue-badge/eligibility, input: realisation, successes: 3, trials: 10 }
              - { id: large, task: blue-badge/eligibility, input: realisation, successes: 60, trials: 80 }

            """)
        let pooled = try scenario("""
              - { id: both, task: blue-badge/eligibility, input: realisation, successes: 63, trials: 90 }

            """)
        let (a, b) = (twice.services[0].tasks[0].realisation, pooled.services[0].tasks[0].realisation)
        guard case let .tabulated(x) = a, case let .tabulated(y) = b else { return XCTFail("\(a)") }
        XCTAssertLessThan(zip(x, y).map { abs($0 - $1) }.max()!, 1e-12)
        XCTAssertEqual(twice.appliedEvidence.map(\.method), [.quadrature, .quadrature])
        XCTAssertEqual(twice.appliedEvidence[1].prior, twice.appliedEvidence[0].posterior, "the second starts from the first's result")
        XCTAssertEqual(twice.withoutEvidence().services[0].tasks[0].realisation, .uniform(min: 0.6, max: 1.0))
        XCTAssert(twice.warnings.isEmpty && pooled.warnings.isEmpty, "3 of 10 and 63 of 90 are plausible under [0.6, 1]")
        // 1 of 20 on a realisation share the prior puts in [0.6, 1] (P(S ≤ 1) < 4·10⁻⁷ even at 0.6): a warning at the
        // evidence's line, naming it and the probability.
        let far = try scenario("""
              - { id: odd, task: blue-badge/eligibility, input: realisation, successes: 1, trials: 20 }

            """)
        XCTAssertEqual(far.warnings.count, 1)
        XCTAssertEqual(far.warnings.first?.location.line, 26)
        XCTAssert(far.warnings.first?.message.contains("evidence 'odd' sits far in the tail") == true, "\(far.warnings)")
        XCTAssertEqual(far.warnings.first?.severity, .warning)
        let v1 = try scenario("""
              - { id: small, task: blue-badge/eligibility, input: realisation, successes: 3, trials: 10 }
              - { id: large, task: blue-badge/eligibility, input: realisation, successes: 60, trials: 80 }

            """, posterior: .v1)
        XCTAssertEqual(v1.appliedEvidence.map(\.method), [.quadratureV1, .quadratureV1])
        XCTAssertNotEqual(v1.services[0].tasks[0].realisation, a)
    }
}
