@testable import DXExperiments
import DXSampling
import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// No harm from what a user feeds in (docs/reference/cli.md, "Safety"): each case as a user or a hostile input would meet it,
/// against the real binary. Every one of them crashed, hung, ran what it contained or reported success over wrong
/// data before it was made a refusal or harmless.
final class HostileInputTests: CLITestCase {
    // MARK: Integers

    /// Integers are read as integers end to end: the largest seed is accepted, one more is refused at its line, and
    /// seeds that a Double cannot tell apart give different sweeps.
    func testIntegersAreReadExactlyAndOverflowIsRefusedAtItsLine() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 3, draws: 50)
        let text = try String(contentsOfFile: sweep, encoding: .utf8)
        func withSeed(_ seed: String) throws -> String { try dir.write(text.replacingOccurrences(of: "seed: 5", with: "seed: \(seed)"), to: "s\(seed).yaml") }
        for seed in ["9223372036854775807", "18446744073709551615"] {
            let r = try dxmap(["validate", try withSeed(seed)])
            XCTAssertEqual(r.status, 0, "seed \(seed): \(r.stderr)")
        }
        let over = try dxmap(["validate", try withSeed("18446744073709551616")])
        XCTAssertEqual(over.status, 65, over.stderr)
        XCTAssert(over.stderr.contains(":4:7: error: seed: expected a whole number from 0 to 18446744073709551615, found 18446744073709551616"),
                  over.stderr)
        // 2^53 and 2^53 + 1 are one Double; as seeds they are two sweeps.
        var exports: [String] = []
        for seed in ["9007199254740992", "9007199254740993"] {
            let db = dir.path("seed\(seed).sqlite")
            XCTAssertEqual(try dxmap(["sweep", try withSeed(seed), "--db", db]).status, 0)
            XCTAssertEqual(try dxmap(["export", db, "--csv", dir.path("e\(seed)")]).status, 0)
            exports.append(try String(contentsOfFile: dir.path("e\(seed)/results.csv"), encoding: .utf8))
        }
        XCTAssertNotEqual(exports[0], exports[1], "neighbouring seeds above 2^53 give different draws")
        // A version field or a count of 2^63 - 1: a message at its line, never a trap.
        let scenario = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(of: "dxmap: 1", with: "dxmap: 9223372036854775807"),
                                     to: "v.yaml")
        let version = try dxmap(["validate", scenario])
        XCTAssertEqual(version.status, 65, version.stderr)
        XCTAssert(version.stderr.contains("v.yaml:1:8: error: dxmap: this dxmap reads schema 1"), version.stderr)
        let fte = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(of: "horizon: 5", with: "horizon: 9223372036854775808"),
                                to: "h.yaml")
        let horizon = try dxmap(["validate", fte])
        XCTAssertEqual(horizon.status, 65, horizon.stderr)
        XCTAssert(horizon.stderr.contains("h.yaml:3:10: error: horizon:"), horizon.stderr)
        // A shard count of 2^63 - 1 runs its one point.
        let shard = try dxmap(["sweep", sweep, "--db", dir.path("shard.sqlite"), "--shard", "0/9223372036854775807"])
        XCTAssertEqual(shard.status, 0, shard.stderr)
        XCTAssert(shard.stderr.contains("1 point run"), shard.stderr)
        let last = try dxmap(["sweep", sweep, "--db", dir.path("last.sqlite"), "--shard", "9223372036854775806/9223372036854775807"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssert(last.stderr.contains("0 points run"), last.stderr)
    }

    // MARK: Reading

    /// The input limit counts the bytes read: an endless character device or pipe is refused once it passes
    /// 256 MB, not read until memory runs out.
    func testEndlessInputsStopAtTheReadLimit() throws {
        let zero = try run(Self.binary.path, ["validate", "/dev/zero"], timeout: 60)
        XCTAssertEqual(zero.status, 66, zero.stderr)
        XCTAssert(zero.stderr.contains("/dev/zero: error: cannot read the file: it has more than 268435456 bytes (256 MB)"), zero.stderr)
        let piped = try run(Self.binary.path, ["validate", "-"], stdin: "/dev/zero", timeout: 60)
        XCTAssertEqual(piped.status, 66, piped.stderr)
        XCTAssert(piped.stderr.contains("more than 268435456 bytes"), piped.stderr)
    }

    // MARK: Validation

    /// `validate` runs a few points: a sweep whose every point fails when run (here: an output names a policy that
    /// the sweep's one choice of policies leaves out) is an error, not "valid"; the run itself exits 70.
    func testValidateCatchesASweepWhosePointsAllFail() throws {
        let dir = TemporaryDirectory()
        let sweep = try dir.write("""
            dxmap-sweep: 1
            scenario: \(packageRoot.path)/Scenarios/county-councils-workforce.yaml
            draws: 100
            design: { lhs: { points: 4 } }
            parameters:
              - { name: policy, path: policies, values: [redundancy-only] }
            outputs: [redeploy.shared-pool.redundant]

            """, to: "allfail.yaml")
        let r = try dxmap(["validate", sweep])
        XCTAssertEqual(r.status, 65, r.stdout + r.stderr)
        XCTAssert(r.stderr.contains("allfail.yaml: error: every one of the 4 points run at 100 draws fails"), r.stderr)
        XCTAssert(r.stderr.contains("names policy 'shared-pool', which this point's scenario does not have (its policies: redundancy-only)"),
                  r.stderr)
        let ran = try dxmap(["sweep", sweep, "--db", dir.path("a.sqlite")])
        XCTAssertEqual(ran.status, 70, ran.stderr)
        // Some failing: a warning, and valid.
        let some = try dir.write(try String(contentsOfFile: sweep, encoding: .utf8)
            .replacingOccurrences(of: "values: [redundancy-only]", with: "values: [redundancy-only, shared-pool]"), to: "some.yaml")
        let warned = try dxmap(["validate", some])
        XCTAssertEqual(warned.status, 0, warned.stderr)
        XCTAssert(warned.stderr.contains("some.yaml: warning: 2 of the 4 points run at 100 draws fail"), warned.stderr)
    }

    /// A design of ten million points is validated on a documented sample in seconds (all of it took hours), and
    /// the message says so.
    func testValidateOfAHugeDesignChecksASampleAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 10_000_000, draws: 20)
        let started = Date()
        let r = try run(Self.binary.path, ["validate", sweep], timeout: 240)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("a Latin hypercube of 10,000,000 points, the scenarios of 10,000 points spread evenly over the design valid"),
                  r.stdout)
        XCTAssert(r.stdout.contains("8 points run at 20 draws"), r.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 240)
    }

    // MARK: Cluster scripts

    /// A `--db` directory with `$(…)`, backticks, both quotes, spaces, `%` and `#` in its name: the generated scripts
    /// run nothing it contains when bash runs them as Slurm would (each array task, then the merge), and they write
    /// where the user asked. A newline, which no `#SBATCH` line can hold, is refused before anything is written.
    func testClusterScriptsRunNothingAPathContains() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4, draws: 50)
        let canary = dir.path("PWNED")
        let hostile = dir.path("jobs $(touch \(canary)) `touch \(canary)` \"dq\" 'sq' ; touch \(canary) # 50% $HOME")
        let r = try dxmap(["sweep", sweep, "--slurm", "2", "--db", hostile])
        XCTAssertEqual(r.status, 0, r.stderr)
        let array = try String(contentsOfFile: hostile + "/sweep-array.sbatch", encoding: .utf8)
        let directive = try XCTUnwrap(array.split(separator: "\n").first { $0.hasPrefix("#SBATCH --output=") })
        XCTAssertEqual(String(directive), "#SBATCH --output=\"" + hostile.replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "%", with: "%%") + "/logs/shard-%a.out\"", "sbatch's quoting, % doubled")
        // Each array task, then the merge, as Slurm runs them: bash on the script, the task in the environment.
        func runJobs(in directory: String, array: String) throws {
            for task in 0..<2 {
                let t = try run("/bin/bash", [directory + "/" + array],
                                environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "2"])
                XCTAssertEqual(t.status, 0, t.stderr)
            }
            let merge = try run("/bin/bash", [directory + "/merge.sbatch"])
            XCTAssertEqual(merge.status, 0, merge.stderr)
        }
        try runJobs(in: hostile, array: "sweep-array.sbatch")
        XCTAssertFalse(FileManager.default.fileExists(atPath: canary), "nothing in the path ran")
        XCTAssertEqual(try SweepStore(existing: hostile + "/results.sqlite").donePoints(), [0, 1, 2, 3])
        // Also when the sweep file and the command after the merge (sensitivity's --out) carry such names.
        let oddSweep = dir.path("sweep $(touch PWNED).yaml")
        try FileManager.default.copyItem(atPath: sweep, toPath: oddSweep)
        let sensitivity = try dxmap(["sensitivity", oddSweep, "--method", "morris", "--base", "2", "--slurm", "2",
                                     "--db", hostile + "/s", "--out", dir.path("out `touch PWNED`")])
        XCTAssertEqual(sensitivity.status, 0, sensitivity.stderr)
        try runJobs(in: hostile + "/s", array: "sensitivity-array.sbatch")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path("out `touch PWNED`/sensitivity.csv")))
        for place in [canary, packageRoot.appendingPathComponent("PWNED").path] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: place), "nothing in the paths ran")
        }
        // A newline or a backslash cannot be written into an #SBATCH line: refused, nothing written.
        for bad in [dir.path("new\nline; touch \(canary)"), dir.path("back\\slash")] {
            let refused = try dxmap(["sweep", sweep, "--slurm", "2", "--db", bad])
            XCTAssertEqual(refused.status, 64, refused.stderr)
            XCTAssert(refused.stderr.contains("choose a directory without it for the cluster scripts"), refused.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: bad))
        }
    }

    // MARK: Lock files

    /// A symbolic link, a hard link or a FIFO planted where a database's lock file goes: refused, and the file it
    /// points at is not touched (a 20,000-byte victim used to become the writer's pid).
    func testAPlantedLockFileIsNeverWrittenThrough() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 2, draws: 20)
        let victim = try dir.write(String(repeating: "precious data\n", count: 1_430), to: "victim.txt")
        let before = try Data(contentsOf: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: dir.path("a.sqlite.lock"), withDestinationPath: victim)
        XCTAssertEqual(link(victim, dir.path("b.sqlite.lock")), 0)
        XCTAssertEqual(mkfifo(dir.path("c.sqlite.lock"), 0o644), 0)
        for (db, why) in [("a", "is a symbolic link"), ("b", "has 2 names"), ("c", "is not a regular file")] {
            let r = try run(Self.binary.path, ["sweep", sweep, "--db", dir.path("\(db).sqlite")], timeout: 30)
            XCTAssertEqual(r.status, 73, "\(db): \(r.stderr)")
            XCTAssert(r.stderr.contains("the lock file \(dir.path("\(db).sqlite.lock")) \(why)") && r.stderr.contains("refusing to use it"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("\(db).sqlite")), "nothing written")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: victim)), before, "the victim is untouched")
        // An output directory's lock is opened the same way.
        let out = dir.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out + "/.dxmap-lock", withDestinationPath: victim)
        let map = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "100", "--out", out])
        XCTAssertEqual(map.status, 73, map.stderr)
        XCTAssert(map.stderr.contains("is a symbolic link"), map.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: victim)), before, "the victim is untouched")
    }

    /// One database reached through a symbolic link or a hard link has one writer: the second is refused at once,
    /// naming the first, where it used to run and die on "UNIQUE constraint failed".
    func testOneDatabaseByTwoNamesHasOneWriter() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 160, draws: 3000)
        let db = dir.path("real.sqlite")
        let first = try startedWriter(["sweep", sweep, "--db", db, "--jobs", "1"], database: db)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        try FileManager.default.createSymbolicLink(atPath: dir.path("soft.sqlite"), withDestinationPath: db)
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        XCTAssertEqual(link(db, dir.path("sub/hard.sqlite")), 0)
        let soft = try dxmap(["sweep", sweep, "--db", dir.path("soft.sqlite"), "--resume"])
        XCTAssertEqual(soft.status, 73, soft.stderr)
        XCTAssert(soft.stderr.contains("another dxmap (pid \(first.processIdentifier)) is writing to this database"), soft.stderr)
        let hard = try dxmap(["sweep", sweep, "--db", dir.path("sub/hard.sqlite"), "--resume"])
        XCTAssertEqual(hard.status, 73, hard.stderr)
        XCTAssert(hard.stderr.contains("another dxmap is writing to this database under another name"), hard.stderr)
        XCTAssertTrue(first.isRunning, "the first writer is untouched")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let resumed = try dxmap(["sweep", sweep, "--db", dir.path("soft.sqlite"), "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try SweepStore(existing: db).donePoints().count, 160)
    }

    // MARK: Databases

    /// A sweep killed in its first milliseconds, before its schema is committed, leaves a file that the next run
    /// takes as new: `--resume` and a fresh run both finish it, exporting what an uninterrupted run exports.
    func testASweepKilledInItsFirstMillisecondsResumes() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 6, draws: 100)
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("whole.sqlite")]).status, 0)
        XCTAssertEqual(try dxmap(["export", dir.path("whole.sqlite"), "--csv", dir.path("whole")]).status, 0)
        let expected = try String(contentsOfFile: dir.path("whole/results.csv"), encoding: .utf8)
        // What a kill at 25 ms left: an SQLite file in WAL mode with no tables.
        for (k, resume) in [(0, true), (1, false)] {
            let db = dir.path("empty\(k).sqlite")
            _ = try SQLiteDatabase(path: db)
            let r = try dxmap(["sweep", sweep, "--db", db] + (resume ? ["--resume"] : []))
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        // Real kills, early: whatever a kill leaves, the next --resume finishes it to the same export.
        var killedEarly = 0
        for attempt in 0..<16 {
            let db = dir.path("k\(attempt).sqlite")
            let p = try start(["sweep", sweep, "--db", db])
            usleep(useconds_t(2_000 * attempt))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killedEarly += 1 }
            let r = try dxmap(["sweep", sweep, "--db", db, "--resume"])
            XCTAssertEqual(r.status, 0, "killed after \(2 * attempt) ms: \(r.stderr)")
            XCTAssertEqual(try dxmap(["export", db, "--csv", dir.path("e\(attempt)")]).status, 0)
            XCTAssertEqual(try String(contentsOfFile: dir.path("e\(attempt)/results.csv"), encoding: .utf8), expected, "attempt \(attempt)")
        }
        XCTAssertGreaterThan(killedEarly, 8, "most runs were killed before they finished")
        // A foreign SQLite file with tables is still never taken as empty.
        let foreign = dir.path("foreign.sqlite")
        try SQLiteDatabase(path: foreign).execute("CREATE TABLE mine (x INTEGER)")
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", foreign, "--resume"]).status, 73)
    }

    /// What an export reads is covered by the checks: a results row for no finished point (an orphan), a
    /// relabelled output, a dropped `points_done` row, a whole point deleted. Each is refused as damaged, where
    /// each used to export with exit 0.
    func testDamageToLabelsOrphansAndTheDoneSetIsRefused() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 8, draws: 50)
        let good = dir.path("good.sqlite")
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", good]).status, 0)
        let cases = [
            ("INSERT INTO results VALUES (5000, 0, 1, 1, 1, 1, 1)", "it holds results of point 5000 for no finished point"),
            ("INSERT INTO results VALUES (3, 99, 1, 1, 1, 1, 1)", "point 3's rows do not match their checksum"),
            ("DELETE FROM outputs WHERE idx = 2", "it holds results of point 0 for an output it does not have"),
            ("UPDATE outputs SET name = 'total.cost' WHERE idx = 0", "its parameter or output names are not those it was made with"),
            ("UPDATE parameters SET name = 'other' WHERE idx = 1", "its parameter or output names are not those it was made with"),
            ("DELETE FROM points_done WHERE point = 3", "it holds design row of point 3 for no finished point"),
            ("DELETE FROM design WHERE point = 3; DELETE FROM results WHERE point = 3; DELETE FROM points_done WHERE point = 3",
             "it holds 7 finished points where 8 were committed"),
        ]
        for (sql, why) in cases {
            let db = dir.path("edited.sqlite")
            try? FileManager.default.removeItem(atPath: db)
            try FileManager.default.copyItem(atPath: good, toPath: db)
            try SQLiteDatabase(path: db).execute(sql)
            let r = try dxmap(["export", db, "--csv", dir.path("edited")])
            XCTAssertEqual(r.status, 73, "\(sql): \(r.stdout)")
            XCTAssert(r.stderr.contains("is damaged (\(why))"), "\(sql): \(r.stderr)")
        }
    }

    /// A finished database is out of WAL mode, so it reads from a read-only mount; one whose writer was killed says
    /// why it cannot be read there instead of calling it damaged.
    func testAFinishedDatabaseReadsFromAReadOnlyMount() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 300, draws: 2000)
        let mount = try SmallFileSystem(megabytes: 64)
        let db = mount.path("done.sqlite")
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", db, "--jobs", "2"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount.path).filter { $0.hasPrefix("done.sqlite-") }, [],
                       "no -wal or -shm beside a finished database")
        // A writer killed part-way leaves its database in WAL mode with its -wal and -shm, which SQLite reads read-only;
        // a database in WAL mode without them (a dxmap before this one left every finished database so) cannot be.
        let killed = mount.path("killed.sqlite")
        _ = try killedPartWay(["sweep", sweep, "--db", killed, "--jobs", "1"], database: killed)
        let walled = mount.path("walled.sqlite")
        try FileManager.default.copyItem(atPath: db, toPath: walled)
        _ = try SQLiteDatabase(path: walled)
        try mount.makeReadOnly()
        let export = try dxmap(["export", db, "--csv", dir.path("e")])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.path("e/results.csv"), encoding: .utf8).split(separator: "\n").count, 1 + 300 * 3)
        let rows = try String(contentsOfFile: dir.path("e/results.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
        let npv: [Double] = rows.filter { $0.count > 2 && $0[1] == "total.npv" }.compactMap { Double($0[2]) }.sorted()
        let discover = try dxmap(["discover", db, "--output", "total.npv", "--below", "\(npv[npv.count / 2])"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        XCTAssertEqual(try dxmap(["export", killed, "--csv", dir.path("k")]).status, 0)
        let wal = try dxmap(["export", walled, "--csv", dir.path("w")])
        XCTAssertEqual(wal.status, 73, wal.stderr)
        XCTAssert(wal.stderr.contains("is still in WAL mode") && !wal.stderr.contains("damaged"), wal.stderr)
    }

    /// A writer killed in the middle of a rollback-journal transaction (dxmap's, entering or leaving WAL mode, as a
    /// kill 30 ms into a sweep met it; or `sqlite3`'s) leaves a hot journal, which a read-only connection cannot roll
    /// back: readers and `--resume` roll it back first, as SQLite's writers do, and read the database as it was.
    func testAHotJournalLeftByAKilledWriterIsRolledBack() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 40, draws: 50)
        let db = dir.path("hot.sqlite")
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", db]).status, 0)
        XCTAssertEqual(try dxmap(["export", db, "--csv", dir.path("before")]).status, 0)
        func killedInATransaction() throws {
            let r = try run("/usr/bin/env", ["python3", "-c", """
                import os, sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute("PRAGMA cache_size=1"); c.execute("BEGIN"); c.execute("UPDATE results SET mean = mean + 1")
                os._exit(0)
                """, db])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: db + "-journal"), "a hot journal is left")
        }
        try killedInATransaction()
        let export = try dxmap(["export", db, "--csv", dir.path("after")])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.path("after/results.csv"), encoding: .utf8),
                       try String(contentsOfFile: dir.path("before/results.csv"), encoding: .utf8), "rolled back to what was committed")
        try killedInATransaction()
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", db, "--resume"]).status, 0)
    }

    /// A full disk while a sweep commits its points: exit 73 (a database that cannot be written), as documented,
    /// not 70; what was committed stays readable and resumable.
    func testAFullDiskDuringASweepExits73() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4_000, draws: 20)
        let mount = try SmallFileSystem(megabytes: 1)
        let r = try dxmap(["sweep", sweep, "--db", mount.path("full.sqlite")])
        XCTAssertEqual(r.status, 73, r.stderr)
        XCTAssert(r.stderr.contains("disk is full") || r.stderr.contains("No space left"), r.stderr)
    }

    // MARK: Output sets

    /// Two `map --out` into one directory at once take turns: run.json always describes the files beside it (it used
    /// to hold one run's seed beside the other's summary.csv, both exiting 0).
    func testConcurrentRunsIntoOneDirectoryNeverMixTheirSets() throws {
        let dir = TemporaryDirectory()
        var reference: [Int: String] = [:]
        for seed in [1, 2] {
            XCTAssertEqual(try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "300", "--seed", "\(seed)", "--out", dir.path("ref\(seed)")]).status, 0)
            reference[seed] = try String(contentsOfFile: dir.path("ref\(seed)/summary.csv"), encoding: .utf8)
        }
        let out = dir.path("shared")
        for round in 0..<12 {
            let runs = try [1, 2].map { seed in
                try start(["map", "Scenarios/county-councils.yaml", "--draws", "300", "--seed", "\(seed)", "--out", out, "--threads", "1"])
            }
            for p in runs { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0, "round \(round)") }
            let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run.json"))) as! [String: Any]
            let seed = try XCTUnwrap(run["seed"] as? Int)
            XCTAssertEqual(try String(contentsOfFile: out + "/summary.csv", encoding: .utf8), reference[seed],
                           "round \(round): summary.csv is the run's whose seed run.json names")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".dxmap-partial") }, [])
    }

    /// What killed runs and merges leave behind (a staging directory, a merge's partial database with its WAL) is
    /// recognised and removed by the next run into the same place.
    func testStagingLeftByKilledRunsIsRemoved() throws {
        let dir = TemporaryDirectory()
        let out = dir.path("out")
        try FileManager.default.createDirectory(atPath: out + "/.dxmap-partial-99999", withIntermediateDirectories: true)
        try dir.write(String(repeating: "x", count: 100_000), to: "out/.dxmap-partial-99999/summary.csv")
        XCTAssertEqual(try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "100", "--out", out]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".dxmap-partial") }, [])
        let sweep = try SweepFixtures.write(into: dir, points: 4, draws: 20)
        for k in 0..<2 { XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("s\(k).sqlite"), "--shard", "\(k)/2"]).status, 0) }
        for leftover in ["m.sqlite.partial-99999", "m.sqlite.partial-99999-wal", "m.sqlite.partial-12345-shm"] {
            try dir.write(String(repeating: "y", count: 50_000), to: leftover)
        }
        XCTAssertEqual(try dxmap(["merge", dir.path("s0.sqlite"), dir.path("s1.sqlite"), "-o", dir.path("m.sqlite")]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".partial-") }, [])
    }

    // MARK: Spreadsheets and terminals

    /// Names and text values that a spreadsheet would run as formulas get a leading `'` in every CSV; numbers,
    /// negative ones too, stay numbers.
    func testCSVCellsNeverActAsFormulas() throws {
        let dir = TemporaryDirectory()
        let names = ["=1+1", "=HYPERLINK(\"http://example.org\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "-12.5"]
        var text = try String(contentsOfFile: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path, encoding: .utf8)
        var count = 0
        for line in text.components(separatedBy: "\n") where line.hasPrefix("    name: ") && count < names.count {
            let quoted = "\"" + names[count].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
            text = text.replacingOccurrences(of: line, with: "    name: " + quoted)
            count += 1
        }
        XCTAssertEqual(count, names.count)
        let scenario = try dir.write(text.replacingOccurrences(of: "name: County council", with: "name: \"=cmd|' /C calc'!A0\" #"), to: "f.yaml")
        let r = try dxmap(["map", scenario, "--draws", "100", "--out", dir.path("o")])
        XCTAssertEqual(r.status, 0, r.stderr)
        for file in ["summary.csv", "matrix.csv"] {
            let csv = try String(contentsOfFile: dir.path("o/\(file)"), encoding: .utf8)
            for line in csv.split(separator: "\n") {
                for cell in cells(String(line)) {
                    XCTAssertFalse(cell.first.map { "=+@\t\r".contains($0) } ?? false, "\(file): \(cell)")
                    if cell.hasPrefix("-") { XCTAssertNotNil(Double(cell), "\(file): a '-' cell is a number: \(cell)") }
                }
            }
        }
        let summary = try String(contentsOfFile: dir.path("o/summary.csv"), encoding: .utf8)
        XCTAssert(summary.contains(",'=1+1,") && summary.contains(",'-2+3,") && summary.contains(",'@SUM(A1),"), summary)
        XCTAssert(summary.contains("\"'=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\""), summary)
        // Text parameter values in a sweep's design.csv.
        let sweep = try dir.write("""
            dxmap-sweep: 1
            scenario: \(packageRoot.path)/Scenarios/county-councils.yaml
            draws: 50
            design: { list: { points: [["=1+1"], ["@A1"], ["-x"]] } }
            parameters:
              - { name: money, path: currency, values: ["=1+1", "@A1", "-x"] }
            outputs: [total.npv]

            """, to: "s.yaml")
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("s.sqlite")]).status, 0)
        XCTAssertEqual(try dxmap(["export", dir.path("s.sqlite"), "--csv", dir.path("e")]).status, 0)
        let design = try String(contentsOfFile: dir.path("e/design.csv"), encoding: .utf8)
        XCTAssertEqual(design, "point,money\n0,'=1+1\n1,'@A1\n2,'-x\n")
        for line in try String(contentsOfFile: dir.path("e/results.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            XCTAssert(cells(String(line)).dropFirst(2).allSatisfy { Double($0) != nil }, "numbers stay numbers: \(line)")
        }
    }

    /// The cells of one CSV line (RFC 4180, as CSVOutput writes it).
    func cells(_ line: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        var characters = Array(line)[...]
        while let c = characters.popFirst() {
            switch (c, quoted) {
            case ("\"", true) where characters.first == "\"": cell.append("\""); characters.removeFirst()
            case ("\"", _): quoted.toggle()
            case (",", false): out.append(cell); cell = ""
            default: cell.append(c)
            }
        }
        return out + [cell]
    }

    /// Control characters in a scenario's names are refused at their line, and what the terminal is shown of them
    /// (and of a path that holds them) is escaped, never obeyed.
    func testNamesAndPathsNeverDriveTheTerminal() throws {
        let dir = TemporaryDirectory()
        let scenario = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(
            of: "name: Corpus base", with: "name: \"Corpus\\e]0;owned\\a\\e[2J\\e[1A\\e[2K\""), to: "esc.yaml")
        let r = try dxmap(["map", scenario, "--draws", "100"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssert(r.stderr.contains("esc.yaml:2:7: error: name: expected text without control characters, found \\x1B at character 7"), r.stderr)
        XCTAssertNil(ControlCharacters.first(in: r.stdout + r.stderr, allowingLines: true), "nothing raw reaches the terminal: \(r.stderr)")
        for (field, character) in [("essex", "\\0"), ("blue-badge", "\\x9B"), ("Corpus base", "\\uFFFF")] {
            let bad = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(of: ": \(field)", with: ": \"\(field)\(character)\""),
                                    to: "bad.yaml")
            let b = try dxmap(["validate", bad])
            XCTAssertEqual(b.status, 65, b.stderr)
            XCTAssert(b.stderr.contains("expected text without control characters"), b.stderr)
            XCTAssertNil(ControlCharacters.first(in: b.stderr, allowingLines: true), b.stderr)
        }
        // A path with an ESC in it, in a message and in the lines dxmap prints about its files.
        let odd = dir.path("odd\u{1B}[2J\u{1B}]0;x\u{7}")
        let missing = try dxmap(["validate", odd + ".yaml"])
        XCTAssertEqual(missing.status, 66)
        XCTAssert(missing.stderr.contains("odd\\x1B[2J\\x1B]0;x\\x07.yaml: error:"), missing.stderr)
        let wrote = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "100", "--out", odd])
        XCTAssertEqual(wrote.status, 0, wrote.stderr)
        XCTAssertNil(ControlCharacters.first(in: wrote.stdout + wrote.stderr, allowingLines: true), wrote.stderr)
        // A sweep's text values with control characters are refused too.
        let sweep = try SweepFixtures.write(into: dir, design: "{ list: { points: [[0]] } }",
                                            parameters: ["  - { name: c, path: currency, values: [\"GBP\\e[2J\"] }"])
        let s = try dxmap(["validate", sweep])
        XCTAssertEqual(s.status, 65, s.stderr)
        XCTAssert(s.stderr.contains("expected text without control characters"), s.stderr)
    }

    // MARK: Memory

    /// `export` streams its tables: on a database of 30,000 points × 8 outputs (240,000 result rows), its peak memory
    /// stays near a small database's (measured: +22 MB at 60,000 points), where it used to hold every row, and every
    /// line of the tables it wrote, at once (+201 MB at 60,000 points).
    func testExportMemoryDoesNotGrowWithTheDatabase() throws {
        let dir = TemporaryDirectory()
        let outputs = "[total.npv, total.gross_saving, total.displaced_fte, total.labour_value, total.implementation_cost, "
            + "total.running_cost, total.automation_probability, service[blue-badge].npv]"
        func database(points: Int) throws -> String {
            let sweep = try SweepFixtures.write(into: dir, design: "{ lhs: { points: \(points) } }",
                                                parameters: ["  - { name: pay, path: roles[admin].cost_per_fte, scale: { min: 0.9, max: 1.1 } }"],
                                                outputs: outputs, name: "s\(points).yaml")
            let plan = try SweepLoader.load(path: sweep)
            let resolved = try SweepOutput.resolve(plan.definition, base: plan.base)
            let path = dir.path("d\(points).sqlite")
            let store = try SweepStore(path: path, plan: plan, outputs: resolved, shard: .all, resume: false)
            for i in 0..<points {
                let x = Double(i)
                let summary = DistributionSummary(count: 10, mean: x, sd: 1, p5: x - 2, p25: x - 1, p50: x, p75: x + 1, p95: x + 2,
                                                  pLoss: 0, cvar5: x - 2)
                try store.record(point: i, outcome: SweepExecution.Outcome(values: plan.values(ofPoint: i),
                                                                            results: Array(repeating: summary, count: resolved.count),
                                                                            failure: nil, seconds: 0))
            }
            return path
        }
        // Peak resident memory of one export, read by a process that runs nothing else (its children's maximum).
        func peak(_ db: String, _ out: String) throws -> Int {
            let r = try run("/usr/bin/env", ["python3", "-c", """
                import resource, subprocess, sys
                done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
                print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
                """, Self.binary.path, "export", db, "--csv", out])
            let fields = r.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            XCTAssertEqual(fields.first ?? nil, 0, r.stderr)
            return (fields.last ?? nil) ?? .max
        }
        let small = try peak(try database(points: 500), dir.path("small"))
        let large = try peak(try database(points: 30_000), dir.path("large"))
        let rows = try String(contentsOfFile: dir.path("large/results.csv"), encoding: .utf8).split(separator: "\n").count
        XCTAssertEqual(rows, 1 + 30_000 * 8)
        // 240,000 rows held at once cost about 100 MB; streamed, the larger database adds only SQLite's page cache and
        // one window of the checksum check.
        XCTAssertLessThan(large - small, 40_000, "peak KB: \(small) for 500 points, \(large) for 30,000")
    }

    /// `voi` plans its memory from draws and inputs before drawing anything: the documented maximum of draws is
    /// refused at once with what it needs and the draws that fit, where it used to abort allocating 176 GB.
    func testValueOfInformationPlansItsMemory() throws {
        let started = Date()
        let r = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "1000000000"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssert(r.stderr.contains("1,000,000,000 draws need about") && r.stderr.contains("use at most"), r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "refused before drawing")
        let small = try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "2000", "--memory", "0.01"])
        XCTAssertEqual(small.status, 64, small.stderr)
        XCTAssert(small.stderr.contains("over the budget of 10 MB"), small.stderr)
        XCTAssertEqual(try dxmap(["voi", "Scenarios/italian-registry-pilot.yaml", "--draws", "2000", "--memory", "1"]).status, 0)
    }
}

/// A tmpfs of a given size mounted for one test (a full disk, a read-only mount), unmounted when it goes away.
/// Mounting needs root; where it cannot mount, the test is skipped, saying why.
final class SmallFileSystem {
    let path: String

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dxmap-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            throw XCTSkip("cannot mount a tmpfs here (needs root): the full-disk and read-only cases are not checked")
        }
    }

    func path(_ name: String) -> String { path + "/" + name }

    func makeReadOnly() throws {
        guard Self.mount(["-o", "remount,ro", path]) else { throw XCTSkip("cannot remount \(path) read-only") }
    }

    deinit {
        _ = Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func mount(_ arguments: [String]) -> Bool { run("/bin/mount", arguments) }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
