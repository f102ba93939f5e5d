import DXAnalysis
import DXExperiments
import DXSampling
import DXSupport
import Foundation

extension SensitivityReport {
    /// `sensitivity.csv`: `output,parameter,method,index,value,ci_low,ci_high`.
    public var csv: String {
        let header = "output,parameter,method,index,value,ci_low,ci_high"
        let lines = rows.map { r in
            CSVOutput.row(
                [r.output, r.parameter, method.rawValue, r.index]
                    + [r.estimate.value, r.estimate.low, r.estimate.high].map(NumberFormatting.exact))
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// `points.csv`: each point's output value (mean over draws), its Monte Carlo standard error, and why it failed.
    public var pointsCSV: String {
        var lines = ["point,output,value,mc_se,failure"]
        for (output, mean, sd) in pointValues {
            for p in mean.indices {
                let se = sd[p] / Double(draws).squareRoot()
                lines.append(
                    CSVOutput.row(["\(p)", output, NumberFormatting.exact(mean[p]), NumberFormatting.exact(se), failures[p] ?? ""]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Terminal lines for one output: its parameters ranked by the method's main index
    /// (ST for Sobol, μ* for Morris, swing width for the tornado), with intervals.
    public func table(output: String) -> [String] {
        let base = bases.first { $0.output == output }.map { " (base \(NumberFormatting.compact($0.value)))" } ?? ""
        return ["\(output)\(base)"] + tableData(output: output).lines
    }

    /// The cells of ``table(output:)``.
    public func tableData(output: String) -> TableData {
        func fmt(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: abs($0) < 10 ? "%.3f" : "%.4g", $0) : "–" } ?? "–" }
        func ci(_ e: Estimate?) -> String { e.map { "[\(fmt($0.low)), \(fmt($0.high))]" } ?? "" }
        let headers: [String]
        var rows: [(key: Double, cells: [String])] = []
        switch method {
        case .sobol:
            headers = ["parameter", "S1", "95% CI", "ST", "95% CI"]
            let s1 = estimates(output: output, index: "S1"), st = estimates(output: output, index: "ST")
            for (i, p) in parameters.enumerated() {
                rows.append((st[i]?.value ?? -1, [p, fmt(s1[i]?.value), ci(s1[i]), fmt(st[i]?.value), ci(st[i])]))
            }
        case .morris:
            headers = ["parameter", "μ*", "95% CI", "μ", "σ"]
            let ms = estimates(output: output, index: "mu_star"), mu = estimates(output: output, index: "mu"),
                sd = estimates(output: output, index: "sigma")
            for (i, p) in parameters.enumerated() {
                rows.append((ms[i]?.value ?? -1, [p, NumberFormatting.compact(ms[i]?.value ?? .nan), """
                    [\(NumberFormatting.compact(ms[i]?.low ?? .nan)), \(NumberFormatting.compact(ms[i]?.high ?? .nan))]
                    """,
                            NumberFormatting.compact(mu[i]?.value ?? .nan), NumberFormatting.compact(sd[i]?.value ?? .nan),
                        ]
                    ))
            }
        case .tornado:
            headers = ["parameter", "at 5%", "at 95%", "swing"]
            let lo = estimates(output: output, index: "swing_low"), hi = estimates(output: output, index: "swing_high")
            for (i, p) in parameters.enumerated() {
                let w = abs((hi[i]?.value ?? .nan) - (lo[i]?.value ?? .nan))
                rows.append(
                    (
                        w.isFinite ? w : -1,
                        [
                            p, NumberFormatting.compact(lo[i]?.value ?? .nan), NumberFormatting.compact(hi[i]?.value ?? .nan),
                            NumberFormatting.compact(w),
                        ]
                    ))
            }
        }
        let sorted = rows.enumerated().sorted { ($0.element.key, -$0.offset) > ($1.element.key, -$1.offset) }.map(\.element.cells)
        return TableData(headers: headers, rows: sorted)
    }
}


/// A sensitivity study's output set: `sensitivity.csv`, `points.csv`, the method's chart (`sobol.svg`, `morris.svg`
/// or `tornado.svg`), `report.html` and `run.json`; on the terminal each output's parameters ranked; its warnings
/// and notes on standard error.
public struct SensitivityOutput: OutputSet {
    public var report: SensitivityReport
    /// The chart's and the report's title.
    public var title: String
    public var record: StudyRecord

    public init(report: SensitivityReport, title: String, record: StudyRecord) {
        (self.report, self.title, self.record) = (report, title, record)
    }

    public func files() throws -> [OutputFiles.File] {
        let chart = SensitivityChart.svg(report, title: title)
        return [OutputFiles.File(name: "sensitivity.csv", text: report.csv), OutputFiles.File(name: "points.csv", text: report.pointsCSV),
                OutputFiles.File(name: "\(report.method.rawValue).svg", text: chart),
                OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
                OutputFiles.File(name: "report.html", text: report.report(title: title, run: record, chart: chart).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        report.outputs.flatMap { [TerminalText(report.table(output: $0).joined(separator: "\n")), TerminalText("")] }
    }

    public var warnings: [String] { report.messages }
}

extension SensitivityReport {
    /// The study as a report: the chart with how to read it, each output's ranking, the parameters' ranges, the
    /// study's warnings and notes, and the provenance.
    public func report(title: String, run: StudyRecord, chart: String) -> HTMLReport {
        let how: [String] = switch method {
        case .sobol: [
            "Which inputs drive the uncertainty in each output. S1 (first order) is the share of the output's variance an " +
                "input explains on its own; ST (total) adds everything it does together with other inputs. An input with ST " +
                "near 0 can be fixed anywhere in its range without changing the answer; ST well above S1 means interactions.",
            "Bars are estimates from \(points) points of \(draws) draws each; whiskers are 95% bootstrap intervals.",
        ]
        case .morris: [
            "A screening of which inputs matter, cheaper than Sobol indices. Further right (μ*, the mean absolute effect of " +
                "moving an input across its range) means more influence. Higher up (σ) means the effect changes from place " +
                "to place in the input space: interactions or non-linearity. Points above the dashed σ = μ* line have " +
                "effects that vary more than their typical size.",
            "Inputs near the origin can be left at their central values. Horizontal lines are 95% intervals of μ*.",
        ]
        case .tornado: [
            "How far each output moves when one input goes from its median to its 5% or 95% point while the others stay at " +
                "their medians: green bars at 5%, orange at 95%, with the output's value at each end. The widest bars are the " +
                "inputs to pin down first. Under each input's name: its value at the 5% and 95% points.",
            "A tornado ignores interactions: use Sobol indices where inputs act together.",
        ]
        }
        let ranges = TableData(headers: ["parameter", "varied over"],
                               rows: zip(parameters, ranges.isEmpty ? parameters.map { _ in "–" } : ranges).map { [$0, $1] })
        let section = HTMLReport.Section(
            title: "Which inputs matter", howToRead: how, chart: chart,
            tables: outputs.map { ("\($0): parameters ranked", tableData(output: $0)) } + [("Parameters and their ranges", ranges)],
            notes: messages)
        return HTMLReport(title: title, subtitle: "\(method.rawValue.capitalized) sensitivity: \(points) points × \(draws) draws",
                          provenance: HTMLReport.provenance(run), sections: [section])
    }
}
