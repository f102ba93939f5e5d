import DXScenario
import Foundation

/// Writes a run's files into a directory as a set.
///
/// Every file is first written whole into a temporary directory inside the output directory
/// (`.dxmap-partial-PID`); then the set's `run.json`, if the directory has one from an earlier run, is
/// removed; then each file is renamed into place, and `run.json` last. So a reader who trusts `run.json`
/// never reads files from another run: while `run.json` is present, every file of the set beside it is the
/// one it describes, and a run killed or failing part-way leaves no `run.json` (a set to ignore or rerun)
/// rather than files of two runs under one record. No file is ever truncated.
public enum OutputFiles {
    /// The file whose presence vouches for the set.
    public static let record = "run.json"

    /// Writes `files` into `directory` as a set (run.json last); returns their paths.
    /// - Throws: ``OutputError`` naming the file or directory that could not be written, and why.
    public static func write(_ files: [(name: String, text: String)], to directory: String) throws -> [String] {
        guard !directory.isEmpty else { throw OutputError(path: directory, reason: "--out needs a directory path, found an empty one") }
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        try createDirectory(dir)
        let staging = dir.appendingPathComponent(".dxmap-partial-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError(path: staging.path, reason: "cannot write in \(directory): \(reason(error))")
        }
        for (name, text) in files {
            let file = staging.appendingPathComponent(name)
            do { try Data(text.utf8).write(to: file) } catch {
                throw OutputError(path: dir.appendingPathComponent(name).path, reason: reason(error))
            }
        }
        let ordered = files.map(\.name).filter { $0 != record } + files.map(\.name).filter { $0 == record }
        if ordered.last == record {
            let old = dir.appendingPathComponent(record).path
            if FileManager.default.fileExists(atPath: old), unlink(old) != 0 {
                throw OutputError(path: old, reason: "cannot replace the previous run's record: \(String(cString: strerror(errno)))")
            }
        }
        return try ordered.map { name in
            let target = dir.appendingPathComponent(name).path
            guard rename(staging.appendingPathComponent(name).path, target) == 0 else {
                throw OutputError(path: target, reason: "cannot move the new file into place: \(String(cString: strerror(errno)))"
                                  + (ordered.last == record ? """
                                      ; \(directory) now has no \(record), so its files are not one run's set
                                      """ : ""))
            }
            return target
        }
    }

    static func createDirectory(_ dir: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OutputError(path: dir.path, reason: "is a file, not a directory for the output files")
            }
            return
        }
        // A parent that is a file: say which.
        var parent = dir.deletingLastPathComponent()
        while parent.path != "/" && !FileManager.default.fileExists(atPath: parent.path) { parent.deleteLastPathComponent() }
        if FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw OutputError(path: dir.path, reason: "cannot create the output directory: \(parent.path) is a file")
        }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: dir.path, reason: "cannot create the output directory: \(reason(error))")
        }
    }

    /// A failure in words: the system's reason rather than Foundation's error domain and code.
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileWriteVolumeReadOnlyError: return "the file system is read-only"
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
        default: return ns.localizedDescription
        }
    }
}

/// An output file that could not be written.
public struct OutputError: DXMapError {
    public var path: String
    public var reason: String
    public var category: ErrorCategory { .cannotWrite }
    public init(path: String, reason: String) { (self.path, self.reason) = (path, reason) }
    public var description: String { "\(path): error: cannot write: \(reason)" }
}
