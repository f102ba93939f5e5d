import DXScenario
import DXTestSupport
import XCTest

/// Malformed `barriers:`, `interactions:`, `routines:`, `programmes:` and `data_from`: each names its line,
/// field path and expectation.
final class MalformedAdoptionTests: XCTestCase {
    // With data_from added to the last task, corpusBase ends at line 25; barriers start at line 26.
    static let base = ScenarioFixtures.corpusBase.replacingOccurrences(of: "        fte: 3\n", with: "        fte: 3\n        data_from: [essex]\n") + """
    barriers:
      - { id: privacy, applies_to: data_sharing, presence: 0.4, delay: 1, failure: 0.1 }
      - { id: engagement, applies_to: { organisation: essex }, presence: { beta: { mean: 0.3, sd: 0.1 } }, realisation: 0.8 }
    interactions:
      - { barriers: [privacy, engagement], delay_factor: 1.5 }
    routines:
      - id: on-site
        annual_cost: 10000
        organisations: [essex]
        effects: { privacy: { presence: 0.5, delay: 0.5 } }
    programmes:
      - { id: none, routines: [] }
      - { id: onsite, routines: [on-site] }

    """

    typealias Case = MalformedCase

    static let cases: [Case] = [
        Case(name: "presence above 1", replace: "presence: 0.4", with: "presence: 1.4", line: 27, path: "barriers[privacy].presence", message: "expected a share between 0 and 1"),
        Case(name: "negative delay", replace: "delay: 1,", with: "delay: -1,", line: 27, path: "barriers[privacy].delay", message: "a delay in years cannot be negative"),
        Case(name: "unknown scope", replace: "applies_to: data_sharing", with: "applies_to: everywhere", line: 27, path: "barriers[privacy].applies_to", message: "expected all, data_sharing"),
        Case(name: "scope on an unknown organisation", replace: "{ organisation: essex }", with: "{ organisation: esex }", line: 28, path: "barriers[engagement].applies_to.organisation", message: "did you mean 'essex'"),
        Case(name: "missing presence", replace: "presence: 0.4, ", with: "", line: 27, path: "barriers[privacy].presence", message: "missing"),
        Case(name: "interaction with one barrier", replace: "[privacy, engagement], delay_factor", with: "[privacy], delay_factor", line: 30, path: "interactions[0].barriers", message: "at least two barriers"),
        Case(name: "interaction with an unknown barrier", replace: "[privacy, engagement], delay_factor", with: "[privacy, engagment], delay_factor", line: 30, path: "interactions[0].barriers[1]", message: "did you mean 'engagement'"),
        Case(name: "routine effect on an unknown barrier", replace: "effects: { privacy:", with: "effects: { privcy:", line: 35, path: "routines[on-site].effects.privcy", message: "did you mean 'privacy'"),
        Case(name: "routine multiplier above 1", replace: "delay: 0.5 }", with: "delay: 2 }", line: 35, path: "routines[on-site].effects.privacy.delay", message: "a multiplier from 0 to 1"),
        Case(name: "routine at an unknown organisation", replace: "organisations: [essex]", with: "organisations: [suffolk]", line: 34, path: "routines[on-site].organisations[0]", message: "unknown organisation 'suffolk'"),
        Case(name: "negative routine cost", replace: "annual_cost: 10000", with: "annual_cost: -5", line: 33, path: "routines[on-site].annual_cost", message: "a non-negative cost"),
        Case(name: "programme with an unknown routine", replace: "routines: [on-site] }", with: "routines: [onsite] }", line: 38, path: "programmes[onsite].routines[0]", message: "did you mean 'on-site'"),
        Case(name: "duplicate barrier", replace: "- { id: engagement,", with: "- { id: privacy,", line: 28, path: "barriers[privacy].id", message: "duplicate barrier id 'privacy'"),
        Case(name: "data from an unknown organisation", replace: "data_from: [essex]", with: "data_from: [suffolk]", line: 25, path: "services[blue-badge].tasks[1].data_from[0]", message: "unknown organisation 'suffolk'"),
        Case(name: "routine listed twice", replace: "routines: [on-site] }", with: "routines: [on-site, on-site] }", line: 38, path: "programmes[onsite].routines[1]", message: "routine 'on-site' is listed twice"),
    ]

    func testEveryMalformedAdoptionSectionIsReported() throws {
        let base = try ScenarioLoader.parse(Self.base, file: "base.yaml")
        XCTAssertEqual(base.barriers.map(\.id), ["privacy", "engagement"])
        XCTAssertEqual(base.barriers[1].scope, .organisation("essex"))
        XCTAssertEqual(base.interactions.first?.delayFactor, 1.5)
        XCTAssertEqual(base.routines.first?.effects.first?.delay, 0.5)
        XCTAssertEqual(base.programmes.map(\.id), ["none", "onsite"])
        XCTAssertEqual(base.services[0].tasks[1].dataFrom, ["essex"])
        assertEveryCaseIsReported(Self.cases, base: Self.base)
    }

    func testRoutinesAndProgrammesNeedWhatTheyActOn() {
        let text = ScenarioFixtures.corpusBase + "programmes:\n  - { id: none, routines: [] }\n"
        XCTAssertThrowsError(try ScenarioLoader.parse(text, file: "p.yaml")) { error in
            XCTAssert("\(error)".contains("programmes need a 'routines:' section"), "\(error)")
        }
    }
}
