import DXEngine
import DXSampling
import Foundation

/// `adoption.svg`: what each programme buys, then, per service whose adoption barriers touch, the share of its
/// work adopted by the end of each year under the baseline and under the programme with the highest net value.
///
/// The top panel is money: each programme's gain in net value over the baseline (NPV gained minus the routines'
/// cost) with its 95% interval, and its return per unit of routine cost. The service panels show the mean
/// share adopted with a p5–p95 band over draws.
public enum AdoptionChart {
    static let colours = (baseline: "#d95f02", best: "#1b9e77")
    static let left = 64.0, columns = 3, panelWidth = 262.0, panelHeight = 150.0, gap = 58.0

    /// The chart as a standalone SVG document.
    public static func svg(_ r: AdoptionResult) -> String {
        let base = r.programmes[0], best = r.bestProgramme
        let services = r.entities.filter { $0.level == .service }.filter { e in
            (r.summary(programme: base.id, level: .service, id: e.id, .adoptionDelay)?.mean ?? 0) > 0
                || (r.summary(programme: base.id, level: .service, id: e.id, .adoptedByHorizon)?.mean ?? 1) < 0.999
        }
        let moneyTop = 96.0, barHeight = 22.0
        let moneyHeight = Double(r.programmes.count) * (barHeight + 8)
        let top = moneyTop + moneyHeight + 136
        let rows = max(1, (services.count + columns - 1) / columns)
        let width = left + Double(columns) * panelWidth + Double(columns - 1) * gap + 30
        let height = top + Double(rows) * (panelHeight + 78) + 10
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(r.run.scenarioName, subtitle: """
            Adoption programmes over \(r.run.horizon) years: \(NumberFormatting.grouped(r.run.draws)) draws, the same draws for every programme
            """, x: left, y: 28)
        money(r, top: moneyTop, barHeight: barHeight, right: width - 30, on: &svg)
        // Service panels.
        let keyY = top - 52
        svg.text(left, keyY - 14, "Share of each service's work adopted by the end of each year: mean (solid) and p5–p95 (dashed) over draws",
                 size: 13, weight: "bold")
        svg.swatch(left, keyY, width: 14, height: 4, fill: colours.baseline)
        svg.text(left + 20, keyY + 6, "\(shortened(base.name, to: 40)) (baseline)", size: 11)
        let secondKey = left + 40 + SVGCanvas.textWidth("\(shortened(base.name, to: 40)) (baseline)")
        svg.swatch(secondKey, keyY, width: 14, height: 4, fill: colours.best)
        svg.text(secondKey + 20, keyY + 6, "\(shortened(best.name, to: 40)) (highest net value)", size: 11)
        let H = r.run.horizon
        for (i, service) in services.enumerated() {
            let x0 = left + Double(i % columns) * (panelWidth + gap), y0 = top + Double(i / columns) * (panelHeight + 78)
            svg.text(x0, y0 - 8, shortened(service.name, to: 40), size: 12, weight: "bold")
            svg.frame(x0, y0, x0 + panelWidth, y0 + panelHeight, stroke: "#ccc")
            func px(_ y: Int) -> Double { x0 + (Double(y) - 0.5) / Double(H) * panelWidth }
            func py(_ v: Double) -> Double { y0 + panelHeight - min(max(v, 0), 1) * panelHeight }
            for t in [0.25, 0.5, 0.75] { svg.line(x0, py(t), x0 + panelWidth, py(t), stroke: "#f0f0f0", width: 1) }
            let programmes = base.id == best.id ? [(base, colours.baseline)] : [(base, colours.baseline), (best, colours.best)]
            for (programme, colour) in programmes {
                let years = r.adoptionByYear(programme: programme.id, level: .service, id: service.id)
                // p5 and p95 as thin dashed lines: two programmes' bands would overlap into one colour.
                for bound in [\DistributionSummary.p5, \DistributionSummary.p95] where years.allSatisfy({ $0[keyPath: bound].isFinite }) {
                    svg.polyline(years.enumerated().map { (px($0.offset + 1), py($0.element[keyPath: bound])) }, stroke: colour,
                                 width: 1, dash: "4 3")
                }
                svg.polyline(years.enumerated().map { (px($0.offset + 1), py($0.element.mean)) }, stroke: colour, width: 2)
                for (k, s) in years.enumerated() {
                    svg.dot(px(k + 1), py(s.mean), radius: 3, fill: colour, tip: """
                        \(programme.name), year \(k + 1): \(NumberFormatting.percent(s.mean)) \
                        (\(NumberFormatting.percent(s.p5))–\(NumberFormatting.percent(s.p95)))
                        """)
                }
            }
            for y in 1...H { svg.text(px(y), y0 + panelHeight + 14, r.run.yearLabel(y), size: 10, fill: "#333", anchor: "middle") }
            svg.text(x0 + panelWidth / 2, y0 + panelHeight + 30, "end of year", size: 11, fill: "#555", anchor: "middle")
            svg.yTickLabels([0.0, 0.5, 1.0], x: x0 - 5, pixel: py, label: NumberFormatting.percent)
        }
        if services.isEmpty { svg.text(left, top + 20, "No service meets a barrier.", size: 12) }
        return svg.document
    }

