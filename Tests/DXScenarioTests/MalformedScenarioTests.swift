import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// A corpus of malformed scenarios: each must give a message naming its line, field path and what was
/// expected, and never trap. Each case edits one valid base file.
final class MalformedScenarioTests: XCTestCase {
    static let base = ScenarioFixtures.corpusBase

    typealias Case = MalformedCase

    static let task = "services[blue-badge].tasks[0]"
    static let cases: [Case] = [
        Case(name: "unclosed flow sequence", replace: "fte: 14", with: "fte: [14", line: 18, path: "", message: "invalid YAML"),
        Case(name: "unclosed flow mapping", replace: "sd: 0.10 } }", with: "sd: 0.10 }", line: 11, path: "", message: "invalid YAML"),
        Case(name: "duplicate key", replace: "        fte: 14\n", with: "        fte: 14\n        fte: 15\n", line: 17, path: "", message: "'fte' appear more than once"),
        Case(name: "word for a number", replace: "fte: 14", with: "fte: fourteen", line: 17, path: "\(task).fte", message: "expected a number, found the string \"fourteen\""),
        Case(name: "quoted number", replace: "fte: 14", with: "fte: \"14\"", line: 17, path: "\(task).fte", message: "found the string \"14\""),
        Case(name: "negative FTE", replace: "fte: 14", with: "fte: -3", line: 17, path: "\(task).fte", message: "expected a positive number of FTE"),
        Case(name: "NaN written as text", replace: "fte: 14", with: "fte: .nan", line: 17, path: "\(task).fte", message: "expected a finite number, found .nan"),
        Case(name: "NaN as a word", replace: "fte: 14", with: "fte: NaN", line: 17, path: "\(task).fte", message: "expected a number, found the string \"NaN\""),
        Case(name: "infinity", replace: "cost_per_fte: 31000", with: "cost_per_fte: .inf", line: 9, path: "roles[admin].cost_per_fte", message: "expected a finite number"),
        Case(name: "overflowing literal", replace: "cost_per_fte: 31000", with: "cost_per_fte: 1e400", line: 9, path: "roles[admin].cost_per_fte", message: "too large to represent"),
        Case(name: "implausibly huge FTE", replace: "fte: 14", with: "fte: 1.0e12", line: 17, path: "\(task).fte", message: "up to 100000000"),
        Case(name: "impossible beta sd", replace: "sd: 0.10", with: "sd: 0.6", line: 10, path: "roles[admin].automation.beta.sd", message: "mean·(1−mean)"),
        Case(name: "uniform min above max", replace: "min: 0.6, max: 1.0", with: "min: 1.0, max: 0.6", line: 18, path: "\(task).realisation.uniform.max", message: "min < max"),
        Case(name: "share outside [0, 1]", replace: "min: 0.6, max: 1.0", with: "min: 0.6, max: 1.5", line: 18, path: "\(task).realisation", message: "a share must lie in [0, 1]"),
        Case(name: "unknown family", replace: "{ beta: { mean", with: "{ betta: { mean", line: 10, path: "roles[admin].automation.betta", message: "did you mean 'beta'"),
        Case(name: "dangling role", replace: "role: admin\n        fte: 14", with: "role: admn\n        fte: 14", line: 16, path: "\(task).role", message: "unknown role 'admn' (did you mean 'admin'?)"),
        Case(name: "dangling organisation", replace: "organisation: essex", with: "organisation: essx", line: 13, path: "services[blue-badge].organisation", message: "unknown organisation 'essx'"),
        Case(name: "duplicate task id", replace: "id: appeals", with: "id: eligibility", line: 22, path: "services[blue-badge].tasks[1].id", message: "duplicate task id 'eligibility'"),
        Case(name: "duplicate organisation id", replace: "  - id: essex\n", with: "  - id: essex\n  - id: essex\n", line: 7, path: "organisations[essex].id", message: "duplicate organisation id"),
        Case(name: "empty list", replace: "organisations:\n  - id: essex\n", with: "organisations: []\n\n", line: 5, path: "organisations", message: "expected a non-empty list"),
        Case(name: "missing required field", replace: "    fte: 3\n", with: "    \n", line: 22, path: "services[blue-badge].tasks[1].fte", message: "missing required field 'fte'"),
        Case(name: "unsupported schema", replace: "dxmap: 1", with: "dxmap: 2", line: 1, path: "dxmap", message: "this dxmap reads schema 1, found schema 2"),
        Case(name: "missing schema", replace: "dxmap: 1", with: "# no schema", line: 2, path: "dxmap", message: "missing required field 'dxmap'"),
        Case(name: "misspelt field", replace: "fte: 14", with: "ftee: 14", line: 17, path: "\(task).ftee", message: "did you mean 'fte'"),
        Case(name: "unknown threshold word", replace: "discount_rate: 0.03", with: "discount_rate: 0.03\nmatrix: { thresholds: { probability: ons-low } }", line: 5, path: "matrix.thresholds.probability", message: "expected a probability between 0 and 1 or one of ons-high, ons-medium, found the string \"ons-low\""),
        Case(name: "misspelt break-even", replace: "discount_rate: 0.03", with: "discount_rate: 0.03\nmatrix:\n  thresholds: { return: breakeven }", line: 6, path: "matrix.thresholds.return", message: "or one of break-even, median"),
        Case(name: "fractional horizon", replace: "horizon: 5", with: "horizon: 5.5", line: 3, path: "horizon", message: "whole number of years"),
        Case(name: "discount rate out of range", replace: "discount_rate: 0.03", with: "discount_rate: 7", line: 4, path: "discount_rate", message: "between -0.5 and 1"),
        Case(name: "correlation over 1", replace: "discount_rate: 0.03", with: "correlation: { global: 0.7, role: 0.5 }", line: 4, path: "correlation", message: "must not exceed 1"),
        Case(name: "adoption year 0", replace: "values: [1, 2, 3]", with: "values: [0, 1, 2]", line: 21, path: "\(task).adoption_year", message: "1 or later"),
        Case(name: "fractional adoption year", replace: "values: [1, 2, 3]", with: "values: [1.5, 2, 3]", line: 21, path: "\(task).adoption_year", message: "whole years"),
        Case(name: "weights do not match values", replace: "weights: [0.3, 0.5, 0.2]", with: "weights: [0.3, 0.5]", line: 21, path: "\(task).adoption_year.discrete.weights", message: "one weight per value"),
        Case(name: "cost that can be negative", replace: "running_cost: 12000", with: "running_cost: { normal: { mean: 1000, sd: 5000 } }", line: 20, path: "\(task).running_cost", message: "cannot be negative"),
        Case(name: "mixed parametrisation", replace: "p5: 40000, p95: 250000", with: "p5: 40000, sd: 3", line: 19, path: "\(task).implementation_cost.lognormal", message: "lognormal takes {mu, sigma} or {mean, sd} or {p5, p95}"),
        Case(name: "no automation anywhere", replace: "    automation: { beta: { mean: 0.62, sd: 0.10 } }\n", with: "\n", line: 15, path: "\(task)", message: "no automation share"),
        Case(name: "text where a list belongs", replace: "organisations:\n  - id: essex\n", with: "organisations: essex\n\n", line: 5, path: "organisations", message: "expected a list, found the string \"essex\""),
        Case(name: "id with a space", replace: "id: blue-badge", with: "id: \"blue badge\"", line: 12, path: "services[blue badge].id", message: "expected an id made of letters"),
        Case(name: "distribution with two families", replace: "realisation: { uniform: { min: 0.6, max: 1.0 } }", with: "realisation: { uniform: { min: 0.6, max: 1.0 }, beta: { alpha: 1, beta: 2 } }", line: 18, path: "\(task).realisation", message: "one key naming the distribution"),
    ]

