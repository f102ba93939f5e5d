import DXScenario

/// Columns of text for the terminal: each column as wide as its widest cell,
/// cells right-aligned (numbers) unless listed as left-aligned, two spaces
/// between columns, and a rule under the header.
enum TextTable {
    /// The narrowest a name column is cut to before a table is split instead.
    static let narrowestName = 12

    /// The header, the rule and the rows; `decorate(row, column, padded)` may wrap a padded body cell (e.g. in colour).
    ///
    /// Within `width` columns when given (the terminal's): first the `cuttable` name columns (by default the first
    /// left-aligned one) are cut, the widest first (``shortened(_:to:)``, never below ``narrowestName`` characters);
    /// if that is not enough, the table is split into parts one under the other, each repeating the leading columns
    /// up to the first left-aligned one and those left-aligned after it, the others packed in order. No other cell
    /// is ever cut: a number is shown whole or not at all.
    static func lines(headers: [String], rows: [[String]], leftAligned: Set<Int>, cuttable: Set<Int>? = nil, width: Int? = nil,
                      decorate: ((Int, Int, String) -> String)? = nil) -> [String] {
        // A cell is one line of plain text: a name's control characters (an ESC, a newline) are shown, not obeyed.
        let headers = headers.map { ControlCharacters.escaped($0) }
        var rows = rows.map { $0.map { ControlCharacters.escaped($0) } }
        var widths = headers.indices.map { c in max(headers[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func span(_ columns: [Int]) -> Int { columns.map { widths[$0] }.reduce(0, +) + 2 * max(0, columns.count - 1) }
        let all = Array(headers.indices)
        var parts = [all]
        if let width, span(all) > width, let name = leftAligned.min() {
            let cut = cuttable ?? [name]
            let narrowest = headers.indices.map { min(widths[$0], max(narrowestName, headers[$0].count)) }
            while span(all) > width, let c = cut.filter({ widths[$0] > narrowest[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[c] -= 1
            }
            rows = rows.map { row in row.enumerated().map { cut.contains($0) ? shortened($1, to: widths[$0]) : $1 } }
            if span(all) > width {
                var keys = Array(0...name)
                while let next = keys.last.map({ $0 + 1 }), next < headers.count, leftAligned.contains(next) { keys.append(next) }
                parts = []
                var part = keys
                for c in all where !keys.contains(c) {
                    if part.count > keys.count, span(part + [c]) > width { parts.append(part); part = keys }
                    part.append(c)
                }
                parts.append(part)
            }
        }
        func line(_ cells: [String], _ columns: [Int], row: Int?) -> String {
            columns.map { c in
                let cell = cells[c]
                let pad = String(repeating: " ", count: max(0, widths[c] - cell.count))
                let text = leftAligned.contains(c) ? cell + pad : pad + cell
                guard let row, let decorate else { return text }
                return decorate(row, c, text)
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        return parts.enumerated().flatMap { k, columns in
            (k > 0 ? [""] : []) + [line(headers, columns, row: nil), columns.map { String(repeating: "─", count: widths[$0]) }.joined(separator: "  ")]
                + rows.enumerated().map { line($1, columns, row: $0) }
        }
    }

    /// A line of prose within `width` columns (nil: as it is), broken at spaces; a word longer than the width
    /// stands on a line of its own.
    static func wrap(_ text: String, width: Int?) -> [String] {
        guard let width, text.count > width else { return [text] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current)
                current = String(word)
            }
        }
        return lines + [current]
    }

    /// Lines of prose, each wrapped within `width` (``wrap(_:width:)``).
    static func wrap(_ lines: [String], width: Int?) -> [String] { lines.flatMap { wrap($0, width: width) } }
}

/// The one rule for names too long for their place, in tables and charts: cut to `n` characters, the last an
/// ellipsis.
func shortened(_ s: String, to n: Int) -> String { s.count > n ? String(s.prefix(max(1, n - 1))) + "…" : s }
