import DXAnalysis
import DXEngine
import DXExperiments
import DXSampling
import DXSupport
import Foundation

/// What `dxmap voi` writes and prints: every value of information as a tidy CSV, terminal tables, a chart and a
/// report.
public enum VOIOutputs {
    public static let header = "section,decision,input,kind,cases,value,se,per_year,cost,net,currency"

    /// `voi.csv`: one row per decision's EVPI (`evpi`), per decision and input's EVPPI (`evppi`), and per pilot
    /// size's EVSI (`evsi`, with its cost and net value); money in the scenario's currency, present values over the
    /// horizon (undiscounted money for a policy decision), `per_year` the same spread evenly over the horizon's
    /// discounted years (its years, for undiscounted money).
    public static func csv(_ r: VOIResult) -> String {
        var lines = [header]
        func money(_ x: Double) -> String { NumberFormatting.exact(x) }
        // An unavailable standard error is an empty cell (NA to pandas and R), never 0.
        func se(_ e: ValueOfInformation.MeanEstimate) -> String { e.standardError.map(money) ?? "" }
        for d in r.decisions {
            lines.append(CSVOutput.row(["evpi", d.name, "", "", "", money(d.evpi.value), se(d.evpi),
                                        money(d.evpi.value / r.annuity), "", "", r.run.currency]))
        }
        for input in r.inputs {
            for (d, e) in zip(r.decisions, input.evppi) {
                lines.append(CSVOutput.row(["evppi", d.name, input.name, input.kind, "", money(e.value), se(e),
                                            money(e.value / r.annuity), "", "", r.run.currency]))
            }
        }
        for p in r.pilots {
            lines.append(CSVOutput.row(["evsi", r.decisions[r.headline].name, "\(p.task):\(p.input)", "pilot \(p.pilot)", "\(p.cases)",
                                        money(p.evsi.value), se(p.evsi), money(p.evsi.value / r.annuity),
                                        money(p.cost), money(p.net), r.run.currency]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "12.3k ± 1.1k" (the 95% half-width), or "12.3k ± —" where the standard error is unavailable.
    static func estimate(_ e: ValueOfInformation.MeanEstimate) -> String {
        "\(NumberFormatting.compact(e.value)) ± \(e.halfWidth95.map(NumberFormatting.compact) ?? "—")"
    }

    /// Why an estimate has no standard error: "the standard error needs 400 draws"; nil when it has one.
    static func errorNote(_ e: ValueOfInformation.MeanEstimate) -> String? {
        e.errorNeedsDraws.map { "the standard error needs \(NumberFormatting.grouped($0)) draws" }
    }

    /// The note under a table whose estimates lack standard errors: how many draws they need (nil when none lacks).
    static func missingErrors(_ estimates: [ValueOfInformation.MeanEstimate]) -> String? {
        guard let most = estimates.compactMap(\.errorNeedsDraws).max() else { return nil }
        return """
            — : too few draws for a standard error (each of the \(ValueOfInformation.batches) batches refits the model); \
            run at least \(NumberFormatting.grouped(most)) draws
            """
    }

    /// "present values over 5 years" or, for a policy decision's money, "undiscounted, over 5 years".
    static func moneyBasis(_ r: VOIResult) -> String {
        r.isDiscounted ? "present values over \(r.run.horizon) years" : "undiscounted, over \(r.run.horizon) years"
    }

    /// `decisions.csv`'s header: per decision, the option best on average against the next best, on the same draws.
    public static let choicesHeader = (["decision", "best", "next_best"] + Comparison.csvColumns).joined(separator: ",")

    /// `decisions.csv`: per decision with two options or more, the best on average against the next best, draw by
    /// draw (``Comparison/csvColumns``): how often deciding on expected values picks the better of the two.
    public static func choicesCSV(_ r: VOIResult) -> String {
        let lines = r.decisions.compactMap { d -> String? in
            guard let next = d.nextBest, let v = d.versusNextBest else { return nil }
            return CSVOutput.row([d.name, d.best, next] + Comparison.csvValues(v))
        }
        return ([choicesHeader] + lines).joined(separator: "\n") + "\n"
    }

    /// Per decision, the best option on average against the next best across futures.
    public static func choices(_ r: VOIResult, wide: Bool = true) -> [Comparison] {
        order(r).map { r.decisions[$0] }.compactMap { d in
            guard let next = d.nextBest, let v = d.versusNextBest else { return nil }
            return Comparison(option: wide ? d.name : shortened(d.name, to: 34), outcome: "\(d.best) vs \(next)", difference: v, isMoney: true)
        }
    }

    /// The decisions' indices by EVPI, largest first (the portfolio, when there is one, first of all).
    static func order(_ r: VOIResult) -> [Int] {
        [r.headline] + r.decisions.indices.filter { $0 != r.headline }.sorted { r.decisions[$0].evpi.value > r.decisions[$1].evpi.value }
    }

    /// Decisions by EVPI, largest first (the portfolio, when there is one, first of all).
    public static func decisionsTable(_ r: VOIResult, wide: Bool = false) -> TableData {
        TableData(
            headers: ["decision", "best on average", "E[value]", "EVPI ± 95%", "EVPI per year"],
            rows: order(r).map { i in
                let d = r.decisions[i]
                return [wide ? d.name : shortened(d.name, to: 34), wide ? d.best : shortened(d.best, to: 20),
                        NumberFormatting.compact(d.expected.max() ?? 0), estimate(d.evpi), NumberFormatting.compact(d.evpi.value / r.annuity)]
            })
    }

    /// The inputs worth most to the headline decision: EVPPI with its 95% interval and its share of the EVPI.
    public static func inputsTable(_ r: VOIResult, count: Int? = 12, wide: Bool = false) -> TableData {
        let evpi = r.decisions[r.headline].evpi.value
        let ranked = count.map { Array(r.ranked.prefix($0)) } ?? r.ranked
        return TableData(
            headers: ["input", "kind", "EVPPI ± 95%", "of EVPI"],
            rows: ranked.map { i in
                let e = i.evppi[r.headline]
                return [wide ? i.name : shortened(i.name, to: 48), i.kind, estimate(e), evpi > 0 ? NumberFormatting.percent(e.value / evpi) : "–"]
            })
    }

    /// Each pilot size: its EVSI, cost and expected net benefit; the best size marked when it is better beyond its
    /// standard error, else the smallest of the sizes that cannot be told from it ("any size from N").
    public static func pilotsTable(_ r: VOIResult) -> TableData {
        TableData(
            headers: ["pilot", "cases", "EVSI ± 95%", "cost", "net (EVSI − cost)", "best"],
            rows: r.pilots.map { p in
                let good = r.sizesAsGoodAsBest(p.pilot)
                let mark = good.count == 1 && good[0].cases == p.cases ? "← best size"
                    : good.first?.cases == p.cases ? "← any size from \(p.cases)"
                    : good.contains { $0.cases == p.cases } ? "as good" : ""
                return [p.pilot, "\(p.cases)", estimate(p.evsi), NumberFormatting.compact(p.cost), NumberFormatting.compact(p.net), mark]
            },
            leftAligned: [0, 5])
    }

    /// The terminal tables, within `width` columns (nil: any width).
    public static func table(_ r: VOIResult, wide: Bool = false, width: Int? = TerminalStyle.defaultColumns) -> [String] {
        let currency = r.run.currency.isEmpty ? "" : " (\(r.run.currency), \(moneyBasis(r)))"
        let width = wide ? nil : width
        var lines = ["Expected value of perfect information, per decision\(currency):"] + decisionsTable(r, wide: wide).lines(width: width)
        let choices = choices(r, wide: wide)
        if !choices.isEmpty {
            lines += ["", "The option best on average against the next best, on the same draws:"]
                + Comparison.table(choices, optionHeader: "decision", outcomeHeader: "best vs next").lines(width: width)
        }
        let worth = r.inputs.filter { $0.evppi[r.headline].value > 0 }.count
        if worth == 0 {
            lines += ["", "No input alone could change the \(r.decisions[r.headline].name)'s decision (EVPPI 0 for all \(r.inputs.count))."]
        } else {
            lines += ["", "Inputs worth most to know (EVPPI for the \(r.decisions[r.headline].name), top \(min(12, worth)) of \(r.inputs.count)):"]
                + inputsTable(r, count: min(12, worth), wide: wide).lines(width: width)
        }
        if worth > 0, worth < r.inputs.count {
            lines.append("\(r.inputs.count - worth) inputs are worth 0: knowing them could not change the decision (all in voi.csv)")
        }
        if !r.pilots.isEmpty {
            lines += ["", "Proposed pilots (EVSI for the \(r.decisions[r.headline].name)):"] + pilotsTable(r).lines(width: width)
            for id in Set(r.pilots.map(\.pilot)).sorted() {
                let good = r.sizesAsGoodAsBest(id)
                if good.isEmpty { lines.append("\(id): no size's expected value exceeds its cost") }
                if good.count > 1 {
                    let sizes = good.map { "\($0.cases)" }
                    lines.append("\(id): \(sizes.dropLast().joined(separator: ", ")) and \(sizes.last!) cases are as good within "
                                 + "1.96 standard errors; \(sizes[0]) costs least")
                }
            }
        }
        if let note = missingErrors(r.inputs.map { $0.evppi[r.headline] } + r.pilots.map(\.evsi)) { lines += ["", note] }
        return TextTable.wrap(lines, width: width)
    }

    /// `draws.csv`, streamed draw by draw: one row per draw; one column per recorded input and raw output, named as
    /// `DrawTable/Column/name` (`service/task:automation`, `npv:service:ID`, `programme:ID`,
    /// `policy:ID:net_saving`), then the option values the decision derives from several outputs (`policy:ID`), for
    /// another tool to estimate from the same draws.
    public static func drawsCSV(_ record: DrawTable, derived: [(name: String, values: [Double])] = []) -> OutputFiles.File {
        OutputFiles.File(name: "draws.csv") { sink in
            try sink.write(CSVOutput.row(record.columns.map(\.name) + derived.map(\.name)) + "\n")
            let width = record.columns.count
            for i in 0..<record.draws {
                let cells = (0..<width).map { NumberFormatting.exact(record[draw: i, column: $0]) } + derived.map { NumberFormatting.exact($0.values[i]) }
                try sink.write(cells.joined(separator: ",") + "\n")
            }
        }
    }

    /// The study as a report: the chart with how to read it, and the three tables whole.
    public static func report(_ r: VOIResult, run: RunRecord, chart: String) -> HTMLReport {
        let currency = r.run.currency.isEmpty ? "currency units" : r.run.currency
        let head = r.decisions[r.headline]
        var read = [
            "The expected value of perfect information (EVPI) is what deciding with every uncertainty resolved would add, " +
                "on average, to deciding now on expected values: \(NumberFormatting.compact(head.evpi.value)) \(currency) for the " +
                "\(head.name) (\(r.decisionKind)). It is an upper bound on what any pilot, study or data collection can be worth.",
            "Top: the expected value of partial perfect information (EVPPI) of each input, what knowing that input alone " +
                "exactly would be worth, with a 95% interval; the dashed line is the EVPI. An input worth little cannot change " +
                "the decision however uncertain it is; one worth much is where a pilot pays. Inputs of one role's tasks are " +
                "also valued together (role automation).",
        ]
        if !r.pilots.isEmpty {
            read.append("Below: for each proposed pilot, the expected value of its results (EVSI) as its size grows, with a 95% band, " +
                        "rising towards the EVPPI of what it observes (dotted); the dashed line is its cost. The best size has the " +
                        "largest expected net benefit, EVSI minus cost.")
        }
        var tables = [("Decisions (\(currency), \(moneyBasis(r)))", decisionsTable(r, wide: true)),
                      ("Every input (EVPPI for the \(head.name))", inputsTable(r, count: nil, wide: true))]
        let choices = choices(r)
        if !choices.isEmpty {
            read.append("The choice on expected values against the next-best option, draw by draw: \"better in\" is the share of " +
                        "futures in which the option best on average really is the better of the two, and the 5th to 95th percentile " +
                        "how much it wins or loses by; the mean's interval only says how well the average is known.")
            tables.insert(("The best option on average against the next best (\(currency), \(moneyBasis(r)))",
                           Comparison.table(choices, optionHeader: "decision", outcomeHeader: "best vs next")), at: 1)
        }
        if !r.pilots.isEmpty { tables.append(("Proposed pilots", pilotsTable(r))) }
        let section = HTMLReport.Section(
            title: "Which uncertainty is worth resolving", howToRead: read, chart: chart, tables: tables,
            notes: ["EVPPI and EVSI are estimated by regression on the draws (Strong, Oakley & Brennan 2014; Strong et al. 2015); " +
                    "per decision and input in voi.csv. EVPI per year spreads the value evenly over the horizon's " +
                    (r.isDiscounted ? "discounted years." : "years (the money is undiscounted).")]
                + (missingErrors(r.inputs.map { $0.evppi[r.headline] } + r.pilots.map(\.evsi)).map { [$0] } ?? []))
        return HTMLReport(title: r.run.scenarioName, subtitle: "Value of information: \(r.decisionKind)", run: run, sections: [section])
    }
}

extension JSONOutput {
    /// `dxmap voi --format json`: the run and every row of voi.csv, as objects.
    public static func valueOfInformation(run: RunRecord, result r: VOIResult) throws -> String {
        struct Row: Encodable {
            var section, decision, input, kind: String
            var cases: Int?
            /// `se` is null where it cannot be estimated; `se_needs_draws` then says how many draws it needs.
            var value, se, per_year: JSONNumber
            var cost, net: JSONNumber?
            var se_needs_draws: Int?
        }
        struct Choice: Encodable { var decision, best, next_best: String; var difference: DifferenceFields }
        struct Document: Encodable { var run: RunRecord; var rows: [Row]; var choices: [Choice] }
        var rows = r.decisions.map { d in
            Row(section: "evpi", decision: d.name, input: "", kind: "", cases: nil, value: finite(d.evpi.value),
                se: finite(d.evpi.standardError), per_year: finite(d.evpi.value / r.annuity), se_needs_draws: d.evpi.errorNeedsDraws)
        }
        for i in r.inputs {
            for (d, e) in zip(r.decisions, i.evppi) {
                rows.append(Row(section: "evppi", decision: d.name, input: i.name, kind: i.kind, cases: nil, value: finite(e.value),
                                se: finite(e.standardError), per_year: finite(e.value / r.annuity), se_needs_draws: e.errorNeedsDraws))
            }
        }
        for p in r.pilots {
            rows.append(Row(section: "evsi", decision: r.decisions[r.headline].name, input: "\(p.task):\(p.input)", kind: "pilot \(p.pilot)",
                            cases: p.cases, value: finite(p.evsi.value), se: finite(p.evsi.standardError),
                            per_year: finite(p.evsi.value / r.annuity), cost: finite(p.cost), net: finite(p.net),
                            se_needs_draws: p.evsi.errorNeedsDraws))
        }
        let choices = r.decisions.compactMap { d in
            d.nextBest.flatMap { next in d.versusNextBest.map { Choice(decision: d.name, best: d.best, next_best: next, difference: DifferenceFields($0)) } }
        }
        return try encode(Document(run: run, rows: rows, choices: choices))
    }
}

/// A value-of-information study: voi.csv, voi.svg (and with ``writesDraws`` draws.csv), run.json and report.html; the
/// EVPI, EVPPI and EVSI tables on the terminal, after the evidence the run applied.
public struct VOIOutput: RunOutput {
    public var result: VOIResult
    public var record: RunRecord
    /// Whether the set includes draws.csv, every draw's inputs and option values (`--write-draws`).
    public var writesDraws: Bool

    public init(result: VOIResult, record: RunRecord, writesDraws: Bool = false) {
        (self.result, self.record, self.writesDraws) = (result, record, writesDraws)
    }

    public func files() throws -> [OutputFiles.File] {
        let chart = VOIChart.svg(result)
        return [OutputFiles.File(name: "voi.csv", text: VOIOutputs.csv(result)),
                OutputFiles.File(name: "decisions.csv", text: VOIOutputs.choicesCSV(result)), OutputFiles.File(name: "voi.svg", text: chart)]
            + (writesDraws ? [VOIOutputs.drawsCSV(result.drawTable, derived: result.derivedColumns)] : [])
            + [OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
               OutputFiles.File(name: "report.html", text: VOIOutputs.report(result, run: record, chart: chart).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        var out = TextTable.wrap(["\(result.run.scenarioName): value of information, \(result.decisionKind)", runLine(result.run)],
                                 width: style.columns).map { TerminalText($0) }
        if let evidence = record.evidence { out.append(TerminalText("\n" + EvidenceRecord.table(evidence, width: style.columns).joined(separator: "\n"))) }
        return out + [TerminalText(""), TerminalText(VOIOutputs.table(result, wide: style.wide, width: style.columns).joined(separator: "\n"))]
    }

    public func csv() -> String { VOIOutputs.csv(result) }
    public func json() throws -> String { try JSONOutput.valueOfInformation(run: record, result: result) }
}
