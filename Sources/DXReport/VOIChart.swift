import DXExperiments
import DXSampling
import Foundation

/// `voi.svg`: the inputs worth most to know (EVPPI bars with their 95% intervals against the EVPI), and, when the
/// scenario proposes pilots, each pilot's EVSI as its size grows, against its cost.
public enum VOIChart {
    static let width = 900.0
    static let shown = 15
    static let colours = (bar: "#2b8cbe", evsi: "#1b9e77", cost: "#d95f02", net: "#7570b3")

    public static func svg(_ r: VOIResult) -> String {
        // Inputs worth nothing cannot change the decision: they are counted under the bars, not drawn.
        let inputs = Array(r.ranked.filter { $0.evppi[r.headline].value > 0 }.prefix(shown))
        let barsHeight = 70 + Double(max(1, inputs.count)) * 24 + 50
        let pilotIds = r.pilots.map(\.pilot).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let pilotHeight = 300.0
        let top = 70.0
        let height = top + barsHeight + Double(pilotIds.count) * pilotHeight + 10
        var svg = SVGCanvas(width: width, height: height)
        let head = r.decisions[r.headline]
        let unit = r.run.currency.isEmpty ? "" : " \(r.run.currency)"
        svg.heading(r.run.scenarioName, subtitle: """
            Value of information: \(r.decisionKind); EVPI for the \(head.name) \(NumberFormatting.compact(head.evpi.value))\(unit) \
            (\(r.run.draws) draws)
            """, x: 40, y: 28)
        bars(r, inputs, y0: top, on: &svg)
        for (k, id) in pilotIds.enumerated() {
            pilotPanel(r, id, y0: top + barsHeight + Double(k) * pilotHeight, height: pilotHeight - 20, on: &svg)
        }
        return svg.document
    }

    /// Horizontal EVPPI bars, largest first, each with its 95% interval; the EVPI as a dashed line.
    static func bars(_ r: VOIResult, _ inputs: [VOIResult.Input], y0: Double, on svg: inout SVGCanvas) {
        let head = r.decisions[r.headline]
        let left = 330.0, right = width - 60
        let values: [Double] = inputs.map { $0.evppi[r.headline].value + ($0.evppi[r.headline].halfWidth95 ?? 0) } + [head.evpi.value, 0]
        let axis = SVGAxis(covering: values, pixels: (left, right), includeZero: true, allowLog: false)
        svg.text(40, y0 + 16, "Inputs worth most to know: EVPPI for the \(head.name), top \(inputs.count) of \(r.inputs.count)",
                 size: 13, weight: "bold")
        let worthless = r.inputs.filter { $0.evppi[r.headline].value <= 0 }.count
        let first = y0 + 40, rowHeight = 24.0
        let bottom = first + Double(max(1, inputs.count)) * rowHeight
        for t in axis.ticks { svg.line(axis.pixel(t), first - 4, axis.pixel(t), bottom, stroke: "#eee", width: 1) }
        for (row, input) in inputs.enumerated() {
            let y = first + Double(row) * rowHeight
            let e = input.evppi[r.headline]
            svg.text(left - 8, y + 13, shortened(input.name, to: 50), size: 11, anchor: "end")
            svg.bar(axis.pixel(0), axis.pixel(max(0, e.value)), y: y + 3, height: 14, fill: colours.bar,
                    tip: "\(input.name) (\(input.kind)): EVPPI \(VOIOutputs.estimate(e))\(VOIOutputs.errorNote(e).map { " (\($0))" } ?? "")")
            // No whisker where the standard error is unavailable (too few draws): none is better than a false one.
            guard let half = e.halfWidth95 else { continue }
            let (lo, hi, mid) = (axis.pixel(max(0, e.value - half)), axis.pixel(e.value + half), y + 10)
            svg.line(lo, mid, hi, mid, stroke: "#222", width: 1.2)
            svg.line(lo, mid - 3, lo, mid + 3, stroke: "#222", width: 1.2)
            svg.line(hi, mid - 3, hi, mid + 3, stroke: "#222", width: 1.2)
        }
        if inputs.isEmpty {
            svg.text(left, first + 14, r.inputs.isEmpty ? "no input varies" : "no input alone could change the decision", size: 11, fill: "#555")
        }
        let x = axis.pixel(head.evpi.value)
        svg.line(x, first - 8, x, bottom, stroke: "#333", width: 1.2, dash: "5,3")
        svg.text(x, first - 12, "EVPI \(NumberFormatting.compact(head.evpi.value))", size: 10, fill: "#333", anchor: "end")
        svg.line(left, bottom, right, bottom, stroke: "#999", width: 1)
        svg.xTicks(axis, y: bottom) { NumberFormatting.compact($0) }
        svg.text((left + right) / 2, bottom + 34, "expected value of knowing the input exactly\(r.run.currency.isEmpty ? "" : " (\(r.run.currency))")",
                 size: 11, fill: "#333", anchor: "middle")
        if worthless > 0 {
            svg.text(40, bottom + 34, "\(worthless) input\(worthless == 1 ? "" : "s") worth 0 not shown", size: 10, fill: "#555")
        }
    }

