import DXEngine
import DXSampling
import DXScenario
import Foundation

/// The risk–return matrix as an SVG chart for a report: one bubble per
/// entity sized by labour value, p5–p95 whiskers, threshold lines, quadrant
/// names, and labels for the largest entities placed so they do not overlap.
public enum MatrixChart {
    static let width = 960.0, height = 712.0
    /// The height of one line of the key to numbered bubbles, below the legend.
    static let keyLineHeight = 16.0
    static let plot = (left: 96.0, right: 930.0, top: 78.0, bottom: 600.0)

    static func fill(_ q: Quadrant) -> String {
        switch q {
        case .automateFirst: "#1b9e77"
        case .pilot: "#d95f02"
        case .opportunistic: "#7570b3"
        case .leave: "#888888"
        }
    }

    /// The chart as a standalone SVG document.
    public static func svg(_ m: RiskReturnMatrix, title: String, subtitle: String) -> String {
        let xs = m.points.flatMap { p in [p.x] + (p.xRange.map { [$0.lowerBound, $0.upperBound] } ?? []) } + [m.xThreshold]
        let ys = m.points.flatMap { p in [p.y] + (p.yRange.map { [$0.lowerBound, $0.upperBound] } ?? []) } + [m.yThreshold]
        let xAxis = m.view == .probability
            ? SVGAxis(fixed: 0, max(1, xs.max() ?? 1), pixels: (plot.left, plot.right))
            : SVGAxis(covering: xs, pixels: (plot.left, plot.right), includeZero: true, allowLog: false)
        let yAxis = SVGAxis(covering: ys.filter { m.view == .riskReturn || $0 > 0 }, pixels: (plot.bottom, plot.top),
                            includeZero: m.view == .riskReturn, allowLog: m.view == .probability)
        let maxLabour = m.points.map(\.entity.labourValue).max() ?? 1
        func radius(_ p: MatrixPoint) -> Double { 4 + 24 * (p.entity.labourValue / maxLabour).squareRoot() }
        let drawable = m.points.filter { p in
            ([p.x, p.y] + (p.yRange.map { [$0.lowerBound, $0.upperBound] } ?? [])).allSatisfy(\.isFinite)
        }
        let (labelled, numbered) = placeLabels(drawable, xAxis, yAxis, radius)
        let key = keyLines(numbered)
        var svg = SVGCanvas(width: width, height: height + (key.isEmpty ? 0 : Double(key.count) * keyLineHeight + 6))
        svg.heading(title, subtitle: subtitle, x: plot.left, y: 32, gap: 22)
        quadrantBackground(m, xAxis, yAxis, on: &svg)
        axes(m, xAxis, yAxis, on: &svg)
        // Whiskers under the bubbles, bubbles largest first so small ones stay visible.
        for p in drawable {
            let (cx, cy) = (xAxis.pixel(p.x), yAxis.pixel(p.y))
            if let r = p.xRange { svg.line(xAxis.pixel(r.lowerBound), cy, xAxis.pixel(r.upperBound), cy, stroke: "#444", width: 1) }
            if let r = p.yRange { svg.line(cx, yAxis.pixel(r.lowerBound), cx, yAxis.pixel(r.upperBound), stroke: "#444", width: 1) }
        }
        for p in drawable.sorted(by: { $0.entity.labourValue > $1.entity.labourValue }) {
            let colour = fill(p.quadrant)
            svg.element(
                "circle",
                [
                    "cx": .pixels(xAxis.pixel(p.x)), "cy": .pixels(yAxis.pixel(p.y)), "r": .pixels(radius(p)), "fill": .text(colour),
                                   "fill-opacity": "0.55", "stroke": .text(colour), "stroke-width": "1.2"],
                        tip: "\(p.entity.name): \(p.quadrant.rawValue), \(NumberFormatting.percent(p.confidence))")
        }
        for label in labelled { svg.haloText(label.x, label.y, label.text, size: 11) }
        for (k, p) in numbered.enumerated() {
            svg.haloText(xAxis.pixel(p.x) - (k < 9 ? 3 : 6), yAxis.pixel(p.y) + 4, "\(k + 1)", size: 10)
        }
        if drawable.count < m.points.count {
            svg.text(plot.left, 20, """
                \(m.points.count - drawable.count) entities not drawn: their values are not finite numbers
                """, size: 11, fill: "#b00")
        }
        legend(m, on: &svg)
        for (i, line) in key.enumerated() { svg.text(plot.left, height - 4 + Double(i + 1) * keyLineHeight, line, size: 11, fill: "#333") }
        return svg.document
    }

    static func quadrantBackground(_ m: RiskReturnMatrix, _ x: SVGAxis, _ y: SVGAxis, on svg: inout SVGCanvas) {
        let tx = min(max(x.pixel(m.xThreshold), plot.left), plot.right)
        let ty = min(max(y.pixel(m.yThreshold), plot.top), plot.bottom)
        // Favourable x is high in the probability view and low (less risk) in the risk–return view.
        let favourableRight = m.view == .probability
        let names: [(Quadrant, Bool, Bool)] = [(.automateFirst, favourableRight, true), (.pilot, !favourableRight, true),
                                               (.opportunistic, favourableRight, false), (.leave, !favourableRight, false)]
        for (q, right, top) in names {
            let x0 = right ? tx : plot.left, x1 = right ? plot.right : tx
            let y0 = top ? plot.top : ty, y1 = top ? ty : plot.bottom
            guard x1 > x0, y1 > y0 else { continue }
            svg.element("rect", ["x": .pixels(x0), "y": .pixels(y0), "width": .pixels(x1 - x0), "height": .pixels(y1 - y0),
                                 "fill": .text(fill(q)), "fill-opacity": "0.05"])
            let anchorX = right ? x1 - 8 : x0 + 8
            svg.text(anchorX, top ? y0 + 20 : y1 - 10, q.rawValue.replacingOccurrences(of: "-", with: " "),
                     size: 15, weight: "bold", fill: fill(q), anchor: right ? "end" : "start", opacity: 0.7)
        }
        svg.line(tx, plot.top, tx, plot.bottom, stroke: "#333", width: 1, dash: "6 4")
        svg.line(plot.left, ty, plot.right, ty, stroke: "#333", width: 1, dash: "6 4")
    }

