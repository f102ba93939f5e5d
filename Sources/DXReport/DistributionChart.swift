import DXSampling
import Foundation

/// How an output is distributed over the draws: a histogram beside its S-curve (the share of futures at or below
/// each value), one row per output, several options overlaid in a row (policies, programmes), with each option's
/// 5th, 50th and 95th percentiles marked on its curve and the share of futures above a reference — the break-even
/// line or the user's `--target` — in the legend. Built from each output's `QuantileCurve`, so it costs the
/// same for any number of draws. Rows of many entities (a map's services) are small multiples instead
/// (``smallMultiples(title:subtitle:panels:isMoney:reference:referenceName:)``).
public enum DistributionChart {
    /// One distribution drawn: its name, its shape and its colour.
    public struct Series: Sendable {
        public var name: String
        public var curve: QuantileCurve
        public var colour: String
        /// The share of draws above the reference when it was counted exactly (above 0: `DistributionSummary.pGain`);
        /// nil: read off the curve (within half a percentage point).
        public var shareAbove: Double?
        public init(name: String, curve: QuantileCurve, colour: String, shareAbove: Double? = nil) {
            (self.name, self.curve, self.colour, self.shareAbove) = (name, curve, colour, shareAbove)
        }
    }

    /// One row: what the output is, its options, how its values read, and the reference line.
    public struct Row: Sendable {
        public var title: String
        public var series: [Series]
        /// Money (compact: 1.36M) or people (whole numbers).
        public var isMoney: Bool
        /// The value "P(> x)" is read against (0: break-even), and what it is called.
        public var reference: Double
        public var referenceName: String
        public init(title: String, series: [Series], isMoney: Bool, reference: Double, referenceName: String) {
            (self.title, self.series, self.isMoney, self.reference, self.referenceName) = (title, series, isMoney, reference, referenceName)
        }
    }

    static let width = 1000.0, left = 76.0, right = 970.0, split = 500.0, gap = 60.0
    static let plotHeight = 170.0, bins = 40
    static let colours = RedeploymentChart.policyColours

    static func label(_ x: Double, money: Bool) -> String { money ? NumberFormatting.compact(x) : String(format: "%.0f", x) }

    /// The share of futures above `x`, never rounded to all or none unless it is (``Comparison/share(_:)``).
    static func above(_ curve: QuantileCurve, _ x: Double) -> String { Comparison.share(curve.fractionAbove(x)) }

    /// The chart as a standalone SVG document: a heading, then each row's histogram and S-curve with its legend.
    public static func svg(title: String, subtitle: String, rows: [Row]) -> String {
        let rowHeights = rows.map { plotHeight + 96 + 18 * Double($0.series.count) }
        var svg = SVGCanvas(width: width, height: 70 + rowHeights.reduce(0, +))
        svg.heading(title, subtitle: subtitle, x: left, y: 30)
        var top = 96.0
        for (row, height) in zip(rows, rowHeights) {
            draw(row, top: top, on: &svg)
            top += height
        }
        return svg.document
    }

    /// One row at `top`: its title, the histogram (left) and the S-curve (right) on one value axis each, the
    /// reference line on both, and a legend line per series under them.
    static func draw(_ row: Row, top: Double, on svg: inout SVGCanvas) {
        svg.text(left, top, row.title, size: 13, weight: "bold")
        let plotTop = top + 16, plotBottom = plotTop + plotHeight
        let low = row.series.map { $0.curve.quantile(0.005) }.min() ?? 0, high = row.series.map { $0.curve.quantile(0.995) }.max() ?? 1
        let range = low < high ? low...high : (low - max(1, abs(low)) * 0.5)...(high + max(1, abs(high)) * 0.5)
        let covered = [range.lowerBound, range.upperBound] + (range.contains(row.reference) ? [row.reference] : [])
        let histogramX = SVGAxis(covering: covered, pixels: (left, split - gap / 2), includeZero: false, allowLog: false)
        let curveX = SVGAxis(covering: covered, pixels: (split + gap / 2, right), includeZero: false, allowLog: false)
        let histograms = row.series.map { $0.curve.histogram(bins: bins, over: range) }
        let tallest = max(histograms.flatMap { $0 }.max() ?? 0, 1e-9)
        let shareY = SVGAxis(fixed: 0, tallest * 1.1, pixels: (plotBottom, plotTop))
        let cumulativeY = SVGAxis(fixed: 0, 1, pixels: (plotBottom, plotTop))
        for (x0, x1) in [(left, split - gap / 2), (split + gap / 2, right)] { svg.frame(x0, plotTop, x1, plotBottom, stroke: "#ccc") }
        // Histogram: each series a step outline of its bins' shares (filled when it is the only one).
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        for (s, shares) in zip(row.series, histograms) {
            var points: [(Double, Double)] = [(histogramX.pixel(range.lowerBound), plotBottom)]
            for (k, share) in shares.enumerated() {
                let a = range.lowerBound + Double(k) * width
                points += [(histogramX.pixel(a), shareY.pixel(share)), (histogramX.pixel(a + width), shareY.pixel(share))]
            }
            points.append((histogramX.pixel(range.upperBound), plotBottom))
            if row.series.count == 1 {
                svg.band(upper: points, lower: [(points.last!.0, plotBottom), (points[0].0, plotBottom)], fill: s.colour, opacity: 0.25)
            }
            svg.polyline(points, stroke: s.colour, width: 1.5)
        }
        // S-curve: the share of futures at or below each value, the quantile function turned on its side.
        for s in row.series {
            let points = s.curve.values.enumerated().compactMap { i, v -> (Double, Double)? in
                range.contains(v) ? (curveX.pixel(v), cumulativeY.pixel(Double(i) / Double(QuantileCurve.steps))) : nil
            }
            svg.polyline(points, stroke: s.colour, width: 2)
            for q in [0.05, 0.5, 0.95] {
                let v = s.curve.quantile(q)
                guard range.contains(v) else { continue }
                svg.dot(curveX.pixel(v), cumulativeY.pixel(q), radius: 3, fill: s.colour,
                        tip: "\(s.name): p\(Int(q * 100)) \(label(v, money: row.isMoney))")
            }
        }
        // The reference on both panels.
        if range.contains(row.reference) {
            for axis in [histogramX, curveX] {
                svg.line(axis.pixel(row.reference), plotTop, axis.pixel(row.reference), plotBottom, stroke: "#444", width: 1, dash: "4 3")
            }
        }
        svg.xTicks(histogramX, y: plotBottom) { label($0, money: row.isMoney) }
        svg.xTicks(curveX, y: plotBottom) { label($0, money: row.isMoney) }
        svg.yTickLabels(stride(from: 0, through: tallest * 1.1, by: niceStep(tallest * 1.1)).map { $0 }, x: left - 6,
                        pixel: shareY.pixel) { NumberFormatting.percent($0) }
        svg.yTickLabels([0, 0.25, 0.5, 0.75, 1], x: split + gap / 2 - 6, pixel: cumulativeY.pixel) { NumberFormatting.percent($0) }
        svg.text(left, plotBottom + 32, "share of futures in each bin", size: 10, fill: "#555")
        svg.text(split + gap / 2, plotBottom + 32, "share of futures at or below (dots: p5, p50, p95)", size: 10, fill: "#555")
        // Legend: per series its percentiles and the share above the reference.
        for (k, s) in row.series.enumerated() {
            let y = plotBottom + 46 + 18 * Double(k)
            let c = s.curve
            svg.legendKey(left, y, fill: s.colour, label: """
                \(shortened(s.name, to: 48)): median \(label(c.quantile(0.5), money: row.isMoney)) (p5 \(label(c.quantile(0.05), money: row.isMoney)), \
                p95 \(label(c.quantile(0.95), money: row.isMoney))); above \(row.referenceName) in \(s.shareAbove.map(Comparison.share) ?? above(c, row.reference)) of futures
                """)
        }
    }

