import DXAnalysis
import DXExperiments
import DXSampling
import Foundation

/// SVG charts of a sensitivity analysis, one panel per output:
/// - `sobol.svg`: S1 and ST per parameter as horizontal bars with their confidence intervals;
/// - `morris.svg`: μ* (x) against σ (y), each parameter a labelled point with its μ* interval;
/// - `tornado.svg`: each parameter's swing from its 5% to its 95% point around the base value, widest first.
public enum SensitivityCharts {
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
        var svg = header(height: height, title: title, subtitle: subtitle(report))
        for (i, output) in outputs.enumerated() {
            let y0 = top + Double(i) * panelHeight
            switch report.method {
            case .sobol: svg += sobolPanel(report, output, y0, panelHeight)
            case .morris: svg += morrisPanel(report, output, y0, panelHeight)
            case .tornado: svg += tornadoPanel(report, output, y0, panelHeight)
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func subtitle(_ r: SensitivityReport) -> String {
        let failed = r.failures.isEmpty ? "" : ", \(r.failures.count) failed"
        switch r.method {
        case .sobol: return "Sobol indices: first order S1 and total ST, 95% bootstrap intervals (\(r.points) points × \(r.draws) draws\(failed))"
        case .morris: return "Morris elementary effects: μ* (mean |effect|) against σ (spread: interactions, non-linearity); \(r.points) points × \(r.draws) draws\(failed)"
        case .tornado: return "Output with each parameter at its 5% and 95% point, the others at their medians (\(r.points) points × \(r.draws) draws\(failed))"
        }
    }

    static func header(height: Double, title: String, subtitle: String) -> [String] {
        [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="Helvetica, Arial, sans-serif">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            MatrixChart.text(40, 28, MatrixChart.escape(title), size: 18, weight: "bold"),
            MatrixChart.text(40, 48, MatrixChart.escape(subtitle), size: 12, fill: "#555"),
        ]
    }

    static func bar(_ x0: Double, _ x1: Double, _ y: Double, _ h: Double, _ fill: String, _ tip: String) -> String {
        ##"<rect x="\##(MatrixChart.f(min(x0, x1)))" y="\##(MatrixChart.f(y))" width="\##(MatrixChart.f(abs(x1 - x0)))" height="\##(MatrixChart.f(h))" fill="\##(fill)"><title>\##(MatrixChart.escape(tip))</title></rect>"##
    }

    static func xTicks(_ axis: SVGAxis, _ y: Double, format: (Double) -> String) -> [String] {
        axis.ticks.flatMap { t in
            [MatrixChart.line(axis.pixel(t), y, axis.pixel(t), y + 4, stroke: "#999", width: 1),
             MatrixChart.text(axis.pixel(t), y + 16, format(t), size: 10, fill: "#333", anchor: "middle")]
        }
    }

    /// S1 and ST bars per parameter, ranked by ST (as the terminal table), each with its interval as a
    /// capped whisker, on an axis that ends just past the largest value or interval end (not at 1).
    static func sobolPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, _ height: Double) -> [String] {
        let s1 = r.estimates(output: output, index: "S1"), st = r.estimates(output: output, index: "ST")
        let values = (s1 + st).compactMap { $0 }.flatMap { [$0.value, $0.low, $0.high] }
        let left = 200.0, right = width - 40
        let axis = SVGAxis(covering: values + [0], pixels: (left, right), includeZero: true, allowLog: false)
        var svg = [MatrixChart.text(40, y0 + 18, MatrixChart.escape(output), size: 13, weight: "bold")]
        let rowHeight = 30.0, first = y0 + 34
        for (row, i) in ranked(st, count: r.parameters.count).enumerated() {
            let p = r.parameters[i]
            let y = first + Double(row) * rowHeight
            svg.append(MatrixChart.text(left - 8, y + 14, MatrixChart.escape(RedeploymentChart.truncated(p, to: 26)), size: 11, anchor: "end"))
            for (k, (estimate, colour, name)) in [(s1[i], colours.first, "S1"), (st[i], colours.total, "ST")].enumerated() {
                guard let e = estimate, e.value.isFinite else { continue }
                let by = y + Double(k) * 11 + 2
                svg.append(bar(axis.pixel(0), axis.pixel(e.value), by, 9, colour, "\(p) \(name) = \(String(format: "%.3f", e.value)) [\(String(format: "%.3f", e.low)), \(String(format: "%.3f", e.high))]"))
                if e.low.isFinite && e.high.isFinite {
                    let (x0, x1, mid) = (axis.pixel(e.low), axis.pixel(e.high), by + 4.5)
                    svg.append(MatrixChart.line(x0, mid, x1, mid, stroke: "#222", width: 1.2))
                    svg.append(MatrixChart.line(x0, mid - 3, x0, mid + 3, stroke: "#222", width: 1.2))
                    svg.append(MatrixChart.line(x1, mid - 3, x1, mid + 3, stroke: "#222", width: 1.2))
                }
            }
        }
        let bottom = first + Double(r.parameters.count) * rowHeight
        svg.append(MatrixChart.line(axis.pixel(0), first - 4, axis.pixel(0), bottom, stroke: "#999", width: 1))
        svg.append(MatrixChart.line(left, bottom, right, bottom, stroke: "#999", width: 1))
        svg += xTicks(axis, bottom) { String(format: axis.upper - axis.lower < 0.5 ? "%.2f" : "%.1f", $0) }
        svg.append(MatrixChart.text((left + right) / 2, bottom + 32, "share of the output's variance (95% bootstrap intervals)", size: 11, fill: "#555", anchor: "middle"))
        svg.append(##"<rect x="\##(MatrixChart.f(right - 150))" y="\##(MatrixChart.f(y0 + 8))" width="10" height="10" fill="\##(colours.first)"/>"##)
        svg.append(MatrixChart.text(right - 136, y0 + 17, "S1 first order", size: 11))
        svg.append(##"<rect x="\##(MatrixChart.f(right - 60))" y="\##(MatrixChart.f(y0 + 8))" width="10" height="10" fill="\##(colours.total)"/>"##)
        svg.append(MatrixChart.text(right - 46, y0 + 17, "ST total", size: 11))
        return svg
    }

    /// Parameter indices ranked by an estimate, largest first (missing or NaN last; ties keep the sweep file's order).
    static func ranked(_ estimates: [Estimate?], count: Int) -> [Int] {
        func key(_ i: Int) -> Double { estimates[i].map(\.value).flatMap { $0.isFinite ? $0 : nil } ?? -.infinity }
        return (0..<count).sorted { key($0) > key($1) || (key($0) == key($1) && $0 < $1) }
    }

    static func morrisPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, _ height: Double) -> [String] {
        let muStar = r.estimates(output: output, index: "mu_star"), sigma = r.estimates(output: output, index: "sigma")
        let left = 110.0, right = width - 200, top = y0 + 34, bottom = y0 + height - 40
        let xs = muStar.compactMap { $0 }.flatMap { [$0.value, $0.high] }, ys = sigma.compactMap { $0?.value }
        let x = SVGAxis(covering: xs + [0], pixels: (left, right), includeZero: true, allowLog: false)
        let y = SVGAxis(covering: ys + [0], pixels: (bottom, top), includeZero: true, allowLog: false)
        var svg = [MatrixChart.text(40, y0 + 18, MatrixChart.escape(output), size: 13, weight: "bold"),
                   ##"<rect x="\##(MatrixChart.f(left))" y="\##(MatrixChart.f(top))" width="\##(MatrixChart.f(right - left))" height="\##(MatrixChart.f(bottom - top))" fill="none" stroke="#ccc"/>"##]
        // σ = μ*: above this line effects change sign or size much across the space.
        let edge = min(x.upper, y.upper)
        svg.append(MatrixChart.line(x.pixel(0), y.pixel(0), x.pixel(edge), y.pixel(edge), stroke: "#bbb", width: 1, dash: "4 3"))
        svg.append(MatrixChart.text(x.pixel(edge) - 4, y.pixel(edge) + 14, "σ = μ*", size: 10, fill: "#888", anchor: "end"))
        for (i, p) in r.parameters.enumerated() {
            guard let m = muStar[i], m.value.isFinite, let s = sigma[i]?.value, s.isFinite else { continue }
            if m.low.isFinite && m.high.isFinite {
                svg.append(MatrixChart.line(x.pixel(m.low), y.pixel(s), x.pixel(m.high), y.pixel(s), stroke: colours.point, width: 1))
            }
            svg.append(##"<circle cx="\##(MatrixChart.f(x.pixel(m.value)))" cy="\##(MatrixChart.f(y.pixel(s)))" r="5" fill="\##(colours.point)"><title>\##(MatrixChart.escape("\(p): μ* = \(NumberFormatting.compact(m.value)), σ = \(NumberFormatting.compact(s))"))</title></circle>"##)
            svg.append(MatrixChart.text(x.pixel(m.value) + 8, y.pixel(s) - 6, MatrixChart.escape(RedeploymentChart.truncated(p, to: 24)), size: 11))
        }
        svg += xTicks(x, bottom) { NumberFormatting.compact($0) }
        for t in y.ticks { svg.append(MatrixChart.text(left - 6, y.pixel(t) + 4, NumberFormatting.compact(t), size: 10, fill: "#333", anchor: "end")) }
        svg.append(MatrixChart.text((left + right) / 2, bottom + 32, "μ* (mean absolute elementary effect, per unit of the parameter's range)", size: 11, fill: "#555", anchor: "middle"))
        svg.append(MatrixChart.text(left - 60, (top + bottom) / 2, "σ", size: 12, fill: "#555"))
        return svg
    }

    static func tornadoPanel(_ r: SensitivityReport, _ output: String, _ y0: Double, _ height: Double) -> [String] {
        let low = r.estimates(output: output, index: "swing_low"), high = r.estimates(output: output, index: "swing_high")
        let base = r.bases.first { $0.output == output }?.value ?? .nan
        let order = r.parameters.indices.sorted { a, b in
            func w(_ i: Int) -> Double { let d = abs((high[i]?.value ?? .nan) - (low[i]?.value ?? .nan)); return d.isFinite ? d : 0 }
            return w(a) > w(b) || (w(a) == w(b) && a < b)
        }
        let values = (low + high).compactMap { $0?.value } + [base]
        let left = 200.0, right = width - 40
        let axis = SVGAxis(covering: values, pixels: (left, right), includeZero: false, allowLog: false)
        var svg = [MatrixChart.text(40, y0 + 18, MatrixChart.escape(output) + (base.isFinite ? " (base \(NumberFormatting.compact(base)))" : ""), size: 13, weight: "bold")]
        let rowHeight = 24.0, first = y0 + 34
        for (row, i) in order.enumerated() {
            let y = first + Double(row) * rowHeight
            let p = r.parameters[i]
            svg.append(MatrixChart.text(left - 8, y + 13, MatrixChart.escape(RedeploymentChart.truncated(p, to: 26)), size: 11, anchor: "end"))
            guard base.isFinite else { continue }
            if let l = low[i]?.value, l.isFinite {
                svg.append(bar(axis.pixel(base), axis.pixel(l), y + 2, 16, colours.first, "\(p) at its 5% point: \(NumberFormatting.compact(l))"))
            }
            if let h = high[i]?.value, h.isFinite {
                svg.append(bar(axis.pixel(base), axis.pixel(h), y + 2, 16, colours.total, "\(p) at its 95% point: \(NumberFormatting.compact(h))"))
            }
        }
        let bottom = first + Double(r.parameters.count) * rowHeight
        if base.isFinite { svg.append(MatrixChart.line(axis.pixel(base), first - 4, axis.pixel(base), bottom, stroke: "#222", width: 1)) }
        svg.append(MatrixChart.line(left, bottom, right, bottom, stroke: "#999", width: 1))
        svg += xTicks(axis, bottom) { NumberFormatting.compact($0) }
        svg.append(##"<rect x="\##(MatrixChart.f(right - 260))" y="\##(MatrixChart.f(y0 + 8))" width="10" height="10" fill="\##(colours.first)"/>"##)
        svg.append(MatrixChart.text(right - 246, y0 + 17, "parameter at 5%", size: 11))
        svg.append(##"<rect x="\##(MatrixChart.f(right - 130))" y="\##(MatrixChart.f(y0 + 8))" width="10" height="10" fill="\##(colours.total)"/>"##)
        svg.append(MatrixChart.text(right - 116, y0 + 17, "parameter at 95%", size: 11))
        return svg
    }

    /// `prim.svg`: the peeling trajectory as coverage against density with the chosen box marked, and the chosen
    /// box drawn against each restricted parameter's range (as the EMA Workbench's box inspection), with its
    /// quasi-p-values.
    public static func primSVG(_ found: ScenarioDiscovery, title: String, subtitle: String) -> String {
        let result = found.result, chosen = result.box
        let rowHeight = 46.0
        let height = max(560.0, 150 + Double(chosen.restricted.count) * rowHeight + 60)
        var svg = header(height: height, title: title, subtitle: subtitle)
        let left = 80.0, right = 440.0, top = 80.0, bottom = 440.0
        let x = SVGAxis(fixed: 0, 1, pixels: (left, right)), y = SVGAxis(fixed: 0, 1, pixels: (bottom, top))
        svg.append(##"<rect x="\##(MatrixChart.f(left))" y="\##(MatrixChart.f(top))" width="\##(MatrixChart.f(right - left))" height="\##(MatrixChart.f(bottom - top))" fill="none" stroke="#ccc"/>"##)
        let path = result.trajectory.map { "\(MatrixChart.f(x.pixel($0.coverage))),\(MatrixChart.f(y.pixel($0.density)))" }.joined(separator: " ")
        svg.append(##"<polyline points="\##(path)" fill="none" stroke="\##(colours.point)" stroke-width="1.5"/>"##)
        for (i, b) in result.trajectory.enumerated() {
            let tip = "step \(i): coverage \(String(format: "%.2f", b.coverage)), density \(String(format: "%.2f", b.density)), mass \(String(format: "%.2f", b.mass)), \(b.restricted.count) restricted"
            svg.append(##"<circle cx="\##(MatrixChart.f(x.pixel(b.coverage)))" cy="\##(MatrixChart.f(y.pixel(b.density)))" r="3" fill="\##(colours.point)"><title>\##(MatrixChart.escape(tip))</title></circle>"##)
        }
        svg.append(##"<circle cx="\##(MatrixChart.f(x.pixel(chosen.coverage)))" cy="\##(MatrixChart.f(y.pixel(chosen.density)))" r="7" fill="none" stroke="\##(colours.total)" stroke-width="2.5"><title>the chosen box, after pasting</title></circle>"##)
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg.append(MatrixChart.text(x.pixel(t), bottom + 16, String(format: "%.1f", t), size: 10, fill: "#333", anchor: "middle"))
            svg.append(MatrixChart.text(left - 6, y.pixel(t) + 4, String(format: "%.1f", t), size: 10, fill: "#333", anchor: "end"))
        }
        svg.append(MatrixChart.text((left + right) / 2, bottom + 36, "coverage (share of all bad futures inside the box)", size: 11, fill: "#555", anchor: "middle"))
        svg.append(MatrixChart.text(left - 60, top - 10, "density (share of the box's futures that are bad)", size: 11, fill: "#555"))
        // The chosen box against each restricted parameter's range.
        let panel = 500.0, barLeft = 640.0, barRight = width - 50
        var ty = top + 4
        svg.append(MatrixChart.text(panel, ty, "Chosen box (circled)", size: 13, weight: "bold"))
        ty += 20
        svg.append(MatrixChart.text(panel, ty, String(format: "coverage %.2f, density %.2f, mass %.2f: %d bad of %d futures", chosen.coverage, chosen.density, chosen.mass, chosen.cases, chosen.points), size: 11))
        ty += 14
        for (k, d) in chosen.restricted.enumerated() {
            ty += rowHeight
            let name = MatrixChart.escape(RedeploymentChart.truncated(found.parameters[d], to: 20))
            svg.append(MatrixChart.text(panel, ty - 10, name, size: 11, weight: "bold"))
            svg.append(MatrixChart.text(panel, ty + 6, MatrixChart.escape("qp " + found.describeQuasiP(k)), size: 10, fill: "#555"))
            switch (result.trajectory[0].limits[d], chosen.limits[d]) {
            case let (.range(minimum, maximum), .range(lo, hi)):
                let axis = SVGAxis(fixed: minimum, maximum, pixels: (barLeft, barRight))
                svg.append(MatrixChart.line(barLeft, ty - 14, barRight, ty - 14, stroke: "#bbb", width: 6))
                svg.append(MatrixChart.line(axis.pixel(lo), ty - 14, axis.pixel(hi), ty - 14, stroke: colours.total, width: 8))
                svg.append(MatrixChart.text(barLeft, ty + 2, NumberFormatting.compact(minimum), size: 9, fill: "#777", anchor: "start"))
                svg.append(MatrixChart.text(barRight, ty + 2, NumberFormatting.compact(maximum), size: 9, fill: "#777", anchor: "end"))
                svg.append(MatrixChart.text((axis.pixel(lo) + axis.pixel(hi)) / 2, ty - 22, MatrixChart.escape(found.describe(d)), size: 10, anchor: "middle"))
            case let (.categories(all), .categories(kept)):
                let names = all.sorted()
                let step = (barRight - barLeft) / Double(max(names.count, 1))
                for (i, c) in names.enumerated() {
                    let inside = kept.contains(c)
                    svg.append(##"<rect x="\##(MatrixChart.f(barLeft + Double(i) * step + 1))" y="\##(MatrixChart.f(ty - 24))" width="\##(MatrixChart.f(step - 2))" height="16" fill="\##(inside ? colours.total : "#ddd")"/>"##)
                    svg.append(MatrixChart.text(barLeft + (Double(i) + 0.5) * step, ty - 12, MatrixChart.escape(RedeploymentChart.truncated(c, to: 12)), size: 9, fill: inside ? "white" : "#555", anchor: "middle"))
                }
            default: break
            }
        }
        if chosen.restricted.isEmpty { svg.append(MatrixChart.text(panel, ty + 18, "no restriction: bad futures are not concentrated", size: 11)) }
        let note = ty + rowHeight
        svg.append(MatrixChart.text(panel, note, "Orange: the box's limits within the parameter's range (grey).", size: 10, fill: "#555"))
        svg.append(MatrixChart.text(panel, note + 14, "qp (quasi-p): chance of this many bad futures in the box", size: 10, fill: "#555"))
        svg.append(MatrixChart.text(panel, note + 28, "if that limit were dropped; small means the limit matters.", size: 10, fill: "#555"))
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
