import DXAnalysis
import DXExperiments
import DXSampling
import Foundation

/// The charts of a sweep report: each parameter against each output (one panel per pair, with Spearman's ρ), the
/// envelopes of yearly outcomes across the futures, and the regret of each option.
public enum SweepCharts {
    static let width = 1000.0, left = 76.0, right = 970.0
    static let colours = RedeploymentChart.policyColours

    static func label(_ x: Double) -> String {
        abs(x) >= 10_000 ? NumberFormatting.compact(x) : abs(x) >= 100 || x == x.rounded() ? String(format: "%.0f", x) : String(format: "%.3g", x)
    }

    /// One panel per (output, parameter) pair: the points' means against the parameter's value, ρ in the corner.
    /// Outputs are rows, parameters columns (at most `maxColumns` per row of panels; more wrap).
    public static func scatter(_ analysis: SweepAnalysis, outputs: [String], title: String, subtitle: String) -> String {
        let parameters = analysis.parameters.filter { p in p.values.contains { if case .number? = $0 { true } else { false } } }
        let columns = min(max(parameters.count, 1), 4)
        let panelWidth = (right - left - 24 * Double(columns - 1)) / Double(columns), panelHeight = 110.0, rowHeight = 190.0
        let blocks = (parameters.count + columns - 1) / columns
        let rows = outputs.count * blocks
        var svg = SVGCanvas(width: width, height: 90 + rowHeight * Double(max(rows, 1)))
        svg.heading(title, subtitle: subtitle, x: left, y: 30)
        let correlations = analysis.rankCorrelations
        var top = 92.0
        for output in outputs {
            let y = analysis.values[output]!
            for block in 0..<blocks {
                svg.text(left, top + 6, output + (blocks > 1 ? " (\(block + 1) of \(blocks))" : ""), size: 12, weight: "bold")
                let plotTop = top + 26
                let yAxis = SVGAxis(covering: y, pixels: (plotTop + panelHeight, plotTop), includeZero: false, allowLog: false)
                for (c, p) in parameters[(block * columns)..<min(parameters.count, (block + 1) * columns)].enumerated() {
                    let x0 = left + Double(c) * (panelWidth + 24), x1 = x0 + panelWidth
                    let xs = p.values.map { v -> Double in if case let .number(n)? = v { n } else { .nan } }
                    var xAxis = SVGAxis(covering: xs, pixels: (x0, x1), includeZero: false, allowLog: false)
                    let distinct = Array(Set(xs.filter(\.isFinite))).sorted()
                    if distinct.count <= 12 { xAxis.onlyTicks = distinct }   // a lever or a list: its values, nothing between
                    svg.frame(x0, plotTop, x1, plotTop + panelHeight, stroke: "#ccc")
                    let colour = p.kind == .lever ? "#b35806" : "#2166ac"
                    // Points in a fixed order; at most 2,000 drawn per panel (every k-th) so the page stays light.
                    let finite = xs.indices.filter { xs[$0].isFinite && y[$0].isFinite }
                    let step = max(1, finite.count / 2000)
                    for i in stride(from: 0, to: finite.count, by: step) {
                        let point = finite[i]
                        svg.element("circle", ["cx": .pixels(xAxis.pixel(xs[point])), "cy": .pixels(yAxis.pixel(y[point])), "r": "2",
                                               "fill": .text(colour), "fill-opacity": "0.45"])
                    }
                    let rho = correlations.first { $0.parameter == p.name && $0.output == output }?.rho
                    svg.text(x1, plotTop - 4, "ρ = " + (rho.map { String(format: "%+.2f", $0) } ?? "—"), size: 11, weight: "bold",
                             anchor: "end")
                    svg.xTicks(xAxis, y: plotTop + panelHeight, size: 9) { label($0) }
                    svg.text((x0 + x1) / 2, plotTop + panelHeight + 30, p.name + (p.kind == .lever ? " (lever)" : ""), size: 10,
                             fill: "#333", anchor: "middle")
                    if c == 0 {
                        svg.yTickLabels(yAxis.ticks, x: x0 - 4, pixel: yAxis.pixel, size: 9) { label($0) }
                    }
                }
                top += rowHeight
            }
        }
        return svg.document
    }

