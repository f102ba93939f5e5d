import CPOSIX
import Foundation

/// An exclusive lock held for the life of the object: flock(2) on a lock file, released by the kernel when the
/// process ends however it ends, so a killed run never leaves anything locked.
///
/// The lock file is opened so that nothing planted in its place can be harmed: without following a symbolic link
/// (`O_NOFOLLOW`), without blocking on a FIFO or taking a terminal, and it must then be a regular file, owned by
/// this user, with one name (a hard link to someone's file is not truncated). Only then is it written (the
/// holder's pid, for the next writer's message).
package final class LockFile {
    package let path: String
    private let descriptor: Int32

    /// Why a lock could not be taken.
    package enum Failure: Error {
        /// The path holds something that is not a lock file of this user's: a symbolic link, a directory, a
        /// device, someone else's file, a file with several names.
        case unsafe(String)
        /// Another process holds the lock; `holder` is what it wrote (its pid), or "unknown".
        case held(holder: String)
        /// The file cannot be created or locked (a read-only directory, no such directory).
        case system(String)
    }

    /// Takes the lock at `path` (creating the file): at once, or failing with ``Failure/held(holder:)`` unless
    /// `wait`; then writes `note` into the file when given.
    package init(path: String, wait: Bool = false, note: String? = nil) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP { throw .unsafe("the lock file \(path) is a symbolic link; refusing to use it (remove it if it is not yours)") }
            throw .system("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        let problem: String?
        if fstat(fd, &status) != 0 {
            problem = String(cString: strerror(errno))
        } else if status.st_mode & S_IFMT != S_IFREG {
            problem = "is not a regular file"
        } else if status.st_uid != geteuid() {
            problem = "belongs to another user (uid \(status.st_uid))"
        } else if status.st_nlink != 1 {
            problem = "has \(status.st_nlink) names (a hard link to another file)"
        } else {
            problem = nil
        }
        if let problem {
            close(fd)
            throw .unsafe("the lock file \(path) \(problem); refusing to use it (remove it if it is not yours)")
        }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let code = errno
            if code == EWOULDBLOCK {
                var buffer = [UInt8](repeating: 0, count: 32)
                let n = pread(fd, &buffer, buffer.count, 0)
                close(fd)
                let holder = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
                throw .held(holder: holder.isEmpty ? "unknown" : holder)
            }
            close(fd)
            throw .system("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        if let note {
            let bytes = Array(note.utf8)
            _ = ftruncate(fd, 0)
            _ = pwrite(fd, bytes, bytes.count, 0)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Whether some process holds the lock at `path` now (a staging directory's owner still running). A path that
    /// is missing or that cannot be opened safely counts as not held.
    package static func isHeld(_ path: String) -> Bool {
        do {
            _ = try LockFile(path: path)
            return false
        } catch .held {
            return true
        } catch {
            return false
        }
    }

    /// The path with every symbolic link and `..` resolved — of the file when it exists, else of its directory —
    /// so that one file reached by two names gets one lock.
    package static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        guard let parent = realpath(url.deletingLastPathComponent().path, nil) else { return url.standardized.path }
        defer { free(parent) }
        return URL(fileURLWithPath: String(cString: parent)).appendingPathComponent(url.lastPathComponent).path
    }
}

/// A lock on a file's identity (its device and inode) rather than its name: an open-file-description lock on a
/// byte far past anything SQLite locks, held while the object lives. Two names of one file (hard links, bind
/// mounts) meet the same lock; SQLite's own locks, on other bytes, are unaffected while it is held. Closing its
/// descriptor, though, drops every POSIX lock the process holds on the file, so the SQLite connection that owns it
/// (``SQLiteDatabase/lockIdentity()``) releases it only after closing itself.
package final class IdentityLock {
    private let descriptor: Int32
    /// The byte locked: the last an `off_t` can address, which no file reaches and SQLite never locks.
    static let byte: Int64 = Int64.max - 1

    /// Locks the file at `path` (which must exist), or returns nil when another open file holds its lock. Where
    /// the file system has no such locks (EINVAL, ENOLCK), the object holds none and the lock on the name alone
    /// protects the file.
    /// - Throws: ``LockFile/Failure/system(_:)`` when the file cannot be opened for the lock.
    package init?(path: String) throws(LockFile.Failure) {
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open \(path) to lock it: \(String(cString: strerror(errno)))") }
        let code = dx_ofd_trylock(fd, Self.byte)
        guard code != EAGAIN && code != EACCES else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
