import DXSupport
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
        let rate = unit.map { String(format: "%.2f %@/s", Double(done) / elapsed, $0) }
        let line = Self.line(label: label, done: done, total: total, rate: rate, elapsed: elapsed,
                             columns: Terminal.columns(of: STDERR_FILENO) ?? 80)
        _ = StandardStreams.write("\r" + line, to: STDERR_FILENO)
    }

    /// One state of the bar, in at most `columns` − 1 characters, so that redrawing it with a carriage return never
    /// wraps (a wrapped bar leaves a line behind at every update): the bar narrows from 30 cells to 10, then the
    /// rate, the elapsed time and the ETA go, then the label is cut.
    static func line(label: String, done: Int, total: Int, rate: String?, elapsed: Double, columns: Int) -> String {
        let fraction = Double(done) / Double(max(total, 1))
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let room = max(columns - 1, 1)
        func render(cells: Int, rate: String?, times: Bool) -> String {
            let filled = Int(fraction * Double(cells))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
            var text = String(format: "%@ %@ %3.0f%%  %d/%d", label, bar, fraction * 100, done, total)
            if let rate { text += "  " + rate }
            if times { text += String(format: "  %.1fs  ETA %.1fs", elapsed, eta) }
            return text + " "
        }
        for cells in stride(from: 30, through: 10, by: -5) where render(cells: cells, rate: rate, times: true).count <= room {
            return render(cells: cells, rate: rate, times: true)
        }
        for times in [true, false] {
            let text = render(cells: 10, rate: nil, times: times)
            if text.count <= room { return text }
        }
        return String(render(cells: 10, rate: nil, times: false).prefix(room))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { _ = StandardStreams.write("\r\u{1B}[2K", to: STDERR_FILENO) }
    }
}
