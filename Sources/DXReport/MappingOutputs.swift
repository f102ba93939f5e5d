import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Writes the files of a mapping run into a directory: `summary.csv`,
/// `matrix.csv`, `matrix.svg`, `report.html` and `run.json`, each whole (see `OutputFiles`).
public enum MappingOutputs {
    /// The files of a mapping run's set (``MappingOutput``), in order.
    public static let fileNames = ["summary.csv", "matrix.csv", "matrix.svg", "report.html", "run.json"]

    /// The statistics of a run that are not finite numbers (`level id metric`), which the CSV files leave empty,
    /// JSON writes as null and the chart leaves out; the CLI announces them. Validation keeps them out in
    /// practice (every distribution has a finite mean and variance); this is the net under it.
    public static func nonFiniteStatistics(_ result: MappingResult) -> [String] {
        result.entities.enumerated().flatMap { e, entity in
            result.metrics.compactMap { metric -> String? in
                // What the run did not keep (a task's output cost, which only services have) is missing, not wrong.
                guard result.isSummarised(e, metric) else { return nil }
                let s = result.summary(e, metric)
                let percentiles = result.percentileLevels.contains(entity.level) ? [s.p5, s.p25, s.p50, s.p75, s.p95] : []
                return ([s.mean, s.sd] + percentiles).allSatisfy(\.isFinite)
                    ? nil : "\(entity.level.rawValue) \(entity.id) \(metric.rawValue)"
            }
        }
    }

    /// The run as a report: the matrix (chart, how to read it, the thresholds' meaning, the table), each entity's
    /// figures with their ranges, adoption with barriers, and the provenance.
    public static func report(result: MappingResult, matrix m: RiskReturnMatrix, run: RunRecord, chart: String) -> HTMLReport {
        let level = m.level.rawValue, levels = m.level.plural
        let money = result.run.currency.isEmpty ? "" : " (\(result.run.currency))"
        let axes: String = m.view == .probability
            ? """
                Across: the labour-weighted probability that the \(level)'s work is automated (further right: more of it can be). \
                Up: the expected annual gross saving\(money) if it is.
                """
            : m.view == .output ? """
                The value of outputs: across, the expected gross saving as a share of what the \(level)'s outputs cost (labour \
                and everything else it spends); up, the expected annual output cost\(money). Only \(levels) with an output cost \
                are placed.
                """
            : """
                Up: the expected net present value over \(result.run.horizon) years\(money). Across: risk, \(m.xLabel.dropFirst(6)), \
                drawn with less risk to the right, so that the favourable corner is top-right as in the probability view.
                """
        let quadrants: String = m.view != .riskReturn
            ? """
                Top-right, automate first: likely to be automated and worth a lot. Top-left, pilot: worth a lot but less \
                automatable, so test before committing. Bottom-right, opportunistic: automatable but worth less; automate when \
                convenient. Bottom-left, leave.
                """
            : """
                Top-right, automate first: high return at low risk. Top-left, pilot: high return but risky, so reduce the \
                uncertainty first. Bottom-right, opportunistic: low risk but below the return threshold. Bottom-left, leave.
                """
        let matrixSection = HTMLReport.Section(
            title: "Where to automate: the \(level) matrix",
            howToRead: [
                "Each bubble is a \(level), its area proportional to the labour it employs. \(axes) Whiskers span the 5th to 95th " +
                    "percentile over \(NumberFormatting.grouped(result.run.draws)) draws.",
                quadrants,
                "The dashed lines are the thresholds. x: \(m.xThresholdMeaning). y: \(m.yThresholdMeaning). A threshold set " +
                    "in the scenario is a policy choice; a median one only splits the \(levels) into halves, so a \(level) below it " +
                    "may still be worth doing.",
                "Colour is the quadrant of the \(level)'s expected position; P(quad.) is the share of draws in which it falls " +
                    "there. A dashed outline and an asterisk mark placements under \(Int(MatrixPoint.borderlineBelow * 100))%: " +
                    "the evidence does not settle which side of a threshold the \(level) is on.",
            ],
            chart: chart, tables: [("The \(level) matrix", MatrixTable.table(m, wide: true))],
            notes: (m.degeneracy.map { ["Note: \($0)."] } ?? []) + (m.leftOutNote.map { ["Note: \($0)."] } ?? [])
                + ["Thresholds come from: x \(m.xThresholdBasis.rawValue), y \(m.yThresholdBasis.rawValue) (docs/guide/mapping.md, "
                + "\"Thresholds that mean something\")."])
        var sections = [matrixSection]
        sections.append(HTMLReport.Section(
            title: "What each \(level) is worth",
            howToRead: [
                "Per \(level) and for the whole scenario: the expected value and, in brackets, the 5th–95th percentile over draws. " +
                    "P(NPV < 0) is the share of draws in which automating does not pay back within \(result.run.horizon) years.",
            ],
            tables: [("Figures per \(level)\(money)", figures(result, level: m.level))],
            notes: designNote(result)))
        if result.metrics.contains(.adoptedByHorizon) {
            let title = adoptionTitle(result)
            sections.append(HTMLReport.Section(
                title: "When automation arrives",
                howToRead: [
                    "Barriers delay adoption or stop it; the share adopted by the horizon and the expected delay are labour-" +
                        "weighted means over draws. \(title.prefix(1).uppercased() + title.dropFirst()).",
                ],
                tables: [("Adoption per service", adoptionData(result))]))
        }
        sections.insert(contentsOf: distributionSections(result, level: m.level, target: run.target), at: 2)
        if m.view != .output, let output = outputSection(result, level: m.level) { sections.insert(output, at: 1) }
        return HTMLReport(title: result.run.scenarioName, subtitle: chartSubtitle(result, m), run: run, sections: sections)
    }

