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
    /// unless `wide`, and the table cut or split to fit `width` (nil: any width).
    public static func render(_ m: RiskReturnMatrix, colour useColour: Bool, wide: Bool = false,
                              width: Int? = TerminalStyle.defaultColumns) -> String {
        let sorted = m.points.sorted { $0.y > $1.y }
        let t = table(m, wide: wide)
        let width = wide ? nil : width
        var out = TextTable.lines(headers: t.headers, rows: t.rows, leftAligned: t.leftAligned, width: width) { row, column, text in
            column == 5 && useColour ? colour(sorted[row].quadrant) + text + "\u{1B}[0m" : text
        }
        out += TextTable.wrap((m.degeneracy.map { ["note: \($0)"] } ?? []) + (m.leftOutNote.map { ["note: \($0)"] } ?? []) + [ControlCharacters.escaped("x threshold: \(m.xThresholdMeaning)"),
                               ControlCharacters.escaped("y threshold: \(m.yThresholdMeaning)"),
                               m.view == .output
                                ? "P(quad.): not counted in the output view (its default thresholds are medians known only after the run)"
                                : "P(quad.): share of draws in the quadrant shown; * borderline (under \(Int(MatrixPoint.borderlineBelow * 100))%)"],
                              width: width)
        return out.joined(separator: "\n") + "\n"
    }

    /// The table's cells, largest y first; `wide` keeps whole names and adds the x range (probability view) and
    /// each quadrant's share of draws.
    public static func table(_ m: RiskReturnMatrix, wide: Bool) -> TableData {
        func x(_ v: Double) -> String { m.formatX(v) }
        func range(_ r: ClosedRange<Double>?, _ f: (Double) -> String) -> String { r.map { "\(f($0.lowerBound))–\(f($0.upperBound))" } ?? "n/a" }
        let xHeader = m.view == .probability ? "P(autom.)" : m.view == .output ? "share" : (m.risk == .loss ? "P(loss)" : "risk")
        let yHeader = m.view == .probability ? "value/yr" : m.view == .output ? "cost/yr" : "NPV"
        var headers = ["#", m.level.rawValue, xHeader, yHeader, "y p5–p95", "quadrant", "P(quad.)"]
        let extra = wide && m.view != .riskReturn
        if extra { headers.insert("x p5–p95", at: 3) }
        if wide { headers += Quadrant.allCases.map { "P(\($0.rawValue))" } }
        let rows: [[String]] = m.points.sorted { $0.y > $1.y }.enumerated().map { i, p in
            var row = ["\(i + 1)", wide ? p.entity.name : shortened(p.entity.name, to: 34), x(p.x), NumberFormatting.compact(p.y),
                       range(p.yRange, NumberFormatting.compact), p.quadrant.rawValue,
                       NumberFormatting.percent(p.confidence) + (p.isBorderline ? "*" : " ")]
            if extra { row.insert(range(p.xRange, x), at: 3) }
            if wide { row += Quadrant.allCases.map { NumberFormatting.percent(p.probabilities[$0] ?? .nan) } }
            return row
        }
        return TableData(headers: headers, rows: rows, leftAligned: [1, extra ? 6 : 5])
    }
}
