import DXExperiments
import DXTestSupport
import Foundation
import XCTest

/// No harm from what a user feeds in (README, "Safety"): each case as a user or a hostile input would meet it,
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
        for task in 0..<2 {
            let t = try run("/bin/bash", [hostile + "/sweep-array.sbatch"],
                            environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "2"])
            XCTAssertEqual(t.status, 0, t.stderr)
        }
        let merge = try run("/bin/bash", [hostile + "/merge.sbatch"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: canary), "nothing in the path ran")
        XCTAssertEqual(try SweepStore(existing: hostile + "/results.sqlite").donePoints(), [0, 1, 2, 3])
        // Also when the sweep file and the command after the merge (sensitivity's --out) carry such names.
        let oddSweep = dir.path("sweep $(touch PWNED).yaml")
        try FileManager.default.copyItem(atPath: sweep, toPath: oddSweep)
        let sensitivity = try dxmap(["sensitivity", oddSweep, "--method", "morris", "--base", "2", "--slurm", "2",
                                     "--db", hostile + "/s", "--out", dir.path("out `touch PWNED`")])
        XCTAssertEqual(sensitivity.status, 0, sensitivity.stderr)
        for task in 0..<2 {
            let t = try run("/bin/bash", [hostile + "/s/sensitivity-array.sbatch"],
                            environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "2"])
            XCTAssertEqual(t.status, 0, t.stderr)
        }
        let analysed = try run("/bin/bash", [hostile + "/s/merge.sbatch"])
        XCTAssertEqual(analysed.status, 0, analysed.stderr)
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
}
