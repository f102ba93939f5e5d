import DXAnalysis
import DXExperiments
import DXSampling
import DXSupport
import Foundation

extension SweepAnalysis {
    /// `outputs.csv`: each horizon output across the points that have it: `output,points,mean,min,p5,p50,p95,max`
    /// (percentiles are order statistics of rank ⌊q(n−1)⌋ of the points' means).
    public var outputsCSV: String {
        let lines = spreads.map { s in
            CSVOutput.row([s.output, "\(s.points)"]
                + [s.mean, s.curve.minimum, s.curve.quantile(0.05), s.curve.quantile(0.5), s.curve.quantile(0.95), s.curve.maximum]
                    .map(NumberFormatting.exact))
        }
        return (["output,points,mean,min,p5,p50,p95,max"] + lines).joined(separator: "\n") + "\n"
    }

    /// `correlations.csv`: `parameter,kind,output,spearman_rho,points` (empty ρ where it is undefined).
    public var correlationsCSV: String {
        let kinds = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.kind.rawValue) })
        let lines = rankCorrelations.map { c in
            CSVOutput.row([c.parameter, kinds[c.parameter] ?? "", c.output, c.rho.map(NumberFormatting.exact) ?? "", "\(c.points)"])
        }
        return (["parameter,kind,output,spearman_rho,points"] + lines).joined(separator: "\n") + "\n"
    }

    /// `envelopes.csv`: `series,year,points,min,p5,p50,p95,max` for every yearly series.
    public var envelopesCSV: String {
        let lines = envelopes.flatMap { e in
            e.years.indices.map { k in
                CSVOutput.row([e.series, "\(e.years[k])", "\(e.points)"]
                    + [e.minimum[k], e.p5[k], e.p50[k], e.p95[k], e.maximum[k]].map(NumberFormatting.exact))
            }
        }
        return (["series,year,points,min,p5,p50,p95,max"] + lines).joined(separator: "\n") + "\n"
    }

    /// `robustness.csv`: `quantity,direction,option,futures,mean_value,regret_mean,regret_p90,regret_max,share_best,threshold,satisficing`
    /// (direction `higher` or `lower` is better), then `threshold,threshold_side,satisficing`: the threshold, `>=` or
    /// `<=` (what meeting it means) and the share of futures meeting it, all empty when no threshold was given.
    public var robustnessCSV: String {
        let lines = robustness.flatMap { t in
            t.scores.map { s in
                CSVOutput.row([t.quantity, t.higherIsBetter ? "higher" : "lower", s.option, "\(s.futures)"]
                    + [s.meanValue, s.meanRegret, s.p90Regret, s.maxRegret, s.shareBest].map(NumberFormatting.exact)
                    + [t.threshold.map(NumberFormatting.exact) ?? "", t.threshold == nil ? "" : t.thresholdAtLeast ? ">=" : "<=",
                       s.satisficing.map(NumberFormatting.exact) ?? ""])
            }
        }
        return (["quantity,direction,option,futures,mean_value,regret_mean,regret_p90,regret_max,share_best,threshold,threshold_side,satisficing"]
                + lines)
            .joined(separator: "\n") + "\n"
    }

    /// How many futures and options, in words: "300 points: 100 futures × 3 combinations of the levers".
    public var designLine: String {
        let run = pointsRun < pointCount ? " (\(NumberFormatting.grouped(pointsRun)) run)" : ""
        guard leverCombinations > 1 || !leverValues.isEmpty else {
            return "\(NumberFormatting.counted(pointCount, "point"))\(run), each a future"
        }
        return "\(NumberFormatting.counted(pointCount, "point"))\(run): \(NumberFormatting.counted(futures, "future")) × " +
            "\(NumberFormatting.counted(leverCombinations, "combination")) of the levers (\(leverValues.map(\.name).joined(separator: ", ")))"
    }

    /// Whether a quantity is money, as its metric says (``SweepAnalysis/metric(of:)``).
    static func isMoney(_ quantity: String) -> Bool { metric(of: quantity)?.isMoney ?? false }

    static func value(_ x: Double, _ quantity: String) -> String {
        x == 0 ? "0" : isMoney(quantity) ? NumberFormatting.compact(x) : SweepCharts.label(x)
    }

    /// The spread table: per output its median, p5–p95 and mean across the points.
    public var spreadTable: TableData {
        TableData(headers: ["output", "points", "median", "p5 – p95", "mean"], rows: spreads.map { s in
            [s.output, NumberFormatting.grouped(s.points), Self.value(s.curve.quantile(0.5), s.output),
             "\(Self.value(s.curve.quantile(0.05), s.output)) – \(Self.value(s.curve.quantile(0.95), s.output))",
             Self.value(s.mean, s.output)]
        }, cuttable: [0])
    }

    /// One robustness table: per option, best first, its regret and its share of futures meeting the threshold.
    public func table(_ t: RobustnessTable) -> TableData {
        let scores = t.scores.sorted { ($0.meanRegret, $0.option) < ($1.meanRegret, $1.option) }
        let satisfice = t.threshold.map { "meets \(t.thresholdAtLeast ? "≥" : "≤") \(Self.value($0, t.quantity))" }
        return TableData(
            headers: ["option", "mean", "mean regret", "p90 regret", "max regret", "best in"] + (satisfice.map { [$0] } ?? []),
            rows: scores.map { s in
                [s.option, Self.value(s.meanValue, t.quantity), Self.value(s.meanRegret, t.quantity), Self.value(s.p90Regret, t.quantity),
                 Self.value(s.maxRegret, t.quantity), Comparison.share(s.shareBest)] + (s.satisficing.map { [Comparison.share($0)] } ?? [])
            }, cuttable: [0])
    }

    /// The strongest rank correlations, one row per output: its parameters ordered by |ρ|.
    public var correlationTable: TableData {
        let numeric = parameters.filter { p in p.values.contains { if case .number? = $0 { true } else { false } } }
        let all = rankCorrelations
        return TableData(headers: ["output"] + numeric.map { $0.name + ($0.kind == .lever ? " (lever)" : "") }, rows: horizonOutputs.map { o in
            [o] + numeric.map { p in
                all.first { $0.parameter == p.name && $0.output == o }?.rho.map { String(format: "%+.2f", $0) } ?? "—"
            }
        }, cuttable: [0])
    }

    /// Terminal lines: what the sweep ran, each output's spread, each robustness table, and what was left out.
    public func summaryLines(width: Int?) -> [String] {
        var lines = TextTable.wrap("\(path): \(designLine)", width: width) + [""]
        lines += spreadTable.lines(width: width)
        for t in robustness {
            lines += [""] + TextTable.wrap("""
                \(t.quantity) across \(NumberFormatting.counted(t.scores.first?.futures ?? 0, "future")) (\(t.optionKind); \
                \(t.higherIsBetter ? "higher" : "lower") is better; regret: how far short of the best option in each future)
                """, width: width)
            lines += table(t).lines(width: width)
        }
        if !robustnessSkipped.isEmpty {
            lines += [""] + TextTable.wrap("""
                note: no regret for \(robustnessSkipped.joined(separator: ", ")): dxmap does not know whether more is better; \
                --satisfy 'NAME>=X' or 'NAME<=X' says so and scores the share of futures meeting X
                """, width: width)
        }
        return lines
    }
}

