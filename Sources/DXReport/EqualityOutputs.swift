import DXEngine
import DXSampling
import Foundation

/// Who bears a redeployment run's change, by the groups of the workforce's composition: `equality.csv`, the
/// terminal's "Who bears it" tables, and the report's section and chart, in the form an Equality Impact Assessment
/// sets out: each group's share of the workforce beside its share of those at risk (displaced) and of those made
/// redundant, with each rate against the rest of the workforce and adverse impact flagged.
public enum EqualityOutputs {
    public static let csvHeader = """
        policy,dimension,group,people,workforce_share,flow,mean,sd,p5,p50,p95,share_of_flow,\
        rate_ratio,rate_ratio_p5,rate_ratio_p50,rate_ratio_p95,p_rate_ratio_above_1,adverse_impact
        """

    /// `equality.csv`: per policy, dimension, group and flow over the horizon, the group's people in the flow (mean,
    /// sd, p5, p50, p95 across draws), its share of everyone in the flow, and for the compared flows its rate against
    /// the rest of the workforce: the ratio of mean rates, the per-draw ratio's p5, p50 and p95 (`inf` where only the
    /// group has any), the share of draws in which it is above 1, and the adverse-impact flag (`yes`/`no`).
    public static func csv(_ e: EqualityImpact) -> String {
        var lines = [csvHeader]
        for row in e.rows() {
            for flow in EqualityFlow.allCases {
                let s = row.summary(flow)
                let ratio = row.rateRatio(flow)
                let ratioFields = ratio.map { r in
                    [r.estimate, r.p5, r.median, r.p95, r.probabilityAbove].map(NumberFormatting.exact) + [r.isAdverse ? "yes" : "no"]
                } ?? Array(repeating: "", count: 6)
                lines.append(CSVOutput.row(
                    [row.policy, row.dimension, row.group, "\(row.people)", NumberFormatting.exact(row.workforceShare), flow.name]
                        + [s.mean, s.sd, s.p5, s.p50, s.p95, row.share(of: flow)].map(NumberFormatting.exact) + ratioFields))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Tables

    static func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", x * 100) : "–" }

    static func ratio(_ x: Double) -> String {
        if x.isNaN { return "–" }
        if x.isInfinite { return "∞" }
        return x >= 10 ? String(format: "%.0f", x) : String(format: "%.2f", x)
    }

    /// "1.14 (0.98–1.31)".
    static func ratioRange(_ r: RateRatio?) -> String {
        guard let r else { return "–" }
        return "\(ratio(r.estimate)) (\(ratio(r.p5))–\(ratio(r.p95)))"
    }

    /// People as a mean (p5–p95): whole numbers, and from 10,000 on three significant figures (253k).
    static func people(_ s: DistributionSummary) -> String { "\(count(s.mean)) (\(count(s.p5))–\(count(s.p95)))" }

    static func count(_ x: Double) -> String { abs(x) >= 10_000 ? NumberFormatting.compact(x) : String(format: "%.0f", x) }

    /// Rows of groups under their dimension: a row naming the dimension, then one per group, indented.
    static func groupRows(_ e: EqualityImpact, policy: String, _ cells: (EqualityGroupImpact) -> [String]) -> [[String]] {
        e.dimensions.flatMap { d -> [[String]] in
            let rows = e.rows(policy: policy, dimension: d.id)
            let width = rows.first.map { cells($0).count } ?? 0
            return [[d.id] + Array(repeating: "", count: width)] + rows.map { ["  " + $0.group] + cells($0) }
        }
    }

    /// A rate ratio's cells: the ratio (p5–p95), the share of futures above 1, and the flag.
    static func ratioCells(_ r: RateRatio?) -> [String] {
        [ratioRange(r), r.map { NumberFormatting.percent($0.probabilityAbove) } ?? "–", r?.isAdverse == true ? "yes" : ""]
    }

    /// Who is at risk: the displaced by group, the same under every policy (displacement does not depend on policy).
    public static func atRiskTable(_ e: EqualityImpact) -> TableData {
        let rows = e.policies.first.map { first in
            groupRows(e, policy: first) { row in
                [percent(row.workforceShare), people(row.summary(.displaced)), percent(row.share(of: .displaced))]
                    + ratioCells(row.rateRatio(.displaced))
            }
        } ?? []
        return TableData(headers: ["group", "staff", "displaced", "share", "rate ratio", "above 1", "flag"],
                         rows: rows, leftAligned: [0, 6], cuttable: [])
    }

    /// What happens to each group under one policy: the people made redundant (with `wide`, also absorbed, redeployed and
    /// retrained), each mean (p5–p95), and the redundancies' share, rate ratio, share of futures above 1 and flag.
    public static func outcomeTable(_ e: EqualityImpact, policy: String, wide: Bool) -> TableData {
        let others: [EqualityFlow] = wide ? [.absorbed, .redeployed, .retrained] : []
        let rows = groupRows(e, policy: policy) { row in
            others.map { people(row.summary($0)) } + [people(row.summary(.redundant)), percent(row.share(of: .redundant))]
                + ratioCells(row.rateRatio(.redundant))
        }
        return TableData(headers: ["group"] + others.map(\.label) + ["redundant", "share", "rate ratio", "above 1", "flag"],
                         rows: rows, leftAligned: [0, others.count + 5], cuttable: [])
    }

    /// The key under the tables.
    static func key(_ e: EqualityImpact, draws: Int) -> [String] {
        let weighted = e.dimensions.filter { $0.relativeRisk.contains { $0 != 1 } }.map { d in
            "\(d.id) (" + zip(d.groups, d.relativeRisk).filter { $0.1 != 1 }.map { "\($0.0) ×\(NumberFormatting.message($0.1))" }
                .joined(separator: ", ") + ")"
        }
        return [
            "staff: the group's share of the workforce; people: mean (p5–p95) over the horizon;",
            "share: the group's share of everyone in that outcome, beside its share of the workforce;",
            "rate ratio: the group's rate (people in the outcome per person of the group) ÷ the rest of the workforce's, "
                + "the ratio of mean rates with the 5th–95th percentile of the per-draw ratio; above 1: the share of the "
                + "\(NumberFormatting.grouped(draws)) futures in which the group's rate is higher;",
            "flag: an adverse impact, a rate ratio of at least \(NumberFormatting.message(RateRatio.adverseRatio)) on average and above 1 in at least "
                + "\(NumberFormatting.percent(RateRatio.adverseProbability)) of futures (a screening flag, not a legal test);",
            weighted.isEmpty
                ? "people are chosen without regard to group within each role at each organisation"
                : "people are chosen without regard to group within each role at each organisation, except for the relative risks "
                    + "of being displaced the scenario gives: " + weighted.joined(separator: "; "),
        ]
    }

    /// "Who bears it" on the terminal: those at risk, then those made redundant under each policy (with `wide`, every
    /// outcome).
    public static func table(_ r: RedeploymentResult, wide: Bool, width: Int?) -> [String] {
        guard let e = r.equality else { return [] }
        var out = ["", "Who bears it: each group's share of the workforce, of those displaced and of those made redundant",
                   "", "At risk: displaced over \(r.run.horizon) years, the same under every policy"]
            + atRiskTable(e).lines(width: width)
        for p in r.policies {
            out += ["", wide ? "Where the displaced went under \(p.name)" : "Made redundant under \(shortened(p.name, to: 60))"]
                + outcomeTable(e, policy: p.id, wide: wide).lines(width: width)
        }
        return out + [""] + key(e, draws: r.run.draws)
            + (wide ? [] : ["--wide for who is absorbed, redeployed and retrained; equality.csv for every flow"])
    }

    // MARK: Report

    /// The Equality Impact Assessment's table for one policy: each group's share of the workforce, of those at risk
    /// and of those made redundant, with the redundancy rate ratio and the flag.
    static func assessmentTable(_ e: EqualityImpact, policy: String) -> TableData {
        let rows = e.dimensions.flatMap { d in
            e.rows(policy: policy, dimension: d.id).map { row -> [String] in
                let risk = row.rateRatio(.displaced), redundant = row.rateRatio(.redundant)
                return [d.id, row.group, NumberFormatting.grouped(row.people), percent(row.workforceShare),
                        percent(row.share(of: .displaced)), percent(row.share(of: .redundant)), ratioRange(redundant),
                        redundant.map { NumberFormatting.percent($0.probabilityAbove) } ?? "–",
                        [risk?.isAdverse == true ? "at risk" : nil, redundant?.isAdverse == true ? "redundancy" : nil]
                            .compactMap { $0 }.joined(separator: ", ")]
            }
        }
        return TableData(headers: ["dimension", "group", "people", "workforce", "at risk", "redundant", "redundancy rate ratio (p5–p95)",
                                   "above 1", "adverse impact"], rows: rows, leftAligned: [0, 1, 8])
    }

    /// Every outcome by group for one policy: mean (p5–p95).
    static func flowsTable(_ e: EqualityImpact, policy: String) -> TableData {
        let flows = EqualityFlow.allCases
        let rows: [[String]] = e.dimensions.flatMap { d in
            e.rows(policy: policy, dimension: d.id).map { row -> [String] in
                [d.id, row.group] + flows.map { people(row.summary($0)) }
            }
        }
        return TableData(headers: ["dimension", "group"] + flows.map(\.label), rows: rows, leftAligned: [0, 1])
    }

    /// The report's "Who bears it" section.
    public static func section(_ r: RedeploymentResult) -> HTMLReport.Section? {
        guard let e = r.equality else { return nil }
        let names = Dictionary(uniqueKeysWithValues: r.policies.map { ($0.id, $0.name) })
        let adverse = e.rows().filter { $0.rateRatio(.redundant)?.isAdverse == true }
        var tables: [(caption: String, table: TableData)] = []
        for p in e.policies {
            tables.append(("\(names[p] ?? p): each group's share of the workforce, of those at risk and of those made redundant",
                           assessmentTable(e, policy: p)))
        }
        for p in e.policies {
            tables.append(("\(names[p] ?? p): people by group over \(r.run.horizon) years, mean (p5–p95)", flowsTable(e, policy: p)))
        }
        return HTMLReport.Section(
            title: "Who bears it",
            howToRead: [
                "For each characteristic in the scenario's workforce composition, each group's share of the workforce is set beside "
                    + "its share of those at risk (displaced) and of those made redundant, as an Equality Impact Assessment sets "
                    + "them out. A group bears more than its part where its share of an outcome exceeds its share of the workforce.",
                "The chart gives each group's rate of displacement and of redundancy divided by the rest of the workforce's: the "
                    + "dot is the ratio of mean rates, the whisker the 5th–95th percentile across futures. Right of the line at 1 "
                    + "the group fares worse than the rest; the dashed line at \(NumberFormatting.message(RateRatio.adverseRatio)) is "
                    + "where a difference is flagged, if it is also above 1 in at least "
                    + "\(NumberFormatting.percent(RateRatio.adverseProbability)) of futures.",
                adverse.isEmpty
                    ? "No group's redundancy rate is flagged as an adverse impact under any policy."
                    : "Flagged as an adverse impact in redundancies: " + adverse.map { "\($0.dimension) \($0.group) under "
                        + "\(names[$0.policy] ?? $0.policy)" }.joined(separator: "; ") + ".",
            ],
            chart: chart(r, e),
            tables: tables,
            notes: key(e, draws: r.run.draws).dropFirst(2).map { $0 } + [
                "Each dimension is simulated on its own: dxmap knows the groups of one characteristic at a time, not how they "
                    + "combine (how many women are over 60).",
                "Every group, flow and policy, with the per-draw ratio's percentiles, is in equality.csv.",
            ])
    }

    /// A forest plot of rate ratios: per group, displacement (one dot, the same under every policy), then redundancy
    /// under each policy, on a logarithmic axis with the line of no difference at 1.
    static func chart(_ r: RedeploymentResult, _ e: EqualityImpact) -> String {
        let policies = r.policies
        let rowsPerGroup = 1 + policies.count
        let groupCount = e.dimensions.reduce(0) { $0 + $1.groups.count }
        let rowHeight = 13.0, groupGap = 8.0, dimensionGap = 22.0
        let left = 200.0, plotWidth = 420.0, top = 92.0
        let plotHeight = Double(groupCount * rowsPerGroup) * rowHeight + Double(groupCount) * groupGap + Double(e.dimensions.count) * dimensionGap
        let legendY = top + plotHeight + 44
        let width = left + plotWidth + 150, height = legendY + 22 * Double((policies.count + 2) / 2) + 20
        var svg = SVGCanvas(width: width, height: height)
        svg.heading("Who bears it: rates against the rest of the workforce",
                    subtitle: "Rate ratio, ratio of mean rates (dot) and 5th–95th percentile across \(NumberFormatting.grouped(r.run.draws)) futures",
                    x: 20, y: 30)
        let values = e.rows().flatMap { row in [EqualityFlow.displaced, .redundant].compactMap { row.rateRatio($0) }
            .flatMap { [$0.estimate, $0.p5, $0.p95] } }.filter { $0.isFinite && $0 > 0 }
        let lo = max(1.0 / 16, min(0.5, values.min() ?? 1) / 1.1), hi = min(16, max(2, values.max() ?? 1) * 1.1)
        func x(_ v: Double) -> Double {
            let c = v.isInfinite ? hi : v <= 0 ? lo : min(max(v, lo), hi)
            return left + (log(c) - log(lo)) / (log(hi) - log(lo)) * plotWidth
        }
        let bottom = top + plotHeight
        svg.frame(left, top - 8, left + plotWidth, bottom, stroke: "#bbb")
        for t in [0.1, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 10] where t >= lo && t <= hi {
            svg.line(x(t), top - 8, x(t), bottom, stroke: t == 1 ? "#333" : t == RateRatio.adverseRatio ? "#999" : "#eee", width: t == 1 ? 1.2 : 1,
                     dash: t == RateRatio.adverseRatio ? "4 3" : nil, mark: t == 1 || t == RateRatio.adverseRatio ? "threshold" : nil)
            svg.text(x(t), bottom + 14, NumberFormatting.message(t), size: 10, anchor: "middle")
        }
        svg.text(left + plotWidth / 2, bottom + 30, "group's rate ÷ the rest's (log scale)", size: 11, anchor: "middle")
        var y = top
        for d in e.dimensions {
            y += dimensionGap
            svg.text(20, y - 6, d.id, size: 12, weight: "bold")
            for group in d.groups {
                guard let first = policies.first, let row0 = e.row(policy: first.id, dimension: d.id, group: group) else { continue }
                svg.text(32, y + rowHeight * Double(rowsPerGroup) / 2 + 3, shortened(group, to: 24), size: 11)
                var series: [(String, String, RateRatio?)] = [("#555", "displaced", row0.rateRatio(.displaced))]
                for (k, p) in policies.enumerated() {
                    series.append((RedeploymentChart.policyColours[k % RedeploymentChart.policyColours.count], "redundant, \(p.name)",
                                   e.row(policy: p.id, dimension: d.id, group: group)?.rateRatio(.redundant)))
                }
                for (colour, label, ratio) in series {
                    let cy = y + rowHeight / 2
                    if let ratio, !ratio.estimate.isNaN {
                        svg.line(x(ratio.p5), cy, x(ratio.p95), cy, stroke: colour, width: 1.5, mark: "whisker")
                        svg.dot(x(ratio.estimate), cy, radius: 3, fill: colour, tip: "\(d.id) \(group), \(label): \(ratioRange(ratio)), above 1 in "
                                + NumberFormatting.percent(ratio.probabilityAbove) + " of futures")
                    }
                    y += rowHeight
                }
                y += groupGap
            }
        }
        var lx = 20.0, ly = legendY
        let keys = [("#555", "displaced (every policy)")] + policies.enumerated().map {
            (RedeploymentChart.policyColours[$0.offset % RedeploymentChart.policyColours.count], "redundant: " + shortened($0.element.name, to: 40))
        }
        for (k, (colour, label)) in keys.enumerated() {
            svg.legendKey(lx, ly, fill: colour, label: label)
            if k % 2 == 0 { lx = 20 + width / 2 } else { lx = 20; ly += 22 }
        }
        return svg.document
    }
}
