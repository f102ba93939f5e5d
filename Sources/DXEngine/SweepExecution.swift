import DXSampling
import DXScenario
import Foundation

/// Runs a list of sweep points on `jobs` threads, handing each point's results to `record`
/// (called from the worker threads; it must be thread-safe). Each point has its own seed
/// (``SweepPlan/seed(ofPoint:)``), so neither the order nor the number of jobs changes its numbers.
/// Stops at the first failure and throws it, naming the point.
public enum SweepExecution {
    public static func run(_ plan: SweepPlan, outputs: [SweepOutput], points: [Int], jobs: Int,
                           record: @escaping @Sendable (_ point: Int, _ results: [DistributionSummary], _ seconds: Double) throws -> Void,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let workers = max(1, min(jobs, points.count))
        // With one job a point may use every core; with several, each point runs on one thread.
        let threadsPerPoint = workers == 1 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let state = SweepProgress(count: points.count)
        runOnThreads(workers) { _ in
            while let k = state.next() {
                let point = points[k]
                let started = Date()
                do {
                    let results = try SweepOutput.run(outputs, scenario: plan.scenarios[point], draws: plan.definition.draws,
                                                      seed: plan.seed(ofPoint: point), threads: threadsPerPoint)
                    try record(point, results, Date().timeIntervalSince(started))
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
