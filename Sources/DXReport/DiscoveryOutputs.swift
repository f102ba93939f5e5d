import DXAnalysis
import DXExperiments
import DXSampling
import DXScenario
import DXSupport
import Foundation

extension ScenarioDiscovery {
    /// `boxes.csv`: the peeling trajectory (`stage` `peel`, `box` 0 = every point), then the chosen box after
    /// pasting and cleaning (`stage` `pasted`, or `selected` for a box picked from the trajectory with `--box`, which is
    /// not pasted; `box` one past the last peel, `chosen` true where every other row has false), one row per
    /// restricted parameter
    /// of each box (a box with no restriction has one row with an empty parameter). `min`/`max` are a numeric
    /// restriction's limits, each midway between the last value inside and the first outside (the EMA
    /// Workbench's convention); a side the box does not restrict holds the data's own extreme. `quasi_p_min` /
    /// `quasi_p_max` are the quasi-p-values of the lower and upper limit (empty where that side is not
    /// restricted); for a categorical restriction `quasi_p_min` is that of the set of categories. `search` is 1 for
    /// the first box's search and 2… for the covering searches of `--boxes` (each on the points no earlier box
    /// holds; its `box` numbers restart at 0); `kind` is the parameter's (`lever` or `uncertainty`).
    public static let boxesHeader =
        "box,stage,chosen,coverage,density,mass,points,cases,parameter,min,max,categories,quasi_p_min,quasi_p_max,search,kind"