    /// Each programme's gain in net value over the baseline, with its 95% interval, its routine cost and return.
    static func money(_ r: AdoptionResult, top: Double, barHeight: Double, right: Double, on svg: inout SVGCanvas) {
        let total = r.entities.last!
        let currency = r.run.currency.isEmpty ? "" : " (\(r.run.currency))"
        svg.text(left, top - 22, "What each programme buys: gain in net value over the baseline\(currency), with its 95% interval",
                 size: 13, weight: "bold")
        let names = r.programmes.map { shortened($0.name, to: 40) }
        let labelWidth = (names.map { SVGCanvas.textWidth($0) }.max() ?? 60) + 12
        let x0 = left + labelWidth, x1 = right - 250
        let differences = r.programmes.map { r.difference(programme: $0.id, level: total.level, id: total.id, .netValue)! }
        let values = differences.flatMap { [$0.low, $0.high, $0.mean] }.filter(\.isFinite) + [0]
        let axis = SVGAxis(covering: values, pixels: (x0, x1), includeZero: true, allowLog: false)
        for (i, p) in r.programmes.enumerated() {
            let y = top + Double(i) * (barHeight + 8), d = differences[i]
            svg.text(x0 - 8, y + barHeight * 0.7, names[i], size: 11, anchor: "end")
            guard i > 0 else {
                svg.text(x0 + 6, y + barHeight * 0.7, "baseline", size: 11, fill: "#555")
                continue
            }
            svg.bar(axis.pixel(0), axis.pixel(d.mean), y: y, height: barHeight, fill: d.mean >= 0 ? colours.best : colours.baseline,
                    tip: "\(p.name): \(AdoptionOutputs.interval(d))")
            svg.line(axis.pixel(d.low), y + barHeight / 2, axis.pixel(d.high), y + barHeight / 2, stroke: "#222", width: 1.5)
            let cost = r.difference(programme: p.id, level: total.level, id: total.id, .routineCost)!.mean
            let gain = r.difference(programme: p.id, level: total.level, id: total.id, .npv)!.mean
            let ret = cost > 0 ? String(format: "; return %.1f× its cost", gain / cost) : ""
            svg.text(x1 + 12, y + barHeight * 0.7, "\(AdoptionOutputs.signed(d.mean)) (cost \(NumberFormatting.compact(cost))\(ret))",
                     size: 11, fill: "#333")
        }
        let bottom = top + Double(r.programmes.count) * (barHeight + 8)
        svg.line(axis.pixel(0), top - 4, axis.pixel(0), bottom, stroke: "#333", width: 1)
        svg.xTicks(axis, y: bottom) { NumberFormatting.compact($0) }
        svg.text((x0 + x1) / 2, bottom + 34, "gain in net value over the baseline\(currency)", size: 11, fill: "#555", anchor: "middle")
    }
}
