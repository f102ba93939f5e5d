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
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(r.scenarioName, subtitle: """
            Where displaced people are, by year and policy (mean of \(r.draws) draws, seed \(r.seed)); below: cumulative redundancies
            """,
                    x: 60, y: 30)
        // Stacked bars: one panel per policy, same y scale.
        let totals = r.policies.flatMap { p in
            (1...H).map { y in categories.reduce(0.0) { $0 + (r.summary(policy: p.id, year: y, metric: $1.0)?.mean ?? 0) } }
        }
        let yMax = niceCeiling(max(totals.max() ?? 1, 1))
        let gap = 24.0, left = 60.0, right = width - 30
        let panelWidth = (right - left - gap * Double(P - 1)) / Double(P)
        for (i, p) in r.policies.enumerated() {
            let x0 = left + Double(i) * (panelWidth + gap)
            svg.text(x0, panelTop - 10, shortened(p.name, to: Int(panelWidth / 7)), size: 12, weight: "bold")
            svg.line(x0, panelTop + panelHeight, x0 + panelWidth, panelTop + panelHeight, stroke: "#999", width: 1)
            let barWidth = panelWidth / Double(H) * 0.7
            for y in 1...H {
                var top = panelTop + panelHeight
                let bx = x0 + (Double(y) - 0.5) * panelWidth / Double(H) - barWidth / 2
                for (metric, label, colour) in categories {
                    let v = r.summary(policy: p.id, year: y, metric: metric)?.mean ?? 0
                    let h = v / yMax * panelHeight
                    guard h > 0 else { continue }
                    top -= h
                    svg.bar(
                        bx, bx + barWidth, y: top, height: h, fill: colour,
                        tip: "\(p.name), year \(y): \(label) \(String(format: "%.0f", v))")
                }
                svg.text(bx + barWidth / 2, panelTop + panelHeight + 16, "\(y)", size: 11, fill: "#333", anchor: "middle")
            }
        }
        svg.yTickLabels(
            Array(stride(from: 0.0, through: yMax, by: yMax / 4)), x: left - 6, pixel: { panelTop + panelHeight - $0 / yMax * panelHeight }
        ) {
            String(format: "%.0f", $0)
        }
        svg.text(left, panelTop + panelHeight + 34, "year", size: 11, fill: "#555")
        // Legend in rows that fit the width.
        var (lx, ly) = (left, panelTop + panelHeight + 48)
        for (_, label, colour) in categories {
            let w = SVGCanvas.textWidth(label) + 30
            if lx + w > right { (lx, ly) = (left, ly + 18) }
            svg.legendKey(lx, ly, fill: colour, label: label)
            lx += w
        }
        // Fan chart of cumulative redundancies.
        let fans = r.policies.map { r.cumulativeRedundancies(policy: $0.id) }
        let fanMax = niceCeiling(max(fans.flatMap { $0.map(\.p95) }.max() ?? 1, 1))
        let fx0 = left, fx1 = width / 2 + 40
        func px(_ y: Int) -> Double { fx0 + Double(y - 1) / Double(max(H - 1, 1)) * (fx1 - fx0) }
        func py(_ v: Double) -> Double { fanTop + fanHeight - v / fanMax * fanHeight }
        svg.text(fx0, fanTop - 14, "Cumulative redundancies: median, p25–p75 and p5–p95 over draws", size: 12, weight: "bold")
        svg.frame(fx0, fanTop, fx1, fanTop + fanHeight, stroke: "#ccc")
        for (i, fan) in fans.enumerated() {
            let colour = policyColours[i % policyColours.count]
            for (lo, hi, opacity) in [(\DistributionSummary.p5, \DistributionSummary.p95, 0.12), (\.p25, \.p75, 0.22)] {
                svg.band(
                    upper: (1...H).map { (px($0), py(fan[$0 - 1][keyPath: hi])) },
                    lower: (1...H).map { (px($0), py(fan[$0 - 1][keyPath: lo])) },
                         fill: colour, opacity: opacity)
            }
            svg.polyline((1...H).map { (px($0), py(fan[$0 - 1].p50)) }, stroke: colour, width: 2)
            svg.swatch(fx1 + 30, fanTop + 10 + Double(i) * 22, width: 14, height: 4, fill: colour)
            let last = fan[H - 1]
            svg.text(fx1 + 50, fanTop + 16 + Double(i) * 22,
                     """
                         \(shortened(r.policies[i].name, to: 40)): \(String(format: "%.0f", last.p50)) \
                         (\(String(format: "%.0f", last.p5))–\(String(format: "%.0f", last.p95)))
                         """, size: 11)
        }
        for y in 1...H { svg.text(px(y), fanTop + fanHeight + 16, "\(y)", size: 11, fill: "#333", anchor: "middle") }
        svg.yTickLabels(Array(stride(from: 0.0, through: fanMax, by: fanMax / 4)), x: fx0 - 6, pixel: py) { String(format: "%.0f", $0) }
        svg.text(fx0, fanTop + fanHeight + 34, "year; people", size: 11, fill: "#555")
        return svg.document
    }

    /// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above x.
    static func niceCeiling(_ x: Double) -> Double {
        let magnitude = pow(10, floor(log10(x)))
        return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map { $0 * magnitude }.first { $0 >= x } ?? x
    }
}