    /// One pilot: EVSI (with its 95% band), cost and net benefit against the pilot's size, on a log scale of sizes
    /// when they span a factor of ten or more.
    static func pilotPanel(_ r: VOIResult, _ id: String, y0: Double, height: Double, on svg: inout SVGCanvas) {
        let sizes = r.pilots.filter { $0.pilot == id }
        guard let first = sizes.first else { return }
        let ceiling = r.inputs.first { $0.name == "\(first.task):\(first.input)" }?.evppi[r.headline]
        let left = 110.0, right = width - 200, top = y0 + 40, bottom = y0 + height - 40
        let logScale = Double(sizes.last!.cases) / Double(sizes.first!.cases) >= 10
        func position(_ n: Int) -> Double { logScale ? log10(Double(n)) : Double(n) }
        let xs = sizes.map { position($0.cases) }
        let x = SVGAxis(fixed: xs.min()! - (logScale ? 0.05 : 0), xs.max()! + (logScale ? 0.05 : 0), pixels: (left, right))
        var values: [Double] = [0]
        for s in sizes { values += [s.evsi.value + (s.evsi.halfWidth95 ?? 0), s.evsi.value - (s.evsi.halfWidth95 ?? 0), s.cost, s.net] }
        if let ceiling { values.append(ceiling.value) }
        let y = SVGAxis(covering: values, pixels: (bottom, top), includeZero: true, allowLog: false)
        svg.text(40, y0 + 16, "Pilot \(id): \(first.task) (\(first.input)), expected value of its results by size", size: 13, weight: "bold")
        for t in y.ticks { svg.line(left, y.pixel(t), right, y.pixel(t), stroke: "#eee", width: 1) }
        svg.line(left, y.pixel(0), right, y.pixel(0), stroke: "#999", width: 1)
        svg.frame(left, top, right, bottom, stroke: "#ccc")
        svg.yTickLabels(y.ticks, x: left - 6, pixel: y.pixel) { NumberFormatting.compact($0) }
        svg.verticalText(40, (top + bottom) / 2, "value\(r.run.currency.isEmpty ? "" : " (\(r.run.currency))")", size: 11)
        for s in sizes {
            let px = x.pixel(position(s.cases))
            svg.line(px, bottom, px, bottom + 4, stroke: "#999", width: 1)
            svg.text(px, bottom + 16, "\(s.cases)", size: 10, fill: "#333", anchor: "middle")
        }
        svg.text((left + right) / 2, bottom + 34, "cases in the pilot\(logScale ? " (log scale)" : "")", size: 11, fill: "#333", anchor: "middle")
        let points = { (f: (VOIResult.PilotSize) -> Double) in sizes.map { (x.pixel(position($0.cases)), y.pixel(f($0))) } }
        // The band only where every size has its standard error.
        let banded = sizes.allSatisfy { $0.evsi.halfWidth95 != nil }
        if banded {
            svg.band(upper: points { $0.evsi.value + $0.evsi.halfWidth95! }, lower: points { $0.evsi.value - $0.evsi.halfWidth95! },
                     fill: colours.evsi, opacity: 0.2)
        }
        svg.polyline(points { $0.evsi.value }, stroke: colours.evsi, width: 2)
        svg.polyline(points { $0.cost }, stroke: colours.cost, width: 1.5, dash: "6,3")
        svg.polyline(points { $0.net }, stroke: colours.net, width: 1.5)
        if let ceiling {
            svg.line(left, y.pixel(ceiling.value), right, y.pixel(ceiling.value), stroke: "#555", width: 1, dash: "2,3")
        }
        if let best = r.bestSize(id) {
            svg.dot(x.pixel(position(best.cases)), y.pixel(best.net), radius: 5, fill: colours.net,
                    tip: "best size \(best.cases) cases: net \(NumberFormatting.compact(best.net))")
        }
        // Legend, right of the plot.
        let lx = right + 16
        let needs = sizes.compactMap(\.evsi.errorNeedsDraws).max()
        svg.legendKey(lx, top, fill: colours.evsi, label: banded ? "EVSI (95% band)" : "EVSI (band needs \(NumberFormatting.grouped(needs ?? 0)) draws)")
        svg.legendKey(lx, top + 18, fill: colours.cost, label: "cost")
        svg.legendKey(lx, top + 36, fill: colours.net, label: "net: EVSI − cost")
        if ceiling != nil { svg.legendKey(lx, top + 54, fill: "#555", label: "EVPPI (dotted)") }
        let best = r.bestSize(id)
        svg.text(lx, top + 84, best.map { "best: \($0.cases) cases" } ?? "no size pays", size: 11, weight: "bold")
        if let best { svg.text(lx, top + 100, "net \(NumberFormatting.compact(best.net))", size: 11) }
    }
}
