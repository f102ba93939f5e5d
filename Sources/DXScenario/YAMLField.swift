import DXSampling
import Foundation
import Yams

/// While set (``current``), collects every mapping the readers read and the keys they accept there, by field
/// path: the tests compare it with the JSON Schema in `Scenarios/schema`, so that the two never drift apart.
final class AcceptedFields: @unchecked Sendable {
    // @unchecked: `byPath` is only touched under `lock`.
    private let lock = NSLock()
    private var byPath: [String: Set<Set<String>>] = [:]

    @TaskLocal static var current: AcceptedFields?

    func record(_ path: String, _ keys: [String]) {
        lock.lock(); defer { lock.unlock() }
        byPath[path, default: []].insert(Set(keys))
    }

    /// Every path read, with each set of keys accepted there (one, but for the root of a sweep and of its scenario).
    var recorded: [String: Set<Set<String>>] {
        lock.lock(); defer { lock.unlock() }
        return byPath
    }
}

/// Collects the problems found while reading one file.
final class IssueLog {
    let file: String
    private(set) var issues: [ScenarioIssue] = []

    init(file: String) { self.file = file }

    func report(_ mark: Mark?, _ path: String, _ message: String) {
        report(line: mark?.line ?? 1, column: mark?.column ?? 1, path, message)
    }

    func report(line: Int, column: Int, _ path: String, _ message: String) {
        let location = SourceLocation(file: file, line: line, column: column)
        issues.append(ScenarioIssue(location: location, path: path, message: message))
    }

    /// Things that are valid but probably not meant (they do not stop a run).
    private(set) var warnings: [ScenarioIssue] = []

    func warn(_ mark: Mark?, _ path: String, _ message: String) {
        warnings.append(ScenarioIssue(location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                                      path: path, message: message, severity: .warning))
    }
}

/// A YAML node together with its field path and the log that problems go to.
/// Every reading method either returns a value or reports why it cannot, naming
/// what it expected and what it found; it never traps.
struct YAMLField {
    let node: Node
    let path: String
    let log: IssueLog

    var mark: Mark? { node.mark }

    func fail(_ message: String) { log.report(mark, path, message) }

    func child(_ key: String, _ node: Node) -> YAMLField {
        YAMLField(node: node, path: path.isEmpty ? key : "\(path).\(key)", log: log)
    }

    // MARK: Scalars

