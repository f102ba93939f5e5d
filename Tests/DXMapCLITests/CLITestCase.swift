import DXExperiments
import DXTestSupport
import Foundation
import XCTest

/// Runs the `dxmap` executable built next to the test bundle, as a user would.
class CLITestCase: XCTestCase {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The dxmap binary next to this test bundle.
    static let binary: URL = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("dxmap")
    }()

    func dxmap(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try run(Self.binary.path, arguments, environment: environment)
    }

    /// Runs `executable`; standard output and error go to pipes unless `stdout` / `stderr` name files to write
    /// them to instead (say, /dev/full); it runs in `directory`. A run still going after `timeout` seconds is killed (a hang, not a speed
    /// check: the test then fails on its status).
    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], unset: [String] = [],
             stdout: String? = nil, stderr: String? = nil, stdin: String? = nil, timeout: TimeInterval = 300,
             directory: URL = packageRoot) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !unset.contains($0.key) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = try stdout.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) } ?? out
        process.standardError = try stderr.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) } ?? err
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin)) }
        if stdout != nil { try out.fileHandleForWriting.close() }
        if stderr != nil { try err.fileHandleForWriting.close() }
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts dxmap with `arguments` in the background, its output discarded.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.currentDirectoryURL = packageRoot
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts a sweep writing `database` and returns once it has committed a point (or after a minute): a writer
    /// that holds its locks, for the tests of a second one.
    func startedWriter(_ arguments: [String], database: String) throws -> Process {
        let writer = try start(arguments)
        let deadline = Date().addingTimeInterval(60)
        while ((try? SweepStore(existing: database).donePoints().count) ?? 0) < 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return writer
    }

    /// Starts dxmap with `arguments`, kills it with SIGKILL once `database` holds at least 10 committed points,
    /// and returns how many it holds.
    func killedPartWay(_ arguments: [String], database: String) throws -> Int {
        let process = try start(arguments)
        var done = 0
        let deadline = Date().addingTimeInterval(60)
        while done < 10 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            done = (try? SweepStore(existing: database).donePoints().count) ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        return try SweepStore(existing: database).donePoints().count
    }
}
