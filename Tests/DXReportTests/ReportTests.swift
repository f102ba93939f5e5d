@testable import DXExperiments
import DXAnalysis
import DXEngine
import DXMap
import DXSampling
import DXScenario
@testable import DXReport
import DXSupport
import DXTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class ReportTests: XCTestCase {
    func testSHA256MatchesFIPSVectors() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Every padding case around the 56-byte boundary (expected digests from Python's hashlib).
        let expected = [
            55: "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
            57: "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73",
            63: "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
            64: "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
            65: "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
            119: "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
            120: "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
        ]
        for (n, digest) in expected {
            XCTAssertEqual(SHA256.hex((0..<n).map { UInt8(($0 * 7 + 3) % 256) }), digest, "\(n) bytes")
        }
    }

    func testCSVQuotesOnlyWhatNeedsIt() {
        XCTAssertEqual(CSVOutput.row(["a", "b,c", "say \"hi\"", "x"]), "a,\"b,c\",\"say \"\"hi\"\"\",x")
    }

    func testNumberFormatting() {
        XCTAssertEqual(NumberFormatting.compact(4_386_250_514), "4.39bn")
        XCTAssertEqual(NumberFormatting.compact(-2_780_000), "-2.78M")
        XCTAssertEqual(NumberFormatting.compact(12_345), "12.3k")
        XCTAssertEqual(NumberFormatting.exact(12000), "12000")
        XCTAssertEqual(NumberFormatting.exact(.nan), "")
        XCTAssertEqual(Double(NumberFormatting.exact(0.1 + 0.2)), 0.1 + 0.2, "exact output round-trips")
    }

    func mappingRun() throws -> MappingResult {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path)
        return try MappingEngine.run(scenario, options: MappingOptions(draws: 2_000, seed: 3, threads: 2))
    }

    /// A run's output set, as every command emits it: the files in order with run.json among them, and a terminal
    /// table whose only text written with its escape sequences is the matrix dxmap colours itself, so that a
    /// scenario name with an ESC in it is shown, never obeyed.
    func testTheRunOutputKeepsUserTextOutOfColouredPieces() throws {
        var scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path)
        scenario.name = "councils \u{1B}[2J"
        scenario.services[0].name = "service \u{1B}[31m"
        let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 200, seed: 3, threads: 1))
        let m = result.matrix(level: .service, view: .probability, risk: .sd)
        let output = MappingOutput(result: result, matrix: m, record: RunRecord(
            command: "map", arguments: ["map", "x.yaml"], scenarioPath: "x.yaml", scenarioBytes: Data(), run: result.run,
            details: .mapping(result, matrix: m)))
        XCTAssertEqual(try output.files().map(\.name), MappingOutputs.fileNames)
        let pieces = try output.table(TerminalStyle(wide: false, colour: true))
        XCTAssertEqual(pieces.filter(\.coloured).count, 1, "only the matrix table is coloured")
        XCTAssertTrue(pieces[0].text.contains(scenario.name) && !pieces[0].coloured, "the title names the scenario, uncoloured")
        XCTAssertFalse(pieces.filter(\.coloured).contains { $0.text.contains(scenario.name) })
        XCTAssertFalse(pieces.filter(\.coloured).contains { $0.text.contains("\u{1B}[31m") },
                       "a service's name inside the coloured matrix is shown escaped")
        XCTAssertEqual(try output.table(TerminalStyle(wide: false, colour: false)).filter(\.coloured).count, 0)
        XCTAssertEqual(output.csv(), CSVOutput.matrix(m))
        // The report's provenance is the command line as a shell reads it back, with the horizon and discount rate.
        let provenance = Dictionary(HTMLReport.provenance(output.record), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(provenance["command"], "dxmap map x.yaml")
        XCTAssertEqual(provenance["horizon"], "\(result.run.horizon) years")
        XCTAssertEqual(HTMLReport.commandLine("map", ["map", "my file.yaml", "--out", "it's"]), "dxmap map 'my file.yaml' --out 'it'\\''s'")
        XCTAssertTrue(provenance["discount rate"]!.hasPrefix("\(NumberFormatting.message(scenario.discountRate * 100))% a year"))
    }

    func testOutputsAreTidyAndComplete() throws {
        let result = try mappingRun()
        let summary = CSVOutput.summary(result).split(separator: "\n")
        XCTAssertEqual(String(summary[0]), "level,id,name,metric,mean,sd,p5,p25,p50,p75,p95,p_loss,cvar5")
        XCTAssertEqual(summary.count, 1 + result.entities.count * result.metrics.count)
        XCTAssertEqual(result.metrics.count, Metric.allCases.count - 2, "no adoption metrics without barriers")
        let npvRows = summary.filter { $0.contains(",npv,") }
        XCTAssert(npvRows.allSatisfy { !$0.hasSuffix(",,") }, "p_loss and cvar5 are filled for npv")
        XCTAssert(summary.filter { $0.contains(",gross_saving,") }.allSatisfy { $0.hasSuffix(",,") })
        let m = result.matrix(level: .service, view: .probability)
        let matrix = CSVOutput.matrix(m).split(separator: "\n")
        XCTAssertEqual(String(matrix[0]), CSVOutput.matrixHeader)
        XCTAssertEqual(matrix.count, 15)
        // Every row says what its columns mean: view, quantities, thresholds and their basis, currency.
        let context = ",probability,automation probability (labour-weighted),annual gross saving (GBP),0.3,ons-medium,"
        XCTAssert(matrix.dropFirst().allSatisfy { $0.contains(context) && $0.hasSuffix(",median,GBP") }, "\(matrix[1])")
        let svg = MatrixChart.svg(m, title: "t", subtitle: "s")
        XCTAssertEqual(svg.components(separatedBy: "class=\"bubble\"").count - 1, 14, "one bubble per service")
        XCTAssert(svg.contains("automate first") && svg.contains("stroke-dasharray"))
        XCTAssertNoThrow(try XMLDocument(xmlString: svg, options: []), "the SVG is well-formed XML")
        let table = MatrixTable.render(m, colour: false)
        XCTAssertFalse(table.contains("\u{1B}["), "no colour codes unless asked")
        XCTAssert(MatrixTable.render(m, colour: true).contains("\u{1B}[32m"))
    }

    func testOutputsAreWrittenWhole() throws {
        let result = try mappingRun()
        let m = result.matrix(level: .role, view: .riskReturn, risk: .cvar)
        let dir = TemporaryDirectory()
        let record = RunRecord(command: "map", arguments: ["map", "x.yaml"], scenarioPath: "x.yaml", scenarioBytes: Data("abc".utf8), run: result.run,
                               details: .mapping(result, matrix: m))
        let files = try MappingOutput(result: result, matrix: m, record: record).write(to: dir.path("out"))
        XCTAssertEqual(files.map { URL(fileURLWithPath: $0).lastPathComponent }, MappingOutputs.fileNames)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("out/run.json")))) as! [String: Any]
        XCTAssertEqual(json["scenario_sha256"] as? String, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(json["draws"] as? Int, 2_000)
        XCTAssertThrowsError(try MappingOutput(result: result, matrix: m, record: record).write(to: "/proc/dxmap-cannot-write")) {
            XCTAssert($0 is OutputError)
        }
    }

    /// Sobol warnings name the parameters: an S1 above its ST beyond the interval of their difference, and intervals
    /// wider than 0.1; a clean result gives none.
    func testSobolWarningsNameTheParameters() {
        func e(_ v: Double, _ lo: Double, _ hi: Double) -> Estimate { Estimate(value: v, low: lo, high: hi) }
        let clean = SobolIndices.Result(firstOrder: [e(0.5, 0.47, 0.53), e(0.2, 0.18, 0.22)], total: [e(0.52, 0.5, 0.54), e(0.2, 0.19, 0.21)],
                                        firstMinusTotal: [e(-0.02, -0.04, 0), e(0, -0.01, 0.01)], secondOrder: [], completeRows: 1024, failedRows: 0)
        XCTAssertEqual(SensitivityStudy.sobolWarnings(clean, output: "total.npv", parameters: ["a", "b"], baseRows: 1024), [])
        var bad = clean
        bad.firstOrder[1] = e(0.3, 0.2, 0.4)
        bad.firstMinusTotal[1] = e(0.1, 0.02, 0.18)
        let warnings = SensitivityStudy.sobolWarnings(bad, output: "total.npv", parameters: ["a", "b"], baseRows: 64)
        XCTAssertEqual(warnings.count, 2, "\(warnings)")
        XCTAssert(warnings[0].hasPrefix("total.npv: S1 exceeds ST beyond the 95% interval of their difference for b (S1 0.30 > ST 0.20, difference [0.02, 0.18])"), warnings[0])
        XCTAssert(warnings[1].contains("wider than 0.1 for b (S1 ±0.10)") && warnings[1].contains("--base (now 64)"), warnings[1])
    }

    /// report.html stands alone: no external file or request, the chart inline, provenance with the scenario's
    /// SHA-256, each table's numbers sortable, a print stylesheet; and it carries the thresholds' meaning.
    func testReportIsSelfContainedAndComplete() throws {
        let result = try mappingRun()
        let m = result.matrix(level: .service, view: .riskReturn)
        let record = RunRecord(command: "map", arguments: ["map", "x.yaml"], scenarioPath: "x.yaml", scenarioBytes: Data("abc".utf8), run: result.run,
                               details: .mapping(result, matrix: m))
        let chart = MatrixChart.svg(m, title: "t", subtitle: "s")
        let html = MappingOutputs.report(result: result, matrix: m, run: record, chart: chart).html
        for tag in ["section", "table", "figure", "svg", "script", "style"] {
            XCTAssertEqual(html.components(separatedBy: "<\(tag)").count, html.components(separatedBy: "</\(tag)>").count, "<\(tag)> closed")
        }
        for forbidden in ["src=", "<link", "@import", "url(", "https://", "http://www.w3.org/1999"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssertEqual(html.components(separatedBy: "http://").count - 1, html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1,
                       "the only address is the SVG namespace")
        XCTAssert(html.contains("default-src 'none'"), "a Content-Security-Policy forbids requests")
        XCTAssert(html.contains(chart), "the chart inline")
        XCTAssert(html.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "the scenario's SHA-256")
        XCTAssert(html.contains("@media print"))
        XCTAssert(html.contains("break-even"), "what the return threshold means")
        XCTAssert(html.contains("How to read this"))
        // The distributions: the total NPV's histogram and S-curve, then one histogram per service.
        XCTAssert(html.contains("The total NPV across futures") && html.contains("share of futures at or below"), "the S-curve")
        XCTAssert(html.contains("Each service's NPV across futures"))
        for service in result.entities(at: .service) { XCTAssert(html.contains(SVGCanvas.escape(String(service.name.prefix(20)))), service.name) }
        // The scenario's services give output costs: the value of outputs' matrix follows the labour one.
        XCTAssert(html.contains("The value of outputs: the service matrix by output cost"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 4, "matrix, output matrix, total, services")
        XCTAssertEqual(html.components(separatedBy: "<tr>").count - 1 > m.points.count * 2, true, "the matrix and the figures")
        XCTAssertFalse(html.contains("NaN") || html.contains(">nan") || html.contains("inf<"))
    }

    /// A parameter with few values (pool-years: 1, 2 or 3) has its limit shown as the values the box keeps, not a
    /// midpoint no point has; the summary says how much of the bad futures the box holds and how much it leaves out.
    func testADiscreteParameterShowsTheValuesItsBoxKeeps() throws {
        let years = (0..<300).map { Double($0 % 3 + 1) }
        let speed = (0..<300).map { Double(($0 * 37) % 300) / 300 }
        let bad = zip(years, speed).map { $0 == 1 && $1 > 0.2 }
        let result = PRIM.run(columns: [.numeric(speed), .numeric(years)], interesting: bad)
        var d = ScenarioDiscovery(output: "o", side: .above(1), parameters: ["speed", "pool-years"], results: [result], leftOut: 0,
                                  pointsUsed: 300, points: Array(0..<300))
        d.distinctValues = [nil, [1, 2, 3]]
        let k = try XCTUnwrap(result.box.restricted.firstIndex(of: 1), "the box restricts pool-years")
        XCTAssertEqual(d.describe(result.box.restricted[k]), "1 (of 1, 2, 3)")
        let coverage = d.summaryLines.first { $0.hasPrefix("the box holds") }
        XCTAssertEqual(coverage, String(format: "the box holds %.0f%% of the bad futures (%.0f%% lie outside it); %.0f%% of the futures in it are bad",
                                        result.box.coverage * 100, (1 - result.box.coverage) * 100, result.box.density * 100))
        XCTAssertFalse(d.report(charts: ["<svg/>"], run: StudyRecord(command: "discover", arguments: [], inputs: [], wallTime: 0)).html.contains("avoids most"))
    }

        func testSortKeysReadFormattedNumbers() {
        let cases: [(String, Double?)] = [("9.79M", 9.79e6), ("80%", 0.8), ("410 (288–535)", 410), ("+4.65M [+4.61M, +4.69M]", 4.65e6),
                                          ("−2.1k", -2100), ("-86 [-87, -85]", -86), ("1.10bn", 1.1e9), ("4.41b", 4.41e9),
                                          ("6.5e-06", 6.5e-6), ("baseline", nil), ("–", nil), ("1,234", 1234), ("55%*", 0.55)]
        for (text, expected) in cases {
            let key = HTMLReport.sortKey(text)
            if let expected { XCTAssertEqual(key ?? .nan, expected, accuracy: abs(expected) * 1e-12, text) } else { XCTAssertNil(key, text) }
        }
    }

    /// run.json is flat where it can be and nests only objects (which pandas.json_normalize flattens into columns).
    func testRunRecordDescribesTheMatrixAndTheCurrency() throws {
        let result = try mappingRun()
        let m = result.matrix(level: .organisation, view: .riskReturn, risk: .loss)
        let record = RunRecord(command: "map", arguments: ["map", "x.yaml"], scenarioPath: "x.yaml", scenarioBytes: Data("abc".utf8), run: result.run,
                               details: .mapping(result, matrix: m))
        let json = try JSONSerialization.jsonObject(with: Data(JSONOutput.run(record).utf8)) as! [String: Any]
        XCTAssertEqual(json["currency"] as? String, "GBP")
        XCTAssertNotNil(json["date"] as? String)
        let matrix = json["matrix"] as! [String: Any]
        let y = matrix["y"] as! [String: Any]
        XCTAssertEqual(y["threshold"] as? Double, 0)
        XCTAssertEqual(y["threshold_basis"] as? String, "break-even")
        XCTAssertEqual((matrix["x"] as! [String: Any])["quantity"] as? String, "risk: P(NPV < 0)")
        XCTAssertEqual(matrix["borderline_below"] as? Double, 0.6)
        for (key, value) in json where !(value is String || value is NSNumber || value is [String: Any] || value is [String]) {
            XCTFail("\(key) is neither a scalar, a list of words nor an object")
        }
        // The header every run has, from the result's RunInfo, and the command line.
        XCTAssertEqual(json["scenario_name"] as? String, result.run.scenarioName)
        XCTAssertEqual(json["horizon"] as? Int, result.run.horizon)
        XCTAssertEqual(json["discount_rate"] as? Double, result.run.discountRate)
        XCTAssertEqual(json["draws"] as? Int, result.run.draws)
        XCTAssertEqual(json["threads"] as? Int, result.run.threadsUsed)
        XCTAssertEqual(json["sampler"] as? String, "inversion")
        XCTAssertEqual(json["draw_design"] as? String, "plain")
        XCTAssertNil(json["replicates"], "plain draws have no replicates")
        XCTAssertEqual(json["level"] as? String, "organisation")
        XCTAssertEqual(json["risk"] as? String, "loss")
        XCTAssertNil(json["policies"], "a mapping run records no policies")
        XCTAssertNotNil(json["arguments"] as? [String])
    }
}
