import DXExperiments
import DXTestSupport
import Foundation
import XCTest

/// Nothing lost, nothing silently wrong: failed writes, damaged or foreign databases, partial merges and output
/// sets, overflowing inputs, huge designs, concurrent writers and hostile YAML, each as a user would meet it.
final class IntegrityTests: CLITestCase {
    func testFailedWritesToStandardOutputExit74() throws {
        for format in ["json", "csv", "table"] {
            let r = try run(Self.binary.path, ["map", "Scenarios/county-councils.yaml", "--draws", "200", "--format", format], stdout: "/dev/full")
            XCTAssertEqual(r.status, 74, "\(format): \(r.stderr)")
            XCTAssert(r.stderr.contains("cannot write the results to standard output: No space left on device"), r.stderr)
        }
        XCTAssertEqual(try run(Self.binary.path, ["--help"], stdout: "/dev/full").status, 74, "help text too")
    }

    func testFailedWritesToStandardErrorNeverCrashOrChangeTheStatus() throws {
        let dir = TemporaryDirectory()
        let empty = try dir.write("", to: "empty.yaml")
        XCTAssertEqual(try run(Self.binary.path, ["validate", empty], stderr: "/dev/full").status, 65)
        XCTAssertEqual(try run(Self.binary.path, ["map", "Scenarios/county-councils.yaml", "--draws", "200", "--out", dir.path("o")],
                               stderr: "/dev/full").status, 0)
        XCTAssertEqual(try run(Self.binary.path, ["mapp"], stderr: "/dev/full").status, 64)
    }

