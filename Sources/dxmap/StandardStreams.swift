import DXScenario
import DXSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error, written with write(2) so that every failure is seen. Results that
/// cannot be written to standard output are an error (exit 74, EX_IOERR: a full disk, `> /dev/full`); a
/// diagnostic that cannot be written to standard error is dropped, and never crashes or changes the status.
enum StandardStreams {
    /// Writes all of `text` to `descriptor`, retrying interrupted and partial writes; returns errno on failure.
    static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.write(descriptor, raw.baseAddress, raw.count)
                #else
                Darwin.write(descriptor, raw.baseAddress, raw.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { usleep(1000); continue }
                return errno
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }
}

/// Standard output could not take the results.
struct StandardOutputError: DXMapError {
    let code: Int32
    var category: ErrorCategory { .standardOutput }
    var description: String { "error: cannot write the results to standard output: \(String(cString: strerror(code)))" }
}

/// Writes to standard output, checked: throws ``StandardOutputError`` when the text cannot be written whole.
/// Control characters other than newline and tab are shown, not obeyed (``ControlCharacters``): a path or name
/// with an ESC cannot drive the terminal. `coloured` text is written as it is — only the matrix table, whose
/// cells are escaped and whose colours dxmap adds itself.
func printOut(_ text: String, terminator: String = "\n", coloured: Bool = false) throws {
    let safe = coloured ? text : ControlCharacters.escaped(text, keepingLines: true)
    if let code = StandardStreams.write(safe + terminator, to: STDOUT_FILENO) { throw StandardOutputError(code: code) }
}

/// Writes a diagnostic to standard error, control characters shown rather than obeyed (as ``printOut``); a
/// failure to write it is ignored.
func printError(_ text: String) {
    let safe = ControlCharacters.escaped(text, keepingLines: true)
    _ = StandardStreams.write(safe.hasSuffix("\n") ? safe : safe + "\n", to: STDERR_FILENO)
}
