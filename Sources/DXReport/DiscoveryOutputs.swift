import DXAnalysis
import DXExperiments
import DXSampling
import DXSupport
import Foundation

extension ScenarioDiscovery {
    /// `boxes.csv`: the peeling trajectory (`stage` `peel`, `box` 0 = every point), then the chosen box after
    /// pasting and cleaning (`stage` `pasted`, `box` one past the last peel, `chosen` true where every other row has
    /// false), one row per restricted parameter
    /// of each box (a box with no restriction has one row with an empty parameter). `min`/`max` are a numeric
    /// restriction's limits, each midway between the last value inside and the first outside (the EMA
    /// Workbench's convention); a side the box does not restrict holds the data's own extreme. `quasi_p_min` /
    /// `quasi_p_max` are the quasi-p-values of the lower and upper limit (empty where that side is not
    /// restricted); for a categorical restriction `quasi_p_min` is that of the set of categories.
    public static let boxesHeader = "box,stage,chosen,coverage,density,mass,points,cases,parameter,min,max,categories,quasi_p_min,quasi_p_max"

    public var boxesCSV: String {
        var lines = [Self.boxesHeader]
        let boxes =
            result.trajectory.enumerated().map { ($0.offset, "peel", $0.element) } + [(result.trajectory.count, "pasted", result.box)]
        func p(_ x: Double?) -> String { x.map(NumberFormatting.exact) ?? "" }
        for (index, stage, box) in boxes {
            let head =
                ["\(index)", stage, stage == "pasted" ? "true" : "false"] + [box.coverage, box.density, box.mass].map(NumberFormatting.exact) + ["\(box.points)", "\(box.cases)"]
            if box.restricted.isEmpty { lines.append(CSVOutput.row(head + ["", "", "", "", "", ""])) }
            for (k, d) in box.restricted.enumerated() {
                let limit: [String]
                switch box.limits[d] {
                case let .range(lo, hi): limit = [NumberFormatting.exact(lo), NumberFormatting.exact(hi), ""]
                case let .categories(set): limit = ["", "", set.sorted().joined(separator: ";")]
                }
                lines.append(CSVOutput.row(head + [parameters[d]] + limit + [p(box.quasiP[k].lower), p(box.quasiP[k].upper)]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A restriction in words: `≥ 1.07`, `≤ 0.9`, `0.8 – 1.1` (only the sides the box restricts) or `{a, b}`; for a
    /// parameter with few values, the values kept: `1 (of 1, 2, 3)`.
    public func describe(_ d: Int) -> String {
        guard let k = result.box.restricted.firstIndex(of: d) else { return "any" }
        switch result.box.limits[d] {
        case let .range(lo, hi) where d < distinctValues.count && distinctValues[d] != nil:
            let all = distinctValues[d]!
            let kept = all.filter { $0 >= lo && $0 <= hi }
            func list(_ v: [Double]) -> String { v.map(NumberFormatting.message).joined(separator: ", ") }
            return "\(list(kept)) (of \(list(all)))"
        case let .range(lo, hi):
            let q = result.box.quasiP[k]
            switch (q.lower != nil, q.upper != nil) {
            case (true, false): return "≥ \(NumberFormatting.compact(lo))"
            case (false, true): return "≤ \(NumberFormatting.compact(hi))"
            default: return "\(NumberFormatting.compact(lo)) – \(NumberFormatting.compact(hi))"
            }
        case let .categories(set): return "{" + set.sorted().joined(separator: ", ") + "}"
        }
    }

    /// A restriction's quasi-p-values in words: one per restricted side.
    public func describeQuasiP(_ k: Int) -> String {
        let q = result.box.quasiP[k]
        return [q.lower, q.upper].compactMap { $0 }.map { String(format: "%.2g", $0) }.joined(separator: " / ")
    }
}

extension ScenarioDiscovery {
    /// Terminal lines: the chosen box, its coverage, density and mass, and each restriction with its quasi-p-values.
    public var summaryLines: [String] {
        let box = result.box
        var lines = [String(format: "bad: %@ %@ in %d of %d points", output, side.description, result.totalCases, pointsUsed),
                     String(format: "chosen box: coverage %.2f, density %.2f, mass %.2f (%d points, %d bad)",
                            box.coverage, box.density, box.mass, box.points, box.cases)]
        lines.append(String(format: "the box holds %.0f%% of the bad futures (%.0f%% lie outside it); %.0f%% of the futures in it are bad",
                            box.coverage * 100, (1 - box.coverage) * 100, box.density * 100))
        let rows = box.restricted.enumerated().map { k, d in [parameters[d], describe(d), describeQuasiP(k)] }
        lines += rows.isEmpty ? ["no restriction: the bad futures are not concentrated in any box"]
            : TextTable.lines(headers: ["parameter", "limits", "quasi-p"], rows: rows, leftAligned: [0, 1])
        if !rows.isEmpty {
            lines.append("""
                quasi-p: the chance of at least this many bad futures in the box if that limit were dropped (small: the limit matters)
                """)
        }
        if leftOut > 0 { lines.append("note: \(leftOut) points left out (failed or not run)") }
        return lines
    }
}

/// A scenario discovery's output set: `boxes.csv`, `prim.svg`, `report.html` and `run.json`; on the terminal the
/// chosen box (`ScenarioDiscovery/summaryLines`).
public struct DiscoveryOutput: OutputSet {
    public var discovery: ScenarioDiscovery
    /// The database the points came from, as the chart's subtitle names it.
    public var source: String
    public var record: StudyRecord

    public init(discovery: ScenarioDiscovery, source: String, record: StudyRecord) {
        (self.discovery, self.source, self.record) = (discovery, source, record)
    }

    public func files() throws -> [OutputFiles.File] {
        let d = discovery
        let chart = DiscoveryChart.svg(d, title: "Where \(d.output) goes bad (\(d.side.description))", subtitle: """
            PRIM peeling trajectory on \(d.pointsUsed) points of \(source); each dot a box, the chosen one circled
            """)
        return [OutputFiles.File(name: "boxes.csv", text: d.boxesCSV), OutputFiles.File(name: "prim.svg", text: chart),
                OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
                OutputFiles.File(name: "report.html", text: d.report(chart: chart, run: record).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] { [TerminalText(TextTable.wrap(discovery.summaryLines, width: style.columns).joined(separator: "\n"))] }
}

extension ScenarioDiscovery {
    /// The discovery as a report: the chart with how to read it, the chosen box's limits, and the provenance.
    public func report(chart: String, run: StudyRecord) -> HTMLReport {
        let box = result.box
        let limits = TableData(headers: ["parameter", "limits", "quasi-p"],
                               rows: box.restricted.enumerated().map { k, d in [parameters[d], describe(d), describeQuasiP(k)] })
        let section = HTMLReport.Section(
            title: "In which futures does \(output) go bad (\(side.description))?",
            howToRead: [
                "PRIM looks for a box, a range for a few inputs, inside which the bad futures concentrate. Left: each dot is a " +
                    "box on the way from all futures (bottom right) to a small pure one; coverage is the share of all bad " +
                    "futures inside the box, density the share of the box's futures that are bad. The circled box was chosen.",
                String(format: "The chosen box holds %d of the %d bad futures (coverage %.2f) and %d futures in all, %d of them bad " +
                    "(density %.2f). Right: each limit it sets, drawn within that input's whole range.",
                       box.cases, result.totalCases, box.coverage, box.points, box.cases, box.density),
                "quasi-p is the chance of seeing at least this many bad futures in the box if that limit were dropped: small " +
                    "means the limit matters; near 1 means it could go.",
                String(format: "Read the box for what it is: %.0f%% of the bad futures lie inside it, and %.0f%% of the futures " +
                    "inside it are bad; the other %.0f%% of the bad futures lie outside it. Staying out of the box is a choice " +
                    "only along the limits on inputs someone decides (levers, such as a policy's settings); a limit on an " +
                    "uncertainty (how fast AI progresses, how many staff leave) says where the bad futures are, not how to " +
                    "avoid them. The sweep file does not say which inputs are levers, so dxmap cannot tell them apart for you.",
                       box.coverage * 100, box.density * 100, (1 - box.coverage) * 100),
            ],
            chart: chart, tables: box.restricted.isEmpty ? [] : [("The chosen box", limits)],
            notes: summaryLines.filter { $0.hasPrefix("note:") || $0.hasPrefix("no restriction") })
        return HTMLReport(title: "Where \(output) goes bad (\(side.description))",
                          subtitle: "Scenario discovery with PRIM on \(pointsUsed) points", provenance: HTMLReport.provenance(run),
                          sections: [section])
    }
}
