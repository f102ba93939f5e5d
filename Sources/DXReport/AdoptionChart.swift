import DXEngine
import DXSampling
import Foundation

/// `adoption.svg`: per service whose adoption barriers touch, the share of its work adopted by the end of each
/// year, under the baseline and under the programme with the highest net value.
public enum AdoptionChart {
    static let colours = (baseline: "#d95f02", best: "#1b9e77")

    /// The chart as a standalone SVG document.
    public static func svg(_ r: AdoptionResult) -> String {
        let base = r.programmes[0], best = r.bestProgramme
        let services = r.entities.filter { $0.level == .service }.filter { e in
            (r.summary(programme: base.id, level: .service, id: e.id, .adoptionDelay)?.mean ?? 0) > 0
                || (r.summary(programme: base.id, level: .service, id: e.id, .adoptedByHorizon)?.mean ?? 1) < 0.999
        }
        let columns = 3, panelWidth = 280.0, panelHeight = 170.0, gap = 30.0, top = 90.0, left = 50.0
        let rows = max(1, (services.count + columns - 1) / columns)
        let width = left + Double(columns) * (panelWidth + gap), height = top + Double(rows) * (panelHeight + 60) + 20
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(r.scenarioName, subtitle: """
            Share of each service's work adopted by the end of each year (mean of \(r.draws) draws, the same draws for both)
            """,
                    x: left, y: 28)
        svg.swatch(left, 58, width: 14, height: 4, fill: colours.baseline)
        svg.text(left + 20, 64, "\(base.name) (baseline)", size: 11)
        svg.swatch(left + 300, 58, width: 14, height: 4, fill: colours.best)
        svg.text(left + 320, 64, "\(best.name) (highest net value)", size: 11)
        let H = r.horizon
        for (i, service) in services.enumerated() {
            let x0 = left + Double(i % columns) * (panelWidth + gap), y0 = top + Double(i / columns) * (panelHeight + 60)
            svg.text(x0, y0 - 8, shortened(service.name, to: 44), size: 12, weight: "bold")
            svg.frame(x0, y0, x0 + panelWidth, y0 + panelHeight, stroke: "#ccc")
            func px(_ y: Int) -> Double { x0 + (Double(y) - 0.5) / Double(H) * panelWidth }
            func py(_ v: Double) -> Double { y0 + panelHeight - v * panelHeight }
            for (programme, colour) in [(base, colours.baseline), (best, colours.best)] {
                let curve = r.adoptionCurve(programme: programme.id, level: .service, id: service.id)
                svg.polyline(curve.enumerated().map { (px($0.offset + 1), py($0.element)) }, stroke: colour, width: 2)
                for (k, v) in curve.enumerated() {
                    svg.dot(px(k + 1), py(v), radius: 3, fill: colour, tip: """
                        \(programme.name), year \(k + 1): \(NumberFormatting.percent(v))
                        """)
                }
            }
            for y in 1...H { svg.text(px(y), y0 + panelHeight + 14, "\(y)", size: 10, fill: "#333", anchor: "middle") }
            svg.yTickLabels([0.0, 0.5, 1.0], x: x0 - 4, pixel: py, label: NumberFormatting.percent)
        }
        if services.isEmpty { svg.text(left, top + 20, "No service meets a barrier.", size: 12) }
        return svg.document
    }
}
