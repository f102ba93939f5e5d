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

    static let compositionBase = ScenarioFixtures.corpusBase + """
    workforce:
      headcount:
        - { organisation: essex, role: admin, people: 20 }
      composition:
        sex:
          groups: [women, men]
          default: { women: 0.7, men: 0.3 }
          roles: { admin: { women: 3, men: 1 } }
          cells:
            - { organisation: essex, role: admin, shares: { women: 15, men: 5 } }
          relative_risk: { women: 1.2 }
    policies:
      - { id: baseline }

    """

    static let compositionCases: [Case] = [
        Case(name: "unknown group", replace: "default: { women: 0.7, men: 0.3 }", with: "default: { women: 0.7, mne: 0.3 }", line: 31,
             path: "workforce.composition.sex.default.mne", message: "unknown field 'mne' (did you mean 'men'?)"),
        Case(name: "negative share", replace: "men: 0.3", with: "men: -0.3", line: 31, path: "workforce.composition.sex.default.men",
             message: "a non-negative count or share"),
        Case(name: "no one in any group", replace: "{ women: 3, men: 1 }", with: "{ women: 0, men: 0 }", line: 32,
             path: "workforce.composition.sex.roles.admin", message: "above 0 for at least one of the groups women, men"),
        Case(name: "one group", replace: "groups: [women, men]", with: "groups: [women]", line: 30, path: "workforce.composition.sex.groups",
             message: "expected 2 to 64 groups, found 1"),
        Case(name: "duplicate group", replace: "groups: [women, men]", with: "groups: [women, women]", line: 30,
             path: "workforce.composition.sex.groups[1]", message: "duplicate group"),
        Case(name: "unknown role in a cell", replace: "role: admin, shares", with: "role: admn, shares", line: 34,
             path: "workforce.composition.sex.cells[0].role", message: "did you mean 'admin'"),
        Case(name: "cell without shares", replace: ", shares: { women: 15, men: 5 } }", with: " }", line: 34,
             path: "workforce.composition.sex.cells[0].shares", message: "missing required field 'shares'"),
        Case(name: "relative risk of zero", replace: "women: 1.2", with: "women: 0", line: 35, path: "workforce.composition.sex.relative_risk.women",
             message: "a relative risk above 0"),
        Case(name: "no groups", replace: "      groups: [women, men]\n", with: "", line: 30, path: "workforce.composition.sex.groups",
             message: "missing required field 'groups'"),
        Case(name: "a cell no proportion covers",
             replace: "      default: { women: 0.7, men: 0.3 }\n      roles: { admin: { women: 3, men: 1 } }\n      cells:\n"
                + "        - { organisation: essex, role: admin, shares: { women: 15, men: 5 } }\n", with: "", line: 30,
             path: "workforce.composition.sex", message: "gives no proportions for 1 cell with people (essex · admin): add a 'default:'"),
        Case(name: "dimension name that is not an id", replace: "    sex:", with: "    \"sex!\":", line: 30, path: "workforce.composition.sex!",
             message: "expected a dimension name made of letters"),
        Case(name: "composition as a list", replace: "  composition:\n    sex:", with: "  composition: [sex]\n  unused:\n    sex:", line: 28,
             path: "workforce.composition", message: "expected a mapping from dimension names"),
    ]

    func testEveryMalformedCompositionIsReported() throws {
        let base = try ScenarioLoader.parse(Self.compositionBase, file: "base.yaml")
        let sex = try XCTUnwrap(base.workforce?.composition.first)
        XCTAssertEqual(sex.groups, ["women", "men"])
        XCTAssertEqual(sex.weights(organisation: "essex", role: "admin"), [15, 5], "the cell wins over its role and the default")
        XCTAssertEqual(sex.relativeRisk, [1.2, 1])
        assertEveryCaseIsReported(Self.compositionCases, base: Self.compositionBase)
    }

    func testPoliciesNeedAWorkforce() {
        let text = ScenarioFixtures.corpusBase + "policies:\n  - { id: baseline }\n"
        XCTAssertThrowsError(try ScenarioLoader.parse(text)) { XCTAssert("\($0)".contains("policies need a 'workforce:' section"), "\($0)") }
    }
}
