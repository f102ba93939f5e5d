import DXEngine
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Runs a shard's sweep points on `jobs` threads, handing each point's outcome to `record` (called from the
/// worker threads; it must be thread-safe). Each point has its own seed (`SweepPlan/seed(ofPoint:)`), so
/// neither the order nor the number of jobs changes its numbers. Points are taken lazily, one index after
/// another, so a shard of a ten-million-point design starts at once and holds no list of its points.
///
/// A point fails — and is recorded with its reason, while the others go on — when its scenario is invalid
/// (`InvalidPoint`), when the engine throws, or when an output's mean is not a finite number. Only an error
/// from `record` itself (say, a full disk) stops the run; it is thrown, naming the point.
public enum SweepExecution {
    /// What one point gave: its parameter values, each output's summary (empty when the point could not run),
    /// or why it failed.
    public struct Outcome: Sendable {
        public var values: [SweepValue]
        public var results: [DistributionSummary]
        /// Nil for a point that ran and gave finite outputs.
        public var failure: String?
        public var seconds: Double
    }

    /// The number of points of `shard` in a sweep of `count` points that are not in `done`.
    public static func pending(count: Int, shard: Shard, done: Set<Int>) -> Int {
        let mine = shard.index < count ? (count - shard.index - 1) / shard.count + 1 : 0   // no overflow for any N
        return mine - done.filter { $0 < count && shard.contains($0) }.count
    }

    public static func run(_ plan: SweepPlan, outputs: [SweepOutput], shard: Shard = .all, skipping done: Set<Int> = [], jobs: Int,
                           record: @escaping @Sendable (_ point: Int, _ outcome: Outcome) throws -> Void,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let total = pending(count: plan.pointCount, shard: shard, done: done)
        guard total > 0 else { return }
        let workers = max(1, min(jobs, total))
        // With one job a point may use every core; with several, each point runs on one thread.
        let threadsPerPoint = workers == 1 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let state = SweepProgress(count: plan.pointCount, shard: shard, done: done, total: total)
        runOnThreads(workers) { _ in
            let builder: PointBuilder
            do { builder = try plan.builder() } catch {
                return state.fail("cannot read \(plan.definition.scenarioPath): \(error)", category: .unreadableInput)
            }
            while let point = state.next() {
                let outcome = run(point, plan: plan, builder: builder, outputs: outputs, threads: threadsPerPoint)
                do {
                    try record(point, outcome)
                    progress?(state.finish(), total)
                } catch {
                    // A store that cannot take the point (a full disk) stops the run as what it is (exit 73), not as a
                    // failed run.
                    state.fail("point \(point): \((error as? DXMapError)?.reason ?? "\(error)")",
                               category: (error as? DXMapError)?.category ?? .runFailure)
                }
            }
        }
        if let (message, category) = state.failure { throw SweepStopped(message: message, category: category) }
    }

    /// Runs each of `points` at `draws` draws, storing nothing, and returns why each failed (nil for a point that
    /// ran): `dxmap validate`'s trial of a sweep, which finds the failures that only running a point shows (an
    /// output a point's scenario cannot give, an engine's refusal, a result that is not a number).
    public static func trial(_ plan: SweepPlan, outputs: [SweepOutput], points: [Int], draws: Int) throws -> [(point: Int, failure: String?)] {
        let builder = try plan.builder()
        return points.map { ($0, run($0, plan: plan, builder: builder, outputs: outputs, threads: 1, draws: draws).failure) }
    }

    /// One point, from its values to its outcome (at the sweep's draws, unless `draws` says otherwise).
    static func run(_ point: Int, plan: SweepPlan, builder: PointBuilder, outputs: [SweepOutput], threads: Int,
                    draws: Int? = nil) -> Outcome {
        let started = Date()
        let values = plan.values(ofPoint: point)
        func outcome(_ results: [DistributionSummary], _ failure: String?) -> Outcome {
            Outcome(values: values, results: results, failure: failure, seconds: Date().timeIntervalSince(started))
        }
        let scenario: Scenario
        do {
            scenario = try builder.scenario(ofPoint: point)
        } catch {
            return outcome([], (error as? DXMapError)?.reason ?? "\(error)")
        }
        do {
            let results = try SweepOutput.run(outputs, scenario: scenario, draws: draws ?? plan.definition.draws, seed: plan.seed(ofPoint: point),
                                              threads: threads, sampling: plan.definition.sampling)
            let bad = zip(outputs, results).first { !$0.1.mean.isFinite }
            return outcome(results, bad.map { "output \($0.0.name) is not a number" })
        } catch {
            return outcome([], (error as? DXMapError)?.reason ?? "\(error)")
        }
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
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }

    public func contains(_ point: Int) -> Bool { point % count == index }
    public var description: String { count == 1 ? "all" : "\(index)/\(count)" }
}

/// Hands out a shard's pending points to threads in index order, counts completions, and stops handing out
/// after a failure.
final class SweepProgress: @unchecked Sendable {
    // @unchecked: every property is only touched under `lock`.
    private let lock = NSLock()
    private var cursor: Int
    private var finished = 0
    private var firstFailure: (String, ErrorCategory)?
    let count: Int, shard: Shard, done: Set<Int>, total: Int

    init(count: Int, shard: Shard, done: Set<Int>, total: Int) {
        (self.count, self.shard, self.done, self.total) = (count, shard, done, total)
        cursor = shard.index
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstFailure == nil else { return nil }
        while cursor < count, done.contains(cursor) { advance() }
        guard cursor < count else { return nil }
        defer { advance() }
        return cursor
    }

    /// The shard's next index, or `count` once past the end (`--shard 0/9223372036854775807` must not overflow).
    private func advance() { cursor = cursor < count - shard.count ? cursor + shard.count : count }

    func finish() -> Int {
        lock.lock(); defer { lock.unlock() }
        finished += 1
        return finished
    }

    func fail(_ message: String, category: ErrorCategory) {
        lock.lock(); defer { lock.unlock() }
        if firstFailure == nil { firstFailure = (message, category) }
    }

    var failure: (String, ErrorCategory)? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure
    }
}

/// A sweep stopped part-way by what is not a point's own failure: its store could not take a point (a full disk:
/// exit 73), or its base scenario could not be read. The points committed before stay committed.
public struct SweepStopped: DXMapError {
    public var message: String
    public var category: ErrorCategory
    public var description: String { "error: \(message)" }
}
