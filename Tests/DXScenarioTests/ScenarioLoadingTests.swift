import DXSampling
@testable import DXScenario
import DXSupport
import DXTestSupport
import XCTest

final class ScenarioLoadingTests: XCTestCase {
    func testDefaultsAndParametrisations() throws {
        let s = try ScenarioLoader.parse(MalformedScenarioTests.base)
        XCTAssertEqual(s.horizon, 5)
        XCTAssertEqual(s.discountRate, 0.03)
        XCTAssertEqual(s.correlation, Correlation())
        let appeals = s.services[0].tasks[1]
        XCTAssertEqual(appeals.realisation, .constant(1))
        XCTAssertEqual(appeals.adoptionYear, .constant(1))
        XCTAssertEqual(appeals.implementationCost, .constant(0))
        XCTAssertEqual(s.automation(of: appeals)!.mean, 0.62, accuracy: 1e-12)
        XCTAssertEqual(s.services[0].tasks[0].implementationCost.quantile(0.95), 250_000, accuracy: 1e-4)
        XCTAssertEqual(s.organisations[0].name, "essex", "name defaults to the id")
    }

    /// Thresholds may be words: the ONS bands for the automation probability, break-even or the median for the rest.
    func testThresholdWords() throws {
        func thresholds(_ yaml: String) throws -> MatrixThresholds {
            try ScenarioLoader.parse(ScenarioFixtures.corpusBase.replacingOccurrences(
                of: "discount_rate: 0.03", with: "discount_rate: 0.03\nmatrix: { thresholds: \(yaml) }")).matrix.thresholds
        }
        let words = try thresholds("{ probability: ons-high, value: median, risk: median, return: break-even }")
        XCTAssertEqual(words, MatrixThresholds(probability: 0.7, return: 0))
        XCTAssertEqual(try thresholds("{ probability: \"ons-medium\" }").probability, 0.3, "quoted words too")
        let median = try thresholds("{ return: median }")
        XCTAssertNil(median.return)
        XCTAssertTrue(median.returnAtMedian)
        XCTAssertEqual(try thresholds("{ value: 2.5e6, return: -1000 }"), MatrixThresholds(value: 2.5e6, return: -1000))
    }

    /// The command line's threshold words are the scenario's, per view, read by the library (the CLI only passes text).
    func testThresholdTextPerView() throws {
        XCTAssertEqual(try MatrixThresholds.parse(x: "ons-medium", y: "median", view: .probability), MatrixThresholds(probability: 0.3))
        let rr = try MatrixThresholds.parse(x: "median", y: "median", view: .riskReturn)
        XCTAssertTrue(rr.returnAtMedian && rr.risk == nil && rr.return == nil)
        XCTAssertEqual(try MatrixThresholds.parse(x: "0.2", y: "break-even", view: .riskReturn), MatrixThresholds(risk: 0.2, return: 0))
        XCTAssertEqual(try MatrixThresholds.parse(x: nil, y: nil, view: .probability), MatrixThresholds())
        func message(_ x: String?, _ y: String?, _ view: MatrixView) -> String? {
            do { _ = try MatrixThresholds.parse(x: x, y: y, view: view); return nil } catch { return (error as? RunSettingsError)?.message }
        }
        XCTAssertEqual(message("median", nil, .probability),
                       "--x-threshold must be a finite number or one of ons-high, ons-medium, found \"median\"")
        XCTAssertEqual(message(nil, "break-even", .probability), "--y-threshold must be a finite number or one of median, found \"break-even\"")
        XCTAssertEqual(message("1.5", nil, .probability), "--x-threshold is an automation probability in the probability view: expected 0…1, found 1.5")
        XCTAssertEqual(message("ons-high", nil, .riskReturn), "--x-threshold must be a finite number or one of median, found \"ons-high\"")
        XCTAssertEqual(message("nan", nil, .riskReturn), "--x-threshold must be a finite number or one of median, found \"nan\"")
        // The view a word belongs to: the command's, else the scenario's matrix: section, else probability.
        let scenarioRiskReturn = MatrixSettings(view: .riskReturn)
        XCTAssertEqual(try MatrixThresholds.parse(x: "median", y: "break-even", settings: MatrixSettings(), scenario: scenarioRiskReturn),
                       MatrixThresholds(return: 0))
        XCTAssertThrowsError(try MatrixThresholds.parse(x: "median", y: nil, settings: MatrixSettings(view: .probability),
                                                        scenario: scenarioRiskReturn), "the command's view wins")
        XCTAssertEqual(try MatrixThresholds.parse(x: "ons-high", y: nil, settings: MatrixSettings(), scenario: MatrixSettings()),
                       MatrixThresholds(probability: 0.7))
        XCTAssertNoThrow(try MatrixThresholds.checkWords(x: "ons-high", y: "break-even"))
        XCTAssertThrowsError(try MatrixThresholds.checkWords(x: "ons-low", y: nil))
    }

    func testBundledScenariosValidate() throws {
        for name in ["italian-pa.yaml", "county-councils.yaml"] {
            let s = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/\(name)").path)
            XCTAssertFalse(s.services.isEmpty, name)
            XCTAssertEqual(s.matrix.thresholds.probability, 0.3, name)
        }
        let catalyst = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/catalyst.yaml").path)
        XCTAssertEqual(catalyst.barriers.count, 6)
        XCTAssertEqual(catalyst.routines.count, 5)
        XCTAssertEqual(catalyst.programmes.map(\.id), ["none", "onsite-benefits", "all-five"])
        XCTAssertNotNil(catalyst.workforce)
    }

