import Foundation

/// Writes a run's files into a directory as a set.
///
/// Every file is first written whole into a temporary directory inside the output directory
/// (`.dxmap-partial-PID`); then the set's `run.json`, if the directory has one from an earlier run, is
/// removed; then each file is renamed into place, and `run.json` last. So a reader who trusts `run.json`
/// never reads files from another run: while `run.json` is present, every file of the set beside it is the
/// one it describes, and a run killed or failing part-way leaves no `run.json` (a set to ignore or rerun)
/// rather than files of two runs under one record. No file is ever truncated.
///
/// Two runs writing into one directory take turns: each holds the directory's lock (`.dxmap-lock`, a
/// `LockFile`) from its first staged byte to its last rename, so their sets never interleave (the last
/// to finish is the set that stands). Under the lock, staging directories that killed runs left are removed.
public enum OutputFiles {
    /// The file whose presence vouches for the set.
    public static let record = "run.json"
    /// The lock file of an output directory.
    public static let lockName = ".dxmap-lock"
    /// The prefix of a run's staging directory.
    static let stagingPrefix = ".dxmap-partial-"

    /// One file of a set: its name, and what writes its text into a sink (so a large file is streamed, never
    /// held whole in memory).
    public struct File {
        public var name: String
        public var write: (OutputSink) throws -> Void
        public init(name: String, write: @escaping (OutputSink) throws -> Void) { (self.name, self.write) = (name, write) }
        public init(name: String, text: String) { self.init(name: name) { try $0.write(text) } }
    }

    /// Writes `files` into `directory` as a set (run.json last); returns their paths.
    /// - Throws: ``OutputError`` naming the file or directory that could not be written, and why.
    public static func write(_ files: [(name: String, text: String)], to directory: String) throws -> [String] {
        try write(files: files.map { File(name: $0.name, text: $0.text) }, to: directory)
    }

    /// Writes `files` into `directory` as a set (run.json last), each streamed into its staging file; returns
    /// their paths.
    /// - Throws: ``OutputError`` naming the file or directory that could not be written, and why; what a file's
    ///   writer throws.
    public static func write(files: [File], to directory: String) throws -> [String] {
        guard !directory.isEmpty else { throw OutputError(path: directory, reason: "--out needs a directory path, found an empty one") }
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        try createDirectory(dir)
        let lock: LockFile
        do {
            lock = try LockFile(path: dir.appendingPathComponent(lockName).path, wait: true)
        } catch .unsafe(let message), .system(let message) {
            throw OutputError(path: directory, reason: message)
        } catch {
            throw OutputError(path: directory, reason: "cannot lock the directory")
        }
        return try withExtendedLifetime(lock) {
            removeStaleStaging(in: dir)
            return try writeLocked(files, into: dir, directory)
        }
    }

    /// Staging directories of runs that are not running any more (their writer would hold the directory's lock,
    /// which this run holds now).
    private static func removeStaleStaging(in dir: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(stagingPrefix) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    private static func writeLocked(_ files: [File], into dir: URL, _ directory: String) throws -> [String] {
        let staging = dir.appendingPathComponent(stagingPrefix + "\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError(path: staging.path, reason: "cannot write in \(directory): \(reason(error))")
        }
        for file in files {
            let path = staging.appendingPathComponent(file.name).path
            let target = dir.appendingPathComponent(file.name).path
            let sink = try OutputSink(path: path, reportedAs: target)
            try file.write(sink)
            try sink.finish()
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

/// A file being written: text buffered and written out with write(2), every failure (a full disk, a device
/// error, a failed close on a network file system) thrown as an ``OutputError`` naming the file it was for.
public final class OutputSink {
    private let descriptor: Int32
    private let reportedAs: String
    private var buffer: [UInt8] = []
    private var closed = false
    private static let capacity = 1 << 20

    init(path: String, reportedAs: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        self.reportedAs = reportedAs
        guard descriptor >= 0 else { throw OutputError(path: reportedAs, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.capacity)
    }

    deinit { if !closed { close(descriptor) } }

    /// Appends `text`.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    private func flush() throws {
        var start = 0
        while start < buffer.count {
            let n = buffer[start...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: reportedAs, reason: String(cString: strerror(errno)))
            }
            start += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        closed = true
        guard close(descriptor) == 0 else { throw OutputError(path: reportedAs, reason: String(cString: strerror(errno))) }
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