    func testDatabasePathsThatAreNotFilesAreRefused() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4)
        for db in ["", ":memory:", "file:x.sqlite", dir.path("")] {
            let r = try dxmap(["sweep", sweep, "--db", db])
            XCTAssertEqual(r.status, 64, "--db '\(db)': \(r.stderr)")
            XCTAssert(r.stderr.contains("--db"), r.stderr)
        }
        XCTAssertEqual(try dxmap(["merge", sweep, "-o", ":memory:"]).status, 64)
    }

    /// A sweep's database, its CSV export, and the same database damaged in each way the review tried: every
    /// command that reads it refuses (naming it) or, where the damage touched nothing that matters, gives exactly
    /// the undamaged export. Never success over wrong data.
    func testDamagedDatabasesAreRefusedOrHarmless() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 40, draws: 50)
        XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("good.sqlite")]).status, 0)
        XCTAssertEqual(try dxmap(["export", dir.path("good.sqlite"), "--csv", dir.path("good")]).status, 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: dir.path("good.sqlite")))
        let expected = try String(contentsOfFile: dir.path("good/results.csv"), encoding: .utf8)
        var damaged: [(String, Data)] = [("truncated", good.prefix(good.count / 2)), ("one page", good.prefix(4096))]
        var zeroed = good
        zeroed.replaceSubrange(4096..<8192, with: Data(count: 4096))
        damaged.append(("a zeroed page", zeroed))
        for offset in stride(from: 100, to: good.count, by: max(1, good.count / 24)) {
            var flipped = good
            flipped[offset] ^= 0x5A
            damaged.append(("a flipped byte at \(offset)", flipped))
        }
        var refused: [String] = []
        for (what, bytes) in damaged {
            let db = dir.path("bad.sqlite")
            try? FileManager.default.removeItem(atPath: dir.path("bad"))
            try bytes.write(to: URL(fileURLWithPath: db))
            let export = try dxmap(["export", db, "--csv", dir.path("bad")])
            if export.status == 0 {
                XCTAssertEqual(try String(contentsOfFile: dir.path("bad/results.csv"), encoding: .utf8), expected,
                               "\(what): exported as good, so it must be the undamaged data")
                continue
            }
            refused.append(what)
            XCTAssert(export.stderr.contains(db), "\(what): the message names the database: \(export.stderr)")
            for arguments in [["sweep", sweep, "--db", db, "--resume"],
                              ["discover", db, "--output", "total.npv", "--above", "0"],
                              ["merge", db, "-o", dir.path("merged.sqlite")]] {
                let r = try dxmap(arguments)
                XCTAssertNotEqual(r.status, 0, "\(what): \(arguments[0]) succeeded over a damaged database")
                XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("merged.sqlite")), "\(what): no partial merge")
            }
        }
        XCTAssertEqual(Array(refused.prefix(3)), ["truncated", "one page", "a zeroed page"], "structural damage is always detected")
        XCTAssertGreaterThan(refused.count, 3, "some flipped bytes hit data, and are detected")
        // Damage SQLite cannot see: a result changed in place, or the meta table dropped.
        for sql in ["UPDATE results SET mean = mean + 1 WHERE point = 7 AND output = 0", "DROP TABLE meta"] {
            try good.write(to: URL(fileURLWithPath: dir.path("edited.sqlite")))
            try SQLiteDatabase(path: dir.path("edited.sqlite")).execute(sql)
            let r = try dxmap(["export", dir.path("edited.sqlite"), "--csv", dir.path("edited")])
            XCTAssertEqual(r.status, 73, sql)
            XCTAssert(r.stderr.contains("is damaged"), "\(sql): \(r.stderr)")
        }
    }

    func testARefusedMergeLeavesNothingAndCanBeRetried() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 8, draws: 50)
        let other = TemporaryDirectory()
        let otherSweep = try SweepFixtures.write(into: other, points: 8, draws: 60)
        for k in 0..<2 { XCTAssertEqual(try dxmap(["sweep", sweep, "--db", dir.path("s\(k).sqlite"), "--shard", "\(k)/2"]).status, 0) }
        XCTAssertEqual(try dxmap(["sweep", otherSweep, "--db", dir.path("x.sqlite"), "--shard", "1/2"]).status, 0)
        let refused = try dxmap(["merge", dir.path("s0.sqlite"), dir.path("x.sqlite"), "-o", dir.path("m.sqlite")])
        XCTAssertEqual(refused.status, 73)
        XCTAssert(refused.stderr.contains("different sweep"), refused.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix("m.sqlite") }
        XCTAssertEqual(leftovers, [], "nothing left behind")
        let retried = try dxmap(["merge", dir.path("s0.sqlite"), dir.path("s1.sqlite"), "-o", dir.path("m.sqlite")])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssert(retried.stdout.contains("8 points"), retried.stdout)
        let unwritable = try dxmap(["merge", dir.path("s0.sqlite"), dir.path("s1.sqlite"), "-o", "/proc/m.sqlite"])
        XCTAssertEqual(unwritable.status, 73)
        XCTAssert(unwritable.stderr.hasPrefix("/proc/m.sqlite: error: cannot create the merged database"), unwritable.stderr)
    }

    func testAnUnrelatedSQLiteFileIsNeverWritten() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4)
        let foreign = dir.path("other.sqlite")
        try SQLiteDatabase(path: foreign).execute("CREATE TABLE mine (x INTEGER); INSERT INTO mine VALUES (42);")
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        for arguments in [["sweep", sweep, "--db", foreign], ["sweep", sweep, "--db", foreign, "--resume"], ["export", foreign, "--csv", dir.path("x")]] {
            let r = try dxmap(arguments)
            XCTAssertEqual(r.status, 73, "\(arguments): \(r.stderr)")
            XCTAssert(r.stderr.contains("not a dxmap results database"), r.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), before, "not a byte changed")
    }

    /// A run that fails part-way through replacing an output set leaves no run.json: a reader who trusts run.json
    /// never reads files of two runs as one.
    func testTheOutputSetIsReplacedAsASet() throws {
        let dir = TemporaryDirectory()
        let out = dir.path("out")
        XCTAssertEqual(try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "200", "--seed", "1", "--out", out]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/run.json"))
        // An obstacle where the third file goes.
        try FileManager.default.removeItem(atPath: out + "/matrix.svg")
        try FileManager.default.createDirectory(atPath: out + "/matrix.svg/blocked", withIntermediateDirectories: true)
        let r = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "200", "--seed", "2", "--out", out])
        XCTAssertEqual(r.status, 73, r.stderr)
        XCTAssert(r.stderr.contains("matrix.svg") && r.stderr.contains("now has no run.json"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/run.json"), "no record vouches for a mixed set")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".dxmap-partial") }, [])
        // Where it works, run.json and the files agree.
        try FileManager.default.removeItem(atPath: out + "/matrix.svg")
        XCTAssertEqual(try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "200", "--seed", "3", "--out", out]).status, 0)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run.json"))) as! [String: Any]
        XCTAssertEqual(run["seed"] as? Int, 3)
    }

    func testOverflowingInputsAreRefusedAndJSONKeepsEveryKey() throws {
        let dir = TemporaryDirectory()
        let cases = [("sigma: 1000", "{ lognormal: { mu: 1, sigma: 1000 } }", "has no finite mean"),
                     ("mu: 700", "{ lognormal: { mu: 700, sigma: 1 } }", "has no finite variance")]
        for (name, cost, message) in cases {
            let file = try dir.write(ScenarioFixtures.corpusBase.replacingOccurrences(of: "running_cost: 12000", with: "running_cost: \(cost)"), to: "c.yaml")
            let r = try dxmap(["map", file, "--draws", "100"])
            XCTAssertEqual(r.status, 65, name)
            XCTAssert(r.stderr.contains("c.yaml:20:23: error: services[blue-badge].tasks[0].running_cost: this lognormal \(message)"), r.stderr)
        }
        let delay = try dir.write(MalformedAdoptionFixture.base.replacingOccurrences(of: "delay: 1,", with: "delay: 1e300,"), to: "d.yaml")
        let d = try dxmap(["validate", delay])
        XCTAssertEqual(d.status, 65)
        XCTAssert(d.stderr.contains("barriers[privacy].delay: expected at most 1000 years on average"), d.stderr)
        // JSON writes a missing statistic as null rather than dropping its key.
        let json = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "200", "--format", "json"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let rows = doc["summary"] as! [[String: Any]]
        XCTAssert(rows.allSatisfy { $0.count == 13 }, "every row has every key")
        XCTAssert(rows.contains { $0["p_loss"] is NSNull }, "p_loss is null where it does not apply")
    }

    /// A ten-million-point Latin hypercube run as one shard of 100,000: the first point starts at once, only the
    /// shard's 100 points are stored, and an oversized grid is refused before anything is written.
    func testAHugeDesignStartsAtOnceAndStoresOnlyWhatRuns() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 10_000_000, draws: 20)
        let r = try dxmap(["sweep", sweep, "--db", dir.path("h.sqlite"), "--shard", "0/100000"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stderr.contains("100 points run"), r.stderr)
        let store = try SweepStore(existing: dir.path("h.sqlite"))
        XCTAssertEqual(try store.pointCount(), 10_000_000)
        XCTAssertEqual(try store.design().count, 100)
        let grid = try SweepFixtures.write(into: dir, design: "{ grid: { levels: 1000 } }", parameters: [
            "  - { name: a, path: discount_rate, set: { min: 0, max: 0.1 } }",
            "  - { name: b, path: horizon, set: { min: 1, max: 10 } }",
            "  - { name: c, path: roles[admin].cost_per_fte, scale: { min: 0.9, max: 1.1 } }",
        ], name: "grid.yaml")
        let g = try dxmap(["sweep", grid, "--db", dir.path("g.sqlite")])
        XCTAssertEqual(g.status, 65, g.stderr)
        XCTAssert(g.stderr.contains("grid.yaml:4:27: error: design.grid.levels: the grid has 1,000,000,000 points") && g.stderr.contains("at most 100,000,000"), g.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("g.sqlite")))
    }

    func testASecondWriterIsRefusedAtOnceNamingTheFirst() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 400, draws: 3000)
        let db = dir.path("w.sqlite")
        let first = try startedWriter(["sweep", sweep, "--db", db, "--jobs", "1"], database: db)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let second = try dxmap(["sweep", sweep, "--db", db, "--resume"])
        XCTAssertEqual(second.status, 73, second.stderr)
        XCTAssert(second.stderr.contains("another dxmap (pid \(first.processIdentifier)) is writing to this database"), second.stderr)
        XCTAssertTrue(first.isRunning, "the first writer is untouched")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // Killed, it holds no lock: the database resumes.
        let resumed = try dxmap(["sweep", sweep, "--db", db, "--resume", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }

    /// Hostile or unusual YAML gets a message at a line, at once: an alias as a key, nesting, aliases that expand
    /// to billions of values; and inputs from a pipe, a directory or with a bad byte.
    func testHostileYAMLIsRefusedQuicklyAndInputsOfEveryKindGetAMessage() throws {
        let dir = TemporaryDirectory()
        // Aliases as keys cost the YAML library about nine times more per level (the review measured 4–7 s at seven
        // levels), so nine levels would take minutes; dxmap refuses them before parsing.
        var nested = "a: &a [1, 2]\n"
        for level in 1...9 { nested += "l\(level): &l\(level) { *\(level == 1 ? "a" : "l\(level - 1)") : [*\(level == 1 ? "a" : "l\(level - 1)")] }\n" }
        let laughs = (["dxmap: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"] + zip("abcdefghi", "bcdefghij").map { p, c in
            "\(c): &\(c) [" + Array(repeating: "*\(p)", count: 10).joined(separator: ", ") + "]"
        }).joined(separator: "\n") + "\n"
        let cases = [("alias.yaml", nested, "2:11: error: an alias (*a) is used as a mapping key"),
                     ("deep.yaml", "x: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n", "1:"),
                     ("laughs.yaml", laughs, "once its aliases are expanded")]
        for (name, text, message) in cases {
            let r = try run(Self.binary.path, ["validate", try dir.write(text, to: name)], timeout: 180)
            XCTAssertEqual(r.status, 65, "\(name): \(r.stderr)")
            XCTAssert(r.stderr.contains(message), "\(name): \(r.stderr)")
        }
        XCTAssert(try dxmap(["validate", try dir.write(cases[1].1, to: "deep.yaml")]).stderr.contains("more than 64 levels deep"))
        let piped = try run(Self.binary.path, ["validate", "-"], stdin: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssert(piped.stdout.hasPrefix("-: valid (schema 1)"), piped.stdout)
        let devStdin = try run(Self.binary.path, ["validate", "/dev/stdin"], stdin: packageRoot.appendingPathComponent("Scenarios/county-councils.yaml").path)
        XCTAssertEqual(devStdin.status, 0, devStdin.stderr)
        let directory = try dxmap(["validate", dir.url.path])
        XCTAssertEqual(directory.status, 66)
        XCTAssert(directory.stderr.contains("it is a directory"), directory.stderr)
        var bytes = Data(ScenarioFixtures.corpusBase.utf8)
        let line37 = try dir.write(ScenarioFixtures.corpusBase + String(repeating: "# note\n", count: 12) + "name2: x", to: "b.yaml")
        bytes = try Data(contentsOf: URL(fileURLWithPath: line37))
        bytes.append(0xFF)
        try bytes.write(to: URL(fileURLWithPath: line37))
        let bad = try dxmap(["validate", line37])
        XCTAssertEqual(bad.status, 65)
        XCTAssert(bad.stderr.contains("b.yaml:37:9: error: expected UTF-8 text, found the byte 0xFF"), bad.stderr)
        let under = try dxmap(["map", "Scenarios/county-councils.yaml", "--draws", "100", "--out", line37 + "/out"])
        XCTAssertEqual(under.status, 73)
        XCTAssert(under.stderr.contains("is a file") && !under.stderr.contains("NSCocoaErrorDomain"), under.stderr)
    }
}

/// The adoption corpus's base scenario, for tests outside DXScenarioTests.
enum MalformedAdoptionFixture {
    static let base = ScenarioFixtures.corpusBase.replacingOccurrences(of: "        fte: 3\n", with: "        fte: 3\n        data_from: [essex]\n") + """
    barriers:
      - { id: privacy, applies_to: data_sharing, presence: 0.4, delay: 1, failure: 0.1 }

    """
}