    public var boxesCSV: String {
        var lines = [Self.boxesHeader]
        func p(_ x: Double?) -> String { x.map(NumberFormatting.exact) ?? "" }
        for (search, r) in results.enumerated() {
            let final = isSelected(search) ? "selected" : "pasted"
            let boxes = r.trajectory.enumerated().map { ($0.offset, "peel", $0.element) } + [(r.trajectory.count, final, r.box)]
            for (index, stage, box) in boxes {
                let head =
                    ["\(index)", stage, stage == final ? "true" : "false"] + [box.coverage, box.density, box.mass].map(NumberFormatting.exact)
                    + ["\(box.points)", "\(box.cases)"]
                let tail = ["\(search + 1)"]
                if box.restricted.isEmpty { lines.append(CSVOutput.row(head + ["", "", "", "", "", ""] + tail + [""])) }
                for (k, d) in box.restricted.enumerated() {
                    let limit: [String]
                    switch box.limits[d] {
                    case let .range(lo, hi): limit = [NumberFormatting.exact(lo), NumberFormatting.exact(hi), ""]
                    case let .categories(set): limit = ["", "", set.sorted().joined(separator: ";")]
                    }
                    lines.append(CSVOutput.row(head + [parameters[d]] + limit + [p(box.quasiP[k].lower), p(box.quasiP[k].upper)] + tail
                                               + [kind(d).rawValue]))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether box `search` (0-based) was picked from its trajectory (`--box`) rather than chosen and pasted by PRIM.
    public func isSelected(_ search: Int) -> Bool { search < selected.count && selected[search] }

    /// Parameter d's kind (an uncertainty unless the sweep file marks it a lever).
    public func kind(_ d: Int) -> SweepParameter.Kind { d < kinds.count ? kinds[d] : .uncertainty }

    /// A restriction in words: `≥ 1.07`, `≤ 0.9`, `0.8 – 1.1` (only the sides the box restricts) or `{a, b}`; for a
    /// parameter with few values, the values kept: `1 (of 1, 2, 3)`.
    public func describe(_ d: Int, search: Int = 0) -> String {
        let box = results[search].box
        guard let k = box.restricted.firstIndex(of: d) else { return "any" }
        switch box.limits[d] {
        case let .range(lo, hi) where d < distinctValues.count && distinctValues[d] != nil:
            let all = distinctValues[d]!
            let kept = all.filter { $0 >= lo && $0 <= hi }
            func list(_ v: [Double]) -> String { v.map(NumberFormatting.message).joined(separator: ", ") }
            return "\(list(kept)) (of \(list(all)))"
        case let .range(lo, hi):
            let q = box.quasiP[k]
            switch (q.lower != nil, q.upper != nil) {
            case (true, false): return "≥ \(NumberFormatting.compact(lo))"
            case (false, true): return "≤ \(NumberFormatting.compact(hi))"
            default: return "\(NumberFormatting.compact(lo)) – \(NumberFormatting.compact(hi))"
            }
        case let .categories(set): return "{" + set.sorted().joined(separator: ", ") + "}"
        }
    }

    /// A restriction's quasi-p-values in words: one per restricted side.
    public func describeQuasiP(_ k: Int, search: Int = 0) -> String {
        let q = results[search].box.quasiP[k]
        return [q.lower, q.upper].compactMap { $0 }.map { String(format: "%.2g", $0) }.joined(separator: " / ")
    }
}

extension ScenarioDiscovery {
    /// Whether the sweep file marks any parameter a lever (the tables then say which limit is on one).
    var knowsLevers: Bool { kinds.contains(.lever) }

    /// Box `search`'s restrictions as a table: parameter, limits, quasi-p (and kind, when the sweep marks levers).
    public func limitsTable(search: Int = 0) -> TableData {
        let box = results[search].box
        return TableData(headers: ["parameter", "limits", "quasi-p"] + (knowsLevers ? ["kind"] : []),
                         rows: box.restricted.enumerated().map { k, d in
                             [parameters[d], describe(d, search: search), describeQuasiP(k, search: search)] + (knowsLevers ? [kind(d).rawValue] : [])
                         }, leftAligned: knowsLevers ? [0, 1, 3] : [0, 1])
    }

    /// Box `search`'s restricted levers and uncertainties in a sentence, or nil when the sweep marks no lever.
    public func leverSentence(search: Int = 0) -> String? {
        guard knowsLevers else { return nil }
        let restricted = results[search].box.restricted
        let levers = restricted.filter { kind($0) == .lever }.map { parameters[$0] }
        let uncertainties = restricted.filter { kind($0) == .uncertainty }.map { parameters[$0] }
        func list(_ v: [String]) -> String { v.joined(separator: ", ") }
        switch (levers.isEmpty, uncertainties.isEmpty) {
        case (true, true): return nil
        case (true, false):
            return "every limit is on an uncertainty (\(list(uncertainties))): the box says where the bad futures are; no lever in it avoids them"
        case (false, true):
            return "every limit is on a lever (\(list(levers))): staying out of the box is a choice"
        case (false, false):
            return "limits on levers (\(list(levers))) are choices; limits on uncertainties (\(list(uncertainties))) say where the bad " +
                "futures are, not how to avoid them"
        }
    }

    /// Terminal lines: each box found, its coverage, density and mass, each restriction with its quasi-p-values (and
    /// its kind), the trajectory it came from, and what the boxes leave.
    public var summaryLines: [String] {
        var lines = [String(format: "bad: %@ %@ in %d of %d points", output, side.description, result.totalCases, pointsUsed)]
        var covered = 0
        for (search, r) in results.enumerated() {
            let box = r.box
            covered += box.cases
            let name = isSelected(search) ? "box \(r.chosenIndex) of the trajectory" : "chosen box"
            if search == 0 {
                lines.append(String(format: "%@: coverage %.2f, density %.2f, mass %.2f (%d points, %d bad)",
                                    name, box.coverage, box.density, box.mass, box.points, box.cases))
                lines.append(String(format: "the box holds %.0f%% of the bad futures (%.0f%% lie outside it); %.0f%% of the futures in it are bad",
                                    box.coverage * 100, (1 - box.coverage) * 100, box.density * 100))
            } else {
                let pool = r.trajectory[0]
                lines += ["", String(format: "box %d, among the %d futures no earlier box holds (%d of them bad): %@: coverage %.2f, " +
                                        "density %.2f, mass %.2f (%d points, %d bad)", search + 1, pool.points, pool.cases,
                                     isSelected(search) ? "box \(r.chosenIndex) of its trajectory" : "chosen", box.coverage,
                                     box.density, box.mass, box.points, box.cases)]
                lines.append(String(format: "box %d holds %.0f%% of all the bad futures; the %d boxes together %.0f%% (%.0f%% lie outside every box)",
                                    search + 1, box.coverage * 100, search + 1, Double(covered) / Double(r.totalCases) * 100,
                                    (1 - Double(covered) / Double(r.totalCases)) * 100))
            }
            let table = limitsTable(search: search)
            lines += table.rows.isEmpty ? ["no restriction: the bad futures are not concentrated in any box"] : table.lines
            if search == 0, !table.rows.isEmpty {
                lines.append("""
                    quasi-p: the chance of at least this many bad futures in the box if that limit were dropped (small: the limit matters)
                    """)
            }
            if let levers = leverSentence(search: search) { lines.append(levers) }
            lines.append("""
                peeling trajectory: boxes 0–\(r.trajectory.count - 1) (boxes.csv, prim.svg); this box is \(isSelected(search) ? "" : "pasted from ")\
                box \(r.chosenIndex); --box N reports another
                """)
        }
        if let stopped = coveringStopped { lines.append("note: \(results.count) box\(results.count == 1 ? "" : "es") found, not more: \(stopped)") }
        if leftOut > 0 { lines.append("note: \(leftOut) points left out (failed or not run)") }
        return lines
    }
}

/// A scenario discovery's output set: `boxes.csv`, `prim.svg` (and `prim-2.svg`… for the covering boxes of
/// `--boxes`), `report.html` and `run.json`; on the terminal the boxes found (`ScenarioDiscovery/summaryLines`).
public struct DiscoveryOutput: OutputSet {
    public var discovery: ScenarioDiscovery
    /// The database the points came from, as the chart's subtitle names it.
    public var source: String
    public var record: StudyRecord

    public init(discovery: ScenarioDiscovery, source: String, record: StudyRecord) {
        (self.discovery, self.source, self.record) = (discovery, source, record)
    }

    /// Each box's chart: the first on every point, each further one on the points no earlier box holds.
    var charts: [String] {
        let d = discovery
        return d.results.indices.map { search in
            let points = d.results[search].trajectory[0].points
            return DiscoveryChart.svg(d, search: search,
                                      title: "Where \(d.output) goes bad (\(d.side.description))" + (search > 0 ? ": box \(search + 1)" : ""),
                                      subtitle: search == 0 ? """
                                          PRIM peeling trajectory on \(d.pointsUsed) points of \(source); each dot a box, the chosen one circled
                                          """ : """
                                          PRIM on the \(points) points no earlier box holds; coverage of all \(d.result.totalCases) bad futures
                                          """)
        }
    }

    public func files() throws -> [OutputFiles.File] {
        let d = discovery, charts = self.charts
        return [OutputFiles.File(name: "boxes.csv", text: d.boxesCSV)]
            + charts.enumerated().map { OutputFiles.File(name: $0 == 0 ? "prim.svg" : "prim-\($0 + 1).svg", text: $1) }
            + [OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
               OutputFiles.File(name: "report.html", text: d.report(charts: charts, run: record).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] { [TerminalText(TextTable.wrap(discovery.summaryLines, width: style.columns).joined(separator: "\n"))] }
}

extension ScenarioDiscovery {
    /// The discovery as a report: one section per box (its chart with how to read it, its limits, its trajectory),
    /// and the provenance.
    public func report(charts: [String], run: StudyRecord) -> HTMLReport {
        var sections: [HTMLReport.Section] = [], covered = 0
        for (search, r) in results.enumerated() {
            let box = r.box
            covered += box.cases
            let levers = leverSentence(search: search).map { "In this box, " + $0 + "." }
                ?? "Staying out of the box is a choice only along the limits on inputs someone decides (levers, such as a policy's " +
                    "settings); a limit on an uncertainty (how fast AI progresses, how many staff leave) says where the bad futures " +
                    "are, not how to avoid them. The sweep file marks no parameter kind: lever, so dxmap cannot tell them apart for you."
            let chosen = isSelected(search) ? "Box \(r.chosenIndex) of the trajectory was picked (--box) and is shown as it stands there."
                : "The circled box was chosen (the densest with enough coverage, box \(r.chosenIndex), then pasted)."
            let first = search == 0
                ? "PRIM looks for a box, a range for a few inputs, inside which the bad futures concentrate. Left: each dot is a " +
                    "box on the way from all futures (bottom right) to a small pure one; coverage is the share of all bad " +
                    "futures inside the box, density the share of the box's futures that are bad. " + chosen
                : "A further box, found as the EMA Workbench covers: PRIM again, on the \(r.trajectory[0].points) futures no earlier box " +
                    "holds (\(r.trajectory[0].cases) of them bad); coverage still counts all \(r.totalCases) bad futures. " + chosen
            let trajectory = TableData(
                headers: ["box", "coverage", "density", "mass", "points", "restricted"],
                rows: r.trajectory.enumerated().map { i, b in
                    ["\(i)" + (i == r.chosenIndex ? " ←" : ""), String(format: "%.2f", b.coverage), String(format: "%.2f", b.density),
                     String(format: "%.2f", b.mass), "\(b.points)", b.restricted.map { parameters[$0] }.joined(separator: ", ")]
                }, leftAligned: [0, 5])
            sections.append(HTMLReport.Section(
                title: search == 0 ? "In which futures does \(output) go bad (\(side.description))?"
                    : "Box \(search + 1): the bad futures the earlier boxes leave",
                howToRead: [
                    first,
                    String(format: "This box holds %d of the %d bad futures (coverage %.2f) and %d futures in all, %d of them bad " +
                        "(density %.2f). Right: each limit it sets, drawn within that input's whole range.",
                           box.cases, r.totalCases, box.coverage, box.points, box.cases, box.density),
                    "quasi-p is the chance of seeing at least this many bad futures in the box if that limit were dropped: small " +
                        "means the limit matters; near 1 means it could go.",
                    String(format: "Read the box for what it is: %.0f%% of the bad futures lie inside it, and %.0f%% of the futures " +
                        "inside it are bad; %.0f%% of the bad futures lie outside %@. ",
                           box.coverage * 100, box.density * 100, (1 - Double(covered) / Double(r.totalCases)) * 100,
                           search == 0 ? "it" : "every box so far") + levers,
                ],
                chart: charts[search],
                tables: (box.restricted.isEmpty ? [] : [(search == 0 ? "The chosen box" : "Box \(search + 1)", limitsTable(search: search))])
                    + [("The peeling trajectory (--box N reports box N)", trajectory)],
                notes: search == 0 ? summaryLines.filter { $0.hasPrefix("note:") || $0.hasPrefix("no restriction") } : []))
        }
        return HTMLReport(title: "Where \(output) goes bad (\(side.description))",
                          subtitle: "Scenario discovery with PRIM on \(pointsUsed) points", provenance: HTMLReport.provenance(run),
                          sections: sections)
    }
}
