/// What kind of problem an error is, whatever layer throws it. `dxmap` turns each category into one exit
/// status (docs/reference/cli.md, "Exit status"), so the same mistake exits the same way in every command.
public enum ErrorCategory: Sendable, CaseIterable {
    /// A setting or a name the caller gave is impossible or unknown (draws below 2, `--output` that the sweep
    /// does not have, a policy the scenario does not list).
    case usage
    /// An input file is invalid, or its data cannot answer what was asked (a scenario without `workforce:` for a
    /// redeployment, a threshold that no point crosses).
    case invalidInput
    /// An input file cannot be read.
    case unreadableInput
    /// A service dxmap calls failed (Slurm's `sbatch`).
    case unavailable
    /// A run could not be done (every point of a sweep failed; an engine given a scenario that was not validated).
    case runFailure
    /// A results database or an output file cannot be created, written or trusted.
    case cannotWrite
    /// Standard output cannot take the results.
    case standardOutput
}

/// An error dxmap reports: a category (which decides the exit status) and a one-line diagnostic
/// (`description`, as printed: `path: error: …` or `error: …`).
public protocol DXMapError: Error, CustomStringConvertible, Sendable {
    var category: ErrorCategory { get }
}

extension DXMapError {
    /// The diagnostic without its leading `error: `, to quote inside another message ("point 3: …").
    public var reason: String { description.hasPrefix("error: ") ? String(description.dropFirst(7)) : description }
}

/// Run settings that cannot work: fewer than 2 draws, no thread, a Sobol base that is not a power of two.
public struct RunSettingsError: DXMapError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var category: ErrorCategory { .usage }
    public var description: String { "error: \(message)" }
}

/// A name the caller gave that the scenario, sweep or database does not have: an output, a policy, a programme.
public struct UnknownNameError: DXMapError {
    /// What was named: "output", "policy", "programme".
    public var kind: String
    public var name: String
    /// What is wrong, with the names that exist (and the closest one).
    public var message: String
    public init(kind: String, name: String, message: String) { (self.kind, self.name, self.message) = (kind, name, message) }
    public var category: ErrorCategory { .usage }
    public var description: String { "error: \(message)" }
}

/// The input cannot give what was asked: a scenario without the section a command needs, a threshold that leaves
/// no bad point, a results database that does not hold every point of a study.
public struct DataError: DXMapError {
    /// The file at fault, when there is one.
    public var path: String?
    public var message: String
    public init(path: String? = nil, message: String) { (self.path, self.message) = (path, message) }
    public var category: ErrorCategory { .invalidInput }
    public var description: String { path.map { "\($0): error: \(message)" } ?? "error: \(message)" }
}

/// A run that could not be done although its inputs were valid (every point failed), or an engine called on a
/// scenario that was never validated.
public struct RunFailure: DXMapError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var category: ErrorCategory { .runFailure }
    public var description: String { "error: \(message)" }
}
