import DXEngine
import DXSampling
import DXScenario
import Foundation

/// A sweep's results database (SQLite): the definition and its hash, the
/// design (one row per point), and each point's results, committed with the
/// point in one transaction. A killed run loses at most the points in flight.
///
/// Tables: `meta(key, value)`; `parameters(idx, name, path)`;
/// `outputs(idx, name)`; `design(point, "<parameter>"…)`;
/// `results(point, output, mean, sd, p5, p50, p95)`; `points_done(point, seconds, failure)`
/// (`failure` is NULL for a point that ran, else why it failed).
/// A sweep run with a design override (sensitivity) also records its
/// `design_label` in `meta`, and that label is part of the hash.
public final class SweepStore: @unchecked Sendable {
    // @unchecked: all state is in the database, whose calls are serialised.
    public let database: SQLiteDatabase
    public let path: String

    /// The identity of a sweep: SHA-256 of the sweep file's bytes and of its base scenario's bytes.
    public static func hash(_ plan: SweepPlan) -> String {
        SHA256.hex(Array(plan.definition.text.utf8) + Array(plan.baseScenarioData) + Array(plan.designLabel.utf8))
    }

    /// Creates the database for a sweep, or with `resume` reopens one made from the same sweep and shard.
    public init(path: String, plan: SweepPlan, outputs: [SweepOutput], shard: Shard, resume: Bool) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        database = try SQLiteDatabase(path: path)
        self.path = path
        let hash = Self.hash(plan)
        if exists, let stored = try meta("sha256") {
            guard resume else {
                throw StoreError(path: path, message: "the database already holds a sweep; pass --resume to finish it, or choose another --db")
            }
            guard stored == hash else {
                throw StoreError(path: path, message: "refusing to resume: the database was made from a different sweep definition or base scenario (sha256 \(stored.prefix(12))…, now \(hash.prefix(12))…)")
            }
            let storedShard = try meta("shard") ?? "all"
            guard storedShard == shard.description else {
                throw StoreError(path: path, message: "refusing to resume: the database holds shard \(storedShard), not \(shard)")
            }
            let columns = try database.query("PRAGMA table_info(points_done)").compactMap { $0.count > 1 ? $0[1].string : nil }
            guard columns.contains("failure") else {
                throw StoreError(path: path, message: "refusing to resume: the database was made by an older dxmap (\(try meta("dxmap_version") ?? "unknown version")), before failed points were recorded; start a new database")
            }
            let stored = try design()
            if let point = plan.points.indices.first(where: { $0 >= stored.count || stored[$0] != plan.points[$0] }) ?? (stored.count > plan.points.count ? plan.points.count : nil) {
                throw StoreError(path: path, message: "refusing to resume: the database's design differs from the sweep's at point \(point) (made by dxmap \(try meta("dxmap_version") ?? "unknown version"), whose design was not this one); start a new database")
            }
            return
        }
        let parameters = plan.definition.parameters
        let columns = parameters.map { "\"\($0.name)\"" }.joined(separator: ", ")
        try database.transaction {
            try database.execute("""
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE parameters (idx INTEGER PRIMARY KEY, name TEXT, path TEXT);
                CREATE TABLE outputs (idx INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE design (point INTEGER PRIMARY KEY, \(columns));
                CREATE TABLE results (point INTEGER, output INTEGER, mean REAL, sd REAL, p5 REAL, p50 REAL, p95 REAL,
                                      PRIMARY KEY (point, output));
                CREATE TABLE points_done (point INTEGER PRIMARY KEY, seconds REAL, failure TEXT);
                """)
            try database.run("INSERT INTO meta VALUES (?, ?)", [
                [.text("sha256"), .text(hash)], [.text("definition"), .text(plan.definition.text)],
                [.text("sweep_file"), .text(plan.definition.file)], [.text("scenario"), .text(plan.definition.scenarioPath)],
                [.text("points"), .text("\(plan.points.count)")], [.text("shard"), .text(shard.description)],
                [.text("dxmap_version"), .text(DXMapVersion.current)], [.text("design_label"), .text(plan.designLabel)],
                [.text("draws"), .text("\(plan.definition.draws)")],
            ])
            try database.run("INSERT INTO parameters VALUES (?, ?, ?)", parameters.enumerated().map { [.integer(Int64($0)), .text($1.name), .text($1.path)] })
            try database.run("INSERT INTO outputs VALUES (?, ?)", outputs.enumerated().map { [.integer(Int64($0)), .text($1.name)] })
            let marks = Array(repeating: "?", count: parameters.count + 1).joined(separator: ", ")
            try database.run("INSERT INTO design VALUES (\(marks))", plan.points.enumerated().map { i, values in
                [.integer(Int64(i))] + values.map { v -> SQLiteDatabase.Value in
                    switch v { case let .number(x): .real(x); case let .text(s): .text(s) }
                }
            })
        }
    }

    /// Opens an existing results database (for export and merge).
    public init(existing path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(path: path, message: "no such results database") }
        database = try SQLiteDatabase(path: path)
        self.path = path
        guard try meta("sha256") != nil else { throw StoreError(path: path, message: "not a dxmap sweep database") }
    }

    /// A value of the `meta` table (`sha256`, `definition`, `shard`, `points`, …), nil if absent.
    public func meta(_ key: String) throws -> String? {
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        guard !tables.isEmpty else { return nil }
        return try database.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first?.first?.string
    }

    /// Points already committed.
    public func donePoints() throws -> Set<Int> {
        Set(try database.query("SELECT point FROM points_done").compactMap { $0.first?.int })
    }

    /// Commits one point's results (none for a point that could not run) and marks it done, with its
    /// failure if any, in one transaction.
    public func record(point: Int, outcome: SweepExecution.Outcome) throws {
        func v(_ x: Double) -> SQLiteDatabase.Value { x.isFinite ? .real(x) : .null }
        try database.transaction {
            try database.run("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", outcome.results.enumerated().map { k, s in
                [.integer(Int64(point)), .integer(Int64(k)), v(s.mean), v(s.sd), v(s.p5), v(s.p50), v(s.p95)]
            })
            try database.run("INSERT INTO points_done VALUES (?, ?, ?)", [[.integer(Int64(point)), .real(outcome.seconds),
                                                                         outcome.failure.map { .text($0) } ?? .null]])
        }
    }

    /// Failed points and why, by point.
    public func failures() throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try database.query("SELECT point, failure FROM points_done WHERE failure IS NOT NULL") {
            if let p = row[0].int, let reason = row[1].string { result[p] = reason }
        }
        return result
    }

    /// Output names in the sweep file's order.
    public func outputNames() throws -> [String] {
        try database.query("SELECT name FROM outputs ORDER BY idx").compactMap { $0.first?.string }
    }

    /// Parameter names in the sweep file's order.
    public func parameterNames() throws -> [String] {
        try database.query("SELECT name FROM parameters ORDER BY idx").compactMap { $0.first?.string }
    }

    /// Each point's parameter values (numbers or words), ordered by point.
    public func design() throws -> [[SweepValue]] {
        try database.query("SELECT * FROM design ORDER BY point").map { row in
            row.dropFirst().map { v -> SweepValue in
                switch v {
                case let .real(x): .number(x)
                case let .integer(i): .number(Double(i))
                case let .text(t): .text(t)
                case .null: .number(.nan)
                }
            }
        }
    }

    /// Mean and sd of output `name` at every point (NaN where the point failed or is not done), indexed by point.
    public func values(of name: String) throws -> (mean: [Double], sd: [Double]) {
        let count = Int(try meta("points") ?? "0") ?? 0
        var mean = [Double](repeating: .nan, count: count), sd = mean
        let rows = try database.query("""
            SELECT r.point, r.mean, r.sd FROM results r JOIN outputs o ON o.idx = r.output
            JOIN points_done d ON d.point = r.point WHERE o.name = ? AND d.failure IS NULL
            """, [.text(name)])
        for row in rows {
            guard let p = row[0].int, p < count else { continue }
            mean[p] = row[1].double ?? .nan
            sd[p] = row[2].double ?? .nan
        }
        return (mean, sd)
    }

    /// `design.csv` (point, then the parameters in the sweep file's order), `results.csv`
    /// (`point,output,mean,sd,p5,p50,p95`, ordered by point, then by the output's position in the sweep file)
    /// and `failures.csv` (`point,reason`, one row per failed point).
    public func export(to directory: String) throws -> [String] {
        let names = try database.query("SELECT name FROM parameters ORDER BY idx").compactMap { $0.first?.string }
        func cell(_ v: SQLiteDatabase.Value) -> String {
            switch v {
            case let .real(x): NumberFormatting.exact(x)
            case let .integer(i): "\(i)"
            case let .text(s): s
            case .null: ""
            }
        }
        let design = try database.query("SELECT * FROM design ORDER BY point").map { CSVOutput.row($0.map(cell)) }
        let results = try database.query("""
            SELECT r.point, o.name, r.mean, r.sd, r.p5, r.p50, r.p95 FROM results r JOIN outputs o ON o.idx = r.output
            ORDER BY r.point, r.output
            """).map { CSVOutput.row($0.map(cell)) }
        let failures = try failures().sorted { $0.key < $1.key }.map { CSVOutput.row(["\($0.key)", $0.value]) }
        return try OutputFiles.write([
            ("design.csv", ([CSVOutput.row(["point"] + names)] + design).joined(separator: "\n") + "\n"),
            ("results.csv", (["point,output,mean,sd,p5,p50,p95"] + results).joined(separator: "\n") + "\n"),
            ("failures.csv", (["point,reason"] + failures).joined(separator: "\n") + "\n"),
        ], to: directory)
    }

    /// Combines shard databases of one sweep into `output`, checking they share the definition and no point twice.
    /// Returns the number of points merged and the number missing.
    @discardableResult
    public static func merge(_ inputs: [String], into output: String) throws -> (points: Int, missing: Int) {
        guard let first = inputs.first else { throw StoreError(path: output, message: "nothing to merge") }
        guard !FileManager.default.fileExists(atPath: output) else {
            throw StoreError(path: output, message: "the merged database already exists; remove it or choose another -o")
        }
        let source = try SweepStore(existing: first)
        let hash = try source.meta("sha256")
        for path in inputs.dropFirst() {
            let other = try SweepStore(existing: path)
            guard try other.meta("sha256") == hash else {
                throw StoreError(path: path, message: "comes from a different sweep than \(first); refusing to merge")
            }
        }
        try FileManager.default.copyItem(atPath: first, toPath: output)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: first + suffix) {
            try? FileManager.default.copyItem(atPath: first + suffix, toPath: output + suffix)
        }
        let merged = try SQLiteDatabase(path: output)
        try merged.execute("UPDATE meta SET value = 'all' WHERE key = 'shard'")
        for path in inputs.dropFirst() {
            let quoted = path.replacingOccurrences(of: "'", with: "''")
            try merged.execute("ATTACH DATABASE '\(quoted)' AS shard")
            do {
                try merged.transaction {
                    let clash = try merged.query("SELECT point FROM shard.points_done WHERE point IN (SELECT point FROM points_done) LIMIT 1")
                    if let p = clash.first?.first?.int { throw StoreError(path: path, message: "point \(p) is in more than one shard") }
                    try merged.execute("INSERT INTO results SELECT * FROM shard.results; INSERT INTO points_done SELECT * FROM shard.points_done;")
                }
            } catch {
                try? merged.execute("DETACH DATABASE shard")
                throw error
            }
            try merged.execute("DETACH DATABASE shard")
        }
        let total = Int(try merged.query("SELECT value FROM meta WHERE key = 'points'").first?.first?.string ?? "0") ?? 0
        let done = try merged.query("SELECT COUNT(*) FROM points_done").first?.first?.int ?? 0
        return (done, total - done)
    }
}

/// Which points a process runs: those whose index ≡ k (mod n).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N` with 0 ≤ K < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }

    public func contains(_ point: Int) -> Bool { point % count == index }
    public var description: String { count == 1 ? "all" : "\(index)/\(count)" }
}
