import DXSampling
import Foundation
import Yams

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

    /// The bytes of a scenario file (for callers that also record its hash).
    /// - Throws: ``ScenarioFileError`` if the file cannot be read.
    public static func read(path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioFileError(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
    }

    /// Parses and validates the bytes of a scenario file; `file` names it in messages.
    public static func parse(_ data: Data, file: String) throws -> Scenario {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(issues: [ScenarioIssue(location: SourceLocation(file: file, line: 1, column: 1), path: "",
                                                       message: "expected a UTF-8 text file, found bytes that are not UTF-8")])
        }
        return try parse(text, file: file)
    }

    /// Parses and validates scenario text; `file` names it in messages.
    public static func parse(_ text: String, file: String = "<scenario>") throws -> Scenario {
        let root = try compose(text, file: file)
        return try read(root, file: file)
    }

    /// Validates a scenario's YAML tree (parsed, or patched by a sweep).
    static func read(_ root: Node, file: String) throws -> Scenario {
        let log = IssueLog(file: file)
        let scenario = ScenarioReader(log: log).read(YAMLField(node: root, path: "", log: log))
        guard log.issues.isEmpty, let scenario else {
            throw ScenarioError(issues: log.issues.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
        }
        return scenario
    }

    /// The YAML tree of scenario text (for sweeps, which patch it before reading).
    static func compose(_ text: String, file: String) throws -> Node {
        let log = IssueLog(file: file)
        do {
            // No tag resolution: the reader types every scalar itself from its text and style, and
            // Yams' default resolver runs a regular expression per scalar (seconds for a 10,000-task file).
            if let node = try Yams.compose(yaml: text, .basic) { return node }
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
            "the key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appear more than once in one mapping"
        case let .reader(problem, _, _, _): problem
        default: "\(self)"
        }
    }
}