    /// A 1-2-5 step giving about four ticks up to `top`.
    static func niceStep(_ top: Double) -> Double {
        let raw = top / 4, magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    }

    /// Small multiples: one small histogram per entity (a map's services), four to a row, each on its own value axis
    /// (its 0.5th to 99.5th percentile, so that a small service's shape is as readable as a large one's; the table
    /// compares their sizes), with its median marked, its name, and the share of futures above the reference.
    public static func smallMultiples(title: String, subtitle: String, panels: [(name: String, curve: QuantileCurve)], isMoney: Bool,
                                      reference: Double, referenceName: String) -> String {
        let columns = 4, panelWidth = (right - left - 30 * Double(columns - 1)) / Double(columns), panelHeight = 70.0, rowHeight = 142.0
        let rows = (panels.count + columns - 1) / columns
        var svg = SVGCanvas(width: width, height: 96 + rowHeight * Double(rows))
        svg.heading(title, subtitle: subtitle, x: left, y: 30)
        for (i, panel) in panels.enumerated() {
            let low = panel.curve.quantile(0.005), high = panel.curve.quantile(0.995)
            let range = low < high ? low...high : (low - max(1, abs(low)) * 0.5)...(high + max(1, abs(high)) * 0.5)
            let x0 = left + Double(i % columns) * (panelWidth + 30), top = 96 + Double(i / columns) * rowHeight
            let plotTop = top + 34, plotBottom = plotTop + panelHeight
            svg.text(x0, top, shortened(panel.name, to: Int(panelWidth / 6.2)), size: 11, weight: "bold")
            svg.text(x0, top + 15, "median \(label(panel.curve.quantile(0.5), money: isMoney)); above \(referenceName) in " +
                     "\(above(panel.curve, reference))", size: 10, fill: "#555")
            let axis = SVGAxis(fixed: range.lowerBound, range.upperBound, pixels: (x0, x0 + panelWidth))
            let shares = panel.curve.histogram(bins: 24, over: range)
            let tallest = max(shares.max() ?? 0, 1e-9)
            let step = (range.upperBound - range.lowerBound) / 24
            for (k, share) in shares.enumerated() where share > 0 {
                let a = range.lowerBound + Double(k) * step
                let h = panelHeight * share / tallest
                svg.bar(axis.pixel(a), axis.pixel(a + step) - 0.5, y: plotBottom - h, height: h, fill: "#7570b3",
                        tip: "\(panel.name): \(NumberFormatting.percent(share)) of futures in \(label(a, money: isMoney))–\(label(a + step, money: isMoney))")
            }
            svg.line(x0, plotBottom, x0 + panelWidth, plotBottom, stroke: "#999", width: 1)
            let median = panel.curve.quantile(0.5)
            svg.line(axis.pixel(median), plotTop, axis.pixel(median), plotBottom, stroke: "#111", width: 1.5)
            if range.contains(reference) {
                svg.line(axis.pixel(reference), plotTop, axis.pixel(reference), plotBottom, stroke: "#d95f02", width: 1, dash: "4 3")
            }
            svg.text(x0, plotBottom + 13, label(range.lowerBound, money: isMoney), size: 9, fill: "#555")
            svg.text(x0 + panelWidth, plotBottom + 13, label(range.upperBound, money: isMoney), size: 9, fill: "#555", anchor: "end")
        }
        return svg.document
    }
}
