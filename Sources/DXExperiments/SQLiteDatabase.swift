import CSQLite
import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// A SQLite database file, through SQLite's C API. Owns its connection and
/// closes it in `deinit`. Calls are serialised by a lock, so one database may
/// be shared by the threads of a sweep.
///
/// `@unchecked Sendable`: the connection is only used while `lock` is held.
public final class SQLiteDatabase: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = NSLock()
    /// Held for a whole transaction, so threads' transactions never interleave on the one connection.
    private let transactionLock = NSLock()
    public let path: String

    /// A value stored in or read from a column.
    public enum Value: Equatable, Sendable {
        case integer(Int64), real(Double), text(String), null
    }

    /// Opens the database at `path` (creating it when `create`), in WAL mode: a transaction is either
    /// wholly in the file or not at all, even if the process is killed. A file that is not an SQLite
    /// database, or whose header is damaged, is refused here.
    ///
    /// With `readOnly`, the file is only read: nothing is set or written (a finished database, out of WAL mode,
    /// reads from a read-only mount or another user's directory).
    public convenience init(path: String, create: Bool = true, readOnly: Bool = false) throws {
        try self.init(path: path, create: create, readOnly: readOnly, wal: !readOnly)
    }

    private init(path: String, create: Bool, readOnly: Bool, wal: Bool) throws {
        var db: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        let rc = sqlite3_open_v2(path, &db, access | SQLITE_OPEN_FULLMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close(db) }
            throw StoreError(path: path, message: "cannot open the database: \(message)")
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 10_000)
        guard wal else { return }
        do {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
        } catch let error as StoreError {
            // deinit closes the connection: every stored property is set.
            throw StoreError(path: path, message: "is not a dxmap results database, or is damaged (SQLite: \(error.message))")
        }
    }

    /// Rolls back the hot journal (`PATH-journal`) that a writer killed in the middle of a rollback-journal
    /// transaction left — dxmap's writers use one only to enter and to leave WAL mode; `sqlite3` and other tools
    /// use one for everything — as any connection that can write the file does when it first reads it. A
    /// read-only connection cannot, and SQLite then refuses to read the file at all.
    public static func rollBackHotJournal(path: String) throws {
        let database = try SQLiteDatabase(path: path, create: false, readOnly: false, wal: false)
        _ = try database.query("PRAGMA schema_version")
    }

    /// Leaves WAL mode for SQLite's rollback journal, with the WAL checkpointed into the file and removed: the
    /// file is then whole on its own, and opens read-only anywhere. Tried for a moment only: a reader that still has
    /// the database open keeps it in WAL mode (which a later writer's finish leaves in turn). Returns whether it left.
    @discardableResult
    public func leaveWAL() -> Bool {
        lock.lock()
        sqlite3_busy_timeout(handle, 200)
        lock.unlock()
        defer { lock.lock(); sqlite3_busy_timeout(handle, 10_000); lock.unlock() }
        return (try? query("PRAGMA journal_mode=DELETE"))?.first?.first?.string?.lowercased() == "delete"
    }

    /// The lock on the file's identity, once taken (``lockIdentity()``).
    private var identity: IdentityLock?

    deinit {
        sqlite3_close(handle)
        // Only now: closing any descriptor of the file drops every POSIX lock this process holds on it (SQLite's
        // included), so the identity lock's descriptor must outlive the connection.
        identity = nil
    }

    /// Locks the file's identity (device and inode: `IdentityLock`) for as long as this connection lives, and
    /// returns false when another open file holds it (a second writer through a hard link or another mount).
    public func lockIdentity() throws -> Bool {
        lock.lock(); defer { lock.unlock() }
        if identity != nil { return true }
        do {
            guard let taken = try IdentityLock(path: path) else { return false }
            identity = taken
            return true
        } catch let failure {
            if case let .system(message) = failure { throw StoreError(path: path, message: message) }
            throw StoreError(path: path, message: "cannot lock the database")
        }
    }

    /// Runs statements without results.
    public func execute(_ sql: String) throws {
        lock.lock(); defer { lock.unlock() }
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw StoreError(path: path, message: message)
        }
    }

    /// Runs one statement with bound values once per row of `rows`, inside the current transaction.
    public func run(_ sql: String, _ rows: [[Value]]) throws {
        lock.lock(); defer { lock.unlock() }
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        for row in rows {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (i, value) in row.enumerated() { bind(statement, Int32(i + 1), value) }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw StoreError(path: path, message: lastError) }
        }
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ arguments: [Value] = []) throws -> [[Value]] {
        var rows: [[Value]] = []
        try forEachRow(sql, arguments) { rows.append($0) }
        return rows
    }

    /// Runs a query and hands each row to `body` as it is read, so that memory does not grow with the result.
    /// The connection is held throughout: `body` must not use this database.
    public func forEachRow(_ sql: String, _ arguments: [Value] = [], _ body: ([Value]) throws -> Void) throws {
        lock.lock(); defer { lock.unlock() }
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        for (i, value) in arguments.enumerated() { bind(statement, Int32(i + 1), value) }
        let width = sqlite3_column_count(statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw StoreError(path: path, message: lastError) }
            try body((0..<width).map { column($0, of: statement) })
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        transactionLock.lock(); defer { transactionLock.unlock() }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError(path: path, message: "\(lastError) in \(sql)")
        }
        return statement
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: Value) {
        switch value {
        case let .integer(i): sqlite3_bind_int64(statement, index, i)
        case let .real(x): sqlite3_bind_double(statement, index, x)
        case let .text(s): sqlite3_bind_text(statement, index, s, -1, dx_sqlite_transient())
        case .null: sqlite3_bind_null(statement, index)
        }
    }

    private func column(_ i: Int32, of statement: OpaquePointer) -> Value {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, i))
        case SQLITE_TEXT: .text(String(cString: sqlite3_column_text(statement, i)))
        default: .null
        }
    }
}

/// A results database that cannot be used.
public struct StoreError: DXMapError {
    public var path: String
    public var message: String
    public var category: ErrorCategory { .cannotWrite }
    public var description: String { "\(path): error: \(message)" }
}

extension SQLiteDatabase.Value {
    public var double: Double? {
        switch self {
        case let .real(x): x
        case let .integer(i): Double(i)
        default: nil
        }
    }

    public var int: Int? { if case let .integer(i) = self { Int(i) } else { nil } }
    public var string: String? { if case let .text(s) = self { s } else { nil } }
}
