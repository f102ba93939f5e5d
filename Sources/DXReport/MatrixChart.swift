import DXEngine
import DXSampling
import DXScenario
import Foundation

/// The risk–return matrix as an SVG chart for a report: one bubble per entity sized by labour value, p5–p95
/// whiskers, threshold lines, quadrant names, and every entity named.
///
/// One layout in both views: the favourable quadrant (automate first) is top-right. In the probability view x
/// grows to the right (more of the work can be automated); in the risk–return view the risk axis is reversed, so
/// that less risk is further right, and its title says so. Quadrant names sit in bands at the top and bottom of
/// the plot that no data point enters. Labels are placed by `LabelPlacer` (leader lines where a label had to
/// move away); an entity whose name finds no room is numbered and named in a key under the chart. A placement
/// that fewer than 60% of the draws share is drawn with a dashed outline (borderline).
public enum MatrixChart {
    static let width = 960.0, height = 748.0
    /// The height of one line of the key to numbered bubbles, below the legend.
    static let keyLineHeight = 16.0
    static let plot = (left: 96.0, right: 930.0, top: 78.0, bottom: 600.0)
    /// The band at the top and the bottom of the plot kept for the quadrants' names.
    static let nameBand = 30.0

    static func fill(_ q: Quadrant) -> String {
        switch q {
        case .automateFirst: "#1b9e77"
        case .pilot: "#d95f02"
        case .opportunistic: "#7570b3"
        case .leave: "#888888"
        }
    }

    /// The axes of a matrix: x fitted to the points, their whiskers and the threshold (reversed for risk), y the
    /// same inside the bands kept for the quadrants' names.
    static func axes(_ m: RiskReturnMatrix) -> (x: SVGAxis, y: SVGAxis) {
        let xs = m.points.flatMap { p in [p.x] + (p.xRange.map { [$0.lowerBound, $0.upperBound] } ?? []) } + [m.xThreshold]
        let ys = m.points.flatMap { p in [p.y] + (p.yRange.map { [$0.lowerBound, $0.upperBound] } ?? []) } + [m.yThreshold]
        // Inset by the largest bubble's radius, so that a bubble at either end of the data stays inside the frame.
        let inner = (plot.left + 26, plot.right - 26)
        let xPixels = m.view != .riskReturn ? inner : (inner.1, inner.0)
        var x = SVGAxis(covering: xs, pixels: xPixels, includeZero: m.view == .riskReturn, allowLog: false)
        if let lone = xs.first, xs.allSatisfy({ $0 == lone }) {
            // No spread at all: the value in the middle of a narrow axis, rather than an axis the data do not have.
            let half = m.xIsProbability ? 0.01 : max(abs(lone) * 0.1, 1)
            let low = m.xIsProbability ? max(0, lone - half) : lone - half
            var axis = SVGAxis(fixed: low, low + 2 * half, pixels: xPixels)
            axis.onlyTicks = [lone]   // the one value there is; the note under the title says why
            return (axis, yAxis(m, ys))
        }
        if m.xIsProbability {
            // A probability axis stays within 0…1.
            x = SVGAxis(fixed: max(0, x.lower), min(1, x.upper), pixels: xPixels)
        }
        return (x, yAxis(m, ys))
    }

    static func yAxis(_ m: RiskReturnMatrix, _ ys: [Double]) -> SVGAxis {
        let yPixels = (plot.bottom - nameBand, plot.top + nameBand)
        var y = SVGAxis(covering: ys.filter { m.view == .riskReturn || $0 > 0 }, pixels: yPixels,
                        includeZero: m.view == .riskReturn, allowLog: m.view != .riskReturn)
        if m.view != .riskReturn, !y.logarithmic, y.lower < 0 {
            // Savings are not negative: the axis starts at 0.
            y = SVGAxis(fixed: 0, y.upper, pixels: yPixels)
        }
        return y
    }

