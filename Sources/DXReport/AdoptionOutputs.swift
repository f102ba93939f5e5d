import DXEngine
import DXSampling
import DXSupport
import Foundation

/// What `dxmap adopt` writes and prints: the programme comparison as a tidy
/// CSV, a terminal table, and adoption curves per service.
public enum AdoptionOutputs {
    public static let programmesHeader = (["programme", "level", "id", "metric", "mean", "sd", "p5", "p50", "p95"] + Comparison.csvColumns)
        .joined(separator: ",")

    /// `programmes.csv`: per programme, entity (services, organisations, total) and metric, the distribution over
    /// draws and the programme against the baseline on the same draws (``Comparison/csvColumns``).
    public static func programmesCSV(_ r: AdoptionResult) -> String {
        var lines = [programmesHeader]
        for p in r.programmes {
            for e in r.entities {
                for metric in AdoptionMetric.allCases {
                    guard let s = r.summary(programme: p.id, level: e.level, id: e.id, metric),
                          let d = r.difference(programme: p.id, level: e.level, id: e.id, metric) else { continue }
                    lines.append(CSVOutput.row([p.id, e.level.rawValue, e.id, metric.rawValue]
                        + [s.mean, s.sd, s.p5, s.p50, s.p95].map(NumberFormatting.exact) + Comparison.csvValues(d)))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The terminal comparison at the total level: adoption, delay, NPV and its gain over the baseline, routine
    /// cost, net value and its gain (each gain with a 95% interval), and the return per unit of extra routine cost
    /// (ΔNPV / Δ routine cost).
    public static func table(_ r: AdoptionResult, wide: Bool = false, width: Int? = TerminalStyle.defaultColumns) -> [String] {
        let t = tableData(r, wide: wide)
        let width = wide ? nil : width
        var lines = wide ? t.lines : t.lines(width: width) + [
            "delay: expected years of delay; cost: routine cost; ret./cost: ΔNPV per unit of routine cost", "--wide for every column",
        ]
        let compared = comparisons(r, wide: wide)
        if !compared.isEmpty {
            lines += ["", "Each programme against the first, \u{201C}\(shortened(r.programmes[0].name, to: 40))\u{201D}, on the same draws:"]
                + Comparison.table(compared, optionHeader: "programme").lines(width: width) + Comparison.key(option: "programme", draws: r.run.draws)
        }
        return TextTable.wrap(lines, width: width)
    }

    /// Each programme's net value for all services against the first programme's (``Comparison``).
    public static func comparisons(_ r: AdoptionResult, wide: Bool = true) -> [Comparison] {
        let total = r.entities.last!
        return r.programmes.dropFirst().compactMap { p in
            r.difference(programme: p.id, level: total.level, id: total.id, .netValue).map {
                Comparison(option: wide ? p.name : shortened(p.id, to: 24), outcome: "net value", difference: $0, isMoney: true)
            }
        }
    }

    /// The cells of ``table(_:wide:width:)``.
    public static func tableData(_ r: AdoptionResult, wide: Bool) -> TableData {
        let total = r.entities.last!
        let headers = [
            "programme", "adopted", "delay (y)", "NPV at \(NumberFormatting.rate(r.run.discountRate))", "p5–p95", "ΔNPV mean [95% CI of mean]", "routine cost", "net value",
            "net value p5–p95", "return / cost",
        ]
        // Within 80 columns: mean NPV, routine cost, net value with its range and the return; how net value compares
        // with the baseline's is the comparison table's.
        let narrow = [0, 1, 2, 3, 6, 7, 9]
        let rows = r.programmes.map { p -> [String] in
            func s(_ m: AdoptionMetric) -> DistributionSummary { r.summary(programme: p.id, level: total.level, id: total.id, m)! }
            func d(_ m: AdoptionMetric) -> PolicyDifference { r.difference(programme: p.id, level: total.level, id: total.id, m)! }
            let isBase = p.id == r.programmes[0].id
            let extraCost = d(.routineCost).mean, gain = d(.npv).mean
            return [wide ? p.name : p.id, NumberFormatting.percent(s(.adoptedByHorizon).mean), String(format: "%.2f", s(.adoptionDelay).mean),
                    NumberFormatting.compact(s(.npv).mean), """
                        \(NumberFormatting.compact(s(.npv).p5))–\(NumberFormatting.compact(s(.npv).p95))
                        """,
                    isBase ? "baseline" : interval(d(.npv)),
                    NumberFormatting.compact(s(.routineCost).mean), NumberFormatting.compact(s(.netValue).mean),
                    "\(NumberFormatting.compact(s(.netValue).p5))–\(NumberFormatting.compact(s(.netValue).p95))",
                    isBase || extraCost <= 0 ? "–" : String(format: "%.1f×", gain / extraCost)]
        }
        if wide { return TableData(headers: headers, rows: rows) }
        let narrowHeaders = ["programme", "adopted", "delay", "NPV", "cost", "net value (p5–p95)", "ret./cost"]
        let narrowRows = rows.map { row in narrow.map { $0 == 7 ? "\(row[7]) (\(row[8]))" : row[$0] } }
        return TableData(headers: narrowHeaders, rows: narrowRows.map { [shortened($0[0], to: 20)] + $0.dropFirst() })
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + NumberFormatting.compact(abs(x)) }

    /// `+1.47M [+1.43M, +1.52M]`.
    static func interval(_ d: PolicyDifference) -> String { Comparison(option: "", outcome: "", difference: d, isMoney: true).meanText }

    /// The run as a report: the chart with how to read it, the programmes compared, and the provenance.
    public static func report(_ r: AdoptionResult, run: RunRecord, chart: String) -> HTMLReport {
        let currency = r.run.currency.isEmpty ? "currency units" : r.run.currency
        let best = r.bestProgramme
        let section = HTMLReport.Section(
            title: "What the adoption routines are worth",
            howToRead: [
                "Barriers (above all, organisations reluctant to share data) delay automation or stop it; routines such as " +
                    "on-site days, boundary spanners and showing the benefits overcome them at a cost. Every programme meets " +
                    "the same barriers and the same luck in each draw, so the differences are the routines' doing.",
                "Top: each programme's gain in net value over the first (baseline) programme, the NPV it brings forward or " +
                    "saves minus what its routines cost, with a 95% interval for the mean; the return is the NPV gained per " +
                    "unit of routine cost. \(best.name) has the highest expected net value.",
                "Below: per service that meets a barrier, the share of its work adopted by the end of each year, the solid line " +
                    "the mean over draws and the dashed lines its 5th and 95th percentiles.",
            ],
            chart: chart,
            tables: [("Programmes over \(r.run.horizon) years, all services (money in \(currency), present values)",
                      tableData(r, wide: true))],
            notes: ["Per-service and per-organisation figures are in programmes.csv."])
        let first = r.programmes[0].name
        var compared = Comparison.section(comparisons(r), option: "programme", baseline: first,
                                          caption: "Against \(first), all services (money in \(currency), present values)")
        compared?.chart = distributionChart(r, title: "Net value against \(shortened(first, to: 40)), future by future", rows: [
            .init(title: "Net value, programme − \(shortened(first, to: 50))", series: series(r, difference: true), isMoney: true, reference: 0,
                  referenceName: "0 (better than \(shortened(first, to: 30)))"),
        ])
        let reference = run.target ?? 0, referenceName = RedeploymentOutputs.referenceName(run.target)
        let spread = HTMLReport.Section(
            title: "How net value is spread across futures",
            howToRead: [
                "Each programme's net value for all services (NPV less routine costs, present values): left, the share of futures " +
                    "in each bin; right, the S-curve, the share of futures at or below each value, with the 5th, 50th and 95th " +
                    "percentiles as dots. The dashed line is \(referenceName)\(run.target == nil ? " (set another with --target)" : ""); " +
                    "the legend gives each programme's share of futures above it.",
            ],
            chart: distributionChart(r, title: "How net value is spread across futures", rows: [
                .init(title: "Net value (\(currency), present values)", series: series(r, difference: false, exactAboveZero: run.target == nil),
                      isMoney: true, reference: reference, referenceName: referenceName),
            ]))
        return HTMLReport(title: r.run.scenarioName, subtitle: "Adoption programmes compared over \(r.run.horizon) years", run: run,
                          sections: (compared.map { [$0] } ?? []) + [section, spread])
    }

    /// Each programme's net value curve (with `difference`, the programmes after the first, minus the first's).
    static func series(_ r: AdoptionResult, difference: Bool, exactAboveZero: Bool = true) -> [DistributionChart.Series] {
        let total = r.entities.last!
        return r.programmes.enumerated().compactMap { k, p in
            guard !(difference && k == 0), let curve = r.curve(programme: p.id, difference: difference) else { return nil }
            let share = difference ? r.difference(programme: p.id, level: total.level, id: total.id, .netValue)?.summary.pGain
                : r.summary(programme: p.id, level: total.level, id: total.id, .netValue)?.pGain
            return DistributionChart.Series(name: p.name, curve: curve, colour: RedeploymentChart.policyColours[k % 6],
                                            shareAbove: exactAboveZero ? share : nil)
        }
    }

    static func distributionChart(_ r: AdoptionResult, title: String, rows: [DistributionChart.Row]) -> String? {
        guard rows.allSatisfy({ !$0.series.isEmpty }) else { return nil }
        return DistributionChart.svg(title: title, subtitle: "Over \(r.run.horizon) years, \(NumberFormatting.grouped(r.run.draws)) draws, "
                                     + "the same for every programme", rows: rows)
    }
}
