import DXEngine
@testable import DXExperiments
import DXReport
import DXScenario
import DXTestSupport
import Foundation
import XCTest

final class SweepStoreTests: XCTestCase {
    func runSweep(_ sweep: String, db: String, shard: Shard = .all, jobs: Int = 2, resume: Bool = false) throws -> SweepRunner.Summary {
        let plan = try SweepLoader.load(path: sweep)
        let outputs = try SweepOutput.resolve(plan.definition.outputs, base: plan.base)
        let store = try SweepStore(path: db, plan: plan, outputs: outputs, shard: shard, resume: resume)
        return try SweepRunner.run(plan, outputs: outputs, store: store, shard: shard, jobs: jobs)
    }

    func exported(_ db: String, _ dir: TemporaryDirectory, _ name: String) throws -> (String, String) {
        let store = try SweepStore(existing: db)
        try ExportOutput(store: store, record: StudyRecord(command: "test", arguments: [], store: store, wallTime: 0)).write(to: dir.path(name))
        return (try String(contentsOfFile: dir.path("\(name)/design.csv"), encoding: .utf8),
                try String(contentsOfFile: dir.path("\(name)/results.csv"), encoding: .utf8))
    }

    func testExportIsTidyAndAPointAloneGivesTheSameNumbers() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 6)
        let summary = try runSweep(sweep, db: dir.path("r.sqlite"), jobs: 3)
        XCTAssertEqual(summary.ran, 6)
        let (design, results) = try exported(dir.path("r.sqlite"), dir, "csv")
        XCTAssertEqual(design.split(separator: "\n").first, "point,speed,size")
        let rows = results.split(separator: "\n")
        XCTAssertEqual(rows.first, "point,output,mean,sd,p5,p50,p95")
        XCTAssertEqual(rows.count, 1 + 6 * 3)
        XCTAssertEqual(rows[1].split(separator: ",")[1], "total.npv", "ordered by point, then outputs in the sweep's order")
        // Point 4 rerun alone, on one thread, outside any sweep.
        let plan = try SweepLoader.load(path: sweep)
        let outputs = try SweepOutput.resolve(plan.definition.outputs, base: plan.base)
        let alone = try SweepOutput.run(outputs, scenario: try plan.scenario(ofPoint: 4), draws: plan.definition.draws, seed: plan.seed(ofPoint: 4), threads: 1)
        let stored = rows.filter { $0.hasPrefix("4,") }.map { Double($0.split(separator: ",")[2])! }
        XCTAssertEqual(stored, alone.map(\.mean))
    }

    /// Every database carries its views: results by output name, and one row per point with its parameters and each
    /// output's statistics in columns, equal to the tables they read; a merged database keeps them.
    func testViewsNameOutputsAndSpreadPointsIntoColumns() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 6)
        _ = try runSweep(sweep, db: dir.path("a.sqlite"), shard: Shard(index: 0, count: 2))
        _ = try runSweep(sweep, db: dir.path("b.sqlite"), shard: Shard(index: 1, count: 2))
        _ = try SweepStore.merge([dir.path("a.sqlite"), dir.path("b.sqlite")], into: dir.path("m.sqlite"))
        let db = try SweepStore(existing: dir.path("m.sqlite")).database
        let named = try db.query("SELECT point, output, mean FROM results_by_name ORDER BY point, output")
        let joined = try db.query("""
            SELECT r.point, o.name, r.mean FROM results r JOIN outputs o ON o.idx = r.output ORDER BY r.point, o.name
            """)
        XCTAssertEqual(named, joined)
        XCTAssertEqual(named.count, 6 * 3)
        let wide = try db.query("SELECT point, speed, size, failure, \"total.npv.mean\", \"total.npv.p95\" FROM points_wide ORDER BY point")
        XCTAssertEqual(wide.count, 6, "one row per point")
        for row in wide {
            let point = row[0]
            let expected = try db.query("""
                SELECT d.speed, d.size, r.mean, r.p95 FROM design d JOIN results r ON r.point = d.point
                JOIN outputs o ON o.idx = r.output WHERE d.point = ? AND o.name = 'total.npv'
                """, [point])
            XCTAssertEqual([row[1], row[2], row[4], row[5]], expected.first, "point \(point)")
            XCTAssertEqual(row[3], .null, "no failure")
        }
    }

    func testBundledSweepsValidateEveryPointAndRun() throws {
        for (name, points, outputs) in [("ai-progress", 64, 3 + 17 + 6), ("redeployment-policies", 36, 5), ("discover-redeployment", 200, 3)] {
            let plan = try SweepLoader.load(path: packageRoot.appendingPathComponent("Scenarios/sweeps/\(name).yaml").path)
            XCTAssertEqual(plan.pointCount, points, name)
            XCTAssertNoThrow(try SweepLoader.checkEveryPoint(plan), name)
            let resolved = try SweepOutput.resolve(plan.definition.outputs, base: plan.base)
            XCTAssertEqual(resolved.count, outputs, name)
            let first = try SweepOutput.run(resolved, scenario: try plan.scenario(ofPoint: points - 1), draws: 200, seed: plan.seed(ofPoint: points - 1))
            XCTAssert(first.allSatisfy { $0.mean.isFinite }, "\(name): \(first.map(\.mean))")
        }
    }

    func testBundledSensitivitySweepPlansEveryMethodWithNoInvalidPoint() throws {
        let path = packageRoot.appendingPathComponent("Scenarios/sweeps/sensitivity-italian-pa.yaml").path
        for (method, points) in [(SensitivityMethod.sobol(baseRows: 64, secondOrder: false, scramble: true), 64 * 9), (.morris(trajectories: 20, levels: 4), 20 * 8), (.tornado, 15)] {
            let study = try SensitivityStudy.load(path: path, method: method)
            XCTAssertEqual(study.plan.pointCount, points, method.name)
            XCTAssertNoThrow(try SweepLoader.checkEveryPoint(study.plan), method.name)
            XCTAssertFalse(study.fileDesignIgnored)
            XCTAssertEqual(study.plan.seed(ofPoint: 0), study.plan.seed(ofPoint: points - 1), "common random numbers")
            XCTAssertEqual(study.outputs.map(\.name), ["total.npv", "total.displaced_fte"])
        }
    }

    func testShardsMergeToExactlyTheUnshardedResult() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 10)
        _ = try runSweep(sweep, db: dir.path("all.sqlite"), jobs: 1)
        for k in 0..<3 { _ = try runSweep(sweep, db: dir.path("s\(k).sqlite"), shard: Shard(index: k, count: 3), jobs: 2) }
        let merged = try SweepStore.merge((0..<3).map { dir.path("s\($0).sqlite") }, into: dir.path("merged.sqlite"))
        XCTAssertEqual(merged.points, 10)
        XCTAssertEqual(merged.missing, 0)
        let a = try exported(dir.path("all.sqlite"), dir, "a"), b = try exported(dir.path("merged.sqlite"), dir, "b")
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        // Merging a shard twice is refused.
        XCTAssertThrowsError(try SweepStore.merge([dir.path("s0.sqlite"), dir.path("s0.sqlite")], into: dir.path("twice.sqlite"))) {
            XCTAssert("\($0)".contains("more than one shard"), "\($0)")
        }
    }

    func testResumeFinishesWhatIsMissingAndRefusesAnotherSweep() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 8)
        _ = try runSweep(sweep, db: dir.path("full.sqlite"))
        _ = try runSweep(sweep, db: dir.path("partial.sqlite"))
        // Lose three points, as a killed run would.
        let db = try SQLiteDatabase(path: dir.path("partial.sqlite"))
        try db.execute("""
            DELETE FROM design WHERE point IN (1, 4, 7); DELETE FROM results WHERE point IN (1, 4, 7); DELETE FROM points_done WHERE point IN (1, 4, 7);
            UPDATE meta SET value = '5' WHERE key = 'done';
            """)
        XCTAssertThrowsError(try runSweep(sweep, db: dir.path("partial.sqlite"))) { XCTAssert("\($0)".contains("pass --resume"), "\($0)") }
        let resumed = try runSweep(sweep, db: dir.path("partial.sqlite"), resume: true)
        XCTAssertEqual([resumed.ran, resumed.skipped], [3, 5])
        XCTAssertEqual(try exported(dir.path("full.sqlite"), dir, "f").1, try exported(dir.path("partial.sqlite"), dir, "p").1)
        // A different definition (more draws) is refused.
        let changed = try SweepFixtures.write(into: dir, points: 8, draws: 400)
        XCTAssertThrowsError(try runSweep(changed, db: dir.path("partial.sqlite"), resume: true)) {
            XCTAssert("\($0)".contains("refusing to resume: the database was made from a different sweep definition"), "\($0)")
        }
    }

    /// A database made by a dxmap before results databases carried an application id (and checksums) is refused,
    /// for resume and for reading alike.
    func testADatabaseFromAnOlderDxmapIsNotResumed() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 4)
        _ = try runSweep(sweep, db: dir.path("old.sqlite"))
        // Such a file has the tables but application id 0.
        try SQLiteDatabase(path: dir.path("old.sqlite")).execute("PRAGMA application_id = 0; DELETE FROM points_done WHERE point = 3;")
        XCTAssertThrowsError(try runSweep(sweep, db: dir.path("old.sqlite"), resume: true)) {
            XCTAssert("\($0)".contains("made by an older dxmap") && "\($0)".contains("into a new database"), "\($0)")
        }
        XCTAssertThrowsError(try SweepStore(existing: dir.path("old.sqlite"))) { XCTAssert("\($0)".contains("made by an older dxmap"), "\($0)") }
    }

    /// A database whose stored design is not the sweep's (say, from a dxmap whose Sobol sequence started after the
    /// origin) is not resumed, even when the sweep file and scenario are the same.
    func testADatabaseWithAnotherDesignIsNotResumed() throws {
        let dir = TemporaryDirectory()
        let sweep = try SweepFixtures.write(into: dir, points: 6)
        _ = try runSweep(sweep, db: dir.path("d.sqlite"))
        // Rewrite point 4's stored values as another design would have them, with a checksum that matches.
        let db = try SQLiteDatabase(path: dir.path("d.sqlite"))
        try db.execute("UPDATE design SET speed = speed + 0.001 WHERE point = 4; DELETE FROM points_done WHERE point = 5;")
        let design = try db.query("SELECT * FROM design WHERE point = 4")[0]
        let results = try db.query("SELECT * FROM results WHERE point = 4 ORDER BY output")
        let digest = SweepStore.digest(design: design, results: results, failure: .null)
        try db.run("UPDATE points_done SET digest = ? WHERE point = 4", [[.text(digest)]])
        try db.execute("DELETE FROM design WHERE point = 5; DELETE FROM results WHERE point = 5; UPDATE meta SET value = '5' WHERE key = 'done';")
        XCTAssertThrowsError(try runSweep(sweep, db: dir.path("d.sqlite"), resume: true)) {
            XCTAssert("\($0)".contains("design differs from the sweep's at point 4"), "\($0)")
        }
    }

    /// A sweep whose every point fails records them all and then throws, with the first failure's reason.
    func testASweepInWhichEveryPointFailsThrowsTheFirstReason() throws {
        let dir = TemporaryDirectory()
        // An output for a service the scenario lacks has no number at any point.
        let sweep = try SweepFixtures.write(into: dir, points: 3, draws: 50)
        let plan = try SweepLoader.load(path: sweep)
        let outputs = [SweepOutput(name: "service[gone].npv", source: .mapping(.service, id: "gone", .npv))]
        let store = try SweepStore(path: dir.path("f.sqlite"), plan: plan, outputs: outputs, shard: .all, resume: false)
        XCTAssertThrowsError(try SweepRunner.run(plan, outputs: outputs, store: store)) {
            XCTAssert("\($0)".contains("every one of the 3 points failed") && "\($0)".contains("point 0: output service[gone].npv is not a number"), "\($0)")
        }
        XCTAssertEqual(try store.failures().count, 3, "the failures stay recorded")
    }
}
