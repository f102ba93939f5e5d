import Foundation

/// Runs `chunkCount` chunks on `threads` worker threads and merges their
/// partial results strictly in chunk order, so the merged result is the same
/// for any number of threads.
///
/// Workers take the next chunk index from a shared counter, compute it, and
/// hand in the partial; whoever hands in the partial that completes a prefix
/// merges that prefix. At most `window` chunks may be ahead of the merge, so
/// memory is bounded whatever the number of draws. A worker only waits
/// *before* taking a chunk, never while holding one, so the chunks the merge
/// waits for are always being computed: no deadlock.
package final class OrderedChunkMerger<Partial>: @unchecked Sendable {
    // @unchecked: every mutable property below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var nextChunk = 0
    private var mergedChunks = 0
    private var pending: [Int: Partial] = [:]
    private var merged: Partial
    private let mergeInto: (inout Partial, Partial) -> Void
    package let chunkCount: Int
    package let window: Int

    package init(chunkCount: Int, window: Int, initial: Partial, merge: @escaping (inout Partial, Partial) -> Void) {
        self.chunkCount = chunkCount
        self.window = max(1, window)
        merged = initial
        mergeInto = merge
    }

    /// The next chunk to compute, or nil when all are handed out.
    package func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextChunk < chunkCount && nextChunk - mergedChunks >= window { condition.wait() }
        guard nextChunk < chunkCount else { return nil }
        nextChunk += 1
        return nextChunk - 1
    }

    /// Hands in chunk `index`'s partial; returns how many chunks are merged now.
    @discardableResult
    package func submit(_ index: Int, _ partial: Partial) -> Int {
        condition.lock()
        defer { condition.unlock() }
        pending[index] = partial
        while let next = pending.removeValue(forKey: mergedChunks) {
            mergeInto(&merged, next)
            mergedChunks += 1
        }
        condition.broadcast()
        return mergedChunks
    }

    /// The merged result; call after all workers have finished.
    package var result: Partial {
        condition.lock()
        defer { condition.unlock() }
        precondition(mergedChunks == chunkCount, "not all chunks merged")
        return merged
    }
}

/// Runs `body(worker)` on `count` threads (inline when count is 1) and waits for all.
public func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else { body(0); return }
    let group = DispatchGroup()
    for w in 0..<count {
        group.enter()
        // The thread lets go of `body` (and all it captures) before it says it is done: a Thread keeps its closure
        // until it exits, after `wait()` has returned, and what the caller passed (a results database holding its
        // writer's lock, say) must not outlive this call.
        let work = ThreadWork(body)
        let thread = Thread {
            work.run(w)
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
}

/// One thread's hold on the work `runOnThreads` gives it, dropped as soon as the work is done.
private final class ThreadWork: @unchecked Sendable {
    // @unchecked: `body` is set once at initialisation and taken once, by the one thread that runs it.
    private var body: (@Sendable (Int) -> Void)?

    init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }

    func run(_ worker: Int) {
        let work = body
        body = nil
        work?(worker)
    }
}

/// A value several threads write once each, under a lock.
public final class LockedSlots<Value>: @unchecked Sendable {
    // @unchecked: `slots` is only touched while `lock` is held.
    private let lock = NSLock()
    private var slots: [Value?]

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: Value) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    public var values: [Value] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}