    /// One panel per yearly series: across the points, the range (light), p5–p95 (darker) and the median per year.
    public static func envelopes(_ envelopes: [SweepAnalysis.Envelope], title: String, subtitle: String) -> String {
        let columns = 2, panelWidth = (right - left - 60) / 2, panelHeight = 150.0, rowHeight = 218.0
        let rows = (envelopes.count + columns - 1) / columns
        var svg = SVGCanvas(width: width, height: 120 + rowHeight * Double(max(rows, 1)))
        svg.heading(title, subtitle: subtitle, x: left, y: 30)
        for (k, e) in envelopes.enumerated() {
            let x0 = left + Double(k % columns) * (panelWidth + 60), x1 = x0 + panelWidth
            let top = 92 + rowHeight * Double(k / columns)
            svg.text(x0, top, shortened(e.series, to: 60), size: 12, weight: "bold")
            let plotTop = top + 14, plotBottom = plotTop + panelHeight
            let years = e.years.map(Double.init)
            let xAxis = SVGAxis(fixed: (years.first ?? 1) - 0.3, (years.last ?? 1) + 0.3, pixels: (x0, x1))
            let yAxis = SVGAxis(covering: e.minimum + e.maximum, pixels: (plotBottom, plotTop), includeZero: true, allowLog: false)
            svg.frame(x0, plotTop, x1, plotBottom, stroke: "#ccc")
            func curve(_ v: [Double]) -> [(Double, Double)] { zip(years, v).map { (xAxis.pixel($0), yAxis.pixel($1)) } }
            svg.band(upper: curve(e.maximum), lower: curve(e.minimum), fill: "#2166ac", opacity: 0.12)
            svg.band(upper: curve(e.p95), lower: curve(e.p5), fill: "#2166ac", opacity: 0.3)
            svg.polyline(curve(e.p50), stroke: "#08306b", width: 2)
            for (x, (year, m)) in zip(years, zip(e.years, e.p50)) {
                svg.dot(xAxis.pixel(x), yAxis.pixel(m), radius: 3, fill: "#08306b", tip: "year \(year): median \(label(m))")
            }
            for year in e.years {
                svg.text(xAxis.pixel(Double(year)), plotBottom + 16, "year \(year)", size: 9, fill: "#333", anchor: "middle")
            }
            svg.yTickLabels(yAxis.ticks, x: x0 - 4, pixel: yAxis.pixel, size: 9) { label($0) }
        }
        let legendY = 92 + rowHeight * Double(max(rows, 1)) - 10
        svg.swatch(left, legendY, width: 14, height: 10, fill: "#c6d9ec")
        svg.text(left + 18, legendY + 9, "every future (min–max)", size: 11)
        svg.swatch(left + 190, legendY, width: 14, height: 10, fill: "#7fa6cd")
        svg.text(left + 208, legendY + 9, "90% of futures (p5–p95)", size: 11)
        svg.line(left + 390, legendY + 5, left + 410, legendY + 5, stroke: "#08306b", width: 2)
        svg.text(left + 416, legendY + 9, "median future", size: 11)
        return svg.document
    }

    /// One block per robustness table: per option a bar of its mean regret, a tick at its p90 and one at its maximum,
    /// on one axis per table, best (lowest mean regret) first.
    public static func regret(_ tables: [SweepAnalysis.RobustnessTable], title: String, subtitle: String) -> String {
        let rowHeight = 22.0, labelWidth = 300.0
        let heights = tables.map { 64 + rowHeight * Double($0.scores.count) }
        var svg = SVGCanvas(width: width, height: 110 + heights.reduce(0, +))
        svg.heading(title, subtitle: subtitle, x: left, y: 30)
        var top = 92.0
        for (table, height) in zip(tables, heights) {
            svg.text(left, top, "\(table.quantity): regret (\(table.higherIsBetter ? "shortfall from" : "excess over") the best option in each future)",
                     size: 12, weight: "bold")
            let scores = table.scores.sorted { ($0.meanRegret, $0.option) < ($1.meanRegret, $1.option) }
            let x0 = left + labelWidth, x1 = right
            let axis = SVGAxis(covering: [0] + scores.map(\.maxRegret), pixels: (x0, x1), includeZero: true, allowLog: false)
            let plotTop = top + 12
            for (k, s) in scores.enumerated() {
                let y = plotTop + rowHeight * Double(k)
                svg.text(x0 - 8, y + 14, shortened(s.option, to: 48), size: 11, anchor: "end")
                svg.bar(axis.pixel(0), axis.pixel(s.meanRegret), y: y + 4, height: rowHeight - 8, fill: colours[k % colours.count],
                        tip: "\(s.option): mean regret \(label(s.meanRegret))")
                for (value, name) in [(s.p90Regret, "p90"), (s.maxRegret, "max")] {
                    svg.line(axis.pixel(value), y + 2, axis.pixel(value), y + rowHeight - 2, stroke: "#222",
                             width: name == "p90" ? 2 : 1, dash: name == "max" ? "2 2" : nil)
                }
            }
            let bottom = plotTop + rowHeight * Double(scores.count)
            svg.line(x0, bottom, x1, bottom, stroke: "#999", width: 1)
            svg.xTicks(axis, y: bottom, size: 9) { label($0) }
            top += height
        }
        svg.swatch(left, top - 8, width: 14, height: 10, fill: colours[0])
        svg.text(left + 18, top + 1, "mean regret", size: 11)
        svg.line(left + 120, top - 8, left + 120, top + 2, stroke: "#222", width: 2)
        svg.text(left + 126, top + 1, "90th percentile", size: 11)
        svg.line(left + 250, top - 8, left + 250, top + 2, stroke: "#222", width: 1, dash: "2 2")
        svg.text(left + 256, top + 1, "worst future", size: 11)
        return svg.document
    }
}
