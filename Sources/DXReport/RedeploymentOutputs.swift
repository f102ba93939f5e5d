import DXEngine
import DXSampling
import DXSupport
import Foundation

/// Files and tables of a redeployment run: `redeploy.csv`, `policies.csv`,
/// `redeploy.svg`, `report.html` and `run.json`, written whole (temporary file, then rename).
public enum RedeploymentOutputs {
    /// The exact headers of `redeploy.csv` and `policies.csv`.
    public static let redeployHeader = "policy,period,year,scope,organisation,role,metric,kind,unit,mean,sd,p5,p50,p95,calendar_year"
    public static let policiesHeader = (["policy", "metric", "mean", "baseline_mean"] + Comparison.csvColumns).joined(separator: ",")
    /// The files `write(result:run:to:)` writes, in order; with a workforce composition, `equality.csv` and
    /// `equality.svg` (``EqualityOutputs``) follow.
    public static let fileNames = ["redeploy.csv", "policies.csv", "redeploy.svg", "report.html", "run.json"]

    /// `redeploy.csv`: every metric per policy and year for the total, each organisation and each role; and,
    /// over the horizon, each organisation–role cell. Each row says what it covers: `period` `horizon` (`year` 0:
    /// flows summed over the horizon, stocks at its end) or `year`; `scope` `total` (organisation and role `*`),
    /// `organisation`, `role` or `cell`; `kind` `flow` (people or money in the period) or `stock` (people at its
    /// end); `unit` `people` or the scenario's currency; `calendar_year`, with `start_year:`, the calendar year of a
    /// `year` row (empty otherwise).
    public static func redeployCSV(_ r: RedeploymentResult) -> String {
        let money = r.run.currency.isEmpty ? "money" : r.run.currency
        let lines = r.rows().map { row in
            let s = row.summary
            let scope = switch (row.organisation, row.role) {
            case (nil, nil): "total"
            case (_, nil): "organisation"
            case (nil, _): "role"
            default: "cell"
            }
            return CSVOutput.row([row.policy, row.year == 0 ? "horizon" : "year", "\(row.year)", scope, row.organisation ?? "*",
                                  row.role ?? "*", row.metric.name, row.metric.isStock ? "stock" : "flow",
                                  row.metric.isMoney ? money : "people"]
                                 + [s.mean, s.sd, s.p5, s.p50, s.p95].map(NumberFormatting.exact)
                                 + [row.year > 0 && r.run.startYear != nil ? r.run.yearLabel(row.year) : ""])
        }
        return ([redeployHeader] + lines).joined(separator: "\n") + "\n"
    }