/// A sweep's report (`dxmap sweep … --out DIR`, `dxmap report DB --out DIR`): `report.html` with the outputs'
/// distributions across the futures, the robustness of the options the sweep compares, the envelopes of yearly
/// outcomes and each parameter against each output; `outputs.csv`, `correlations.csv`, `envelopes.csv`,
/// `robustness.csv`, the charts as SVG, and `run.json`. On the terminal, the spreads and the robustness tables.
public struct SweepReportOutput: OutputSet {
    public var analysis: SweepAnalysis
    public var record: StudyRecord
    /// At most this many outputs get a scatter row and a distribution row (the CSVs have them all).
    public static let chartedOutputs = 8

    public init(analysis: SweepAnalysis, record: StudyRecord) { (self.analysis, self.record) = (analysis, record) }

    var charts: (distributions: String, scatter: String, envelopes: String?, regret: String?) {
        let a = analysis
        let charted = Array(a.spreads.prefix(Self.chartedOutputs))
        // The policies of one metric overlaid in one row; every other output a row of its own. The reference is the
        // threshold given for the quantity, else zero (break-even, for money).
        let families = SweepAnalysis.policyFamilies(a.horizonOutputs)
        var rows: [DistributionChart.Row] = [], drawn = Set<String>()
        for s in a.spreads where !drawn.contains(s.output) && rows.count < Self.chartedOutputs {
            let family = families.first { f in f.policies.contains { $0.1 == s.output } }
            let members = family.map { f in f.policies.compactMap { policy, output in a.spreads.first { $0.output == output }.map { (policy, $0) } } }
                ?? [(s.output, s)]
            let quantity = family?.quantity ?? s.output
            let threshold = a.thresholds.first { $0.quantity == quantity }
            rows.append(DistributionChart.Row(
                title: quantity,
                series: members.enumerated().map { k, m in
                    DistributionChart.Series(name: m.0, curve: m.1.curve, colour: SweepCharts.colours[k % SweepCharts.colours.count])
                },
                isMoney: SweepAnalysis.isMoney(s.output), reference: threshold?.value ?? 0,
                referenceName: threshold.map { SweepAnalysis.value($0.value, quantity) } ?? "0"))
            drawn.formUnion(members.map(\.1.output))
        }
        let distributions = DistributionChart.svg(title: "Each output across the sweep's futures", subtitle: """
            Histogram and S-curve of the points' means over their draws (\(a.designLine))
            """, rows: rows)
        let scatter = SweepCharts.scatter(a, outputs: charted.map(\.output), title: "Each parameter against each output",
                                          subtitle: "Every point's mean; ρ is Spearman's rank correlation over the points")
        let envelopes = a.envelopes.isEmpty ? nil : SweepCharts.envelopes(a.envelopes, title: "Outcomes year by year across the futures",
                                                                        subtitle: "Per year: every future's range, the middle 90% and the median")
        let robust = a.robustness
        let regret = robust.isEmpty ? nil : SweepCharts.regret(robust, title: "Which option holds up across the futures",
                                                              subtitle: "Regret: how far an option falls short of the best one in the same future")
        return (distributions, scatter, envelopes, regret)
    }

