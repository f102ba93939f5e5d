import CSQLite
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// A sweep's results database (SQLite): the definition and its hash, and each point's parameter values and
/// results, committed with the point in one transaction. A killed run loses at most the points in flight.
///
/// Tables: `meta(key, value)`; `parameters(idx, name, path)`; `outputs(idx, name)`;
/// `design(point, "<parameter>"…)` (one row per point run); `results(point, output, mean, sd, p5, p50, p95)`;
/// `points_done(point, seconds, failure, digest)` (`failure` is NULL for a point that ran, else why it failed;
/// `digest` is a checksum of the point's rows). A sweep run with a design override (sensitivity) also records
/// its `design_label` in `meta`, and that label is part of the hash.
///
/// **Safety.** The file carries SQLite's application id `DXMP` and `user_version` ``schemaVersion``: any other
/// file is refused, never written into. Opening an existing database checks it whole — SQLite's
/// `quick_check`, the tables, and every point's checksum — and refuses a damaged one, naming it. A writer
/// holds an exclusive lock (`DB.lock`, holding its pid) for as long as it lives; a second writer is refused at
/// once. `merge` builds its result under a temporary name and renames it only when complete.
public final class SweepStore: @unchecked Sendable {
    // @unchecked: all state is in the database, whose calls are serialised; the lock file is only closed in deinit.
    public let database: SQLiteDatabase
    public let path: String
    private let lock: WriterLock?

    /// SQLite's application id for dxmap results databases: "DXMP".
    public static let applicationID: Int32 = 0x4458_4D50
    /// The layout this dxmap writes (`PRAGMA user_version`): 2 added the application id, checksums and
    /// design rows written with their point.
    public static let schemaVersion = 2

    /// The identity of a sweep: SHA-256 of the sweep file's bytes and of its base scenario's bytes.
    public static func hash(_ plan: SweepPlan) -> String {
        SHA256.hex(Array(plan.definition.text.utf8) + Array(plan.baseScenarioData) + Array(plan.designLabel.utf8))
    }

