@testable import DXExperiments
import DXAnalysis
import DXEngine
import DXMap
import DXSampling
import DXScenario
@testable import DXReport
import DXTestSupport
import Foundation
import XCTest

/// Every chart's structure, parsed as XML: its title and axis titles are there, every entity it shows has a
/// label, and no attribute holds NaN, infinity or a coordinate off the canvas.
final class ChartTests: XCTestCase {
    /// Checks `svg`'s structure; `labels` are the entities that must each be named by some text (a long name may
    /// be shortened, so its first 12 characters are looked for).
    func assertChart(_ svg: String, title: String, axes: [String], labels: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let doc = try SVGDocument(svg)
        let heading = doc.all("text").first
        XCTAssertEqual(heading?.attributes["font-size"], "18", "the first text is the title", file: file, line: line)
        XCTAssert(heading?.text.hasPrefix(String(title.prefix(40))) == true, "title \(heading?.text ?? "none")", file: file, line: line)
        for axis in axes { XCTAssert(doc.hasText(axis), "axis title '\(axis)' missing", file: file, line: line) }
        for label in labels { XCTAssert(doc.hasText(String(label.prefix(12))), "no label for '\(label)'", file: file, line: line) }
        let numeric = ["x", "y", "cx", "cy", "r", "width", "height", "x1", "x2", "y1", "y2", "stroke-width", "fill-opacity"]
        for element in doc.elements.dropFirst() {
            for (name, value) in element.attributes where numeric.contains(name) && !value.hasSuffix("%") {
                XCTAssert(Double(value)?.isFinite == true, "<\(element.name) \(name)=\"\(value)\">", file: file, line: line)
            }
            for point in (element.attributes["points"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }) {
                XCTAssert(Double(point)?.isFinite == true, "<\(element.name) points> holds \(point)", file: file, line: line)
            }
        }
        XCTAssertEqual(doc.outsideCanvas().map(\.name), [], "elements off the canvas", file: file, line: line)
    }

    func scenario(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/\(name)").path)
    }

    func testMatrixChartNamesEveryEntityEvenWhereLabelsCollide() throws {
        let result = try MappingEngine.run(try scenario("italian-pa.yaml"), options: MappingOptions(draws: 2_000, threads: 2))
        for view in MatrixView.allCases {
            let m = result.matrix(level: .service, view: view)
            let svg = MatrixChart.svg(m, title: result.run.scenarioName, subtitle: "test")
            try assertChart(svg, title: result.run.scenarioName, axes: [m.xLabel, m.yLabel], labels: m.points.map(\.entity.name))
            // The services crowded near the origin get numbers and a key rather than no name at all.
            let doc = try SVGDocument(svg)
            XCTAssert(doc.hasText("Numbered: 1 "), "a key for the numbered bubbles")
            XCTAssertEqual(doc.all("circle").filter { $0.attributes["r"] != "6" }.count, m.points.count, "one bubble per service")
        }
    }

    /// Names given through the Swift API (the files refuse them) with NUL, ESC and other control characters: every
    /// chart and report stays well-formed XML, the characters shown as `\x1B`, and the terminal table obeys none.
    func testControlCharactersInNamesNeverBreakTheChartsOrDriveTheTerminal() throws {
        var s = try scenario("catalyst.yaml")
        let hostile = "Bad\u{0}\u{1B}]0;owned\u{7}\u{1B}[2J\u{8}\u{9B}\u{FFFF}name"
        for i in s.services.indices { s.services[i].name = hostile + " \(i)" }
        s.name = hostile
        let result = try MappingEngine.run(s, options: MappingOptions(draws: 300, threads: 2))
        let m = result.matrix(level: .service, view: .probability)
        let adoption = try AdoptionEngine.run(s, options: AdoptionOptions(draws: 300, threads: 2))
        for svg in [MatrixChart.svg(m, title: result.run.scenarioName, subtitle: hostile), AdoptionChart.svg(adoption)] {
            let doc = try SVGDocument(svg)
            XCTAssert(doc.hasText("Bad\\x00\\x1B]0;owned\\x07"), "the characters are shown, escaped")
            XCTAssertNil(ControlCharacters.first(in: svg, allowingLines: true), "no control character reaches the file")
        }
        let table = MatrixTable.render(m, colour: false, wide: true)
        XCTAssertNil(ControlCharacters.first(in: table, allowingLines: true), table)
        XCTAssert(table.contains("Bad\\x00\\x1B]0;owned\\x07\\x1B[2J\\x08\\u009B\\uFFFFname 0"), table)
    }

