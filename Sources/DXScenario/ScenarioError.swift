/// Where in a scenario file something is.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        (self.file, self.line, self.column) = (file, line, column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem in a scenario file: where, which field, what was expected and what was found.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    /// Field path in the file's own structure, e.g. `services[blue-badge].tasks[2].fte`.
    public var path: String
    /// What is wrong, saying what was expected and what was found.
    public var message: String
    /// An error stops the file from being used; a warning marks something valid that is probably not meant.
    public var severity: Severity

    public enum Severity: String, Sendable {
        case error, warning
    }

    public init(location: SourceLocation, path: String, message: String, severity: Severity = .error) {
        (self.location, self.path, self.message, self.severity) = (location, path, message, severity)
    }

    /// `file:line:column: error: path: message` (or `warning:`), the format editors and CI logs link to.
    public var description: String {
        path.isEmpty ? "\(location): \(severity.rawValue): \(message)" : "\(location): \(severity.rawValue): \(path): \(message)"
    }
}

/// A scenario that cannot be used, with every problem found (in file order).
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var issues: [ScenarioIssue]

    public init(issues: [ScenarioIssue]) { self.issues = issues }

    public var description: String {
        let shown = issues.prefix(50).map(\.description)
        let more = issues.count > 50 ? ["… and \(issues.count - 50) more problems"] : []
        return (shown + more).joined(separator: "\n")
    }
}