    /// The Italian scenario covers the RGS Conto annuale headcount at 31 Dec 2021 (3,238,968, and each comparto's
    /// figure), and its header states the labour value it sums to as a share of the Corte dei conti's 188.1 bn
    /// (2023 compensation of PA employees): the test keeps the header true to the file.
    func testItalianScenarioCoversTheRGSHeadcountAndStatesItsLabourCoverage() throws {
        let path = packageRoot.appendingPathComponent("Scenarios/italian-pa.yaml").path
        let s = try ScenarioLoader.load(path: path)
        let tasks = s.services.flatMap { service in service.tasks.map { (service.organisation, $0) } }
        let headcount = tasks.reduce(0) { $0 + $1.1.fte }
        XCTAssertEqual(headcount, 3_238_968, accuracy: 0.03 * 3_238_968, "within 3% of the RGS 2021 total")
        let comparti = ["funzioni-centrali": 203_831.0, "funzioni-locali": 492_093, "istruzione-ricerca": 1_264_053, "sanita": 670_566,
                        "diritto-pubblico": 568_104, "autonomi": 40_321]
        for (id, rgs) in comparti {
            let modelled = tasks.filter { $0.0 == id }.reduce(0) { $0 + $1.1.fte }
            XCTAssertEqual(modelled, rgs, accuracy: 0.03 * rgs, "comparto \(id)")
        }
        let cost = Dictionary(uniqueKeysWithValues: s.roles.map { ($0.id, $0.costPerFTE) })
        let labour = tasks.reduce(0) { $0 + $1.1.fte * cost[$1.1.role]! }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let stated = String(format: "Labour value: %.1f bn EUR a year, %.0f%% of the 188.1 bn", labour / 1e9, 100 * labour / 188.1e9)
        XCTAssert(text.replacingOccurrences(of: "\n# ", with: " ").contains(stated), "the header should say: \(stated)")
    }
}

/// The loader's limits: a scan of the text before parsing finds deep nesting and aliases used as keys, and
/// leaves quoted text, comments and block scalars alone.
final class YAMLLimitsTests: XCTestCase {
    func issue(_ text: String) -> String? { YAMLLimits.scan(text, file: "f.yaml")?.description }

    func testAliasesAsKeysAndDeepNestingAreFoundAtTheirLine() {
        XCTAssertEqual(issue("a: &a x\n*a : 1\n"), "f.yaml:2:1: error: an alias (*a) is used as a mapping key; dxmap refuses aliases as keys (write the key out)")
        XCTAssert(issue("a: &a x\nb: { *a: 1 }\n")?.hasPrefix("f.yaml:2:6: error: an alias (*a)") == true)
        XCTAssert(issue("a: &a x\n? *a\n: 1\n")?.hasPrefix("f.yaml:2:3:") == true)
        XCTAssert(issue("x: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70))?.contains("more than 64 levels deep") == true)
        var block = ""
        for depth in 0..<70 { block += String(repeating: " ", count: depth) + "k\(depth):\n" }
        XCTAssert(issue(block)?.contains("more than 64 levels deep") == true, "block nesting counts too")
        XCTAssert(issue(String(repeating: "- ", count: 70) + "x\n")?.contains("more than 64 levels deep") == true, "so do dashes on one line")
        // Windows line endings: "\r\n" is one Swift Character, so a scan of the String's lines read such a file as one line.
        let crlf = block.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(issue(crlf), issue(block), "block nesting with CRLF line endings, at the same line and column")
        XCTAssert(issue("a: &a x\r\n*a : 1\r\n")?.hasPrefix("f.yaml:2:1:") == true)
    }

    func testQuotedTextCommentsAndBlockScalarsAreNotYAMLStructure() {
        XCTAssertNil(issue("a: &a x\nb: *a\nc: [*a, *a]\n"), "aliases as values are fine")
        XCTAssertNil(issue("note: \"*a: [[[[ {{{\"\nother: '*b: x'\n"))
        XCTAssertNil(issue("# *a: 1 [[[[[[[\nk: v # *c: {\n"))
        XCTAssertNil(issue("text: |\n  *a: 1\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nnext: 1\n"))
        XCTAssertNil(issue("it's: plain don't\n"))
    }

    func testTheNodeCountStopsAtItsLimit() throws {
        XCTAssertTrue(YAMLLimits.withinNodeLimit(try ScenarioLoader.compose(ScenarioFixtures.corpusBase, file: "f")))
    }
}

final class YAMLNumberTests: XCTestCase {
    /// YAML 1.1 numbers as scenario files write them: digit separators, signs, exponents, infinities and NaN in
    /// any case; anything else is not a number.
    func testNumbersParseAsYAMLWritesThem() {
        XCTAssertEqual(YAMLField.parseNumber("1_000_000"), 1_000_000)
        XCTAssertEqual(YAMLField.parseNumber("-2.5e3"), -2500)
        XCTAssertEqual(YAMLField.parseNumber("+.5"), 0.5)
        XCTAssertEqual(YAMLField.parseNumber(".INF"), .infinity)
        XCTAssertEqual(YAMLField.parseNumber("-.inf"), -.infinity)
        XCTAssert(YAMLField.parseNumber(".NaN")?.isNaN == true)
        for text in ["1,000", "abc", "1e", ".", "--1", "0x10", "inf", ""] { XCTAssertNil(YAMLField.parseNumber(text), text) }
    }
}
