import DXEngine
import DXExperiments
import DXSampling
import Foundation

/// What `dxmap adopt` writes and prints: the programme comparison as a tidy
/// CSV, a terminal table, and adoption curves per service.
public enum AdoptionOutputs {
    public static let programmesHeader = "programme,level,id,metric,mean,sd,p5,p50,p95,diff_mean,diff_low,diff_high"

    /// `programmes.csv`: per programme, entity (services, organisations, total) and metric, the distribution over
    /// draws and the difference from the baseline programme on the same draws, with a 95% interval for its mean.
    public static func programmesCSV(_ r: AdoptionResult) -> String {
        var lines = [programmesHeader]
        for p in r.programmes {
            for e in r.entities {
                for metric in AdoptionMetric.allCases {
                    guard let s = r.summary(programme: p.id, level: e.level, id: e.id, metric),
                          let d = r.difference(programme: p.id, level: e.level, id: e.id, metric) else { continue }
                    lines.append(CSVOutput.row([p.id, e.level.rawValue, e.id, metric.rawValue]
                        + [s.mean, s.sd, s.p5, s.p50, s.p95, d.mean, d.low, d.high].map(NumberFormatting.exact)))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The terminal comparison at the total level: adoption, delay, NPV and its gain over the baseline, routine
    /// cost, net value and its gain (each gain with a 95% interval), and the return per unit of extra routine cost
    /// (ΔNPV / Δ routine cost).
    public static func table(_ r: AdoptionResult) -> [String] {
        let total = r.entities.last!
        let headers = ["programme", "adopted", "delay (y)", "NPV", "p5–p95", "ΔNPV [95% CI]", "routine cost", "net value", "Δ net value [95% CI]", "return / cost"]
        let rows = r.programmes.map { p -> [String] in
            func s(_ m: AdoptionMetric) -> DistributionSummary { r.summary(programme: p.id, level: total.level, id: total.id, m)! }
            func d(_ m: AdoptionMetric) -> PolicyDifference { r.difference(programme: p.id, level: total.level, id: total.id, m)! }
            let isBase = p.id == r.programmes[0].id
            let extraCost = d(.routineCost).mean, gain = d(.npv).mean
            return [p.id, NumberFormatting.percent(s(.adoptedByHorizon).mean), String(format: "%.2f", s(.adoptionDelay).mean),
                    NumberFormatting.compact(s(.npv).mean), "\(NumberFormatting.compact(s(.npv).p5))–\(NumberFormatting.compact(s(.npv).p95))",
                    isBase ? "baseline" : interval(d(.npv)),
                    NumberFormatting.compact(s(.routineCost).mean), NumberFormatting.compact(s(.netValue).mean),
                    isBase ? "baseline" : interval(d(.netValue)),
                    isBase || extraCost <= 0 ? "–" : String(format: "%.1f×", gain / extraCost)]
        }
        return TextTable.lines(headers: headers, rows: rows, leftAligned: [0])
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "−") + NumberFormatting.compact(abs(x)) }

    /// `+1.47M [+1.43M, +1.52M]`.
    static func interval(_ d: PolicyDifference) -> String { "\(signed(d.mean)) [\(signed(d.low)), \(signed(d.high))]" }

    /// `adoption.svg`: per service whose adoption barriers touch, the share of its work adopted by the end of each
    /// year, under the baseline and under the programme with the highest net value.
    public static func chart(_ r: AdoptionResult) -> String {
        let base = r.programmes[0], best = r.bestProgramme
        let services = r.entities.filter { $0.level == .service }.filter { e in
            (r.summary(programme: base.id, level: .service, id: e.id, .adoptionDelay)?.mean ?? 0) > 0
                || (r.summary(programme: base.id, level: .service, id: e.id, .adoptedByHorizon)?.mean ?? 1) < 0.999
        }
        let columns = 3, panelWidth = 280.0, panelHeight = 170.0, gap = 30.0, top = 90.0, left = 50.0
        let rows = max(1, (services.count + columns - 1) / columns)
        let width = left + Double(columns) * (panelWidth + gap), height = top + Double(rows) * (panelHeight + 60) + 20
        var svg = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="Helvetica, Arial, sans-serif">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            MatrixChart.text(left, 28, MatrixChart.escape(r.scenarioName), size: 18, weight: "bold"),
            MatrixChart.text(left, 48, MatrixChart.escape("Share of each service's work adopted by the end of each year (mean of \(r.draws) draws, the same draws for both)"), size: 12, fill: "#555"),
            ##"<rect x="\##(MatrixChart.f(left))" y="58" width="14" height="4" fill="#d95f02"/>"##,
            MatrixChart.text(left + 20, 64, MatrixChart.escape("\(base.name) (baseline)"), size: 11),
            ##"<rect x="\##(MatrixChart.f(left + 300))" y="58" width="14" height="4" fill="#1b9e77"/>"##,
            MatrixChart.text(left + 320, 64, MatrixChart.escape("\(best.name) (highest net value)"), size: 11),
        ]
        let H = r.horizon
        for (i, service) in services.enumerated() {
            let x0 = left + Double(i % columns) * (panelWidth + gap), y0 = top + Double(i / columns) * (panelHeight + 60)
            svg.append(MatrixChart.text(x0, y0 - 8, MatrixChart.escape(RedeploymentChart.truncated(service.name, to: 44)), size: 12, weight: "bold"))
            svg.append(##"<rect x="\##(MatrixChart.f(x0))" y="\##(MatrixChart.f(y0))" width="\##(MatrixChart.f(panelWidth))" height="\##(MatrixChart.f(panelHeight))" fill="none" stroke="#ccc"/>"##)
            func px(_ y: Int) -> Double { x0 + (Double(y) - 0.5) / Double(H) * panelWidth }
            func py(_ v: Double) -> Double { y0 + panelHeight - v * panelHeight }
            for (programme, colour) in [(base, "#d95f02"), (best, "#1b9e77")] {
                let curve = r.adoptionCurve(programme: programme.id, level: .service, id: service.id)
                let points = curve.enumerated().map { "\(MatrixChart.f(px($0.offset + 1))),\(MatrixChart.f(py($0.element)))" }.joined(separator: " ")
                svg.append(##"<polyline points="\##(points)" fill="none" stroke="\##(colour)" stroke-width="2"/>"##)
                for (k, v) in curve.enumerated() {
                    svg.append(##"<circle cx="\##(MatrixChart.f(px(k + 1)))" cy="\##(MatrixChart.f(py(v)))" r="3" fill="\##(colour)"><title>\##(MatrixChart.escape("\(programme.name), year \(k + 1): \(NumberFormatting.percent(v))"))</title></circle>"##)
                }
            }
            for y in 1...H { svg.append(MatrixChart.text(px(y), y0 + panelHeight + 14, "\(y)", size: 10, fill: "#333", anchor: "middle")) }
            for v in [0.0, 0.5, 1.0] { svg.append(MatrixChart.text(x0 - 4, py(v) + 4, NumberFormatting.percent(v), size: 10, fill: "#333", anchor: "end")) }
        }
        if services.isEmpty { svg.append(MatrixChart.text(left, top + 20, "No service meets a barrier.", size: 12)) }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// Writes `programmes.csv`, `adoption.svg` and `run.json` into `directory`, each through a temporary file;
    /// returns their paths.
    public static func write(_ r: AdoptionResult, run: RunRecord, to directory: String) throws -> [String] {
        try OutputFiles.write([("programmes.csv", programmesCSV(r)), ("adoption.svg", chart(r)), ("run.json", JSONOutput.run(run))],
                              to: directory)
    }
}
