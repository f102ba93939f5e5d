import DXEngine
import DXSampling
import DXScenario
import Foundation

/// The matrix as a terminal table, sorted by y (value or NPV), largest first.
public enum MatrixTable {
    /// ANSI colours per quadrant; used only when the caller says the output is a colour terminal.
    static func colour(_ q: Quadrant) -> String {
        switch q {
        case .automateFirst: "\u{1B}[32m"
        case .pilot: "\u{1B}[33m"
        case .opportunistic: "\u{1B}[36m"
        case .leave: "\u{1B}[90m"
        }
    }

    /// Renders the table; `colour` adds ANSI colours to the quadrant column. Names are cut to fit 100 columns
    /// unless `wide`.
    public static func render(_ m: RiskReturnMatrix, colour useColour: Bool, wide: Bool = false) -> String {
        let xHeader = m.view == .probability ? "P(autom.)" : (m.risk == .loss ? "P(loss)" : "risk")
        let yHeader = m.view == .probability ? "value/yr" : "NPV"
        let headers = ["#", m.level.rawValue, xHeader, yHeader, "y p5–p95", "quadrant", "P(quad.)"]
        let sorted = m.points.sorted { $0.y > $1.y }
        let rows: [[String]] = sorted.enumerated().map { i, p in
            let x = m.view == .probability || m.risk == .loss ? String(format: "%.2f", p.x) : NumberFormatting.compact(p.x)
            let name = wide ? p.entity.name : shortened(p.entity.name, to: 34)
            return ["\(i + 1)", name, x, NumberFormatting.compact(p.y),
                    p.yRange.map { "\(NumberFormatting.compact($0.lowerBound))–\(NumberFormatting.compact($0.upperBound))" } ?? "n/a",
                    p.quadrant.rawValue, NumberFormatting.percent(p.confidence) + (p.isBorderline ? "*" : " ")]
        }
        var out = TextTable.lines(headers: headers, rows: rows, leftAligned: [1, 5]) { row, column, text in
            column == 5 && useColour ? colour(sorted[row].quadrant) + text + "\u{1B}[0m" : text
        }
        out.append("x threshold: \(m.xThresholdMeaning)")
        out.append("y threshold: \(m.yThresholdMeaning)")
        out.append("""
            P(quad.): share of draws in the quadrant shown; * borderline (under \(Int(MatrixPoint.borderlineBelow * 100))%)
            """)
        return out.joined(separator: "\n") + "\n"
    }
}
