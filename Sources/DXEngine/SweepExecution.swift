import DXSampling
import DXScenario
import Foundation

/// Runs a list of sweep points on `jobs` threads, handing each point's outcome to `record`
/// (called from the worker threads; it must be thread-safe). Each point has its own seed
/// (``SweepPlan/seed(ofPoint:)``), so neither the order nor the number of jobs changes its numbers.
///
/// A point fails — and is recorded with its reason, while the others go on — when its scenario is
/// invalid (``SweepPlan/invalidPoints``), when the engine throws, or when an output's mean is not a
/// finite number. Only an error from `record` itself (say, a full disk) stops the run; it is thrown,
/// naming the point.
public enum SweepExecution {
    /// What one point gave: each output's summary (empty when the point could not run), or why it failed.
    public struct Outcome: Sendable {
        public var results: [DistributionSummary]
        /// Nil for a point that ran and gave finite outputs.
        public var failure: String?
        public var seconds: Double
    }

    public static func run(_ plan: SweepPlan, outputs: [SweepOutput], points: [Int], jobs: Int,
                           record: @escaping @Sendable (_ point: Int, _ outcome: Outcome) throws -> Void,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let workers = max(1, min(jobs, points.count))
        // With one job a point may use every core; with several, each point runs on one thread.
        let threadsPerPoint = workers == 1 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let state = SweepProgress(count: points.count)
        runOnThreads(workers) { _ in
            while let k = state.next() {
                let point = points[k]
                let started = Date()
                let outcome: Outcome
                if let scenario = plan.scenarios[point] {
                    do {
                        let results = try SweepOutput.run(outputs, scenario: scenario, draws: plan.definition.draws,
                                                          seed: plan.seed(ofPoint: point), threads: threadsPerPoint)
                        let bad = zip(outputs, results).first { !$0.1.mean.isFinite }
                        outcome = Outcome(results: results, failure: bad.map { "output \($0.0.name) is not a number" },
                                          seconds: Date().timeIntervalSince(started))
                    } catch {
                        outcome = Outcome(results: [], failure: "\(error)", seconds: Date().timeIntervalSince(started))
                    }
                } else {
                    outcome = Outcome(results: [], failure: plan.invalidPoints[point] ?? "the scenario is invalid", seconds: 0)
                }
                do {
                    try record(point, outcome)
                    progress?(state.finish(), points.count)
                } catch {
                    state.fail("point \(point): \(error)")
                }
            }
        }
        if let message = state.failure { throw MappingError(message) }
    }
}

/// Hands out indices to threads, counts completions, and stops handing out after a failure.
final class SweepProgress: @unchecked Sendable {
    // @unchecked: every property is only touched under `lock`.
    private let lock = NSLock()
    private var handedOut = 0, finished = 0
    private var firstFailure: String?
    let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstFailure == nil, handedOut < count else { return nil }
        handedOut += 1
        return handedOut - 1
    }

    func finish() -> Int {
        lock.lock(); defer { lock.unlock() }
        finished += 1
        return finished
    }

    func fail(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if firstFailure == nil { firstFailure = message }
    }

    var failure: String? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure
    }
}
