/// Control characters in what users write: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F), and the two
/// noncharacters U+FFFE and U+FFFF. A name carrying ESC could retitle a terminal, clear it or erase a warning line;
/// NUL, most C0 characters and U+FFFE/U+FFFF make XML (the charts) not well-formed, even as character references.
/// Scenario and sweep files refuse them in text (`YAMLField` via ``first(in:allowingLines:)``), and what reaches a
/// terminal or a chart from elsewhere (a path, the Swift API) is escaped.
public enum ControlCharacters {
    /// Whether `s` is a control character (or U+FFFE, U+FFFF).
    @inline(__always)
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0xFFFE || s.value == 0xFFFF
    }

    /// The first control character in `text`, or nil; with `allowingLines`, newline and tab are allowed.
    public static func first(in text: String, allowingLines: Bool = false) -> Unicode.Scalar? {
        text.unicodeScalars.first { refused($0, allowingLines) }
    }

    /// A control character, unless it is a newline or tab that `allowingLines` keeps.
    private static func refused(_ s: Unicode.Scalar, _ allowingLines: Bool) -> Bool {
        isControl(s) && !(allowingLines && (s == "\n" || s == "\t"))
    }

    /// `text` with every control character written out visibly (`\x1B`, `\u009B`), so that printing it cannot
    /// move the cursor or change the terminal. With `keepingLines`, newline and tab stay as they are.
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        guard first(in: text, allowingLines: keepingLines) != nil else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if refused(s, keepingLines) {
                out.append(contentsOf: name(s).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// How a control character reads in a message: `\x1B`, `\u0085`.
    public static func name(_ s: Unicode.Scalar) -> String {
        s.value < 0x80 ? "\\x" + hex(s.value, 2) : "\\u" + hex(s.value, 4)
    }

    private static func hex(_ v: UInt32, _ digits: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }
}
