import DXEngine
import DXSampling
import Foundation

/// The redeployment comparison as an SVG for a report, one column per policy on shared scales:
///
/// 1. flows: per year, where the people displaced that year went (absorbed by attrition, redeployed, retrained
///    and placed, made redundant), stacked bars of means over draws;
/// 2. stocks: people still in the redeployment pool or in training at the end of each year, drawn apart from the
///    flows because a person waiting is counted again every year they wait;
/// 3. cumulative redundancies: median with p25–p75 and p5–p95 bands, one panel per policy so the bands never
///    overlap.
public enum RedeploymentChart {
    static let flows: [(RedeploymentMetric, String, String)] = [
        (.absorbedByAttrition, "absorbed by attrition", "#66a61e"),
        (.redeployedInternal, "redeployed internally", "#1b9e77"),
        (.redeployedCrossOrg, "redeployed across organisations", "#7570b3"),
        (.retrainedPlaced, "retrained and placed", "#e6ab02"),
        (.redundant, "made redundant", "#d95f02"),
    ]
    static let stocks: [(RedeploymentMetric, String, String)] = [
        (.inPool, "waiting in the pool", "#999999"),
        (.inTraining, "in training", "#a6761d"),
    ]
    /// Every category drawn, flows then stocks.
    static var categories: [(RedeploymentMetric, String, String)] { flows + stocks }
    static let policyColours = ["#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]

    static let width = 1000.0, left = 76.0, right = 970.0, gap = 24.0

    /// The chart as a standalone SVG document.
    public static func svg(_ r: RedeploymentResult) -> String {
        let flowTop = 124.0, flowHeight = 200.0
        let stockTop = flowTop + flowHeight + 110, stockHeight = 90.0
        let fanTop = stockTop + stockHeight + 110, fanHeight = 150.0
        let height = fanTop + fanHeight + 50
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(r.run.scenarioName, subtitle: """
            Redeployment over \(r.run.horizon) years by policy: mean of \(NumberFormatting.grouped(r.run.draws)) draws, seed \(r.run.seed); \
            the same draws for every policy
            """, x: left, y: 30)
        let means = { (p: String, y: Int, m: RedeploymentMetric) in r.summary(policy: p, year: y, metric: m)?.mean ?? 0 }
        let flowMax = r.policies.flatMap { p in (1...r.run.horizon).map { y in flows.reduce(0.0) { $0 + means(p.id, y, $1.0) } } }.max() ?? 0
        let stockMax = r.policies.flatMap { p in (1...r.run.horizon).map { y in stocks.reduce(0.0) { $0 + means(p.id, y, $1.0) } } }.max() ?? 0
        svg.text(left, flowTop - 42, "Where the people displaced each year went (flows)", size: 13, weight: "bold")
        stackedPanels(r, categories: flows, top: flowTop, height: flowHeight, scale: PeopleScale(flowMax), yTitle: "people per year",
                      names: true, on: &svg)
        legend(flows, y: flowTop + flowHeight + 52, on: &svg)
        svg.text(left, stockTop - 28, "People not yet placed at the end of each year (stocks)", size: 13, weight: "bold")
        stackedPanels(r, categories: stocks, top: stockTop, height: stockHeight, scale: PeopleScale(stockMax),
                      yTitle: "people at year end", names: false, on: &svg)
        legend(stocks, y: stockTop + stockHeight + 52, on: &svg)
        fans(r, top: fanTop, height: fanHeight, on: &svg)
        return svg.document
    }

    /// The x extent of policy `i`'s panel.
    static func panel(_ i: Int, of count: Int) -> (x0: Double, x1: Double) {
        let w = (right - left - gap * Double(count - 1)) / Double(count)
        let x0 = left + Double(i) * (w + gap)
        return (x0, x0 + w)
    }

    /// One panel per policy of bars by year, `categories` stacked, on one scale, with the policy's name above
    /// (when `names`), year labels below and a y axis on the left.
    static func stackedPanels(_ r: RedeploymentResult, categories: [(RedeploymentMetric, String, String)], top: Double, height: Double,
                              scale: PeopleScale, yTitle: String, names: Bool, on svg: inout SVGCanvas) {
        let H = r.run.horizon, bottom = top + height
        for (i, p) in r.policies.enumerated() {
            let (x0, x1) = panel(i, of: r.policies.count)
            if names { svg.text(x0, top - 12, shortened(p.name, to: Int((x1 - x0) / 6.5)), size: 12, weight: "bold") }
            svg.line(x0, bottom, x1, bottom, stroke: "#999", width: 1)
            for t in scale.ticks where t > 0 { svg.line(x0, bottom - t / scale.top * height, x1, bottom - t / scale.top * height,
                                                        stroke: "#eee", width: 1) }
            let step = (x1 - x0) / Double(H), barWidth = step * 0.7
            for y in 1...H {
                var cursor = bottom
                let bx = x0 + (Double(y) - 0.5) * step - barWidth / 2
                for (metric, label, colour) in categories {
                    let v = r.summary(policy: p.id, year: y, metric: metric)?.mean ?? 0
                    let h = v / scale.top * height
                    guard h > 0 else { continue }
                    cursor -= h
                    svg.bar(bx, bx + barWidth, y: cursor, height: h, fill: colour, tip: "\(p.name), year \(y): \(label) \(Int(v.rounded()))")
                }
                svg.text(bx + barWidth / 2, bottom + 15, r.run.yearLabel(y), size: 10, fill: "#333", anchor: "middle")
            }
        }
        svg.yTickLabels(scale.ticks, x: left - 6, pixel: { bottom - $0 / scale.top * height }) { String(format: "%.0f", $0) }
        svg.verticalText(Int(left - 44), top + height / 2, yTitle, size: 11)
        svg.text(left, bottom + 30, r.run.yearAxisTitle, size: 11, fill: "#555")
    }

    /// A legend in rows that fit the width.
    static func legend(_ entries: [(RedeploymentMetric, String, String)], y: Double, on svg: inout SVGCanvas) {
        var (lx, ly) = (left + 40, y)
        for (_, label, colour) in entries {
            let w = SVGCanvas.textWidth(label) + 34
            if lx + w > right { (lx, ly) = (left + 40, ly + 18) }
            svg.legendKey(lx, ly - 9, fill: colour, label: label)
            lx += w
        }
    }

    /// Cumulative redundancies, one panel per policy on one scale: the median line, p25–p75 and p5–p95 bands,
    /// and the value at the horizon.
    static func fans(_ r: RedeploymentResult, top: Double, height: Double, on svg: inout SVGCanvas) {
        let H = r.run.horizon, bottom = top + height
        let fans = r.policies.map { r.cumulativeRedundancies(policy: $0.id) }
        let scale = PeopleScale(fans.flatMap { $0.map(\.p95) }.filter(\.isFinite).max() ?? 0)
        func py(_ v: Double) -> Double { bottom - min(max(v, 0), scale.top) / scale.top * height }
        svg.text(left, top - 40, "Cumulative redundancies: median, p25–p75 (dark) and p5–p95 (light) over draws", size: 13, weight: "bold")
        for (i, fan) in fans.enumerated() {
            let (x0, x1) = panel(i, of: fans.count)
            let colour = policyColours[i % policyColours.count]
            func px(_ y: Int) -> Double { x0 + 8 + Double(y - 1) / Double(max(H - 1, 1)) * (x1 - x0 - 16) }
            let last = fan[H - 1]
            svg.text(x0, top - 12, "at year \(H): \(Int(last.p50.rounded())) (\(Int(last.p5.rounded()))–\(Int(last.p95.rounded())))",
                     size: 11, fill: "#333")
            svg.frame(x0, top, x1, bottom, stroke: "#ccc")
            for t in scale.ticks where t > 0 { svg.line(x0, py(t), x1, py(t), stroke: "#eee", width: 1) }
            for (lo, hi, opacity) in [(\DistributionSummary.p5, \DistributionSummary.p95, 0.18), (\.p25, \.p75, 0.35)] {
                svg.band(upper: (1...H).map { (px($0), py(fan[$0 - 1][keyPath: hi])) },
                         lower: (1...H).map { (px($0), py(fan[$0 - 1][keyPath: lo])) }, fill: colour, opacity: opacity)
            }
            svg.polyline((1...H).map { (px($0), py(fan[$0 - 1].p50)) }, stroke: colour, width: 2)
            for y in 1...H { svg.text(px(y), bottom + 15, r.run.yearLabel(y), size: 10, fill: "#333", anchor: "middle") }
        }
        svg.yTickLabels(scale.ticks, x: left - 6, pixel: py) { String(format: "%.0f", $0) }
        svg.verticalText(Int(left - 44), top + height / 2, "people made redundant", size: 11)
        svg.text(left, bottom + 30, r.run.yearAxisTitle, size: 11, fill: "#555")
    }
}

/// A vertical scale for counts of people: whole-number ticks in 1-2-5 steps, at most about five, from 0 to a top
/// at or above the largest value.
struct PeopleScale {
    let top: Double
    let ticks: [Double]

    init(_ largest: Double) {
        let target = max(largest, 1) / 4
        let magnitude = pow(10, floor(log10(target)))
        let step = max(1, [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= target } ?? target).rounded(.up)
        let top = (max(largest, 1) / step).rounded(.up) * step
        self.top = top
        ticks = Array(stride(from: 0.0, through: top + step / 2, by: step))
    }
}