    func testRedeploymentChartNamesEveryPolicy() throws {
        let r = try RedeploymentEngine.run(try scenario("county-councils-workforce.yaml"), options: RedeploymentOptions(draws: 300, threads: 2))
        try assertChart(RedeploymentChart.svg(r), title: r.run.scenarioName, axes: ["year", "Cumulative redundancies"],
                        labels: r.policies.map(\.name) + RedeploymentChart.categories.map(\.1))
    }

    func testAdoptionChartNamesEveryServiceItDraws() throws {
        let r = try AdoptionEngine.run(try scenario("catalyst.yaml"), options: AdoptionOptions(draws: 300, threads: 2))
        let svg = AdoptionChart.svg(r)
        let panels = try SVGDocument(svg).all("text").filter { $0.attributes["font-size"] == "12" && $0.attributes["font-weight"] == "bold" }
        XCTAssertGreaterThan(panels.count, 0, "the catalyst scenario's barriers touch services")
        try assertChart(svg, title: r.run.scenarioName, axes: ["(baseline)", "(highest net value)"],
                        labels: [r.programmes[0].name, r.bestProgramme.name] + panels.map(\.text))
    }

    /// A report of each method with two outputs, one estimate NaN (a failed point's trace): drawn without NaN,
    /// every parameter named in every panel.
    func testSensitivityChartsNameEveryParameterAndDrawNoNaN() throws {
        let parameters = ["central-automation", "a-parameter-with-a-very-long-name-indeed", "salaries"]
        func e(_ v: Double) -> Estimate { Estimate(value: v, low: v - 0.05, high: v + 0.05) }
        for method in SensitivityMethod.Kind.allCases {
            var report = SensitivityResult(method: method, parameters: parameters, draws: 100, points: 20, failures: [3: "invalid"])
            for output in ["total.npv", "total.displaced_fte"] {
                report.pointValues.append((output, [1, 2], [0.1, 0.1]))
                // The third parameter's first index is NaN.
                let values = parameters.indices.map { e(0.2 * Double($0 + 1)) }, first = values.enumerated().map { $0.offset == 2 ? e(.nan) : $0.element }
                let indices: MethodIndices = switch method {
                case .sobol: .sobol(first: first, total: values, second: [])
                case .morris: .morris(mu: first.map(\.value), muStar: values, sigma: values.map(\.value))
                case .tornado: .tornado(base: 1.5, low: first, high: values)
                }
                report.indices.append((output, indices))
            }
            let svg = SensitivityChart.svg(report, title: "Study: \(method.rawValue) sensitivity")
            let axes = switch method {
            case .sobol: ["share of the output's variance", "S1 first order", "ST total"]
            case .morris: ["μ* (mean absolute elementary effect", "σ"]
            case .tornado: ["parameter at 5%", "parameter at 95%"]
            }
            try assertChart(svg, title: "Study: \(method.rawValue) sensitivity", axes: axes + report.outputs, labels: parameters)
            let perParameter = try SVGDocument(svg).texts.filter { $0.hasPrefix("a-parameter-w") }.count
            XCTAssertEqual(perParameter, 2, "\(method): each parameter named once per output panel")
        }
    }