    public func files() throws -> [OutputFiles.File] {
        let a = analysis, c = charts
        var files = [OutputFiles.File(name: "outputs.csv", text: a.outputsCSV), OutputFiles.File(name: "correlations.csv", text: a.correlationsCSV),
                     OutputFiles.File(name: "envelopes.csv", text: a.envelopesCSV), OutputFiles.File(name: "robustness.csv", text: a.robustnessCSV),
                     OutputFiles.File(name: "distributions.svg", text: c.distributions), OutputFiles.File(name: "scatter.svg", text: c.scatter)]
        if let e = c.envelopes { files.append(OutputFiles.File(name: "envelopes.svg", text: e)) }
        if let r = c.regret { files.append(OutputFiles.File(name: "regret.svg", text: r)) }
        files += [OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
                  OutputFiles.File(name: "report.html", text: report(c).html)]
        return files
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        [TerminalText(analysis.summaryLines(width: style.columns).joined(separator: "\n"))]
    }

    func report(_ c: (distributions: String, scatter: String, envelopes: String?, regret: String?)) -> HTMLReport {
        let a = analysis
        var sections: [HTMLReport.Section] = []
        let robust = a.robustness
        if let regret = c.regret {
            let best = robust.map { t -> String in
                let s = t.scores.min { ($0.meanRegret, $0.option) < ($1.meanRegret, $1.option) }!
                let satisfice = s.satisficing.map { "; it meets the threshold in \(Comparison.share($0)) of them" } ?? ""
                let v = { SweepAnalysis.value($0, t.quantity) }
                if s.maxRegret == 0 {
                    return "On \(t.quantity), \(s.option) is the best option in every one of the \(s.futures) futures (regret 0)\(satisfice)."
                }
                return "On \(t.quantity), \(s.option) has the lowest mean regret, \(v(s.meanRegret)): in 90% of the futures it is within " +
                    "\(v(s.p90Regret)) of the best option, \(v(s.maxRegret)) at worst; it is the best option in \(Comparison.share(s.shareBest)) " +
                    "of the \(s.futures) futures\(satisfice)."
            }
            sections.append(HTMLReport.Section(
                title: "Which option holds up across the futures?",
                howToRead: [
                    "Every option runs in every future on the same random draws. In each future an option's regret is how far it " +
                        "falls short of the best option there (zero: it was the best). The bar is the mean regret over the futures, " +
                        "the solid tick its 90th percentile, the dotted tick the worst future. A robust option has small regret " +
                        "everywhere, not only on average.",
                ] + best + (a.thresholds.isEmpty ? ["Satisficing, the share of futures in which an option meets a threshold, " +
                    "needs the threshold: give --satisfy 'NAME>=X' or 'NAME<=X'."] : []),
                chart: regret, tables: robust.map { ("\($0.quantity) (\($0.optionKind))", a.table($0)) },
                notes: a.robustnessSkipped.isEmpty ? [] : ["No regret for \(a.robustnessSkipped.joined(separator: ", ")): dxmap does " +
                    "not know whether more is better; --satisfy says so."]))
        }
        sections.append(HTMLReport.Section(
            title: "How each output spreads across the futures",
            howToRead: [
                "One number per future: the point's mean over its draws. Left, the share of futures in each bin; right, the " +
                    "share of futures at or below each value, with the 5th, 50th and 95th percentiles marked. \(a.designLine).",
            ],
            chart: c.distributions, tables: [("Each output across the futures", a.spreadTable)],
            notes: a.spreads.count > SweepReportOutput.chartedOutputs ? ["The chart overlays the policies of each metric and draws at " +
                "most \(SweepReportOutput.chartedOutputs) rows; the table and outputs.csv have every output."] : []))
        if let e = c.envelopes {
            let rows = a.envelopes.flatMap { env in
                env.years.indices.map { k in
                    [env.series, "\(env.years[k])", SweepAnalysis.value(env.p50[k], env.series),
                     "\(SweepAnalysis.value(env.p5[k], env.series)) – \(SweepAnalysis.value(env.p95[k], env.series))",
                     "\(SweepAnalysis.value(env.minimum[k], env.series)) – \(SweepAnalysis.value(env.maximum[k], env.series))"]
                }
            }
            sections.append(HTMLReport.Section(
                title: "How outcomes unfold year by year",
                howToRead: ["Each panel is one yearly output (the sweep's outputs named …@yearN). Per year, the light band holds every " +
                    "future, the darker band the middle 90% of them, the line the median future: how wide the futures fan out, and when."],
                chart: e, tables: [("Per year across the futures", TableData(headers: ["series", "year", "median", "p5 – p95", "range"], rows: rows,
                                                                              cuttable: [0]))]))
        }
        sections.append(HTMLReport.Section(
            title: "Which inputs move each output?",
            howToRead: [
                "Each panel plots every point's output against one parameter; ρ is Spearman's rank correlation over the points " +
                    "(+1: the output rises whenever the parameter does; 0: no monotone relation). Levers are drawn in orange, " +
                    "uncertainties in blue. A correlation is not a sensitivity index: `dxmap sensitivity` apportions the variance.",
            ],
            chart: c.scatter, tables: [("Spearman's ρ, parameter by output", a.correlationTable)],
            notes: a.horizonOutputs.count > SweepReportOutput.chartedOutputs ? ["The chart shows the first \(SweepReportOutput.chartedOutputs) " +
                "outputs; the table and correlations.csv have every one."] : []))
        return HTMLReport(title: "Sweep: \(URL(fileURLWithPath: a.path).lastPathComponent)", subtitle: a.designLine,
                          provenance: HTMLReport.provenance(record), sections: sections)
    }
}
