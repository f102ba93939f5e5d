import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Slurm batch scripts for a sweep: a job array with one task per shard
/// (`SLURM_ARRAY_TASK_ID` / `SLURM_ARRAY_TASK_COUNT` pick the shard, each
/// writing `shard-K.sqlite`), and a merge job that runs after all of them
/// succeed (`--dependency=afterok`), optionally followed by one more dxmap
/// command on the merged database (the sensitivity analysis).
public enum SlurmJobs {
    /// A shell word: single-quoted unless it is plainly safe. Inside single quotes bash expands nothing — not
    /// `$(…)`, backticks, `$VAR`, `"` or a newline — so any path a user chose reaches dxmap as written.
    static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+")
        return word.allSatisfy(safe.contains) && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A file name in an `#SBATCH` line, where sbatch (not bash) reads it: in double quotes, `"` escaped by a
    /// backslash, and `%` in `path` doubled so that Slurm's file-name patterns leave it alone; `pattern` (`%a`) is
    /// appended as it is.
    static func directiveValue(_ path: String, pattern: String = "") -> String {
        "\"" + path.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "%", with: "%%") + pattern + "\""
    }

    /// Why `directory` cannot be written into an `#SBATCH` line, or nil. sbatch reads a directive to the end of its
    /// line, so a newline (or any control character) cannot be in it; a backslash in an output file name turns off
    /// Slurm's `%a` pattern, so every array task would write one log.
    static func directiveProblem(_ directory: String) -> String? {
        if let c = directory.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains the control character U+\(String(format: "%04X", c.value)), which a Slurm script's #SBATCH line cannot hold"
        }
        if directory.contains("\\") { return "contains a backslash, which stops Slurm's %a in the log file names" }
        return nil
    }

    /// The job-array script: task K of N runs `executable command… --db shard-K.sqlite --shard K/N --resume`
    /// (`command` is e.g. `["sweep", SWEEP]`), so a requeued task resumes its shard. Every path and argument is
    /// quoted for bash (`quoted(_:)`); the directory is set once, in `dir`, and used as `"$dir"`.
    public static func arrayScript(executable: String, command: [String], directory: String, shards: Int) -> String {
        """
        #!/bin/bash
        #SBATCH --job-name=dxmap-\(command.first ?? "sweep")
        #SBATCH --array=0-\(shards - 1)
        #SBATCH --output=\(directiveValue(directory + "/logs/", pattern: "shard-%a.out"))
        # One array task per shard; rerunning a task resumes its shard.
        set -euo pipefail
        dir=\(quoted(directory))
        exec \(([executable] + command).map(quoted).joined(separator: " ")) --db "$dir/shard-${SLURM_ARRAY_TASK_ID}.sqlite" \\
            --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --resume

        """
    }

    /// The merge script: combines the N shard databases into `results.sqlite`, then runs `then` (dxmap
    /// arguments, with `--db results.sqlite --resume` appended) if given.
    public static func mergeScript(executable: String, directory: String, shards: Int, then: [String]? = nil) -> String {
        let inputs = (0..<shards).map { "\"$dir/shard-\($0).sqlite\"" }.joined(separator: " ")
        let after = then.map { ([executable] + $0).map(quoted).joined(separator: " ") + " --db \"$dir/results.sqlite\" --resume\n" } ?? ""
        return """
        #!/bin/bash
        #SBATCH --job-name=dxmap-merge
        #SBATCH --output=\(directiveValue(directory + "/logs/merge.out"))
        set -euo pipefail
        dir=\(quoted(directory))
        \(quoted(executable)) merge \(inputs) -o "$dir/results.sqlite"
        \(after)
        """
    }

    /// Writes both scripts into `directory` (creating it and its `logs/`); returns their paths.
    /// - Throws: `RunSettingsError` for a directory that an `#SBATCH` line cannot hold (`directiveProblem(_:)`);
    ///   `OutputError` when the scripts cannot be written.
    public static func write(executable: String, command: [String], directory: String, shards: Int,
                             then: [String]? = nil) throws -> (array: String, merge: String) {
        let dir = URL(fileURLWithPath: directory).standardized.path
        if let problem = directiveProblem(dir) {
            throw RunSettingsError("--db '\(directory)' \(problem); choose a directory without it for the cluster scripts")
        }
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        let paths = try OutputFiles.write([
                (
                    "\(command.first ?? "sweep")-array.sbatch",
                    arrayScript(executable: executable, command: command, directory: dir, shards: shards)
                ),
            ("merge.sbatch", mergeScript(executable: executable, directory: dir, shards: shards, then: then)),
        ], to: dir)
        return (paths[0], paths[1])
    }

    /// Submits the array and the dependent merge with `sbatch`; returns the two job ids.
    /// With `wait`, returns only when the merge job has finished (`sbatch --wait`).
    /// - Throws: ``ClusterError`` when `sbatch` cannot run or refuses a job.
    public static func submit(array: String, merge: String, wait: Bool) throws -> (array: String, merge: String) {
        let arrayJob = try sbatch(["--parsable", array])
        let mergeJob = try sbatch(["--parsable", "--dependency=afterok:\(arrayJob)"] + (wait ? ["--wait"] : []) + [merge])
        return (arrayJob, mergeJob)
    }

    static func sbatch(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sbatch"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw ClusterError(message: "cannot run sbatch: \(error)") }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterError(message: "sbatch \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(errors)")
        }
        return output.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    }
}

/// The cluster refused or failed a submission (`sbatch` missing, or exiting non-zero with its message).
public struct ClusterError: DXMapError {
    public var message: String
    public init(message: String) { self.message = message }
    public var category: ErrorCategory { .unavailable }
    public var description: String { "sbatch: error: \(message)" }
}