    /// How the total NPV is spread across futures (histogram and S-curve), then each entity of the matrix's level
    /// (small multiples); none where the run kept no percentiles for them.
    static func distributionSections(_ result: MappingResult, level: Level, target: Double?) -> [HTMLReport.Section] {
        let currency = result.run.currency.isEmpty ? "currency units" : result.run.currency
        let discount = "discounted at \(NumberFormatting.rate(result.run.discountRate))"
        var sections: [HTMLReport.Section] = []
        if let curve = result.curve(level: .total, id: "total"), let npv = result.summary(level: .total, id: "total", .npv) {
            let name = RedeploymentOutputs.referenceName(target)
            let chart = DistributionChart.svg(
                title: "The total NPV across futures",
                subtitle: "NPV over \(result.run.horizon) years, \(discount), \(NumberFormatting.grouped(result.run.draws)) draws",
                rows: [.init(title: "Total NPV (\(currency))", series: [.init(name: "All services", curve: curve, colour: "#1b9e77",
                                                                             shareAbove: target == nil ? npv.pGain : nil)],
                             isMoney: true, reference: target ?? 0, referenceName: name)])
            sections.append(HTMLReport.Section(
                title: "The total NPV across futures",
                howToRead: [
                    "Left: the share of futures in each bin of the total NPV; right: the S-curve, the share of futures at or below " +
                        "each value, with its 5th, 50th and 95th percentiles as dots. The dashed line is \(name)" +
                        (target == nil ? " (set another with --target)" : "") + "; the legend says in what share of futures the " +
                        "NPV is above it. The tables give means; the chart marks medians, which a skewed NPV puts below its mean.",
                ],
                chart: chart))
        }
        let panels = result.entities(at: level).compactMap { e in result.curve(level: level, id: e.id).map { (name: e.name, curve: $0) } }
        if !panels.isEmpty {
            sections.append(HTMLReport.Section(
                title: "Each \(level.rawValue)'s NPV across futures",
                howToRead: [
                    "One histogram per \(level.rawValue), each on its own scale (its ends are printed under it): the share of " +
                        "futures in each bin of its NPV over " +
                        "\(result.run.horizon) years (\(discount)). The black line is the median, the dashed orange line break-even; " +
                        "above each, the median and the share of futures in which the NPV is positive.",
                ],
                chart: DistributionChart.smallMultiples(
                    title: "Each \(level.rawValue)'s NPV across futures",
                    subtitle: "\(currency), \(NumberFormatting.grouped(result.run.draws)) draws; black: median, orange dashed: break-even",
                    panels: panels, isMoney: true, reference: 0, referenceName: "break-even")))
        }
        return sections
    }