    /// The chart as a standalone SVG document.
    public static func svg(_ m: RiskReturnMatrix, title: String, subtitle: String) -> String {
        let (xAxis, yAxis) = axes(m)
        let maxLabour = m.points.map(\.entity.labourValue).max() ?? 1
        func radius(_ p: MatrixPoint) -> Double { 4 + 20 * (p.entity.labourValue / maxLabour).squareRoot() }
        let drawable = m.points.filter { p in
            ([p.x, p.y] + (p.yRange.map { [$0.lowerBound, $0.upperBound] } ?? [])).allSatisfy(\.isFinite)
        }
        var placer = LabelPlacer(bounds: PixelBox(x0: plot.left + 2, y0: plot.top + 2, x1: plot.right - 2, y1: plot.bottom - 2),
                                 fontSize: 11)
        let names = quadrantNames()
        for name in names { placer.block(name.box) }
        for p in drawable {
            let (cx, cy, h) = (xAxis.pixel(p.x), yAxis.pixel(p.y), max(3, radius(p) * 0.6))
            placer.block(PixelBox(x0: cx - h, y0: cy - h, x1: cx + h, y1: cy + h))
            // A label drawn across a whisker reads as dotted text: the whiskers are kept clear too.
            if let r = p.yRange { placer.block(PixelBox(x0: cx - 1.5, y0: yAxis.pixel(r.upperBound), x1: cx + 1.5, y1: yAxis.pixel(r.lowerBound))) }
            if let r = p.xRange {
                let (a, b) = (xAxis.pixel(r.lowerBound), xAxis.pixel(r.upperBound))
                placer.block(PixelBox(x0: min(a, b), y0: cy - 1.5, x1: max(a, b), y1: cy + 1.5))
            }
        }
        // And the thresholds' dashed lines.
        let tx = min(max(xAxis.pixel(m.xThreshold), plot.left), plot.right), ty = min(max(yAxis.pixel(m.yThreshold), plot.top), plot.bottom)
        placer.block(PixelBox(x0: tx - 1.5, y0: plot.top, x1: tx + 1.5, y1: plot.bottom))
        placer.block(PixelBox(x0: plot.left, y0: ty - 1.5, x1: plot.right, y1: ty + 1.5))
        let (labels, numbered) = placeLabels(drawable, xAxis, yAxis, radius, &placer)
        let key = keyLines(numbered)
        var svg = SVGCanvas(width: width, height: height + (key.isEmpty ? 0 : Double(key.count) * keyLineHeight + 6))
        svg.heading(title, subtitle: subtitle, x: plot.left, y: 32, gap: 22)
        quadrantBackground(m, xAxis, yAxis, names, on: &svg)
        drawAxes(m, xAxis, yAxis, on: &svg)
        // Whiskers under the bubbles, bubbles largest first so small ones stay visible.
        for p in drawable {
            let (cx, cy) = (xAxis.pixel(p.x), yAxis.pixel(p.y))
            if let r = p.xRange { svg.line(xAxis.pixel(r.lowerBound), cy, xAxis.pixel(r.upperBound), cy, stroke: "#444", width: 1, mark: "whisker") }
            if let r = p.yRange { svg.line(cx, yAxis.pixel(r.lowerBound), cx, yAxis.pixel(r.upperBound), stroke: "#444", width: 1, mark: "whisker") }
        }
        for p in drawable.sorted(by: { $0.entity.labourValue > $1.entity.labourValue }) {
            let colour = fill(p.quadrant)
            let confidence = p.confidence.isNaN ? "share of draws not counted" : NumberFormatting.percent(p.confidence)
            svg.element(
                "circle",
                ["cx": .pixels(xAxis.pixel(p.x)), "cy": .pixels(yAxis.pixel(p.y)), "r": .pixels(radius(p)), "fill": .text(colour),
                 "fill-opacity": "0.55", "stroke": .text(p.isBorderline ? "#222" : colour), "stroke-width": .text(p.isBorderline ? "1.6" : "1.2"),
                 "stroke-dasharray": p.isBorderline ? "3 2" : .absent, "class": "bubble", "data-entity": .text(p.entity.id)],
                tip: "\(p.entity.name): \(p.quadrant.rawValue), \(confidence)\(p.isBorderline ? " (borderline)" : "")")
        }
        for label in labels {
            if let l = label.leader { svg.line(l.x0, l.y0, l.x1, l.y1, stroke: "#777", width: 0.8) }
            svg.haloText(label.x, label.y, label.text, size: 11)
        }
        if let note = m.degeneracy {
            svg.text(plot.left, plot.top - 8, "Note: \(note).", size: 11, fill: "#b00")
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

    /// Each quadrant's name, in the bands at the top and bottom of its part of the plot, and the box it takes.
    static func quadrantNames()
        -> [(quadrant: Quadrant, x: Double, y: Double, right: Bool, top: Bool, box: PixelBox)] {
        [(Quadrant.automateFirst, true, true), (.pilot, false, true), (.opportunistic, true, false), (.leave, false, false)]
            .map { q, right, top in
                let text = q.rawValue.replacingOccurrences(of: "-", with: " ")
                let w = SVGCanvas.textWidth(text, size: 15)
                let px = right ? plot.right - 8 : plot.left + 8, py = top ? plot.top + 20 : plot.bottom - 9
                return (q, px, py, right, top, PixelBox.text(x: right ? px - w : px, y: py, width: w, size: 15))
            }
    }

    static func quadrantBackground(_ m: RiskReturnMatrix, _ x: SVGAxis, _ y: SVGAxis,
                                   _ names: [(quadrant: Quadrant, x: Double, y: Double, right: Bool, top: Bool, box: PixelBox)],
                                   on svg: inout SVGCanvas) {
        let tx = min(max(x.pixel(m.xThreshold), plot.left), plot.right)
        let ty = min(max(y.pixel(m.yThreshold), plot.top), plot.bottom)
        // When every entity shares one risk, no entity can be on the other side of the x threshold: that side is left
        // unshaded (the note says why) rather than drawn as a region.
        let occupied = Set(m.points.map(\.quadrant))
        for name in names {
            let (right, top) = (name.right, name.top)
            let x0 = right ? tx : plot.left, x1 = right ? plot.right : tx
            let y0 = top ? plot.top : ty, y1 = top ? ty : plot.bottom
            if x1 > x0, y1 > y0, !m.everyXTied || occupied.contains(name.quadrant) {
                svg.element("rect", ["x": .pixels(x0), "y": .pixels(y0), "width": .pixels(x1 - x0), "height": .pixels(y1 - y0),
                                     "fill": .text(fill(name.quadrant)), "fill-opacity": "0.05"])
            }
            svg.text(name.x, name.y, name.quadrant.rawValue.replacingOccurrences(of: "-", with: " "),
                     size: 15, weight: "bold", fill: fill(name.quadrant), anchor: right ? "end" : "start", opacity: 0.75)
        }
        svg.line(tx, plot.top, tx, plot.bottom, stroke: "#333", width: 1, dash: "6 4", mark: "threshold")
        svg.line(plot.left, ty, plot.right, ty, stroke: "#333", width: 1, dash: "6 4", mark: "threshold")
    }

    static func drawAxes(_ m: RiskReturnMatrix, _ x: SVGAxis, _ y: SVGAxis, on svg: inout SVGCanvas) {
        svg.frame(plot.left, plot.top, plot.right, plot.bottom, stroke: "#999")
        let probabilityLike = m.xIsProbability
        for t in x.ticks {
            let px = x.pixel(t)
            svg.line(px, plot.bottom, px, plot.bottom + 5, stroke: "#999", width: 1)
            svg.text(px, plot.bottom + 20, probabilityLike ? String(format: "%.2f", t) : NumberFormatting.compact(t), size: 11,
                     fill: "#333", anchor: "middle")
        }
        for t in y.ticks {
            let py = y.pixel(t)
            svg.line(plot.left - 5, py, plot.right, py, stroke: "#eee", width: 1)
            svg.text(plot.left - 9, py + 4, NumberFormatting.compact(t), size: 11, fill: "#333", anchor: "end")
        }
        let direction = m.view != .riskReturn ? "more automatable →" : "← more risk · less risk →"
        svg.text((plot.left + plot.right) / 2, plot.bottom + 44, "\(m.xLabel) (\(direction))", size: 13, anchor: "middle")
        svg.verticalText(24, (plot.top + plot.bottom) / 2, m.yLabel + (y.logarithmic ? " (log scale)" : ""), size: 13)
    }

    /// Every entity's name, largest first, through `placer`; an entity whose name finds no room gets its number
    /// instead (placed the same way, farther if need be), and is named in the key.
    static func placeLabels(_ points: [MatrixPoint], _ x: SVGAxis, _ y: SVGAxis, _ radius: (MatrixPoint) -> Double,
                            _ placer: inout LabelPlacer) -> (labels: [LabelPlacer.Placement], numbered: [MatrixPoint]) {
        var labels: [LabelPlacer.Placement] = [], numbered: [MatrixPoint] = []
        var unplaced: [MatrixPoint] = []
        for p in points.sorted(by: { $0.entity.labourValue > $1.entity.labourValue }) {
            let name = shortened(p.entity.name, to: 60)
            if let spot = placer.place(name, near: x.pixel(p.x), y.pixel(p.y), clearance: radius(p)) {
                labels.append(spot)
            } else {
                unplaced.append(p)
            }
        }
        for p in unplaced {
            let number = numbered.count + 1
            if let spot = placer.place("\(number)", near: x.pixel(p.x), y.pixel(p.y), clearance: radius(p), reach: 9) {
                labels.append(spot)
            }
            numbered.append(p)
        }
        return (labels, numbered)
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
        let y = height - 72
        for q in Quadrant.allCases {
            svg.element("circle", ["cx": .pixels(x + 6), "cy": .pixels(y - 4), "r": "6", "fill": .text(fill(q)), "fill-opacity": "0.55",
                                   "stroke": .text(fill(q))])
            svg.text(x + 16, y, q.rawValue, size: 12)
            x += 130
        }
        svg.element("circle", ["cx": .pixels(x + 6), "cy": .pixels(y - 4), "r": "6", "fill": "white", "stroke": "#222",
                               "stroke-dasharray": "3 2"])
        svg.text(x + 16, y, "borderline: under \(Int(MatrixPoint.borderlineBelow * 100))% of draws in its quadrant", size: 12)
        svg.text(plot.left, y + 20, "Bubble area ∝ labour value; whiskers: p5–p95 over draws; colour: quadrant of the mean.",
                 size: 11, fill: "#555")
        svg.text(plot.left, y + 36, "x threshold (dashed): \(m.xThresholdMeaning).", size: 11, fill: "#555")
        svg.text(plot.left, y + 52, "y threshold (dashed): \(m.yThresholdMeaning).", size: 11, fill: "#555")
    }
}