    static func axes(_ m: RiskReturnMatrix, _ x: SVGAxis, _ y: SVGAxis, on svg: inout SVGCanvas) {
        svg.frame(plot.left, plot.top, plot.right, plot.bottom, stroke: "#999")
        let probabilityLike = m.view == .probability || m.risk == .loss
        for t in x.ticks {
            let px = x.pixel(t)
            svg.line(px, plot.bottom, px, plot.bottom + 5, stroke: "#999", width: 1)
            svg.text(
                px, plot.bottom + 20, probabilityLike ? String(format: "%.1f", t) : NumberFormatting.compact(t), size: 11, fill: "#333",
                anchor: "middle")
        }
        for t in y.ticks {
            let py = y.pixel(t)
            svg.line(plot.left - 5, py, plot.right, py, stroke: "#eee", width: 1)
            svg.text(plot.left - 9, py + 4, NumberFormatting.compact(t), size: 11, fill: "#333", anchor: "end")
        }
        svg.text((plot.left + plot.right) / 2, plot.bottom + 44, m.xLabel, size: 13, anchor: "middle")
        svg.verticalText(24, (plot.top + plot.bottom) / 2, m.yLabel + (y.logarithmic ? " (log scale)" : ""), size: 13)
    }

    /// Labels beside the bubbles, largest entity first, each tried right, left, above and below its bubble and kept
    /// only where it overlaps no label already placed and stays inside the plot. An entity whose name finds no
    /// place (or beyond the 30 largest) is numbered instead, and named in the key below the chart.
    static func placeLabels(_ points: [MatrixPoint], _ x: SVGAxis, _ y: SVGAxis, _ radius: (MatrixPoint) -> Double)
        -> (labelled: [(x: Double, y: Double, text: String)], numbered: [MatrixPoint]) {
        var placed: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var labelled: [(x: Double, y: Double, text: String)] = [], numbered: [MatrixPoint] = []
        for (rank, p) in points.sorted(by: { $0.entity.labourValue > $1.entity.labourValue }).enumerated() {
            let name = shortened(p.entity.name, to: 32)
            let w = SVGCanvas.textWidth(name), h = 13.0
            let (cx, cy, r) = (x.pixel(p.x), y.pixel(p.y), radius(p))
            let candidates =
                rank < 30 ? [(cx + r + 4, cy + 4), (cx - r - 4 - w, cy + 4), (cx - w / 2, cy - r - 5), (cx - w / 2, cy + r + h + 2)] : []
            let spot = candidates.first { lx, ly in
                let box = (x0: lx, y0: ly - h + 2, x1: lx + w, y1: ly + 3)
                let inside = box.x0 >= plot.left + 2 && box.x1 <= plot.right - 2 && box.y0 >= plot.top + 2 && box.y1 <= plot.bottom - 2
                return inside && !placed.contains { $0.x0 < box.x1 && box.x0 < $0.x1 && $0.y0 < box.y1 && box.y0 < $0.y1 }
            }
            if let (lx, ly) = spot {
                placed.append((x0: lx, y0: ly - h + 2, x1: lx + w, y1: ly + 3))
                labelled.append((lx, ly, name))
            } else {
                numbered.append(p)
            }
        }
        return (labelled, numbered)
    }

    /// The key to numbered bubbles, "1 Name · 2 Name …", in lines that fit the chart's width.
    static func keyLines(_ numbered: [MatrixPoint]) -> [String] {
        let entries = numbered.enumerated().map { "\($0.offset + 1) \($0.element.entity.name)" }
        var lines: [String] = []
        for entry in entries {
            if let last = lines.last, SVGCanvas.textWidth(last + " · " + entry) <= plot.right - plot.left {
                lines[lines.count - 1] = last + " · " + entry
            } else {
                lines.append(lines.isEmpty ? "Numbered: " + entry : entry)
            }
        }
        return lines
    }

    static func legend(_ m: RiskReturnMatrix, on svg: inout SVGCanvas) {
        var x = plot.left
        let y = height - 36
        for q in Quadrant.allCases {
            svg.element("circle", ["cx": .pixels(x + 6), "cy": .pixels(y - 4), "r": "6", "fill": .text(fill(q)), "fill-opacity": "0.55",
                                   "stroke": .text(fill(q))])
            svg.text(x + 16, y, q.rawValue, size: 12)
            x += 130
        }
        svg.text(plot.left, y + 22, """
            Bubble area ∝ labour value; whiskers: p5–p95 over draws; dashed lines: thresholds (x = \
            \(NumberFormatting.compact(m.xThreshold)), y = \(NumberFormatting.compact(m.yThreshold))).
            """, size: 11, fill: "#555")
    }
}
