import DXSampling
import Foundation
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads scenario files (YAML, or JSON, which is read by the same YAML
/// parser so that its errors carry lines and columns too) into ``Scenario``
/// values, validating everything on the way. Every problem found is
/// reported, not just the first, each with file, line, column and field path.
public enum ScenarioLoader {
    /// Hard limits that catch unit mistakes and overflow before they reach the engine.
    public static let maxFTE = 1e8
    /// Largest accepted annual cost per FTE.
    public static let maxCostPerFTE = 1e9
    /// Largest accepted horizon, in years.
    public static let maxHorizon = 100

    /// Loads and validates the scenario at `path`.
    /// - Throws: ``ScenarioError`` with every problem found, or ``ScenarioFileError`` if the file cannot be read.
    public static func load(path: String) throws -> Scenario {
        try parse(read(path: path), file: path)
    }

    /// The bytes of a scenario file (for callers that also record its hash). `-` reads standard input, and so
    /// do pipes and other files that are not regular (`/dev/stdin`, `<(…)`).
    ///
    /// The limit counts the bytes actually read, not the size a file reports: `/dev/zero`, a FIFO that never
    /// ends or a file that grows while it is read stop at ``YAMLLimits/maxFileBytes`` + 1 bytes and are refused.
    /// - Throws: ``ScenarioFileError`` if the file cannot be read, is a directory, or is larger than
    ///   ``YAMLLimits/maxFileBytes``.
    public static func read(path: String) throws -> Data {
        func refuse(_ reason: String) -> ScenarioFileError { ScenarioFileError(path: path, reason: reason) }
        let fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw refuse(String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw refuse(String(cString: strerror(errno))) }
        if status.st_mode & S_IFMT == S_IFDIR { throw refuse("it is a directory, not a scenario or sweep file") }
        let limit = YAMLLimits.maxFileBytes
        if status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) > limit {
            throw refuse("it has \(status.st_size) bytes; dxmap reads files of at most \(limit) bytes (256 MB)")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= limit {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, min($0.count, limit + 1 - data.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw refuse(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        guard data.count <= limit else {
            throw refuse("it has more than \(limit) bytes (256 MB), the most dxmap reads")
        }
        return data
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    /// Parses and validates the bytes of a scenario file; `file` names it in messages. `posterior` chooses how its
    /// evidence's non-conjugate posteriors are found (`Posterior/Version/v1` for the numbers of earlier releases).
    public static func parse(_ data: Data, file: String, posterior: Posterior.Version = .v2) throws -> Scenario {
        return try parse(try text(data, file: file), file: file, posterior: posterior)
    }

    /// Parses and validates scenario text; `file` names it in messages.
    public static func parse(_ text: String, file: String = "<scenario>", posterior: Posterior.Version = .v2) throws -> Scenario {
        let root = try compose(text, file: file)
        return try read(root, file: file, posterior: posterior)
    }

    /// The text of a file's bytes, which must be UTF-8.
    /// - Throws: ``ScenarioError`` at the line and column of the first byte that is not UTF-8.
    static func text(_ data: Data, file: String) throws -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        let bytes = [UInt8](data)
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            let valid = length > 0 && i + length <= bytes.count && bytes[(i + 1)..<(i + length)].allSatisfy { $0 >> 6 == 0b10 }
                && String(decoding: bytes[i..<(i + length)], as: UTF8.self).unicodeScalars.first.map { $0 != "\u{FFFD}" } == true
            guard valid else {
                throw ScenarioError(issues: [ScenarioIssue(location: SourceLocation(file: file, line: line, column: column), path: "",
                                                           message: """
                                                               expected UTF-8 text, found the byte \
                                                               0x\(String(b, radix: 16, uppercase: true)), which is not UTF-8 here (save \
                                                               the file as UTF-8)
                                                               """)])
            }
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        throw ScenarioError(issues: [ScenarioIssue(location: SourceLocation(file: file, line: 1, column: 1), path: "",
                                                   message: "expected UTF-8 text, found bytes that are not UTF-8")])
    }

    /// Validates a scenario's YAML tree (parsed, or patched by a sweep).
    /// - Parameter unchangedServices: the services of a valid scenario read from this same `services:` section,
    ///   used instead of reading it again (see ``ScenarioReader/unchangedServices``).
    static func read(_ root: Node, file: String, unchangedServices: [Service]? = nil, posterior: Posterior.Version = .v2) throws -> Scenario {
        let log = IssueLog(file: file)
        var reader = ScenarioReader(log: log)
        reader.unchangedServices = unchangedServices
        reader.posteriorVersion = posterior
        let scenario = reader.read(YAMLField(node: root, path: "", log: log))
        guard log.issues.isEmpty, let scenario else {
            throw ScenarioError(
                issues: log.issues.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
        }
        return scenario
    }

    /// The YAML tree of scenario text (for sweeps, which patch it before reading).
    static func compose(_ text: String, file: String) throws -> Node {
        let log = IssueLog(file: file)
        if let issue = YAMLLimits.scan(text, file: file) { throw ScenarioError(issues: [issue]) }
        do {
            // No tag resolution: the reader types every scalar itself from its text and style, and
            // Yams' default resolver runs a regular expression per scalar (seconds for a 10,000-task file).
            if let node = try Yams.compose(yaml: text, .basic) {
                guard YAMLLimits.withinNodeLimit(node) else {
                    log.report(nil, "", """
                        the file stands for more than \(YAMLLimits.maxNodes) values once its aliases are expanded; dxmap refuses it
                        """)
                    throw ScenarioError(issues: log.issues)
                }
                return node
            }
            log.report(nil, "", "expected a scenario (a mapping starting with 'dxmap: 1'), found an empty file")
        } catch let error as YamlError {
            let at = error.position ?? (1, 1)
            log.report(line: at.line, column: at.column, "", "invalid YAML: \(error.problem)")
        }
        throw ScenarioError(issues: log.issues)
    }
}

/// A file that could not be read at all.
public struct ScenarioFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): error: cannot read the file: \(reason)" }
}

extension YamlError {
    /// Where libyaml stopped (line, column), when it says.
    var position: (line: Int, column: Int)? {
        switch self {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): (mark.line, mark.column)
        case let .duplicatedKeysInMapping(_, context): (context.mark.line, context.mark.column)
        case let .reader(_, offset, _, yaml):
            offset.map { o in
                let prefix = Array(yaml.utf8.prefix(o))
                let lineStart = (prefix.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
                return (prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1, prefix.count - lineStart + 1)
            }
        default: nil
        }
    }

    /// The parser's own words, without its snippet.
    var problem: String {
        switch self {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case let .duplicatedKeysInMapping(duplicates, _):
            """
                the key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appear more than once \
                in one mapping
                """
        case let .reader(problem, _, _, _): problem
        default: "\(self)"
        }
    }
}
