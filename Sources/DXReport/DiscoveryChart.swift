import DXAnalysis
import DXExperiments
import DXSampling
import DXScenario
import Foundation

/// `prim.svg`: the peeling trajectory as coverage against density with the chosen box marked, and the chosen box
/// drawn against each restricted parameter's range (as the EMA Workbench's box inspection), with its
/// quasi-p-values.
public enum DiscoveryChart {
    static let width = SensitivityChart.width
    static let colours = SensitivityChart.colours

    /// The chart as a standalone SVG document.
    public static func svg(_ found: ScenarioDiscovery, search: Int = 0, title: String, subtitle: String) -> String {
        let result = found.results[search], chosen = result.box
        let rowHeight = 46.0
        let height = max(560.0, 150 + Double(chosen.restricted.count) * rowHeight + 60)
        var svg = SVGCanvas(width: width, height: height)
        svg.heading(title, subtitle: subtitle, x: 40, y: 28)
        let left = 80.0, right = 440.0, top = 80.0, bottom = 440.0
        let x = SVGAxis(fixed: 0, 1, pixels: (left, right)), y = SVGAxis(fixed: 0, 1, pixels: (bottom, top))
        svg.frame(left, top, right, bottom, stroke: "#ccc")
        svg.polyline(result.trajectory.map { (x.pixel($0.coverage), y.pixel($0.density)) }, stroke: colours.point, width: 1.5)
        for (i, b) in result.trajectory.enumerated() {
            let tip = """
                step \(i): coverage \(String(format: "%.2f", b.coverage)), density \(String(format: "%.2f", b.density)), mass \
                \(String(format: "%.2f", b.mass)), \(b.restricted.count) restricted
                """
            svg.dot(x.pixel(b.coverage), y.pixel(b.density), radius: 3, fill: colours.point, tip: tip)
        }
        svg.element("circle", ["cx": .pixels(x.pixel(chosen.coverage)), "cy": .pixels(y.pixel(chosen.density)), "r": "7", "fill": "none",
                               "stroke": .text(colours.total), "stroke-width": "2.5"], tip: found.isSelected(search) ? "the box picked from the trajectory" : "the chosen box, after pasting")
        let ticks = Array(stride(from: 0.0, through: 1.0, by: 0.2))
        for t in ticks {
            svg.text(x.pixel(t), bottom + 16, String(format: "%.1f", t), size: 10, fill: "#333", anchor: "middle")
            svg.yTickLabels([t], x: left - 6, pixel: y.pixel) { String(format: "%.1f", $0) }
        }
        svg.text(
            (left + right) / 2, bottom + 36, "coverage (share of all bad futures inside the box)", size: 11, fill: "#555", anchor: "middle")
        svg.text(left - 60, top - 10, "density (share of the box's futures that are bad)", size: 11, fill: "#555")
        chosenBox(found, search: search, top: top, rowHeight: rowHeight, on: &svg)
        return svg.document
    }

    /// The chosen box against each restricted parameter's range, with the key to reading it.
    static func chosenBox(_ found: ScenarioDiscovery, search: Int, top: Double, rowHeight: Double, on svg: inout SVGCanvas) {
        let result = found.results[search], chosen = result.box
        let panel = 500.0, barLeft = 640.0, barRight = width - 50
        var ty = top + 4
        svg.text(panel, ty, "Chosen box (circled)", size: 13, weight: "bold")
        ty += 20
        svg.text(panel, ty, String(format: """
            coverage %.2f, density %.2f, mass %.2f: %d bad of %d futures
            """, chosen.coverage, chosen.density, chosen.mass,
                                   chosen.cases, chosen.points), size: 11)
        ty += 14
        for (k, d) in chosen.restricted.enumerated() {
            ty += rowHeight
            svg.text(panel, ty - 10, shortened(found.parameters[d], to: 20), size: 11, weight: "bold")
            svg.text(panel, ty + 6, "qp " + found.describeQuasiP(k, search: search) + (found.kind(d) == .lever ? " · lever" : ""), size: 10,
                     fill: "#555")
            switch (result.trajectory[0].limits[d], chosen.limits[d]) {
            case let (.range(minimum, maximum), .range(lo, hi)):
                let axis = SVGAxis(fixed: minimum, maximum, pixels: (barLeft, barRight))
                svg.line(barLeft, ty - 14, barRight, ty - 14, stroke: "#bbb", width: 6)
                svg.line(axis.pixel(lo), ty - 14, axis.pixel(hi), ty - 14, stroke: colours.total, width: 8)
                svg.text(barLeft, ty + 2, NumberFormatting.compact(minimum), size: 9, fill: "#777", anchor: "start")
                svg.text(barRight, ty + 2, NumberFormatting.compact(maximum), size: 9, fill: "#777", anchor: "end")
                svg.text((axis.pixel(lo) + axis.pixel(hi)) / 2, ty - 22, found.describe(d, search: search), size: 10, anchor: "middle")
            case let (.categories(all), .categories(kept)):
                let names = all.sorted()
                let step = (barRight - barLeft) / Double(max(names.count, 1))
                for (i, c) in names.enumerated() {
                    let inside = kept.contains(c)
                    svg.element(
                        "rect",
                        [
                            "x": .pixels(barLeft + Double(i) * step + 1), "y": .pixels(ty - 24), "width": .pixels(step - 2), "height": "16",
                                         "fill": .text(inside ? colours.total : "#ddd")])
                    svg.text(
                        barLeft + (Double(i) + 0.5) * step, ty - 12, shortened(c, to: 12), size: 9, fill: inside ? "white" : "#555",
                        anchor: "middle")
                }
            default: break
            }
        }
        if chosen.restricted.isEmpty { svg.text(panel, ty + 18, "no restriction: bad futures are not concentrated", size: 11) }
        let note = ty + rowHeight
        svg.text(panel, note, "Orange: the box's limits within the parameter's range (grey).", size: 10, fill: "#555")
        svg.text(panel, note + 14, "qp (quasi-p): chance of this many bad futures in the box", size: 10, fill: "#555")
        svg.text(panel, note + 28, "if that limit were dropped; small means the limit matters.", size: 10, fill: "#555")
    }
}
