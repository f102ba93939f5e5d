import DXEngine
import DXSampling
import DXScenario
import Foundation

/// The exposure by group of a mapping run (`GroupExposure`): `exposure.csv`, a terminal table and the report's
/// section with its chart.
public enum ExposureOutputs {
    public static let csvHeader = "level,dimension,group,quadrant,fte,labour_value,share_of_group_labour,share_of_quadrant_labour"

    /// `exposure.csv`: per dimension, group and quadrant of the matrix's level, the FTE and annual labour value, the
    /// share of the group's labour in that quadrant, and the group's share of the quadrant's labour.
    public static func csv(_ x: GroupExposure) -> String {
        var lines = [csvHeader]
        for d in x.dimensions {
            for (g, group) in d.groups.enumerated() {
                for (q, quadrant) in Quadrant.allCases.enumerated() {
                    let cell = d.cells[g][q]
                    lines.append(CSVOutput.row([x.level.rawValue, d.id, group, quadrant.rawValue]
                        + [cell.fte, cell.labourValue, d.share(group: g, of: quadrant), d.shareOfQuadrant(group: g, quadrant)]
                            .map(NumberFormatting.exact)))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per group, its share of the labour on the matrix and of the labour in each quadrant.
    public static func table(_ x: GroupExposure) -> TableData {
        let rows = x.dimensions.flatMap { d -> [[String]] in
            [[d.id] + Array(repeating: "", count: 2 + Quadrant.allCases.count)] + d.groups.indices.map { g in
                ["  " + d.groups[g], NumberFormatting.compact(d.fte(group: g)), EqualityOutputs.percent(d.shareOfLabour(group: g))]
                    + Quadrant.allCases.map { EqualityOutputs.percent(d.shareOfQuadrant(group: g, $0)) }
            }
        }
        return TableData(headers: ["group", "FTE", "labour"] + Quadrant.allCases.map(\.rawValue), rows: rows, leftAligned: [0], cuttable: [])
    }

    static func lines(_ x: GroupExposure, width: Int?) -> [String] {
        ["", "Exposure by group: each group's share of the labour value on the matrix, and of each quadrant's"]
            + table(x).lines(width: width)
            + ["a group is over-represented in a quadrant where its share there exceeds its share of the labour; "
                + "FTE and labour value by quadrant are in exposure.csv"]
    }

    /// The report's section: the table and a bar per group, its labour value split by quadrant.
    public static func section(_ x: GroupExposure, currency: String) -> HTMLReport.Section {
        HTMLReport.Section(
            title: "Exposure by group",
            howToRead: [
                "Each bar is one group of the workforce's composition: its annual labour value split by the quadrant its "
                    + "\(x.level.rawValue)s fall in. A group whose bar has more in automate-first than the others' is the more "
                    + "exposed to the change.",
                "The table gives each group's share of all the labour on the matrix and of each quadrant's; a group bears more "
                    + "than its part of a quadrant where the second exceeds the first. A task's labour is split between groups in "
                    + "the proportions of its role at its organisation.",
            ],
            chart: chart(x, currency: currency),
            tables: [("Share of the labour value, by group and quadrant", table(x))],
            notes: ["FTE and labour value per group and quadrant are in exposure.csv."])
    }

    /// Horizontal 100% bars, one per group, split by quadrant.
    static func chart(_ x: GroupExposure, currency: String) -> String {
        let groups = x.dimensions.reduce(0) { $0 + $1.groups.count }
        let left = 190.0, barWidth = 520.0, top = 80.0, row = 22.0, gap = 26.0
        let height = top + Double(groups) * row + Double(x.dimensions.count) * gap + 70
        var svg = SVGCanvas(width: left + barWidth + 60, height: height)
        svg.heading("Exposure by group", subtitle: "Each group's annual labour value (\(currency)) by quadrant of the \(x.level.rawValue) matrix",
                    x: 20, y: 30)
        var y = top
        for d in x.dimensions {
            y += gap
            svg.text(20, y - 8, d.id, size: 12, weight: "bold")
            for (g, group) in d.groups.enumerated() {
                svg.text(32, y + 14, shortened(group, to: 24), size: 11)
                var x0 = left
                for quadrant in Quadrant.allCases {
                    let share = d.share(group: g, of: quadrant)
                    guard share.isFinite, share > 0 else { continue }
                    let w = share * barWidth
                    svg.bar(x0, x0 + w, y: y + 3, height: row - 6, fill: MatrixChart.fill(quadrant),
                            tip: "\(d.id) \(group), \(quadrant.rawValue): \(EqualityOutputs.percent(share)) of the group's labour value")
                    if w > 34 { svg.text(x0 + w / 2, y + 15, NumberFormatting.percent(share), size: 10, fill: "white", anchor: "middle") }
                    x0 += w
                }
                y += row
            }
        }
        var lx = left
        for quadrant in Quadrant.allCases {
            svg.legendKey(lx, y + 24, fill: MatrixChart.fill(quadrant), label: quadrant.rawValue)
            lx += 130
        }
        return svg.document
    }
}
