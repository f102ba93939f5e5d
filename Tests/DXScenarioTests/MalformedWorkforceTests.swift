import DXScenario
import DXTestSupport
import XCTest

/// Malformed `workforce:` and `policies:` sections: each names its line, field path and expectation.
final class MalformedWorkforceTests: XCTestCase {
    static let base = ScenarioFixtures.corpusBase + """
    workforce:
      headcount:
        - { organisation: essex, role: admin, people: 20 }
      attrition: { default: 0.1, roles: { admin: 0.12 } }
      similarity: { admin: { admin: 1 } }
      redeploy_threshold: 0.7
      retrain_threshold: 0.4
      retraining:
        - { id: upskill, cost: 3000, years: 1, success: 0.8, places: 10 }
      redundancy_months: 6
      pool_years: 2
    policies:
      - { id: baseline }
      - { id: pool, internal: true, cross_organisation: true, retraining: true, retraining_budget: 50000 }

    """

    typealias Case = MalformedCase

    static let cases: [Case] = [
        Case(name: "unknown organisation in headcount", replace: "organisation: essex, role: admin, people", with: "organisation: esex, role: admin, people",
             line: 27, path: "workforce.headcount[0].organisation", message: "unknown organisation 'esex' (did you mean 'essex'?)"),
        Case(name: "fractional people", replace: "people: 20", with: "people: 20.5", line: 27, path: "workforce.headcount[0].people", message: "a whole number of people"),
        Case(name: "attrition above 1", replace: "default: 0.1", with: "default: 1.5", line: 28, path: "workforce.attrition.default", message: "expected a share between 0 and 1, found 1.5"),
        Case(name: "attrition for an unknown role", replace: "roles: { admin: 0.12 }", with: "roles: { admn: 0.12 }", line: 28, path: "workforce.attrition.roles.admn", message: "did you mean 'admin'"),
        Case(name: "similarity above 1", replace: "{ admin: { admin: 1 } }", with: "{ admin: { admin: 1.2 } }", line: 29, path: "workforce.similarity.admin.admin", message: "a similarity between 0 and 1"),
        Case(name: "self-similarity not 1", replace: "{ admin: { admin: 1 } }", with: "{ admin: { admin: 0.5 } }", line: 29, path: "workforce.similarity.admin.admin", message: "similarity to itself is 1"),
        Case(name: "thresholds in the wrong order", replace: "retrain_threshold: 0.4", with: "retrain_threshold: 0.9", line: 31, path: "workforce.retrain_threshold", message: "must not exceed redeploy_threshold"),
        Case(name: "success probability above 1", replace: "success: 0.8", with: "success: 1.8", line: 33, path: "workforce.retraining[upskill].success", message: "a probability between 0 and 1"),
        Case(name: "training of zero years", replace: "years: 1,", with: "years: 0,", line: 33, path: "workforce.retraining[upskill].years", message: "at least 1"),
        Case(name: "pool limit of zero", replace: "pool_years: 2", with: "pool_years: 0", line: 35, path: "workforce.pool_years", message: "at least 1"),
        Case(name: "boolean as text", replace: "internal: true,", with: "internal: maybe,", line: 38, path: "policies[pool].internal", message: "expected true or false"),
        Case(name: "duplicate policy", replace: "- { id: pool,", with: "- { id: baseline,", line: 38, path: "policies[baseline].id", message: "duplicate policy id 'baseline'"),
        Case(name: "budget without retraining", replace: "retraining: true, retraining_budget", with: "retraining: false, retraining_budget", line: 38, path: "policies[pool].retraining_budget", message: "needs 'retraining: true'"),
        Case(name: "retraining without programmes", replace: "    - { id: upskill, cost: 3000, years: 1, success: 0.8, places: 10 }\n", with: "    []\n", line: 38, path: "policies[pool].retraining", message: "lists no programme"),
        Case(name: "skills and similarity both", replace: "  similarity: { admin: { admin: 1 } }", with: "  similarity: { admin: { admin: 1 } }\n  skills: { dimensions: [a], roles: { admin: [1] } }", line: 26, path: "workforce", message: "either 'skills' or 'similarity'"),
        Case(name: "skill vector of the wrong length", replace: "  similarity: { admin: { admin: 1 } }", with: "  skills: { dimensions: [a, b], roles: { admin: [1] } }", line: 29, path: "workforce.skills.roles.admin", message: "expected 2 skill levels"),
        Case(name: "unknown workforce field", replace: "redundancy_months: 6", with: "redundancy_weeks: 26", line: 34, path: "workforce.redundancy_weeks", message: "unknown field 'redundancy_weeks'"),
    ]

    func testEveryMalformedWorkforceIsReported() throws {
        let base = try ScenarioLoader.parse(Self.base, file: "base.yaml")
        XCTAssertEqual(base.policies.map(\.id), ["baseline", "pool"])
        XCTAssertEqual(base.workforce?.retraining.first?.places, 10)
        assertEveryCaseIsReported(Self.cases, base: Self.base)
    }

    func testPoliciesNeedAWorkforce() {
        let text = ScenarioFixtures.corpusBase + "policies:\n  - { id: baseline }\n"
        XCTAssertThrowsError(try ScenarioLoader.parse(text)) { XCTAssert("\($0)".contains("policies need a 'workforce:' section"), "\($0)") }
    }
}
