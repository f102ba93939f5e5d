import DXScenario

/// Columns of text for the terminal: each column as wide as its widest cell,
/// cells right-aligned (numbers) unless listed as left-aligned, two spaces
/// between columns, and a rule under the header.
enum TextTable {
    /// The header, the rule and the rows; `decorate(row, column, padded)` may wrap a padded body cell (e.g. in colour).
    static func lines(headers: [String], rows: [[String]], leftAligned: Set<Int>,
                      decorate: ((Int, Int, String) -> String)? = nil) -> [String] {
        // A cell is one line of plain text: a name's control characters (an ESC, a newline) are shown, not obeyed.
        let headers = headers.map { ControlCharacters.escaped($0) }
        let rows = rows.map { $0.map { ControlCharacters.escaped($0) } }
        let widths = headers.indices.map { c in max(headers[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String], row: Int?) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                let text = leftAligned.contains(c) ? cell + pad : pad + cell
                guard let row, let decorate else { return text }
                return decorate(row, c, text)
            }.joined(separator: "  ")
        }
        return [line(headers, row: nil), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
            + rows.enumerated().map { line($1, row: $0) }
    }
}

/// The one rule for names too long for their place, in tables and charts: cut to `n` characters, the last an
/// ellipsis.
func shortened(_ s: String, to n: Int) -> String { s.count > n ? String(s.prefix(max(1, n - 1))) + "…" : s }
