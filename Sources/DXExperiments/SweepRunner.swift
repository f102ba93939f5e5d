import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Runs a sweep's points into its store: the points of the shard not yet
/// done, `jobs` at a time, each committed alone (see ``SweepExecution``).
public enum SweepRunner {
    /// What a run did: points run now, points found already done, failed points in the store, and the time taken.
    public struct Summary: Sendable {
        public var ran: Int
        public var skipped: Int
        public var failed: Int
        public var seconds: Double
        public var pointsPerSecond: Double { seconds > 0 ? Double(ran) / seconds : 0 }
    }

    /// Runs the points of `shard` that `store` does not have yet, committing each as it finishes
    /// (a failed point is committed with its reason, see ``SweepExecution``).
    /// - Throws: `RunFailure` when every point of the shard failed, with the first failure's reason (the
    ///   failures stay recorded in the store); a store error when a point cannot be committed.
    public static func run(_ plan: SweepPlan, outputs: [SweepOutput], store: SweepStore, shard: Shard = .all,
                           jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let started = Date()
        let done = try store.donePoints()
        let mine = SweepExecution.pending(count: plan.pointCount, shard: shard, done: [])
        let todo = SweepExecution.pending(count: plan.pointCount, shard: shard, done: done)
        try SweepExecution.run(plan, outputs: outputs, shard: shard, skipping: done, jobs: jobs,
                               record: { try store.record(point: $0, outcome: $1) }, progress: progress)
        let failures = try store.failures().filter { shard.contains($0.key) }
        if mine > 0, failures.count == mine, let first = failures.min(by: { $0.key < $1.key }) {
            throw RunFailure("""
                every one of the \(mine) points failed (recorded in \(store.path)); the first, point \(first.key): \(first.value)
                """)
        }
        return Summary(ran: todo, skipped: mine - todo, failed: failures.count, seconds: Date().timeIntervalSince(started))
    }
}
