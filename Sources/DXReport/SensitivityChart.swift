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
    public static func svg(_ report: SensitivityResult, title: String) -> String {
        let outputs = report.outputs
        let panelHeight: Double
        switch report.method {
        case .morris: panelHeight = 330
        case .sobol: panelHeight = Double(report.parameters.count) * 30 + 96
        case .tornado: panelHeight = Double(report.parameters.count) * 24 + 110
        }
        let top = 70.0, height = top + Double(outputs.count) * panelHeight + 20
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(title, subtitle: subtitle(report), x: 40, y: 28)
        for (i, output) in outputs.enumerated() {
            let y0 = top + Double(i) * panelHeight
            switch report.indices(of: output) {
            case let .sobol(first, total, _)?: sobolPanel(report, output, first, total, y0, on: &svg)
            case let .morris(_, muStar, sigma)?: morrisPanel(report, output, muStar, sigma, y0, panelHeight, on: &svg)
            case let .tornado(base, low, high)?: tornadoPanel(report, output, base, low, high, y0, on: &svg)
            case nil: break
            }
        }
        return svg.document
    }

    static func subtitle(_ r: SensitivityResult) -> String {
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
    static func sobolPanel(_ r: SensitivityResult, _ output: String, _ first: [Estimate], _ total: [Estimate], _ y0: Double,
                           on svg: inout SVGCanvas) {
        let s1 = first.map(Optional.some), st = total.map(Optional.some)
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

    /// μ* against σ, each parameter a dot with its μ* interval, named by ``LabelPlacer`` (leader lines where
    /// points crowd, as unimportant parameters do at the origin).
    static func morrisPanel(_ r: SensitivityResult, _ output: String, _ muStars: [Estimate], _ sigmas: [Double], _ y0: Double,
                            _ height: Double, on svg: inout SVGCanvas) {
        let muStar = muStars.map(Optional.some), sigma = sigmas.map { Optional.some(Estimate(value: $0, low: .nan, high: .nan)) }
        let left = 110.0, right = width - 200, top = y0 + 34, bottom = y0 + height - 40
        let xs = muStar.compactMap { $0 }.flatMap { [$0.value, $0.high] }, ys = sigma.compactMap { $0?.value }
        let x = SVGAxis(covering: xs + [0], pixels: (left, right), includeZero: true, allowLog: false)
        let y = SVGAxis(covering: ys + [0], pixels: (bottom, top), includeZero: true, allowLog: false)
        svg.text(40, y0 + 18, output, size: 13, weight: "bold")
        svg.frame(left, top, right, bottom, stroke: "#ccc")
        // σ = μ*: above this line effects change sign or size much across the space.
        let edge = min(x.upper, y.upper)
        svg.line(x.pixel(0), y.pixel(0), x.pixel(edge), y.pixel(edge), stroke: "#bbb", width: 1, dash: "4 3")
        let lineLabel = (x: x.pixel(edge) - 4, y: y.pixel(edge) + 14)
        svg.text(lineLabel.x, lineLabel.y, "σ = μ*", size: 10, fill: "#888", anchor: "end")
        // Labels may use the margin right of the plot; they keep off the dots and the σ = μ* label.
        var placer = LabelPlacer(bounds: PixelBox(x0: left + 2, y0: top + 2, x1: width - 10, y1: bottom - 2), fontSize: 11)
        placer.block(PixelBox.text(x: lineLabel.x - SVGCanvas.textWidth("σ = μ*", size: 10), y: lineLabel.y,
                                   width: SVGCanvas.textWidth("σ = μ*", size: 10), size: 10))
        let drawn = r.parameters.indices.filter { i in
            muStar[i].map { $0.value.isFinite } == true && sigma[i].map { $0.value.isFinite } == true
        }
        for i in drawn {
            let (px, py) = (x.pixel(muStar[i]!.value), y.pixel(sigma[i]!.value))
            placer.block(PixelBox(x0: px - 5, y0: py - 5, x1: px + 5, y1: py + 5))
        }
        for i in drawn {
            let (m, s, p) = (muStar[i]!, sigma[i]!.value, r.parameters[i])
            if m.low.isFinite && m.high.isFinite {
                svg.line(x.pixel(m.low), y.pixel(s), x.pixel(m.high), y.pixel(s), stroke: colours.point, width: 1)
            }
            svg.dot(x.pixel(m.value), y.pixel(s), radius: 5, fill: colours.point,
                    tip: "\(p): μ* = \(NumberFormatting.compact(m.value)), σ = \(NumberFormatting.compact(s))")
        }
        // Most influential first, so they get the places nearest their dots.
        for i in drawn.sorted(by: { muStar[$0]!.value > muStar[$1]!.value }) {
            let name = shortened(r.parameters[i], to: 30)
            let (px, py) = (x.pixel(muStar[i]!.value), y.pixel(sigma[i]!.value))
            guard let spot = placer.place(name, near: px, py, clearance: 5, reach: 9) else { continue }
            if let l = spot.leader { svg.line(l.x0, l.y0, l.x1, l.y1, stroke: "#999", width: 0.8) }
            svg.haloText(spot.x, spot.y, spot.text, size: 11)
        }
        svg.xTicks(x, y: bottom) { NumberFormatting.compact($0) }
        svg.yTickLabels(y.ticks, x: left - 6, pixel: y.pixel) { NumberFormatting.compact($0) }
        svg.text((left + right) / 2, bottom + 32, """
            μ* (mean absolute elementary effect, per unit of the parameter's range)
            """, size: 11, fill: "#555", anchor: "middle")
        svg.verticalText(Int(left - 64), (top + bottom) / 2, "σ (spread of the effects)", size: 11)
    }

    /// Each parameter's swing, widest first: bars from the base value to the output with the parameter at its 5%
    /// (green) and 95% (orange) point, the output's value at each bar's end, and the parameter's values at those
    /// points beside its name.
    static func tornadoPanel(_ r: SensitivityResult, _ output: String, _ base: Double, _ lows: [Estimate], _ highs: [Estimate],
                             _ y0: Double, on svg: inout SVGCanvas) {
        let low = lows.map(Optional.some), high = highs.map(Optional.some)
        let order = r.parameters.indices.sorted { a, b in
            func w(_ i: Int) -> Double { let d = abs((high[i]?.value ?? .nan) - (low[i]?.value ?? .nan)); return d.isFinite ? d : 0 }
            return w(a) > w(b) || (w(a) == w(b) && a < b)
        }
        let values = (low + high).compactMap { $0?.value } + [base]
        let left = 250.0, right = width - 90
        // Room at both ends for the values written beside the bars.
        let axis = SVGAxis(covering: values, pixels: (left + 56, right - 56), includeZero: false, allowLog: false)
        svg.text(40, y0 + 18, output + (base.isFinite ? " (base \(NumberFormatting.compact(base)))" : ""), size: 13, weight: "bold")
        let rowHeight = 24.0, first = y0 + 34
        for (row, i) in order.enumerated() {
            let y = first + Double(row) * rowHeight
            let p = r.parameters[i]
            svg.text(left - 8, y + 10, shortened(p, to: 30), size: 11, anchor: "end")
            if i < r.swingValues.count {
                svg.text(left - 8, y + 21, "\(r.swingValues[i].low) … \(r.swingValues[i].high)", size: 9, fill: "#666", anchor: "end")
            }
            guard base.isFinite else { continue }
            let ends = [(low[i]?.value, colours.first, "5%"), (high[i]?.value, colours.total, "95%")]
            for (value, colour, point) in ends {
                guard let v = value, v.isFinite else { continue }
                svg.bar(axis.pixel(base), axis.pixel(v), y: y + 2, height: 16, fill: colour,
                        tip: "\(p) at its \(point) point: \(NumberFormatting.compact(v))")
            }
            // Each end's value outside its bar: left of the leftmost end, right of the rightmost.
            let finite = ends.compactMap { $0.0 }.filter(\.isFinite)
            if let lo = finite.min(), let hi = finite.max(), lo != hi || lo != base {
                if lo < base { svg.text(axis.pixel(lo) - 4, y + 14, NumberFormatting.compact(lo), size: 10, fill: "#333", anchor: "end") }
                if hi > base { svg.text(axis.pixel(hi) + 4, y + 14, NumberFormatting.compact(hi), size: 10, fill: "#333") }
            }
        }
        let bottom = first + Double(r.parameters.count) * rowHeight
        if base.isFinite { svg.line(axis.pixel(base), first - 4, axis.pixel(base), bottom, stroke: "#222", width: 1) }
        svg.line(left, bottom, right, bottom, stroke: "#999", width: 1)
        svg.xTicks(axis, y: bottom) { NumberFormatting.compact($0) }
        svg.text((left + right) / 2, bottom + 32, "\(output) with one parameter at a time at its 5% or 95% point, the others at their medians",
                 size: 11, fill: "#555", anchor: "middle")
        svg.legendKey(right - 200, y0 + 8, fill: colours.first, label: "parameter at 5%")
        svg.legendKey(right - 80, y0 + 8, fill: colours.total, label: "parameter at 95%")
    }

    /// The report's "how to read" paragraphs for the method's chart.
    static func howToRead(_ r: SensitivityResult) -> [String] {
        switch r.method {
        case .sobol: [
            "Which inputs drive the uncertainty in each output. S1 (first order) is the share of the output's variance an " +
                "input explains on its own; ST (total) adds everything it does together with other inputs. An input with ST " +
                "near 0 can be fixed anywhere in its range without changing the answer; ST well above S1 means interactions.",
            "Bars are estimates from \(r.points) points of \(r.draws) draws each; whiskers are 95% bootstrap intervals.",
        ]
        case .morris: [
            "A screening of which inputs matter, cheaper than Sobol indices. Further right (μ*, the mean absolute effect of " +
                "moving an input across its range) means more influence. Higher up (σ) means the effect changes from place " +
                "to place in the input space: interactions or non-linearity. Points above the dashed σ = μ* line have " +
                "effects that vary more than their typical size.",
            "Inputs near the origin can be left at their central values. Horizontal lines are 95% intervals of μ*.",
        ]
        case .tornado: [
            "How far each output moves when one input goes from its median to its 5% or 95% point while the others stay at " +
                "their medians: green bars at 5%, orange at 95%, with the output's value at each end. The widest bars are the " +
                "inputs to pin down first. Under each input's name: its value at the 5% and 95% points.",
            "A tornado ignores interactions: use Sobol indices where inputs act together.",
        ]
        }
    }
}

extension SensitivityResult {
    /// The cells of ``table(output:width:)``: the parameters ranked by the method's main index (ST for Sobol, μ* for
    /// Morris, the swing's width for the tornado; ties in the sweep file's order), with intervals.
    public func tableData(output: String) -> TableData {
        func fmt(_ x: Double) -> String { x.isFinite ? String(format: abs(x) < 10 ? "%.3f" : "%.4g", x) : "–" }
        func ci(_ e: Estimate) -> String { "[\(fmt(e.low)), \(fmt(e.high))]" }
        let compact = NumberFormatting.compact
        let headers: [String]
        var rows: [(key: Double, cells: [String])] = []
        switch indices(of: output) {
        case let .sobol(s1, st, _)?:
            headers = ["parameter", "S1", "95% CI", "ST", "95% CI"]
            for (i, p) in parameters.enumerated() {
                rows.append((st[i].value, [p, fmt(s1[i].value), ci(s1[i]), fmt(st[i].value), ci(st[i])]))
            }
        case let .morris(mu, muStar, sigma)?:
            headers = ["parameter", "μ*", "95% CI", "μ", "σ"]
            for (i, p) in parameters.enumerated() {
                let m = muStar[i]
                rows.append((m.value, [p, compact(m.value), "[\(compact(m.low)), \(compact(m.high))]", compact(mu[i]), compact(sigma[i])]))
            }
        case let .tornado(_, low, high)?:
            headers = ["parameter", "at 5%", "at 95%", "swing"]
            for (i, p) in parameters.enumerated() {
                let w = abs(high[i].value - low[i].value)
                rows.append((w.isFinite ? w : -1, [p, compact(low[i].value), compact(high[i].value), compact(w)]))
            }
        case nil:
            return TableData(headers: ["parameter"], rows: parameters.map { [$0] })
        }
        let sorted = rows.enumerated().sorted { ($0.element.key, -$0.offset) > ($1.element.key, -$1.offset) }.map(\.element.cells)
        return TableData(headers: headers, rows: sorted)
    }
}