    /// `policies.csv`: per policy and metric over the horizon, its mean, the baseline's, and the difference on the
    /// same draws (common random numbers): its mean with the mean's 95% interval, its 5th and 95th percentiles
    /// across draws, and the shares of draws in which the policy is better, worse or the same (``Comparison``).
    public static func policiesCSV(_ r: RedeploymentResult) -> String {
        guard let baseline = r.policies.first?.id else { return policiesHeader + "\n" }
        var lines = [policiesHeader]
        for policy in r.policies.map(\.id) {
            for metric in RedeploymentMetric.allCases {
                guard let s = r.summary(policy: policy, year: 0, metric: metric),
                      let b = r.summary(policy: baseline, year: 0, metric: metric),
                      let d = r.difference(policy: policy, metric: metric) else { continue }
                lines.append(CSVOutput.row([policy, metric.name] + [s.mean, b.mean].map(NumberFormatting.exact)
                                           + Comparison.csvValues(d)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The policy comparison as terminal tables, one row per policy over the horizon: where the displaced people
    /// went, then money. Within 100 columns (policy names cut, headers abbreviated with a key) unless `wide`,
    /// which gives one table with full names.
    public static func table(_ r: RedeploymentResult, wide: Bool = false, width: Int? = TerminalStyle.defaultColumns) -> String {
        let (people, money) = tables(r, wide: wide)
        let width = wide ? nil : width
        let currency = r.run.currency.isEmpty ? "currency units" : r.run.currency
        let key = "people over \(r.run.horizon) years, mean (p5–p95); money in \(currency), undiscounted"
        var out: [String]
        if wide {
            out = TableData(headers: people.headers + money.headers.dropFirst(), rows: zip(people.rows, money.rows).map { $0 + $1.dropFirst() }).lines
        } else {
            // Displacement comes from the mapping's draws, the same under every policy.
            out = ["\(displaced(r)) people displaced over \(r.run.horizon) years (mean; the same draws under every policy)", ""]
                + people.lines(width: width) + [""] + money.lines(width: width)
            out += ["attrit.: absorbed by attrition; retrain.: retrained and placed;",
                    "internal / cross-org: redeployed inside the organisation / to another organisation;",
                    "--wide for every column and full names"]
        }
        out.append(key)
        let compared = comparisons(r, wide: wide)
        if !compared.isEmpty, let baseline = r.policies.first {
            out += ["", "Each policy against the first, \u{201C}\(shortened(baseline.name, to: 40))\u{201D}, on the same draws:"]
                + Comparison.table(compared, optionHeader: "policy").lines(width: width)
                + Comparison.key(option: "policy", draws: r.run.draws)
        }
        return TextTable.wrap(out, width: width).joined(separator: "\n") + "\n"
    }

    /// What policies are chosen on, against the first policy: redundancies and net saving (``Comparison``).
    public static func comparisons(_ r: RedeploymentResult, wide: Bool = true) -> [Comparison] {
        r.policies.dropFirst().flatMap { p in
            [(RedeploymentMetric.redundant, "redundancies"), (.netSaving, "net saving")].compactMap { metric, outcome in
                r.difference(policy: p.id, metric: metric).map {
                    Comparison(option: wide ? p.name : shortened(p.name, to: 24), outcome: outcome, difference: $0, isMoney: metric.isMoney)
                }
            }
        }
    }

    /// Mean displaced people over the horizon (the same under every policy).
    static func displaced(_ r: RedeploymentResult) -> String {
        r.policies.first.map { String(format: "%.0f", r.summary(policy: $0.id, year: 0, metric: .displaced)?.mean ?? .nan) } ?? "–"
    }

    /// The comparison's cells: people (flows over the horizon; with `wide`, displaced too and whole headers) and
    /// money, each row a policy; the differences from the first policy are ``comparisons(_:wide:)``.
    public static func tables(_ r: RedeploymentResult, wide: Bool) -> (people: TableData, money: TableData) {
        func summary(_ p: String, _ m: RedeploymentMetric) -> DistributionSummary? { r.summary(policy: p, year: 0, metric: m) }
        func people(_ x: Double) -> String { String(format: "%.0f", x) }
        func mean(_ p: String, _ m: RedeploymentMetric) -> String { people(summary(p, m)?.mean ?? .nan) }
        func range(_ s: DistributionSummary?, money: Bool) -> String {
            guard let s else { return "–" }
            let f = money ? NumberFormatting.compact : people
            return "\(f(s.mean)) (\(f(s.p5))–\(f(s.p95)))"
        }
        let names = r.policies.map { wide ? $0.name : shortened($0.name, to: 24) }
        let displaced: [(String, String, (String) -> String)] = wide ? [("displaced", "", { mean($0, .displaced) })] : []
        let peopleColumns: [(String, String, (String) -> String)] = displaced + [
            ("absorbed by attrition", "attrit.", { mean($0, .absorbedByAttrition) }),
            ("redeployed internally", "internal", { mean($0, .redeployedInternal) }),
            ("redeployed across organisations", "cross-org", { mean($0, .redeployedCrossOrg) }),
            ("retrained and placed", "retrain.", { mean($0, .retrainedPlaced) }),
            ("redundant", "redundant", { range(summary($0, .redundant), money: false) }),
        ]
        let moneyColumns: [(String, String, (String) -> String)] = [
            ("transition cost", "transition cost", { range(summary($0, .transitionCost), money: true) }),
            ("net saving", "net saving", { range(summary($0, .netSaving), money: true) }),
        ]
        func table(_ columns: [(String, String, (String) -> String)]) -> TableData {
            TableData(headers: ["policy"] + columns.map { wide ? $0.0 : $0.1 },
                      rows: r.policies.indices.map { i in [names[i]] + columns.map { $0.2(r.policies[i].id) } })
        }
        return (table(peopleColumns), table(moneyColumns))
    }

    /// The run as a report: the chart with how to read it, the policies compared (people, then money, with
    /// differences from the first policy), and the provenance.
    public static func report(_ r: RedeploymentResult, run: RunRecord, chart: String) -> HTMLReport {
        let (people, money) = tables(r, wide: true)
        let currency = r.run.currency.isEmpty ? "currency units" : r.run.currency
        let first = r.policies.first?.name ?? "the first policy"
        let section = HTMLReport.Section(
            title: "What happens to the people whose work is automated",
            howToRead: [
                "\(displaced(r)) people are displaced over \(r.run.horizon) years on average; the same draws are used under every " +
                    "policy, so differences between policies are policy, not chance.",
                "Top row: each year's flows, where that year's displaced people went. Middle row: people still waiting in " +
                    "the pool or in training at the end of the year; they are stocks, counted again each year they wait, so " +
                    "they are drawn apart from the flows.",
                "Bottom row: redundancies added up year by year. The line is the median over draws, the dark band the middle " +
                    "half of draws and the light band 90% of them; the figure above each panel is the median at the horizon " +
                    "with its 5th–95th percentile.",
            ],
            chart: chart,
            tables: [("People over \(r.run.horizon) years: mean (p5–p95)", people),
                     ("Money over \(r.run.horizon) years in \(currency), undiscounted: mean (p5–p95)", money)],
            notes: ["Year-by-year figures per organisation and role are in redeploy.csv (period year), the comparison in "
                + "policies.csv."])
        let sections = (comparisonSection(r, first: first, currency: currency).map { [$0] } ?? []) + [section]
            + (EqualityOutputs.section(r).map { [$0] } ?? []) + [distributionSection(r, target: run.target, currency: currency)]
        return HTMLReport(title: r.run.scenarioName, subtitle: "Redeployment policies compared over \(r.run.horizon) years", run: run,
                          sections: sections)
    }

    /// "the target 5.00M" or "break-even".
    static func referenceName(_ target: Double?) -> String { target.map { "the target \(NumberFormatting.compact($0))" } ?? "break-even" }

    /// The chart of each policy's difference from the first in net saving, draw by draw.
    static func differenceChart(_ r: RedeploymentResult, first: String) -> String? {
        let series = r.policies.dropFirst().enumerated().compactMap { k, p -> DistributionChart.Series? in
            guard let curve = r.curve(policy: p.id, metric: .netSaving, difference: true),
                  let d = r.difference(policy: p.id, metric: .netSaving) else { return nil }
            return DistributionChart.Series(name: p.name, curve: curve, colour: RedeploymentChart.policyColours[(k + 1) % 6],
                                            shareAbove: d.summary.pGain)
        }
        guard !series.isEmpty else { return nil }
        return DistributionChart.svg(
            title: "Net saving against the first policy, future by future",
            subtitle: "Each policy's net saving minus \(first)'s in the same draw, over \(r.run.horizon) years, undiscounted; "
                + "\(NumberFormatting.grouped(r.run.draws)) draws",
            rows: [.init(title: "Net saving, policy − \(shortened(first, to: 50))", series: series, isMoney: true, reference: 0,
                         referenceName: "0 (better than \(shortened(first, to: 30)))")])
    }

    /// The outputs' distributions across futures: net saving and redundancies per policy, overlaid.
    static func distributionSection(_ r: RedeploymentResult, target: Double?, currency: String) -> HTMLReport.Section {
        func series(_ metric: RedeploymentMetric, exactAboveZero: Bool) -> [DistributionChart.Series] {
            r.policies.enumerated().compactMap { k, p in
                r.curve(policy: p.id, metric: metric).map {
                    DistributionChart.Series(name: p.name, curve: $0, colour: RedeploymentChart.policyColours[k % 6],
                                             shareAbove: exactAboveZero ? r.summary(policy: p.id, year: 0, metric: metric)?.pGain : nil)
                }
            }
        }
        let chart = DistributionChart.svg(
            title: "How the outcomes are spread across futures",
            subtitle: "Over \(r.run.horizon) years, \(NumberFormatting.grouped(r.run.draws)) draws, the same for every policy",
            rows: [.init(title: "Net saving (\(currency), undiscounted)", series: series(.netSaving, exactAboveZero: target == nil), isMoney: true,
                         reference: target ?? 0, referenceName: referenceName(target)),
                   .init(title: "People made redundant", series: series(.redundant, exactAboveZero: true), isMoney: false,
                         reference: 0, referenceName: "none")])
        return HTMLReport.Section(
            title: "How the outcomes are spread across futures",
            howToRead: [
                "Left: how often each value comes up, the share of futures in each bin; right: the S-curve, the share of futures " +
                    "at or below each value, with the 5th, 50th and 95th percentiles as dots. Read a probability off the S-curve: " +
                    "where a vertical line meets a policy's curve, that share of futures falls at or below it.",
                "The dashed line is \(referenceName(target)) for net saving (\(target == nil ? "set one with --target" : "--target")) " +
                    "and no redundancies for people; the legend gives each policy's share of futures above it.",
            ],
            chart: chart)
    }

    /// The report's first section: each policy against the first across futures, in sentences and a table.
    static func comparisonSection(_ r: RedeploymentResult, first: String, currency: String) -> HTMLReport.Section? {
        var section = Comparison.section(comparisons(r), option: "policy", baseline: first,
                                         caption: "Against \(first) over \(r.run.horizon) years (money in \(currency), undiscounted)")
        section?.chart = differenceChart(r, first: first)
        return section
    }
}
