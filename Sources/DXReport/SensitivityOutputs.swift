import DXAnalysis
import DXExperiments
import DXSampling
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
        let base = bases.first { $0.output == output }.map { " (base \(NumberFormatting.compact($0.value)))" } ?? ""
        return ["\(output)\(base)"] + TextTable.lines(headers: headers, rows: sorted, leftAligned: [0])
    }
}


extension SensitivityReport {
    /// Writes `sensitivity.csv`, `points.csv`, the method's chart (`sobol.svg`, `morris.svg` or `tornado.svg`) and
    /// `run.json` into `directory`, as a set (``OutputFiles``); returns their paths.
    public func write(to directory: String, title: String, run: StudyRecord) throws -> [String] {
        try OutputFiles.write([("sensitivity.csv", csv), ("points.csv", pointsCSV),
                ("\(method.rawValue).svg", SensitivityChart.svg(self, title: title)), ("run.json", JSONOutput.run(run)),
            ], to: directory)
    }
}
