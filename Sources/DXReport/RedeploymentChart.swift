import DXEngine
import DXSampling
import Foundation

/// The redeployment comparison as an SVG for a report: per policy, stacked
/// bars by year of where displaced people are (mean over draws), and a fan
/// chart of cumulative redundancies (median, p25–p75 and p5–p95 bands).
public enum RedeploymentChart {
    static let categories: [(RedeploymentMetric, String, String)] = [
        (.absorbedByAttrition, "absorbed by attrition", "#66a61e"),
        (.redeployedInternal, "redeployed internally", "#1b9e77"),
        (.redeployedCrossOrg, "redeployed across organisations", "#7570b3"),
        (.retrainedPlaced, "retrained and placed", "#e6ab02"),
        (.inTraining, "in training (year end)", "#a6761d"),
        (.inPool, "waiting in the pool (year end)", "#999999"),
        (.redundant, "made redundant", "#d95f02"),
    ]
    static let policyColours = ["#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]

    /// The chart as a standalone SVG document.
    public static func svg(_ r: RedeploymentResult) -> String {
        let width = 1000.0, panelTop = 90.0, panelHeight = 240.0, fanTop = panelTop + panelHeight + 130, fanHeight = 220.0
        let height = fanTop + fanHeight + 70
        let P = r.policies.count, H = r.horizon
        var svg = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="Helvetica, Arial, sans-serif">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            MatrixChart.text(60, 30, MatrixChart.escape(r.scenarioName), size: 18, weight: "bold"),
            MatrixChart.text(60, 50, "Where displaced people are, by year and policy (mean of \(r.draws) draws, seed \(r.seed)); below: cumulative redundancies", size: 12, fill: "#555"),
        ]
        // Stacked bars: one panel per policy, same y scale.
        let totals = r.policies.flatMap { p in (1...H).map { y in categories.reduce(0.0) { $0 + (r.summary(policy: p.id, year: y, metric: $1.0)?.mean ?? 0) } } }
        let yMax = niceCeiling(max(totals.max() ?? 1, 1))
        let gap = 24.0, left = 60.0, right = width - 30
        let panelWidth = (right - left - gap * Double(P - 1)) / Double(P)
        for (i, p) in r.policies.enumerated() {
            let x0 = left + Double(i) * (panelWidth + gap)
            svg.append(MatrixChart.text(x0, panelTop - 10, MatrixChart.escape(truncated(p.name, to: Int(panelWidth / 7))), size: 12, weight: "bold"))
            svg.append(MatrixChart.line(x0, panelTop + panelHeight, x0 + panelWidth, panelTop + panelHeight, stroke: "#999", width: 1))
            let barWidth = panelWidth / Double(H) * 0.7
            for y in 1...H {
                var top = panelTop + panelHeight
                let bx = x0 + (Double(y) - 0.5) * panelWidth / Double(H) - barWidth / 2
                for (metric, label, colour) in categories {
                    let v = r.summary(policy: p.id, year: y, metric: metric)?.mean ?? 0
                    let h = v / yMax * panelHeight
                    guard h > 0 else { continue }
                    top -= h
                    svg.append(##"<rect x="\##(MatrixChart.f(bx))" y="\##(MatrixChart.f(top))" width="\##(MatrixChart.f(barWidth))" height="\##(MatrixChart.f(h))" fill="\##(colour)"><title>\##(p.name), year \##(y): \##(label) \##(String(format: "%.0f", v))</title></rect>"##)
                }
                svg.append(MatrixChart.text(bx + barWidth / 2, panelTop + panelHeight + 16, "\(y)", size: 11, fill: "#333", anchor: "middle"))
            }
        }
        for t in stride(from: 0.0, through: yMax, by: yMax / 4) {
            let py = panelTop + panelHeight - t / yMax * panelHeight
            svg.append(MatrixChart.text(left - 6, py + 4, String(format: "%.0f", t), size: 10, fill: "#333", anchor: "end"))
        }
        svg.append(MatrixChart.text(left, panelTop + panelHeight + 34, "year", size: 11, fill: "#555"))
        // Legend in rows that fit the width.
        var (lx, ly) = (left, panelTop + panelHeight + 48)
        for (_, label, colour) in categories {
            let w = Double(label.count) * 6.1 + 30
            if lx + w > right { (lx, ly) = (left, ly + 18) }
            svg.append(##"<rect x="\##(MatrixChart.f(lx))" y="\##(MatrixChart.f(ly))" width="10" height="10" fill="\##(colour)"/>"##)
            svg.append(MatrixChart.text(lx + 14, ly + 9, label, size: 11))
            lx += w
        }
        // Fan chart of cumulative redundancies.
        let fans = r.policies.map { r.cumulativeRedundancies(policy: $0.id) }
        let fanMax = niceCeiling(max(fans.flatMap { $0.map(\.p95) }.max() ?? 1, 1))
        let fx0 = left, fx1 = width / 2 + 40
        func px(_ y: Int) -> Double { fx0 + Double(y - 1) / Double(max(H - 1, 1)) * (fx1 - fx0) }
        func py(_ v: Double) -> Double { fanTop + fanHeight - v / fanMax * fanHeight }
        svg.append(MatrixChart.text(fx0, fanTop - 14, "Cumulative redundancies: median, p25–p75 and p5–p95 over draws", size: 12, weight: "bold"))
        svg.append(##"<rect x="\##(MatrixChart.f(fx0))" y="\##(MatrixChart.f(fanTop))" width="\##(MatrixChart.f(fx1 - fx0))" height="\##(MatrixChart.f(fanHeight))" fill="none" stroke="#ccc"/>"##)
        for (i, fan) in fans.enumerated() {
            let colour = policyColours[i % policyColours.count]
            for (lo, hi, opacity) in [(\DistributionSummary.p5, \DistributionSummary.p95, 0.12), (\.p25, \.p75, 0.22)] {
                let upper = (1...H).map { "\(MatrixChart.f(px($0))),\(MatrixChart.f(py(fan[$0 - 1][keyPath: hi])))" }
                let lower = (1...H).reversed().map { "\(MatrixChart.f(px($0))),\(MatrixChart.f(py(fan[$0 - 1][keyPath: lo])))" }
                svg.append(##"<polygon points="\##((upper + lower).joined(separator: " "))" fill="\##(colour)" fill-opacity="\##(opacity)"/>"##)
            }
            let median = (1...H).map { "\(MatrixChart.f(px($0))),\(MatrixChart.f(py(fan[$0 - 1].p50)))" }.joined(separator: " ")
            svg.append(##"<polyline points="\##(median)" fill="none" stroke="\##(colour)" stroke-width="2"/>"##)
            svg.append(##"<rect x="\##(MatrixChart.f(fx1 + 30))" y="\##(MatrixChart.f(fanTop + 10 + Double(i) * 22))" width="14" height="4" fill="\##(colour)"/>"##)
            let last = fan[H - 1]
            svg.append(MatrixChart.text(fx1 + 50, fanTop + 16 + Double(i) * 22,
                                        "\(MatrixChart.escape(truncated(r.policies[i].name, to: 40))): \(String(format: "%.0f", last.p50)) (\(String(format: "%.0f", last.p5))–\(String(format: "%.0f", last.p95)))", size: 11))
        }
        for y in 1...H { svg.append(MatrixChart.text(px(y), fanTop + fanHeight + 16, "\(y)", size: 11, fill: "#333", anchor: "middle")) }
        for t in stride(from: 0.0, through: fanMax, by: fanMax / 4) {
            svg.append(MatrixChart.text(fx0 - 6, py(t) + 4, String(format: "%.0f", t), size: 10, fill: "#333", anchor: "end"))
        }
        svg.append(MatrixChart.text(fx0, fanTop + fanHeight + 34, "year; people", size: 11, fill: "#555"))
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func truncated(_ s: String, to n: Int) -> String { s.count > n ? String(s.prefix(max(1, n - 1))) + "…" : s }

    /// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above x.
    static func niceCeiling(_ x: Double) -> Double {
        let magnitude = pow(10, floor(log10(x)))
        return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map { $0 * magnitude }.first { $0 >= x } ?? x
    }
}