    func testEveryMalformedScenarioIsReportedWithLineFieldAndExpectation() {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 25)
        assertEveryCaseIsReported(Self.cases, base: Self.base)
    }

    /// One mistake, one message: a misspelt required field is not also reported missing, and a role that fails to
    /// read is not also "unknown" to every task that uses it.
    func testOneMistakeGivesOneMessage() {
        func issues(_ replace: String, _ with: String) -> [ScenarioIssue] {
            do {
                _ = try ScenarioLoader.parse(Self.base.replacingOccurrences(of: replace, with: with), file: "case.yaml")
                return []
            } catch let error as ScenarioError { return error.issues } catch { return [] }
        }
        let misspelt = issues("fte: 14", "ftee: 14")
        XCTAssertEqual(misspelt.count, 1, "\(misspelt)")
        XCTAssert(misspelt.first?.message.contains("unknown field 'ftee' (did you mean 'fte'?)") == true, "\(misspelt)")
        let transposed = issues("{ beta: { mean: 0.62, sd: 0.10 } }", "{ beta: { mena: 0.62, sd: 0.10 } }")
        XCTAssertEqual(transposed.count, 1, "\(transposed)")
        XCTAssert(transposed.first?.message.contains("did you mean 'mean'?") == true, "a transposition is one edit: \(transposed)")
        let badRole = issues("cost_per_fte: 31000", "cost_per_fte: -5")
        XCTAssertEqual(badRole.map(\.path), ["roles[admin].cost_per_fte"], "the two tasks using the role are not reported: \(badRole)")
    }

    /// A fixed adoption year past the horizon is valid but never adopted: a located warning, not an error.
    func testAnAdoptionYearPastTheHorizonIsAWarning() throws {
        let text = Self.base.replacingOccurrences(of: "adoption_year: { discrete: { values: [1, 2, 3], weights: [0.3, 0.5, 0.2] } }", with: "adoption_year: 7")
        let s = try ScenarioLoader.parse(text, file: "late.yaml")
        XCTAssertEqual(s.warnings.count, 1)
        XCTAssertEqual(s.warnings.first?.description,
                       "late.yaml:21:24: warning: services[blue-badge].tasks[0].adoption_year: the adoption year is never within the 5-year horizon (earliest 7): the task is never adopted, so it adds no saving, cost or displacement")
        XCTAssertEqual(try ScenarioLoader.parse(Self.base, file: "base.yaml").warnings, [], "years 1–3 within 5: no warning")
        let discrete = Self.base.replacingOccurrences(of: "values: [1, 2, 3]", with: "values: [6, 7, 8]")
        XCTAssertEqual(try ScenarioLoader.parse(discrete, file: "d.yaml").warnings.count, 1)
    }

    func testEmptyFileAndJSON() throws {
        XCTAssertThrowsError(try ScenarioLoader.parse("", file: "empty.yaml")) { error in
            XCTAssert("\(error)".contains("empty file"), "\(error)")
        }
        let json = """
        {
          "dxmap": 1,
          "name": "JSON",
          "organisations": [{"id": "o"}],
          "roles": [{"id": "r", "cost_per_fte": 30000, "automation": {"beta": {"mean": 0.5, "sd": 0.1}}}],
          "services": [{"id": "s", "organisation": "o",
                        "tasks": [{"id": "t", "role": "r", "fte": "ten"}]}]
        }
        """
        XCTAssertThrowsError(try ScenarioLoader.parse(json, file: "s.json")) { error in
            let issue = (error as! ScenarioError).issues[0]
            XCTAssertEqual(issue.location.line, 7)
            XCTAssertEqual(issue.path, "services[s].tasks[0].fte")
        }
        let valid = try ScenarioLoader.parse(json.replacingOccurrences(of: "\"ten\"", with: "10"), file: "s.json")
        XCTAssertEqual(valid.services[0].tasks[0].fte, 10)
    }

    func testBinaryFileIsRefused() {
        XCTAssertThrowsError(try ScenarioLoader.parse(Data([0xFF, 0xFE, 0x00, 0x9F]), file: "image.png")) { error in
            XCTAssert("\(error)".hasPrefix("image.png:1:1: error: expected UTF-8 text, found the byte 0xFF"), "\(error)")
        }
        // A bad byte further in is reported where it is.
        XCTAssertThrowsError(try ScenarioLoader.parse(Data("dxmap: 1\nname: caf".utf8) + Data([0xE9, 0x0A]), file: "latin1.yaml")) { error in
            XCTAssert("\(error)".hasPrefix("latin1.yaml:2:10: error: expected UTF-8 text, found the byte 0xE9"), "\(error)")
        }
    }

    func testMissingFileIsAFileError() {
        XCTAssertThrowsError(try ScenarioLoader.load(path: "/nonexistent/scenario.yaml")) { error in
            XCTAssert(error is ScenarioFileError, "\(error)")
        }
    }

    func testAllProblemsAreReportedAtOnce() {
        let text = Self.base.replacingOccurrences(of: "fte: 14", with: "fte: -1").replacingOccurrences(of: "horizon: 5", with: "horizon: 0")
        XCTAssertThrowsError(try ScenarioLoader.parse(text)) { error in
            XCTAssertEqual((error as! ScenarioError).issues.map(\.location.line), [3, 17])
        }
    }
}