    /// With a draw design, what it is and the standard error of the total NPV's mean from its replicates, beside plain
    /// Monte Carlo's at the same draws; nothing for plain draws.
    static func designNote(_ result: MappingResult) -> [String] {
        let design = result.run.design
        guard design.method != .plain, let total = result.summary(level: .total, id: "total", .npv) else { return [] }
        let plain = total.sd / Double(total.count).squareRoot()
        return ["""
            Draws: a \(design.method.rawValue) design in \(design.replicates) independent replicates. Every mean's standard error \
            comes from the spread of the replicates' means (summary.csv, mean_se): the total NPV's mean is \
            \(NumberFormatting.compact(total.mean)) with a standard error of \(NumberFormatting.compact(total.standardError)), where \
            independent draws would give \(NumberFormatting.compact(plain)).
            """]
    }

    /// Each entity of `level`, then the total: labour value, displaced FTE, implementation cost, annual saving and
    /// NPV, each mean (p5–p95), and P(NPV < 0).
    static func figures(_ result: MappingResult, level: Level) -> TableData {
        let metrics: [(Metric, String)] = [(.labourValue, "labour value"), (.displacedFTE, "displaced FTE"),
                                           (.implementationCost, "implementation cost"), (.grossSaving, "annual saving"),
                                           (.npv, "NPV at \(NumberFormatting.rate(result.run.discountRate))")]
        let rows = (result.entities(at: level) + result.entities(at: .total)).map { e -> [String] in
            let index = result.index(of: e.level, id: e.id)!
            return [e.level == .total ? "Total, all services" : e.name] + metrics.map { metric, _ in
                let s = result.summary(index, metric)
                if metric == .labourValue || s.p5.isNaN { return NumberFormatting.compact(s.mean) }
                return "\(NumberFormatting.compact(s.mean)) (\(NumberFormatting.compact(s.p5))–\(NumberFormatting.compact(s.p95)))"
            } + [NumberFormatting.percent(result.summary(index, .npv).pLoss)]
        }
        return TableData(headers: [level.rawValue] + metrics.map(\.1) + ["P(NPV < 0)"], rows: rows)
    }

