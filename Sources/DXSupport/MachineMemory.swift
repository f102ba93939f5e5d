import Foundation

/// How much memory this machine lets dxmap plan for: its physical memory, or the limit of the cgroup it runs in
/// (a Slurm job's allocation, a container's limit), whichever is smaller.
public enum MachineMemory {
    /// The memory available, in bytes.
    public static var available: Int {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        return min(physical, cgroupLimit ?? physical)
    }

    /// What a study may plan to use unless told otherwise: 80% of ``available``.
    public static var defaultBudget: Int { available / 5 * 4 }

    /// Where ``defaultBudget`` comes from, in words.
    public static var budgetBasis: String {
        let what = cgroupLimit.map { $0 < Int(clamping: ProcessInfo.processInfo.physicalMemory) } == true
            ? "the limit of the cgroup dxmap runs in" : "this machine's memory"
        return "80% of the \(describe(available)) of \(what)"
    }

    /// The cgroup's memory limit (cgroup v2 `memory.max`, else v1 `memory.limit_in_bytes`), nil when there is none.
    static var cgroupLimit: Int? {
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            if let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), n > 0, n < Int.max / 2 { return n }
        }
        return nil
    }

    /// Bytes as a person reads them: "176 GB", "3.4 GB", "512 MB" (decimal units).
    public static func describe(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e12 { return String(format: "%.1f TB", b / 1e12) }
        if b >= 1e9 { return String(format: b >= 1e11 ? "%.0f GB" : "%.1f GB", b / 1e9) }
        return String(format: "%.0f MB", b / 1e6)
    }
}
