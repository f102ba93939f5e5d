import Foundation

/// How numbers are written: exact in files, short on screen.
public enum NumberFormatting {
    /// Shortest text that reads back to the same Double (files, JSON); empty for NaN.
    public static func exact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "" : (x > 0 ? "inf" : "-inf") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// Three significant figures with k / M / bn suffixes: 12.3k, 4.56M, 1.20bn.
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let a = abs(x)
        var (scaled, suffix): (Double, String) = switch a {
        case 1e9...: (x / 1e9, "bn")
        case 1e6...: (x / 1e6, "M")
        case 1e4...: (x / 1e3, "k")
        default: (x, "")
        }
        // 999.7M is written 1.00bn, not 1000M.
        let carried = (suffix == "k" || suffix == "M") && abs(scaled) >= 999.5
        if carried { (scaled, suffix) = (scaled / 1000, suffix == "k" ? "M" : "bn") }
        let s = carried ? 1 : abs(scaled)
        let digits = s >= 100 ? 0 : s >= 10 ? 1 : s >= 1 || suffix.isEmpty && s == 0 ? 2 : 3
        return String(format: "%.\(digits)f", scaled) + suffix
    }

    /// A number in a message: integers without a fraction, others with 6 significant digits ("0.35", "1e+300").
    public static func message(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    /// A share as a percentage: 0.834 → "83%".
    public static func percent(_ p: Double) -> String {
        guard p.isFinite else { return "–" }
        return String(format: "%.0f%%", p * 100)
    }

    /// A discount rate as the reports print it beside an NPV: 0.035 → "3.5%".
    public static func rate(_ r: Double) -> String { "\(message(r * 100))%" }

    /// A whole number with thousands separators, for messages: 100000000 → "100,000,000".
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Whether `text` is a plain decimal number, `[-+]?(digits[.digits?] | .digits)([eE][-+]?digits)?` (not `inf`,
    /// `nan` or hexadecimal): what the scenario reader takes for a number, and what a CSV cell may start with `-` or
    /// `+` and still be left as it is. Without a regex engine (scenario files can have tens of thousands of numbers,
    /// and ICU regexes cost microseconds each).
    public static func isDecimalLiteral(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let n = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        if let c = bytes.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let c = bytes.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// A count with its noun, singular for one: "1 point", "12 points", "3 policies" (with `plural`).
    public static func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
    }
}