    /// The text of a scalar that is written plainly (not quoted), else nil.
    var plainText: String? {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return nil }
        return s.string
    }

    /// The text of a scalar, quoted or not, else nil.
    var scalarText: String? {
        guard case let .scalar(s) = node else { return nil }
        return s.string
    }

    /// A finite number. Quoted strings are not numbers; `.nan`, `.inf` and overflowing literals are refused.
    func number() -> Double? {
        guard let text = plainText, let x = Self.parseNumber(text) else {
            fail("expected a number, found \(describe)")
            return nil
        }
        guard x.isFinite else {
            fail("""
                expected a finite number, found \
                \(text)\(x.isNaN || text.lowercased().contains("inf") ? "" : ", which is too large to represent")
                """)
            return nil
        }
        return x
    }

    /// A number checked against a range, with the reason in the message.
    func number(in range: ClosedRange<Double>, _ expected: String) -> Double? {
        guard let x = number() else { return nil }
        guard range.contains(x) else {
            fail("expected \(expected), found \(Self.format(x))")
            return nil
        }
        return x
    }

    /// A whole number in `range`. Digits alone (`9007199254740993`) are read exactly as an integer, never through
    /// a Double; other numbers (`1e6`, `3.0`) count when they are whole and exactly representable. Anything that
    /// does not fit `range`, however large, is reported.
    func integer(in range: ClosedRange<Int>, _ expected: String) -> Int? {
        whole(in: range, expected, exact: { Int($0) }, converted: { Int(exactly: $0) })
    }

    /// A whole number in `range` of unsigned 64-bit values (seeds: 0 … 2⁶⁴ − 1), read exactly as ``integer(in:_:)``.
    func unsignedInteger(in range: ClosedRange<UInt64>, _ expected: String) -> UInt64? {
        whole(in: range, expected, exact: { UInt64($0) }, converted: { UInt64(exactly: $0) })
    }

    private func whole<T: FixedWidthInteger>(in range: ClosedRange<T>, _ expected: String, exact: (String) -> T?,
                                             converted: (Double) -> T?) -> T? {
        if let text = plainText, Self.isIntegerLiteral(text) {
            let digits = text.utf8.contains(UInt8(ascii: "_")) ? String(text.filter { $0 != "_" }) : text
            guard let n = exact(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits), range.contains(n) else {
                fail("expected \(expected), found \(text)")
                return nil
            }
            return n
        }
        guard let x = number() else { return nil }
        guard let n = converted(x), range.contains(n) else {
            fail("expected \(expected), found \(Self.format(x))")
            return nil
        }
        return n
    }

    /// `[-+]?digits`, with YAML 1.1's `_` separators.
    static func isIntegerLiteral(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let c = bytes.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return bytes.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// A string scalar, quoted or plain. Control characters are refused (``ControlCharacters``): an ESC in a name
    /// would drive the terminal it is printed on, a NUL break the charts' XML; `multiline` text (a source's
    /// citation) may hold newlines and tabs.
    func string(multiline: Bool = false) -> String? {
        guard case let .scalar(s) = node else {
            fail("expected a text value, found \(describe)")
            return nil
        }
        if s.style == .plain || s.style == .any, Self.isNull(s.string) {
            fail("expected a text value, found null")
            return nil
        }
        if let c = ControlCharacters.first(in: s.string, allowingLines: multiline) {
            let at = s.string.unicodeScalars.prefix { $0 != c }.count + 1
            fail("""
                expected text without control characters, found \(ControlCharacters.name(c)) at character \(at) \
                (\"\(ControlCharacters.escaped(s.string))\")
                """)
            return nil
        }
        return s.string
    }

    /// An identifier: letters, digits, `-` and `_`, starting with a letter or digit.
    func identifier() -> String? {
        guard let s = string() else { return nil }
        guard Self.isIdentifier(s) else {
            fail("expected an id made of letters, digits, '-' and '_' (it is used in paths and file names), found \"\(s)\"")
            return nil
        }
        return s
    }

    /// Whether `s` is an id: letters, digits, `-` and `_`, starting with a letter or digit.
    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
            && s.unicodeScalars.first.map { CharacterSet.alphanumerics.contains($0) } == true
    }

    // MARK: Collections

    /// The elements of a list, each with its path; `nonEmpty` reports an empty list.
    func list(nonEmpty: Bool = true) -> [YAMLField]? {
        // Elements with an id are named by it, as sweep paths do; others by position.
        elements(nonEmpty: nonEmpty) { i, n in Self.text(of: "id", in: n).map { $0.isEmpty ? "\(i)" : $0 } ?? "\(i)" }
    }

    /// The element of a list named by position only (`tasks[2]`).
    func positionalList(nonEmpty: Bool = true) -> [YAMLField]? { elements(nonEmpty: nonEmpty) { i, _ in "\(i)" } }

    private func elements(nonEmpty: Bool, label: (Int, Node) -> String) -> [YAMLField]? {
        guard case let .sequence(seq) = node else {
            fail("expected a list, found \(describe)")
            return nil
        }
        if nonEmpty && seq.isEmpty {
            fail("expected a non-empty list, found an empty one")
            return nil
        }
        return seq.enumerated().map { i, n in YAMLField(node: n, path: "\(path)[\(label(i, n))]", log: log) }
    }

    /// The value of `key` in a mapping node (nil when the node is not a mapping or has no such key). Yams' own
    /// subscript builds a node from the key and compares whole nodes, which cost more than reading the field.
    static func value(of key: String, in node: Node) -> Node? {
        guard case let .mapping(m) = node else { return nil }
        for (k, v) in m where k.scalar?.string == key { return v }
        return nil
    }

    /// The text of `key`'s scalar value in a mapping node.
    static func text(of key: String, in node: Node) -> String? { value(of: key, in: node)?.scalar?.string }

    /// A mapping whose keys must all be among `allowed`; unknown keys are reported with a suggestion.
    func mapping(allowed: [String]) -> YAMLMapping? {
        AcceptedFields.current?.record(path, allowed)
        guard case let .mapping(m) = node else {
            fail("expected a mapping with fields \(allowed.joined(separator: ", ")), found \(describe)")
            return nil
        }
        var fields: [YAMLField] = []
        var order: [String] = []
        var misspelt: Set<String> = []
        fields.reserveCapacity(m.count)
        order.reserveCapacity(m.count)
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                log.report(k.mark, path, "expected a text key, found \(YAMLField(node: k, path: path, log: log).describe)")
                continue
            }
            guard allowed.contains(key) else {
                let meant = Suggestion.closest(to: key, among: allowed.filter { m[Node($0)] == nil })
                if let meant { misspelt.insert(meant) }
                log.report(k.mark, path.isEmpty ? key : "\(path).\(key)",
                           """
                               unknown field '\(key)'\(meant.map { " (did you mean '\($0)'?)" } ?? ""); expected one of: \
                               \(allowed.joined(separator: ", "))
                               """)
                continue
            }
            fields.append(child(key, v))
            order.append(key)
        }
        return YAMLMapping(owner: self, fields: fields, order: order, misspelt: misspelt)
    }

    // MARK: Descriptions

    /// How a node reads to a person: `the string "abc"`, `the number 3`, `a list`, `a mapping`.
    var describe: String {
        switch node {
        case let .scalar(s):
            if s.style == .plain || s.style == .any {
                if Self.isNull(s.string) { return "null (nothing)" }
                if Self.parseNumber(s.string) != nil { return "the number \(s.string)" }
                if ["true", "false", "yes", "no", "on", "off"].contains(s.string.lowercased()) { return "the boolean \(s.string)" }
            }
            return "the string \"\(ControlCharacters.escaped(s.string))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func isNull(_ text: String) -> Bool { ["", "~", "null", "Null", "NULL"].contains(text) }

    /// A YAML/JSON number: decimal with optional fraction and exponent, `_` digit separators
    /// allowed (YAML 1.1), and the YAML specials `.inf`, `-.inf`, `.nan` (returned as non-finite).
    static func parseNumber(_ text: String) -> Double? {
        // Digit separators (`1_000`) are rare: filter only when present (Foundation's replacingOccurrences cost 15% of
        // a sweep point's time at few draws, re-reading the scenario's numbers).
        let t = text.utf8.contains(UInt8(ascii: "_")) ? String(text.filter { $0 != "_" }) : text
        if t.utf8.first == UInt8(ascii: ".") || t.utf8.dropFirst().first == UInt8(ascii: ".") {
            switch t.lowercased() {
            case ".inf", "+.inf": return .infinity
            case "-.inf": return -.infinity
            case ".nan": return .nan
            default: break
            }
        }
        guard NumberFormatting.isDecimalLiteral(t) else { return nil }
        return Double(t)
    }

    static func format(_ x: Double) -> String { NumberFormatting.message(x) }
}

/// The fields of a YAML mapping, looked up by name.
struct YAMLMapping {
    let owner: YAMLField
    /// The fields in file order, parallel to ``order`` (mappings have a few keys: a scan beats hashing).
    let fields: [YAMLField]
    let order: [String]
    /// Allowed fields that an unknown key was reported as a likely misspelling of ("did you mean").
    var misspelt: Set<String> = []

    subscript(key: String) -> YAMLField? { order.firstIndex(of: key).map { fields[$0] } }

    /// A field that must be present; its absence is reported at the mapping, unless an unknown key was already
    /// reported as its misspelling (one mistake, one message).
    func required(_ key: String, _ expected: String) -> YAMLField? {
        if let f = self[key] { return f }
        guard !misspelt.contains(key) else { return nil }
        owner.log.report(owner.mark, owner.path.isEmpty ? key : "\(owner.path).\(key)",
                         "missing required field '\(key)' (expected \(expected))")
        return nil
    }

    /// An optional number in `range`: `absent` when the field is not there; when it is there but wrong, the
    /// problem is reported, `ok` becomes false and `absent` stands in.
    func number(_ key: String, absent: Double, in range: ClosedRange<Double>, _ expected: String, ok: inout Bool) -> Double {
        guard let field = self[key] else { return absent }
        guard let x = field.number(in: range, expected) else { ok = false; return absent }
        return x
    }
}