    func testDiscoveryChartDrawsTheBoxAgainstEachRestrictedParameter() throws {
        // 200 points on a grid of two numeric parameters and a categorical one; bad where speed > 0.7 and size < 0.5.
        let n = 200
        let speed = (0..<n).map { Double($0 % 20) / 19 }, size = (0..<n).map { Double($0 / 20) / 9 }
        let kind = (0..<n).map { ["a", "b", "c"][$0 % 3] }
        let bad = (0..<n).map { speed[$0] > 0.7 && size[$0] < 0.5 }
        let result = PRIM.run(columns: [.numeric(speed), .numeric(size), .categorical(kind)], interesting: bad)
        let found = ScenarioDiscovery(output: "total.npv", side: .below(0), parameters: ["speed", "size", "kind"], results: [result],
                                      leftOut: 0, pointsUsed: n, points: Array(0..<n))
        XCTAssertFalse(result.box.restricted.isEmpty, "the box restricts what makes a point bad")
        let svg = DiscoveryChart.svg(found, title: "Where total.npv goes bad (< 0)", subtitle: "test")
        try assertChart(svg, title: "Where total.npv goes bad", axes: ["coverage (share of all bad futures", "density (share of the box"],
                        labels: result.box.restricted.map { found.parameters[$0] } + ["qp (quasi-p)"])
    }

    /// Crowded points: every label the placer gives is inside its bounds and overlaps no other and nothing blocked.
    func testLabelPlacerNeverOverlaps() {
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            var placer = LabelPlacer(bounds: PixelBox(x0: 0, y0: 0, x1: 600, y1: 400), fontSize: 11)
            let blocked = PixelBox(x0: 250, y0: 150, x1: 350, y1: 250)
            placer.block(blocked)
            var boxes: [PixelBox] = []
            // Half the points in one small cluster, as a matrix's small services are.
            for i in 0..<40 {
                let spread = i % 2 == 0 ? 40.0 : 580.0
                let (x, y) = (10 + Double.random(in: 0..<spread, using: &generator), 10 + Double.random(in: 0..<spread * 0.6, using: &generator))
                if let p = placer.place("entity number \(i) of trial \(trial)", near: x, y, clearance: 6) { boxes.append(p.box) }
            }
            XCTAssertGreaterThan(boxes.count, 10)
            for (i, a) in boxes.enumerated() {
                XCTAssert(placer.bounds.contains(a))
                XCTAssertFalse(a.overlaps(blocked))
                for b in boxes[(i + 1)...] { XCTAssertFalse(a.overlaps(b), "\(a) and \(b)") }
            }
        }
    }

    /// The favourable quadrant is top-right in every view: in the risk–return view the safer of two services is
    /// drawn further right, in the probability and output views the more automatable, and "automate first" is named
    /// at the right.
    func testFavourableQuadrantIsTopRightInEveryView() throws {
        let result = try MappingEngine.run(try scenario("county-councils.yaml"), options: MappingOptions(draws: 1_000, threads: 2))
        for view in MatrixView.allCases {
            let m = result.matrix(level: .service, view: view)
            XCTAssertGreaterThan(m.points.count, 1, "\(view)")
            let (x, _) = MatrixChart.axes(m)
            let sorted = m.points.sorted { $0.x < $1.x }
            let (low, high) = (x.pixel(sorted.first!.x), x.pixel(sorted.last!.x))
            let rightward = view != .riskReturn
            XCTAssert(rightward ? low < high : low > high, "\(view): larger x drawn \(rightward ? "left" : "right")")
            let doc = try SVGDocument(MatrixChart.svg(m, title: "t", subtitle: "s"))
            let name = doc.all("text").first { $0.text == "automate first" }
            XCTAssertEqual(name?.attributes["text-anchor"], "end", "automate first at the right edge")
        }
    }

    /// Counts of people get whole-number ticks, even when they are small.
    func testPeopleScaleTicksAreWholeNumbers() {
        for largest in [0.0, 0.4, 1.7, 3, 7.2, 19, 85, 441, 1234] {
            let scale = PeopleScale(largest)
            XCTAssertGreaterThanOrEqual(scale.top, largest)
            XCTAssert(scale.ticks.allSatisfy { $0 == $0.rounded() }, "\(largest): \(scale.ticks)")
            XCTAssertEqual(Set(scale.ticks).count, scale.ticks.count, "\(largest): distinct ticks")
            XCTAssert((2...7).contains(scale.ticks.count), "\(largest): \(scale.ticks)")
        }
    }
}
