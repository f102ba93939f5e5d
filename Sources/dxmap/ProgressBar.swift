import Foundation

/// A progress bar on standard error for long runs: shown only on a terminal,
/// only once a run has taken more than a second, and cleared at the end.
///
/// With `DXMAP_PROGRESS=lines` in the environment (as the Python package sets) it writes instead, whatever
/// standard error is, one line per update for a program to read: `dxmap-progress LABEL DONE TOTAL`, at most ten
/// a second, and always the last.
final class ProgressBar: @unchecked Sendable {
    // @unchecked: mutable state is only touched under `lock`.
    private let lock = NSLock()
    private let start = Date()
    private var lastDrawn = Date.distantPast
    private var shown = false
    private let enabled: Bool
    private let lines: Bool
    private let label: String
    private let unit: String?

    /// `unit` names what is counted; when given, the bar shows the rate ("2.4 points/s").
    init(label: String, unit: String? = nil, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.unit = unit
        lines = ProcessInfo.processInfo.environment["DXMAP_PROGRESS"] == "lines"
        self.enabled = enabled || lines
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        if lines {
            guard now.timeIntervalSince(lastDrawn) > 0.1 || done == total else { return }
            lastDrawn = now
            _ = StandardStreams.write("dxmap-progress \(label) \(done) \(total)\n", to: STDERR_FILENO)
            return
        }
        guard elapsed > 1, now.timeIntervalSince(lastDrawn) > 0.1 || done == total else { return }
        lastDrawn = now
        shown = true
        let fraction = Double(done) / Double(max(total, 1))
        let width = 30
        let filled = Int(fraction * Double(width))
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = unit.map { String(format: "  %.2f %@/s", Double(done) / elapsed, $0) } ?? ""
        let line = String(
            format: "\r%@ %@ %3.0f%%  %d/%d%@  %.1fs  ETA %.1fs ", label, bar, fraction * 100, done, total, rate, elapsed, eta)
        _ = StandardStreams.write(line, to: STDERR_FILENO)
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { _ = StandardStreams.write("\r\u{1B}[2K", to: STDERR_FILENO) }
    }
}