    public static func chartTitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(result.run.scenarioName)"
    }

    /// The value of outputs beside the value of labour, when services have output costs: the output view of the same
    /// level's matrix, and per entity its labour value, output cost, labour's share of it, and the gross saving as a
    /// share of it. Nil without output costs, or at a level where none has one (roles).
    public static func outputSection(_ result: MappingResult, level: Level) -> HTMLReport.Section? {
        guard result.metrics.contains(.outputCost) else { return nil }
        let m = result.matrix(level: level, view: .output)
        guard !m.points.isEmpty else { return nil }
        let currency = result.run.currency.isEmpty ? "currency units" : result.run.currency
        func range(_ s: DistributionSummary, _ f: (Double) -> String) -> String {
            s.p5.isNaN ? f(s.mean) : "\(f(s.mean)) (\(f(s.p5))–\(f(s.p95)))"
        }
        let share = { (x: Double) in String(format: "%.1f%%", x * 100) }
        let rows: [[String]] = m.points.sorted { $0.y > $1.y }.compactMap { p in
            guard let e = result.entities.firstIndex(where: { $0.level == level && $0.id == p.entity.id }) else { return nil }
            let cost = result.summary(e, .outputCost), automatable = result.summary(e, .outputAutomationShare)
            return [p.entity.name, NumberFormatting.compact(p.entity.labourValue), range(cost, NumberFormatting.compact),
                    share(p.entity.labourValue / cost.mean), range(automatable, share),
                    NumberFormatting.compact(result.summary(e, .grossSaving).mean), p.quadrant.rawValue]
        }
        let chart = MatrixChart.svg(m, title: "\(result.run.scenarioName): the value of outputs",
                                    subtitle: chartSubtitle(result, m))
        let name = level.rawValue, names = level.plural
        let valuedTwice = """
            A public administration can be valued twice: by its labour (salaries) and by its outputs (what its services cost, \
            labour and everything else). This matrix places each \(name) with an output cost by the share of that cost its \
            automation could save (across: the expected gross saving ÷ the output cost) and by the output cost itself (up, \
            \(currency) a year).
            """
        let ranks = """
            Where labour is a small part of what a service costs (commissioned care, medicines, buildings), even a large labour \
            saving is a small share of its outputs' cost: the two views can rank the same \(names) differently. \
            x: \(m.xThresholdMeaning). y: \(m.yThresholdMeaning).
            """
        var howToRead = [valuedTwice, ranks]
        if let note = m.leftOutNote { howToRead.append(note.prefix(1).uppercased() + note.dropFirst() + ".") }
        return HTMLReport.Section(
            title: "The value of outputs: the \(name) matrix by output cost",
            howToRead: howToRead,
            chart: chart,
            tables: [("Labour and outputs (\(currency) a year; mean, p5–p95)",
                      TableData(headers: [level.rawValue, "labour value", "output cost", "labour share", "automatable share of output cost",
                                          "gross saving", "quadrant (output view)"], rows: rows))],
            notes: ["Every service's output_cost and output_automation_share, with their percentiles, are in summary.csv; "
                + "dxmap map --view output draws this matrix as matrix.svg."])
    }

    /// Subtitle of the chart: level, view, draws, seed and horizon.
    public static func chartSubtitle(_ result: MappingResult, _ m: RiskReturnMatrix) -> String {
        "\(m.level.rawValue.capitalized) matrix, \(m.view == .riskReturn ? "risk–return" : m.view.rawValue) view · "
            + "\(result.run.draws) draws, seed \(result.run.seed), horizon \(result.run.horizon) years · colour: quadrant of the mean"
    }

    /// With barriers: each service's share of work adopted within the horizon and the
    /// expected delay barriers add (labour-weighted means over draws), services with any delay first.
    public static func adoptionTable(_ result: MappingResult, width: Int? = TerminalStyle.defaultColumns) -> [String] {
        [adoptionTitle(result)] + adoptionData(result).lines(width: width)
    }

    /// "adoption within 5 years (programme all-five)".
    static func adoptionTitle(_ result: MappingResult) -> String {
        "adoption within \(result.run.horizon) years" + (result.programme.map { " (programme \($0))" } ?? " (no routines)")
    }

    /// The cells of ``adoptionTable(_:width:)``.
    static func adoptionData(_ result: MappingResult) -> TableData {
        let services = result.entities(at: .service).map { e -> (String, Double, Double) in
            let adopted = result.summary(level: .service, id: e.id, .adoptedByHorizon)?.mean ?? .nan
            let delay = result.summary(level: .service, id: e.id, .adoptionDelay)?.mean ?? .nan
            return (e.name, adopted, delay)
        }.sorted { $0.2 > $1.2 }
        return TableData(headers: ["service", "adopted by horizon", "expected delay (years)"],
                         rows: services.map { [shortened($0.0, to: 44), NumberFormatting.percent($0.1), String(format: "%.2f", $0.2)] })
    }
}