    /// What is wrong with `path` as a results database's path, or nil: an empty path, SQLite's `:memory:` and
    /// other special names would keep the results nowhere.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "--db needs a file path, found an empty one" }
        if path.hasPrefix(":") || path.hasPrefix("file:") {
            return "--db needs a file path; '\(path)' would keep the results in memory or elsewhere, and they would be lost"
        }
        var directory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &directory), directory.boolValue {
            return "--db '\(path)' is a directory; give a file path such as \(path)/results.sqlite"
        }
        return nil
    }

    /// Creates the database for a sweep, or with `resume` reopens one made from the same sweep and shard.
    ///
    /// An existing file is first read, read-only, and checked whole; only a dxmap results database — or an empty
    /// one, such as a sweep killed in its first milliseconds leaves (no tables yet) — is then opened for writing.
    /// - Throws: ``StoreError`` for a path that is not a file, another writer, a file that is not a dxmap
    ///   database, a damaged database, or one that cannot be resumed.
    public init(path: String, plan: SweepPlan, outputs: [SweepOutput], shard: Shard, resume: Bool) throws {
        if let problem = Self.pathProblem(path) { throw StoreError(path: path, message: problem) }
        let lock = try WriterLock(database: path)
        self.lock = lock
        self.path = path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        var fresh = ((attributes?[.size] as? NSNumber)?.intValue ?? 0) == 0
        if !fresh {
            let probe = try Self.connect(path)
            fresh = try Self.isEmpty(probe)
            if !fresh { try Self.verify(probe, path) }
        }
        do {
            database = try SQLiteDatabase(path: path, create: fresh)
        } catch let error as StoreError {
            throw StoreError(path: path, message: fresh ? "cannot create the results database: \(error.message)" : error.message)
        }
        guard try database.lockIdentity() else {
            throw WriterLock.busy(path, "another dxmap is writing to this database under another name (a hard link or another mount)")
        }
        if fresh {
            try createSchema(plan: plan, outputs: outputs, shard: shard)
            return
        }
        guard resume else {
            throw StoreError(path: path, message: """
                the database already holds a sweep; pass --resume to finish it, or choose another --db
                """)
        }
        let hash = Self.hash(plan)
        let stored = try meta("sha256") ?? ""
        guard stored == hash else {
            throw StoreError(path: path, message: """
                refusing to resume: the database was made from a different sweep definition or base scenario (sha256 \
                \(stored.prefix(12))…, now \(hash.prefix(12))…)
                """)
        }
        let storedShard = try meta("shard") ?? "all"
        guard storedShard == shard.description else {
            throw StoreError(path: path, message: "refusing to resume: the database holds shard \(storedShard), not \(shard)")
        }
        var mismatch: Int?
        try forEachDesignRow { point, values in
            if mismatch == nil, point >= plan.pointCount || values != plan.values(ofPoint: point) { mismatch = point }
        }
        if let point = mismatch {
            throw StoreError(path: path, message: """
                refusing to resume: the database's design differs from the sweep's at point \(point) (made by dxmap \
                \(try meta("dxmap_version") ?? "unknown version"), whose design was not this one); start a new database
                """)
        }
    }

    /// The tables, views and records of a new database, in one transaction: a kill leaves the whole schema or an
    /// empty file, which the next run takes as new.
    private func createSchema(plan: SweepPlan, outputs: [SweepOutput], shard: Shard) throws {
        let parameters = plan.definition.parameters
        let columns = parameters.map { "\"\($0.name.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ", ")
        try database.transaction {
            try database.execute("""
                PRAGMA application_id = \(Self.applicationID);
                PRAGMA user_version = \(Self.schemaVersion);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE parameters (idx INTEGER PRIMARY KEY, name TEXT, path TEXT);
                CREATE TABLE outputs (idx INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE design (point INTEGER PRIMARY KEY, \(columns));
                CREATE TABLE results (point INTEGER, output INTEGER, mean REAL, sd REAL, p5 REAL, p50 REAL, p95 REAL,
                                      PRIMARY KEY (point, output));
                CREATE TABLE points_done (point INTEGER PRIMARY KEY, seconds REAL, failure TEXT, digest TEXT NOT NULL);
                \(Self.viewsSQL(parameters: parameters.map(\.name), outputs: outputs.map(\.name)))
                """)
            try database.run(
                "INSERT INTO parameters VALUES (?, ?, ?)",
                parameters.enumerated().map { [.integer(Int64($0)), .text($1.name), .text($1.path)] })
            try database.run("INSERT INTO outputs VALUES (?, ?)", outputs.enumerated().map { [.integer(Int64($0)), .text($1.name)] })
            try database.run("INSERT INTO meta VALUES (?, ?)", [
                [.text("sha256"), .text(Self.hash(plan))], [.text("definition"), .text(plan.definition.text)],
                [.text("sweep_file"), .text(plan.definition.file)], [.text("scenario"), .text(plan.definition.scenarioPath)],
                [.text("points"), .text("\(plan.pointCount)")], [.text("shard"), .text(shard.description)],
                [.text("dxmap_version"), .text(DXMapVersion.current)], [.text("design_label"), .text(plan.designLabel)],
                [.text("draws"), .text("\(plan.definition.draws)")],
                [.text("labels"), .text(try Self.labelsDigest(database))], [.text("done"), .text("0")],
            ])
        }
    }

    deinit {
        // A writer that finishes leaves the file whole on its own, out of WAL mode, so that it reads from anywhere.
        if lock != nil { database.leaveWAL() }
    }

    /// The views every results database carries, for reading it with `sqlite3`, DuckDB or pandas without knowing
    /// how the tables key each other (docs/guide/sweeps.md, "The results database"):
    /// - `results_by_name`: one row per point and output, the output by name (`results.output` is an index into
    ///   `outputs.idx`): `point, output, mean, sd, p5, p50, p95`;
    /// - `points_wide`: one row per finished point, its parameters (as `design`), `failure` and `seconds`, then
    ///   each output's `mean`, `sd`, `p5`, `p50` and `p95` as columns named `output.statistic` (e.g.
    ///   `"total.npv.mean"`). Left out when that would pass SQLite's 2,000-column limit (`results_by_name` has
    ///   everything).
    static func viewsSQL(parameters: [String], outputs: [String]) -> String {
        func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var sql = """
            CREATE VIEW results_by_name AS
              SELECT r.point AS point, o.name AS output, r.mean AS mean, r.sd AS sd, r.p5 AS p5, r.p50 AS p50, r.p95 AS p95
              FROM results r JOIN outputs o ON o.idx = r.output;
            """
        let statistics = ["mean", "sd", "p5", "p50", "p95"]
        guard 3 + parameters.count + outputs.count * statistics.count <= 1_990 else { return sql }
        let columns = outputs.enumerated().flatMap { k, name in
            statistics.map { "MAX(CASE WHEN r.output = \(k) THEN r.\($0) END) AS \(quoted("\(name).\($0)"))" }
        }
        sql += """

            CREATE VIEW points_wide AS
              SELECT d.point AS point\(parameters.map { ", d.\(quoted($0)) AS \(quoted($0))" }.joined()),
                     p.failure AS failure, p.seconds AS seconds\(columns.map { ",\n         " + $0 }.joined())
              FROM design d JOIN points_done p ON p.point = d.point LEFT JOIN results r ON r.point = d.point
              GROUP BY d.point;
            """
        return sql
    }

    /// Opens an existing results database (for export, discovery, analysis and merge), checked whole.
    public init(existing path: String) throws {
        var directory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &directory) else {
            throw StoreError(path: path, message: "no such results database")
        }
        guard !directory.boolValue else { throw StoreError(path: path, message: "is a directory, not a results database") }
        database = try Self.connect(path)
        try Self.verify(database, path)
        self.path = path
        lock = nil
    }

    /// A read-only connection to an existing file. Reading never writes the file, so a database on a read-only
    /// mount or in another user's directory reads, once its writer has finished (out of WAL mode). The one
    /// exception is SQLite's own recovery: a hot journal that a killed writer left beside the file is rolled back
    /// first, where it can be, as any SQLite writer would (a read-only connection cannot read the file until then).
    static func connect(_ path: String) throws -> SQLiteDatabase {
        func open() throws -> SQLiteDatabase {
            let database = try SQLiteDatabase(path: path, create: false, readOnly: true)
            _ = try database.query("PRAGMA schema_version")
            return database
        }
        do {
            return try open()
        } catch let error as StoreError {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if FileManager.default.fileExists(atPath: path + "-journal") {
                guard access(directory, W_OK) == 0, access(path, W_OK) == 0 else {
                    throw StoreError(path: path, message: """
                        has a hot journal beside it (a writer was killed in the middle of a transaction) and lies where dxmap \
                        cannot write, so SQLite cannot roll it back to read it; copy it with its -journal file to a writable \
                        directory and read it there
                        """)
                }
                do {
                    try SQLiteDatabase.rollBackHotJournal(path: path)
                    return try open()
                } catch let again as StoreError {
                    throw StoreError(path: path, message: "is not a dxmap results database, or is damaged (SQLite: \(again.message))")
                }
            }
            if let problem = walProblem(path) { throw StoreError(path: path, message: problem) }
            throw StoreError(path: path, message: "is not a dxmap results database, or is damaged (SQLite: \(error.message))")
        }
    }

    /// Why a database in WAL mode cannot be read here, or nil: its writer did not finish (killed, or still running),
    /// so reading it needs its `-wal` and `-shm` files, which cannot be made in a directory dxmap cannot write.
    static func walProblem(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 20)) ?? Data())
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard header.count == 20, header[18] == 2, header[19] == 2, access(directory, W_OK) != 0 else { return nil }
        return """
            is still in WAL mode (its writer was killed, or is still running) and lies in a directory dxmap cannot write, \
            where SQLite cannot make the files it needs to read it; copy it (with any -wal file beside it) to a writable \
            directory and read it there, or let its writer finish (a finished database reads from anywhere)
            """
    }

    /// Whether a database holds nothing at all: no tables, no application id but possibly dxmap's (what a sweep
    /// killed before its schema was committed leaves). Such a file is taken as new; it has nothing to lose.
    static func isEmpty(_ database: SQLiteDatabase) throws -> Bool {
        let id = try database.query("PRAGMA application_id").first?.first?.int ?? 0
        let objects = try database.query("SELECT COUNT(*) FROM sqlite_master").first?.first?.int ?? 0
        return objects == 0 && (id == 0 || id == Int(applicationID))
    }

    /// Checks that `database` is a whole dxmap results database: its id, SQLite's own check, its tables, and what
    /// every export reads — each point's checksum, no rows without a finished point (orphans), outputs and
    /// parameters as they were written (labels), and as many finished points as were committed.
    static func verify(_ database: SQLiteDatabase, _ path: String) throws {
        func damaged(_ why: String) -> StoreError {
            StoreError(path: path, message: """
                the results database is damaged (\(why)); it cannot be trusted: run the sweep (or the shard) again into a new database
                """)
        }
        let id: Int64
        do {
            id = Int64(try database.query("PRAGMA application_id").first?.first?.int ?? 0)
        } catch let error as StoreError {
            throw StoreError(path: path, message: "is not a dxmap results database, or is damaged (SQLite: \(error.message))")
        }
        let tables = Set(try database.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.string })
        guard id == Int64(applicationID) else {
            if tables.contains("meta") && tables.contains("points_done") {
                throw StoreError(path: path, message: """
                    was made by an older dxmap, before results databases were checksummed; run the sweep again into a new database
                    """)
            }
            throw StoreError(path: path, message: "is not a dxmap results database; refusing to read or write it")
        }
        let check = try database.query("PRAGMA quick_check").compactMap { $0.first?.string }
        guard check == ["ok"] else { throw damaged("SQLite's quick_check: \(check.prefix(3).joined(separator: "; "))") }
        for table in ["meta", "parameters", "outputs", "design", "results", "points_done"] where !tables.contains(table) {
            throw damaged("its \(table) table is missing")
        }
        for key in ["sha256", "points", "shard"] where try database.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).isEmpty {
            throw damaged("its meta table has no \(key)")
        }
        if let point = try firstBadDigest(database) { throw damaged("point \(point)'s rows do not match their checksum") }
        let orphans = [
            ("SELECT point FROM design WHERE point NOT IN (SELECT point FROM points_done) LIMIT 1", "design row", "no finished point"),
            ("SELECT point FROM results WHERE point NOT IN (SELECT point FROM points_done) LIMIT 1", "results", "no finished point"),
            ("SELECT point FROM results WHERE output NOT IN (SELECT idx FROM outputs) LIMIT 1", "results", "an output it does not have"),
        ]
        for (sql, rows, owner) in orphans {
            if let point = try database.query(sql).first?.first {
                throw damaged("it holds \(rows) of point \(point.int.map(String.init) ?? "?") for \(owner)")
            }
        }
        let points = Int(try database.query("SELECT value FROM meta WHERE key = 'points'").first?.first?.string ?? "") ?? -1
        if let row = try database.query("SELECT point FROM points_done WHERE point < 0 OR point >= ? LIMIT 1", [.integer(Int64(points))]).first {
            throw damaged("point \(row.first?.int.map(String.init) ?? "?") is outside the sweep's \(points) points")
        }
        // Databases made before dxmap kept these (schema 2) have neither.
        if let labels = try database.query("SELECT value FROM meta WHERE key = 'labels'").first?.first?.string,
           labels != (try labelsDigest(database)) {
            throw damaged("its parameter or output names are not those it was made with")
        }
        if let done = try database.query("SELECT value FROM meta WHERE key = 'done'").first?.first?.string {
            let count = try database.query("SELECT COUNT(*) FROM points_done").first?.first?.int ?? 0
            guard Int(done) == count else { throw damaged("it holds \(count) finished points where \(done) were committed") }
        }
    }

    /// A checksum of the parameters' and outputs' names (and paths) as written: the labels every export prints.
    static func labelsDigest(_ database: SQLiteDatabase) throws -> String {
        checksum(try database.query("SELECT idx, name, path FROM parameters ORDER BY idx") + [[.text("outputs")]]
            + (try database.query("SELECT idx, name FROM outputs ORDER BY idx")))
    }

    /// A value of the `meta` table (`sha256`, `definition`, `shard`, `points`, …), nil if absent.
    public func meta(_ key: String) throws -> String? {
        try database.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first?.first?.string
    }

    /// Points already committed.
    public func donePoints() throws -> Set<Int> {
        Set(try database.query("SELECT point FROM points_done").compactMap { $0.first?.int })
    }

    /// Commits one point — its parameter values, its results (none for a point that could not run) and its
    /// failure, if any — in one transaction, with a checksum of all three.
    public func record(point: Int, outcome: SweepExecution.Outcome) throws {
        let results = outcome.results.enumerated().map { k, s in
            [.integer(Int64(point)), .integer(Int64(k))]
                + [s.mean, s.sd, s.p5, s.p50, s.p95].map { x -> SQLiteDatabase.Value in x.isFinite ? .real(x) : .null }
        }
        let design = [SQLiteDatabase.Value.integer(Int64(point))] + outcome.values.map { v -> SQLiteDatabase.Value in
            switch v { case let .number(x): .real(x); case let .text(s): .text(s) }
        }
        let failure: SQLiteDatabase.Value = outcome.failure.map { .text($0) } ?? .null
        let digest = Self.digest(design: design, results: results, failure: failure)
        let marks = Array(repeating: "?", count: design.count).joined(separator: ", ")
        try database.transaction {
            try database.run("INSERT INTO design VALUES (\(marks))", [design])
            try database.run("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", results)
            try database.run(
                "INSERT INTO points_done VALUES (?, ?, ?, ?)", [[.integer(Int64(point)), .real(outcome.seconds), failure, .text(digest)]])
            try database.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'done'")
        }
    }

    /// A checksum of a point's rows as stored (16 hex digits of SHA-256 over their exact text).
    static func digest(design: [SQLiteDatabase.Value], results: [[SQLiteDatabase.Value]], failure: SQLiteDatabase.Value) -> String {
        checksum([design] + results + [[failure]])
    }

    /// 16 hex digits of SHA-256 over rows' exact text: each value by its type and bits, `,` between values, `;`
    /// between rows.
    static func checksum(_ rows: [[SQLiteDatabase.Value]]) -> String {
        func text(_ v: SQLiteDatabase.Value) -> String {
            switch v {
            case let .integer(i): "i\(i)"
            case let .real(x): "r\(x.bitPattern)"
            case let .text(s): "t\(s.utf8.count):\(s)"
            case .null: "n"
            }
        }
        let line = rows.map { $0.map(text).joined(separator: ",") }.joined(separator: ";")
        return String(SHA256.hex(Array(line.utf8)).prefix(16))
    }

    /// The first point whose stored rows do not match its checksum, or whose checksum is missing. Reads the
    /// database in ranges of points, so memory stays bounded however many points it holds.
    static func firstBadDigest(_ database: SQLiteDatabase, range: Int = 10_000) throws -> Int? {
        let bounds = try database.query("SELECT MIN(point), MAX(point) FROM points_done").first ?? []
        guard let lowest = bounds.first?.int, let highest = bounds.last?.int else { return nil }
        for start in stride(from: lowest, through: highest, by: range) {
            let window: [SQLiteDatabase.Value] = [.integer(Int64(start)), .integer(Int64(start + range - 1))]
            var design: [Int: [SQLiteDatabase.Value]] = [:], results: [Int: [[SQLiteDatabase.Value]]] = [:]
            for row in try database.query("SELECT * FROM design WHERE point BETWEEN ? AND ?", window) {
                if let p = row.first?.int { design[p] = row }
            }
            for row in try database.query("SELECT * FROM results WHERE point BETWEEN ? AND ? ORDER BY point, output", window) {
                if let p = row.first?.int { results[p, default: []].append(row) }
            }
            for row in try database.query("SELECT point, failure, digest FROM points_done WHERE point BETWEEN ? AND ?", window) {
                guard let p = row[0].int else { return -1 }
                guard let stored = row[2].string, let d = design[p],
                      digest(design: d, results: results[p] ?? [], failure: row[1]) == stored else { return p }
            }
        }
        return nil
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

    /// The sweep file's fields, read again from the text the database keeps (nil when it keeps none, or the text no
    /// longer reads).
    public func definition() throws -> SweepDefinition? {
        guard let text = try meta("definition") else { return nil }
        return try? SweepLoader.definition(path: try meta("sweep_file") ?? path, data: Data(text.utf8), designRequired: false)
    }

    /// The levers the points cross with the futures (`kind: lever` parameters of a sweep that ran its own design), in
    /// the sweep file's order; empty otherwise (a sensitivity design spans every parameter alike).
    public func crossedLevers() throws -> [SweepParameter] {
        guard (try meta("design_label") ?? "").isEmpty else { return [] }
        return try definition()?.levers ?? []
    }

    /// Each parameter's kind, in the order of ``parameterNames()``: a lever only where the sweep file marks it
    /// `kind: lever`.
    public func parameterKinds() throws -> [SweepParameter.Kind] {
        let levers = Set(try definition()?.levers.map(\.name) ?? [])
        return try parameterNames().map { levers.contains($0) ? .lever : .uncertainty }
    }

    /// The parameter values (numbers or words) of every point run, by point.
    public func design() throws -> [Int: [SweepValue]] {
        var result: [Int: [SweepValue]] = [:]
        try forEachDesignRow { result[$0] = $1 }
        return result
    }

    /// Hands each point run and its parameter values to `body`, in point order, without holding them all.
    public func forEachDesignRow(_ body: (Int, [SweepValue]) throws -> Void) throws {
        try forEachDesignRow { row in
            guard let p = row.first?.int else { return }
            try body(p, row.dropFirst().map { v -> SweepValue in
                switch v {
                case let .real(x): .number(x)
                case let .integer(i): .number(Double(i))
                case let .text(t): .text(t)
                case .null: .number(.nan)
                }
            })
        }
    }

    /// The number of points of the sweep (run or not).
    public func pointCount() throws -> Int { Int(try meta("points") ?? "0") ?? 0 }

    /// Mean and sd of output `name` at every point (NaN where the point failed or is not done), indexed by point.
    public func values(of name: String) throws -> (mean: [Double], sd: [Double]) {
        let count = try pointCount()
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

    /// The design table, one row per point run, handed to `body` in point order as it is read: the point, then
    /// each parameter's value. Memory does not grow with the number of points.
    public func forEachDesignRow(_ body: ([SQLiteDatabase.Value]) throws -> Void) throws {
        try database.forEachRow("SELECT * FROM design ORDER BY point", [], body)
    }

    /// The results, handed to `body` as they are read, ordered by point and then by the output's position in the
    /// sweep file: point, output name, mean, sd, p5, p50, p95.
    public func forEachResultRow(_ body: ([SQLiteDatabase.Value]) throws -> Void) throws {
        try database.forEachRow("""
            SELECT r.point, o.name, r.mean, r.sd, r.p5, r.p50, r.p95 FROM results r JOIN outputs o ON o.idx = r.output
            ORDER BY r.point, r.output
            """, [], body)
    }

    /// Combines shard databases of one sweep into `output`, checking each is whole, that they share the
    /// definition, and that no point appears twice. The result is built under a temporary name beside `output`
    /// and renamed into place only when complete, so a refused or failed merge leaves nothing behind.
    /// Returns the number of points merged and the number missing.
    @discardableResult
    public static func merge(_ inputs: [String], into output: String) throws -> (points: Int, missing: Int) {
        guard let first = inputs.first else { throw StoreError(path: output, message: "nothing to merge") }
        if let problem = pathProblem(output) {
            throw StoreError(path: output, message: problem.replacingOccurrences(of: "--db", with: "-o"))
        }
        guard !FileManager.default.fileExists(atPath: output) else {
            throw StoreError(path: output, message: "the merged database already exists; remove it or choose another -o")
        }
        let shards = try inputs.map { try SweepStore(existing: $0) }
        let hash = try shards[0].meta("sha256")
        for (path, store) in zip(inputs, shards).dropFirst() where try store.meta("sha256") != hash {
            throw StoreError(path: path, message: "comes from a different sweep than \(first); refusing to merge")
        }
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: directory) else {
            throw StoreError(path: output, message: "cannot create the merged database: \(directory) is not a writable directory")
        }
        // One merge into one file at a time; under its lock, what killed merges left beside it (their partial files,
        // tens of MB each) is stale, and removed.
        let lock: WriterLock
        do { lock = try WriterLock(database: output) } catch let error as StoreError {
            throw StoreError(path: output, message: "cannot create the merged database: \(error.message)")
        }
        defer { withExtendedLifetime(lock) {} }
        guard !FileManager.default.fileExists(atPath: output) else {
            throw StoreError(path: output, message: "the merged database already exists; remove it or choose another -o")
        }
        let name = URL(fileURLWithPath: output).lastPathComponent + ".partial-"
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where leftover.hasPrefix(name) {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory).appendingPathComponent(leftover).path)
        }
        let temporary = output + ".partial-\(getpid())"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: temporary + suffix) } }
        do {
            try shards[0].database.execute("VACUUM INTO '\(temporary.replacingOccurrences(of: "'", with: "''"))'")
        } catch let error as StoreError {
            throw StoreError(path: output, message: "cannot create the merged database: \(error.message)")
        }
        let (total, done) = try fill(temporary, from: inputs.dropFirst())
        guard rename(temporary, output) == 0 else {
            throw StoreError(path: output, message: "cannot move the merged database into place: \(String(cString: strerror(errno)))")
        }
        return (done, total - done)
    }

    /// Adds the other shards' points to the copy of the first at `temporary` (closed on return, out of WAL mode);
    /// returns the sweep's point count and the points now done.
    private static func fill(_ temporary: String, from inputs: ArraySlice<String>) throws -> (total: Int, done: Int) {
        let merged = try SQLiteDatabase(path: temporary, create: false)
        try merged.execute("UPDATE meta SET value = 'all' WHERE key = 'shard'")
        for path in inputs {
            try merged.execute("ATTACH DATABASE '\(path.replacingOccurrences(of: "'", with: "''"))' AS shard")
            defer { try? merged.execute("DETACH DATABASE shard") }
            try merged.transaction {
                let clash = try merged.query("SELECT point FROM shard.points_done WHERE point IN (SELECT point FROM points_done) LIMIT 1")
                if let p = clash.first?.first?.int {
                    throw StoreError(path: path, message: "point \(p) is in more than one shard; refusing to merge")
                }
                try merged.execute("""
                    INSERT INTO design SELECT * FROM shard.design; INSERT INTO results SELECT * FROM shard.results;
                    INSERT INTO points_done SELECT * FROM shard.points_done;
                    """)
            }
        }
        let total = Int(try merged.query("SELECT value FROM meta WHERE key = 'points'").first?.first?.string ?? "0") ?? 0
        let done = try merged.query("SELECT COUNT(*) FROM points_done").first?.first?.int ?? 0
        try merged.run("UPDATE meta SET value = ? WHERE key = 'done'", [[.text("\(done)")]])
        guard merged.leaveWAL() else { throw StoreError(path: temporary, message: "cannot finish the merged database (it is in use)") }
        return (total, done)
    }
}

/// An exclusive lock on a results database for one writer: `DB.lock` beside the database's real path (symbolic
/// links resolved, so that two names of one file share it), opened safely and holding the writer's pid
/// (``LockFile``). The writer's connection then locks the file's identity too (``SQLiteDatabase/lockIdentity()``),
/// which a second name by a hard link or another mount also meets. The kernel releases both when the process ends,
/// however it ends, so a killed sweep never leaves its database locked.
final class WriterLock {
    private let file: LockFile

    init(database path: String) throws {
        do {
            file = try LockFile(path: LockFile.canonical(path) + ".lock", note: "\(getpid())\n")
        } catch .held(let holder) {
            throw Self.busy(path, "another dxmap (pid \(holder)) is writing to this database")
        } catch .unsafe(let message), .system(let message) {
            throw StoreError(path: path, message: message)
        }
    }

    static func busy(_ path: String, _ what: String) -> StoreError {
        StoreError(path: path, message: """
            \(what); wait for it to finish, or give this run its own --db (shards that run together each write their own file)
            """)
    }
}
