import DXAnalysis
import DXExperiments
import DXSampling
import Foundation

/// SVG charts of a sensitivity analysis, one panel per output:
/// - `sobol.svg`: S1 and ST per parameter as horizontal bars with their confidence intervals;
/// - `morris.svg`: μ* (x) against σ (y), each parameter a labelled point with its μ* interval;
/// - `tornado.svg`: each parameter's swing from its 5% to its 95% point around the base value, widest first.
public enum SensitivityChart {
    static let width = 900.0
    static let colours = (first: "#1b9e77", total: "#d95f02", point: "#7570b3")

    /// The method's chart as a standalone SVG document.
    public static func svg(_ report: SensitivityReport, title: String) -> String {
        let outputs = report.outputs
        let panelHeight: Double
        switch report.method {
        case .morris: panelHeight = 330
        case .sobol: panelHeight = Double(report.parameters.count) * 30 + 96
        case .tornado: panelHeight = Double(report.parameters.count) * 24 + 96
        }
        let top = 70.0, height = top + Double(outputs.count) * panelHeight + 20
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(title, subtitle: subtitle(report), x: 40, y: 28)
        for (i, output) in outputs.enumerated() {
            let y0 = top + Double(i) * panelHeight
            switch report.method {
            case .sobol: sobolPanel(report, output, y0, on: &svg)
            case .morris: morrisPanel(report, output, y0, panelHeight, on: &svg)
            case .tornado: tornadoPanel(report, output, y0, on: &svg)
            }
        }
        return svg.document
    }

    static func subtitle(_ r: SensitivityReport) -> String {
        let failed = r.failures.isEmpty ? "" : ", \(r.failures.count) failed"
        switch r.method {
        case .sobol: return """
            Sobol indices: first order S1 and total ST, 95% bootstrap intervals (\(r.points) points × \(r.draws) draws\(failed))
            """
        case .morris: return """
            Morris elementary effects: μ* (mean |effect|) against σ (spread: interactions, non-linearity); \(r.points) points × \
            \(r.draws) draws\(failed)
            """
        case .tornado: return """
            Output with each parameter at its 5% and 95% point, the others at their medians (\(r.points) points × \(r.draws) \
            draws\(failed))
            """
        }
    }

