import Yams

/// Limits on what a scenario or sweep file may be, checked before and after parsing, so that no file — however
/// large, deep or self-referential — can hang or exhaust dxmap; each is refused with a message at a line.
///
/// | limit | value | why |
/// | --- | --- | --- |
/// | file size | 256 MB | a scenario of a million tasks is about 70 MB |
/// | nesting | 64 levels of lists and mappings | scenarios use 8; deeper nesting only recurses |
/// | aliases as keys | none | a key that is an alias makes the YAML library hash a whole subtree per key (exponential) |
/// | aliases | 10,000 | anchors and aliases are for repeated distributions |
/// | nodes after expanding aliases | 20,000,000 | a few aliases of aliases can otherwise stand for billions of nodes |
/// | tasks | 1,000,000 | |
/// | composition dimensions, groups per dimension | 16, 64 | each group of each dimension is simulated and reported for every policy |
public enum YAMLLimits {
    public static let maxFileBytes = 256 * 1024 * 1024
    public static let maxDepth = 64
    public static let maxAliases = 10_000
    public static let maxNodes = 20_000_000
    public static let maxTasks = 1_000_000
    /// Dimensions of a workforce's composition, and groups in one dimension.
    public static let maxCompositionDimensions = 16
    public static let maxCompositionGroups = 64

    /// The first problem with `text` as YAML that dxmap will parse, found by scanning it once (quotes, comments
    /// and block scalars respected): nesting too deep, an alias used as a mapping key, or too many aliases.
    static func scan(_ text: String, file: String) -> ScenarioIssue? {
        var aliases = 0, flowDepth = 0
        var indents: [Int] = []          // the block structure's indentation levels
        var inDouble = false, inSingle = false
        var blockScalarIndent: Int?      // inside a | or > scalar: its parent's indentation
        func issue(_ line: Int, _ column: Int, _ message: String) -> ScenarioIssue {
            ScenarioIssue(location: SourceLocation(file: file, line: line, column: column), path: "", message: message)
        }
        // Lines split on bytes: splitting the String splits on Characters, which is slow and keeps "\r\n" (one
        // Character) from ending a line, so a file with Windows line endings would have read as a single line.
        for (index, rawLine) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = Array(rawLine), number = index + 1
            let indent = line.prefix { $0 == UInt8(ascii: " ") }.count
            let blank = indent == line.count || line[indent] == UInt8(ascii: "#") || line[indent] == UInt8(ascii: "\r")
            if let parent = blockScalarIndent {
                if blank || indent > parent { continue }
                blockScalarIndent = nil
            }
            if !inDouble && !inSingle && flowDepth == 0 && !blank {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
                // "- - x" nests a list in a list on one line.
                var i = indent, dashes = 0
                while i + 1 < line.count, line[i] == UInt8(ascii: "-"), line[i + 1] == UInt8(ascii: " ") { dashes += 1; i += 2 }
                if indents.count + dashes > maxDepth {
                    return issue(number, indent + 1, "the file nests lists and mappings more than \(maxDepth) levels deep")
                }
            }
            var i = 0, lastToken: UInt8 = UInt8(ascii: " ")
            while i < line.count {
                let c = line[i]
                if inDouble {
                    if c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == UInt8(ascii: "\"") { inDouble = false }
                    i += 1; continue
                }
                if inSingle {
                    if c == UInt8(ascii: "'") {
                        if i + 1 < line.count, line[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        inSingle = false
                    }
                    i += 1; continue
                }
                let afterSpace = i == 0 || line[i - 1] == UInt8(ascii: " ") || line[i - 1] == UInt8(ascii: "\t")
                switch c {
                case UInt8(ascii: "#") where afterSpace: i = line.count; continue
                case UInt8(ascii: "\""): inDouble = true
                case UInt8(ascii: "'")
                where afterSpace || [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":")].contains(lastToken):
                    inSingle = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if indents.count + flowDepth > maxDepth {
                        return issue(number, i + 1, "the file nests lists and mappings more than \(maxDepth) levels deep")
                    }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
                case _ where (c == UInt8(ascii: "|") || c == UInt8(ascii: ">")) && afterSpace && flowDepth == 0
                    && (lastToken == UInt8(ascii: ":") || lastToken == UInt8(ascii: "-")):
                    // A block scalar: its lines, indented deeper than this one, are text.
                    blockScalarIndent = indent
                    i = line.count; continue
                case UInt8(ascii: "*") where afterSpace || [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ",")].contains(lastToken):
                    aliases += 1
                    if aliases > maxAliases { return issue(number, i + 1, "the file has more than \(maxAliases) aliases (*name)") }
                    let (j, isKey) = alias(in: line, at: i, after: lastToken)
                    if isKey {
                        return issue(number, i + 1, """
                            an alias (\(String(decoding: line[i..<j], as: UTF8.self))) is used as a mapping key; dxmap refuses aliases as \
                            keys (write the key out)
                            """)
                    }
                    i = j; lastToken = UInt8(ascii: "*"); continue
                default: break
                }
                if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") { lastToken = c }
                i += 1
            }
        }
        return nil
    }

    /// At an alias whose `*` is at `i`: where its name ends, and whether it is used as a mapping key (after an
    /// explicit `?`, or followed by `:` and a space, a comma, a brace or the line's end).
    private static func alias(in line: [UInt8], at i: Int, after lastToken: UInt8) -> (end: Int, isKey: Bool) {
        var j = i + 1
        while j < line.count, ![UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":")].contains(line[j]) {
            j += 1
        }
        var k = j
        while k < line.count, line[k] == UInt8(ascii: " ") { k += 1 }
        let colon = k < line.count && line[k] == UInt8(ascii: ":")
            && (k + 1 == line.count || [UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "}")].contains(line[k + 1]))
        return (j, lastToken == UInt8(ascii: "?") || colon)
    }

    /// Counts the nodes of `root` with aliases expanded, stopping at the first over `maxNodes`: true if it is within.
    static func withinNodeLimit(_ root: Node) -> Bool {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > maxNodes { return false }
            switch node {
            case let .mapping(m): for (k, v) in m { stack.append(k); stack.append(v) }
            case let .sequence(s): stack.append(contentsOf: s)
            default: break
            }
        }
        return true
    }
}