    /// S1 and ST bars per parameter, ranked by ST (as the terminal table), each with its interval as a
    /// capped whisker, on an axis that ends just past the largest value or interval end (not at 1).
    static func sobolPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, on svg: inout SVGCanvas) {
        let s1 = r.estimates(output: output, index: "S1"), st = r.estimates(output: output, index: "ST")
        let values = (s1 + st).compactMap { $0 }.flatMap { [$0.value, $0.low, $0.high] }
        let left = 200.0, right = width - 40
        let axis = SVGAxis(covering: values + [0], pixels: (left, right), includeZero: true, allowLog: false)
        svg.text(40, y0 + 18, output, size: 13, weight: "bold")
        let rowHeight = 30.0, first = y0 + 34
        for (row, i) in ranked(st, count: r.parameters.count).enumerated() {
            let p = r.parameters[i]
            let y = first + Double(row) * rowHeight
            svg.text(left - 8, y + 14, shortened(p, to: 26), size: 11, anchor: "end")
            for (k, (estimate, colour, name)) in [(s1[i], colours.first, "S1"), (st[i], colours.total, "ST")].enumerated() {
                guard let e = estimate, e.value.isFinite else { continue }
                let by = y + Double(k) * 11 + 2
                svg.bar(axis.pixel(0), axis.pixel(e.value), y: by, height: 9, fill: colour,
                        tip: """
                            \(p) \(name) = \(String(format: "%.3f", e.value)) [\(String(format: "%.3f", e.low)), \
                            \(String(format: "%.3f", e.high))]
                            """)
                if e.low.isFinite && e.high.isFinite {
                    let (x0, x1, mid) = (axis.pixel(e.low), axis.pixel(e.high), by + 4.5)
                    svg.line(x0, mid, x1, mid, stroke: "#222", width: 1.2)
                    svg.line(x0, mid - 3, x0, mid + 3, stroke: "#222", width: 1.2)
                    svg.line(x1, mid - 3, x1, mid + 3, stroke: "#222", width: 1.2)
                }
            }
        }
        let bottom = first + Double(r.parameters.count) * rowHeight
        svg.line(axis.pixel(0), first - 4, axis.pixel(0), bottom, stroke: "#999", width: 1)
        svg.line(left, bottom, right, bottom, stroke: "#999", width: 1)
        svg.xTicks(axis, y: bottom) { String(format: axis.upper - axis.lower < 0.5 ? "%.2f" : "%.1f", $0) }
        svg.text(
            (left + right) / 2, bottom + 32, "share of the output's variance (95% bootstrap intervals)", size: 11, fill: "#555",
            anchor: "middle")
        svg.legendKey(right - 150, y0 + 8, fill: colours.first, label: "S1 first order")
        svg.legendKey(right - 60, y0 + 8, fill: colours.total, label: "ST total")
    }

    /// Parameter indices ranked by an estimate, largest first (missing or NaN last; ties keep the sweep file's order).
    static func ranked(_ estimates: [Estimate?], count: Int) -> [Int] {
        func key(_ i: Int) -> Double { estimates[i].map(\.value).flatMap { $0.isFinite ? $0 : nil } ?? -.infinity }
        return (0..<count).sorted { key($0) > key($1) || (key($0) == key($1) && $0 < $1) }
    }

    static func morrisPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, _ height: Double, on svg: inout SVGCanvas) {
        let muStar = r.estimates(output: output, index: "mu_star"), sigma = r.estimates(output: output, index: "sigma")
        let left = 110.0, right = width - 200, top = y0 + 34, bottom = y0 + height - 40
        let xs = muStar.compactMap { $0 }.flatMap { [$0.value, $0.high] }, ys = sigma.compactMap { $0?.value }
        let x = SVGAxis(covering: xs + [0], pixels: (left, right), includeZero: true, allowLog: false)
        let y = SVGAxis(covering: ys + [0], pixels: (bottom, top), includeZero: true, allowLog: false)
        svg.text(40, y0 + 18, output, size: 13, weight: "bold")
        svg.frame(left, top, right, bottom, stroke: "#ccc")
        // σ = μ*: above this line effects change sign or size much across the space.
        let edge = min(x.upper, y.upper)
        svg.line(x.pixel(0), y.pixel(0), x.pixel(edge), y.pixel(edge), stroke: "#bbb", width: 1, dash: "4 3")
        svg.text(x.pixel(edge) - 4, y.pixel(edge) + 14, "σ = μ*", size: 10, fill: "#888", anchor: "end")
        for (i, p) in r.parameters.enumerated() {
            guard let m = muStar[i], m.value.isFinite, let s = sigma[i]?.value, s.isFinite else { continue }
            if m.low.isFinite && m.high.isFinite {
                svg.line(x.pixel(m.low), y.pixel(s), x.pixel(m.high), y.pixel(s), stroke: colours.point, width: 1)
            }
            svg.dot(x.pixel(m.value), y.pixel(s), radius: 5, fill: colours.point,
                    tip: "\(p): μ* = \(NumberFormatting.compact(m.value)), σ = \(NumberFormatting.compact(s))")
            svg.text(x.pixel(m.value) + 8, y.pixel(s) - 6, shortened(p, to: 24), size: 11)
        }
        svg.xTicks(x, y: bottom) { NumberFormatting.compact($0) }
        svg.yTickLabels(y.ticks, x: left - 6, pixel: y.pixel) { NumberFormatting.compact($0) }
        svg.text((left + right) / 2, bottom + 32, """
            μ* (mean absolute elementary effect, per unit of the parameter's range)
            """, size: 11, fill: "#555", anchor: "middle")
        svg.text(left - 60, (top + bottom) / 2, "σ", size: 12, fill: "#555")
    }

    static func tornadoPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, on svg: inout SVGCanvas) {
        let low = r.estimates(output: output, index: "swing_low"), high = r.estimates(output: output, index: "swing_high")
        let base = r.bases.first { $0.output == output }?.value ?? .nan
        let order = r.parameters.indices.sorted { a, b in
            func w(_ i: Int) -> Double { let d = abs((high[i]?.value ?? .nan) - (low[i]?.value ?? .nan)); return d.isFinite ? d : 0 }
            return w(a) > w(b) || (w(a) == w(b) && a < b)
        }
        let values = (low + high).compactMap { $0?.value } + [base]
        let left = 200.0, right = width - 40
        let axis = SVGAxis(covering: values, pixels: (left, right), includeZero: false, allowLog: false)
        svg.text(40, y0 + 18, output + (base.isFinite ? " (base \(NumberFormatting.compact(base)))" : ""), size: 13, weight: "bold")
        let rowHeight = 24.0, first = y0 + 34
        for (row, i) in order.enumerated() {
            let y = first + Double(row) * rowHeight
            let p = r.parameters[i]
            svg.text(left - 8, y + 13, shortened(p, to: 26), size: 11, anchor: "end")
            guard base.isFinite else { continue }
            if let l = low[i]?.value, l.isFinite {
                svg.bar(
                    axis.pixel(base), axis.pixel(l), y: y + 2, height: 16, fill: colours.first,
                    tip: "\(p) at its 5% point: \(NumberFormatting.compact(l))")
            }
            if let h = high[i]?.value, h.isFinite {
                svg.bar(
                    axis.pixel(base), axis.pixel(h), y: y + 2, height: 16, fill: colours.total,
                    tip: "\(p) at its 95% point: \(NumberFormatting.compact(h))")
            }
        }
        let bottom = first + Double(r.parameters.count) * rowHeight
        if base.isFinite { svg.line(axis.pixel(base), first - 4, axis.pixel(base), bottom, stroke: "#222", width: 1) }
        svg.line(left, bottom, right, bottom, stroke: "#999", width: 1)
        svg.xTicks(axis, y: bottom) { NumberFormatting.compact($0) }
        svg.legendKey(right - 260, y0 + 8, fill: colours.first, label: "parameter at 5%")
        svg.legendKey(right - 130, y0 + 8, fill: colours.total, label: "parameter at 95%")
    }
}
