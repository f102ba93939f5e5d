import DXSampling
import DXScenario
import DXSupport
import Foundation

/// The streaming statistics of a run: per-series moments (merged in chunk
/// order) and sketches (merged across threads), plus each worker's own state.
struct MonteCarloAccumulation<Worker> {
    var moments: [RunningMoments]
    /// With a draw design: per series, the standard error of the mean from the replicates' means
    /// (sd of the replicate means / √replicates); nil for plain Monte Carlo.
    var replicateStandardErrors: [Double]?
    var sketches: [QuantileSketch]
    var workers: [Worker]
    var threadsUsed: Int
}

/// The Monte Carlo loop every dxmap command shares. Each draw's `body`
/// fills a vector of `width` values; the runner keeps moments of every
/// tracked entry and a quantile sketch of every sketched one (a subset: a
/// sketch costs about 60 instructions per value, the moments about 24).
/// Draws are cut into chunks of `chunkSize` (``MonteCarloSettings/chunkSize``); chunk k draws from stream (seed, k); chunk
/// moments merge in chunk order and sketches are integer counts, so results
/// are bit-identical for any thread count.
enum MonteCarloRunner {
    static func run<Worker>(
        draws: Int, seed: UInt64, threads requested: Int, generator: RandomStream.Generator,
        design: DrawDesign = .plain, chunkSize: Int = MappingOptions.chunkSize, width: Int,
        tracked: [Bool]? = nil, sketched: [Bool]? = nil, progress: (@Sendable (Int, Int) -> Void)?,
        makeWorker: @escaping @Sendable () -> Worker,
        body: @escaping @Sendable (inout Worker, RandomStream, _ draw: Int, UnsafeMutableBufferPointer<Double>) -> Void
    ) -> MonteCarloAccumulation<Worker> {
        // A design cuts its draws into replicates of `points` draws and each replicate into chunks (never one chunk
        // across two replicates); plain Monte Carlo is one replicate, the chunk grid of every release.
        let replicates = design.method == .plain ? 1 : design.replicates
        let points = draws / replicates
        precondition(points * replicates == draws, "draws must be a multiple of the design's replicates")
        let chunksPerReplicate = (points + chunkSize - 1) / chunkSize
        let chunkCount = chunksPerReplicate * replicates
        let threads = max(1, min(requested, chunkCount))
        let trackedIndices = tracked.map { mask in mask.indices.filter { mask[$0] } } ?? Array(0..<width)
        // Sketched implies tracked (percentiles are clamped to the moments' exact range).
        let sketchMask = trackedIndices.map { sketched?[$0] ?? true }
        let sketchedIndices = zip(trackedIndices, sketchMask).filter(\.1).map(\.0)
        let merger = OrderedChunkMerger<ReplicatedMoments>(
            chunkCount: chunkCount, window: 4 * threads,
            initial: ReplicatedMoments(width: width, replicates: replicates, tracked: trackedIndices),
            merge: { total, part in total.merge(part) })
        let slots = LockedSlots<(Worker, [QuantileSketch])>(count: threads)

        // Draws are computed in blocks of `block` rows, then each series is updated across the block:
        // a series' sketch and sums are touched `block` times while in cache, instead of once per draw
        // (with tens of thousands of series, one pass per draw missed the cache on nearly every update).
        // Each series still sees its values in draw order, so results are unchanged.
        let block = max(1, min(64, (1 << 22) / max(width, 1)))
        runOnThreads(threads) { thread in
            var worker = makeWorker()
            var sketches = Array(repeating: QuantileSketch(), count: width)
            var rows = [Double](repeating: 0, count: block * width)
            var sums = ChunkSums(width: width, block: block)
            while let chunk = merger.take() {
                let replicate = chunk / chunksPerReplicate
                let stream = design.method == .plain
                    ? RandomStream(seed: seed, stream: UInt64(chunk), generator: generator)
                    : RandomStream(design: design.method, seed: seed, replicate: replicate, points: points)
                let origin = replicate * points
                let first = origin + (chunk % chunksPerReplicate) * chunkSize, last = min(first + chunkSize, origin + points)
                var start = first
                while start < last {
                    let count = min(block, last - start)
                    rows.withUnsafeMutableBufferPointer { buffer in
                        for j in 0..<count {
                            stream.startDraw(start + j - origin)
                            body(&worker, stream, start + j, UnsafeMutableBufferPointer(rebasing: buffer[(j * width)..<((j + 1) * width)]))
                        }
                        if start == first { sums.start(at: buffer, tracked: trackedIndices) }
                        sums.add(buffer, rows: count, width: width, tracked: trackedIndices, sketchMask: sketchMask, to: &sketches)
                    }
                    start += count
                }
                let moments = sums.moments(draws: last - first, width: width, tracked: trackedIndices)
                let done = merger.submit(chunk, ReplicatedMoments(chunk: moments, replicate: replicate))
                progress?(min(done * draws / chunkCount, draws), draws)
            }
            slots.set(thread, (worker, sketches))
        }

        let results = slots.values
        var sketches = Array(repeating: QuantileSketch(), count: width)
        for (_, s) in results { for k in sketchedIndices { sketches[k].merge(s[k]) } }
        let merged = merger.result
        return MonteCarloAccumulation(moments: merged.total, replicateStandardErrors: merged.standardErrors(), sketches: sketches,
                                      workers: results.map(\.0), threadsUsed: threads)
    }
}

/// One thread's sums over the chunk it is drawing, per series: shifted by the chunk's first value (no division per
/// value), with the smallest and largest value, from which the chunk's exact moments follow.
struct ChunkSums {
    var shift: [Double], sum: [Double], sumOfSquares: [Double], low: [Double], high: [Double]
    /// One series' values across a block of rows, for its sketch.
    var column: [Double]

    init(width: Int, block: Int) {
        shift = [Double](repeating: 0, count: width)
        (sum, sumOfSquares, low, high) = (shift, shift, shift, shift)
        column = [Double](repeating: 0, count: block)
    }

    /// Starts a chunk at its first row (`buffer`'s first `width` values).
    mutating func start(at buffer: UnsafeMutableBufferPointer<Double>, tracked: [Int]) {
        for k in tracked { (shift[k], sum[k], sumOfSquares[k], low[k], high[k]) = (buffer[k], 0, 0, buffer[k], buffer[k]) }
    }

    /// Adds `rows` rows of `buffer` (row-major, `width` wide) to each tracked series' sums, and to its sketch where
    /// `sketchMask` says so: one series at a time across the block, each in draw order.
    @inline(__always)
    mutating func add(_ buffer: UnsafeMutableBufferPointer<Double>, rows count: Int, width: Int, tracked: [Int], sketchMask: [Bool],
                      to sketches: inout [QuantileSketch]) {
        sketches.withUnsafeMutableBufferPointer { sk in
            column.withUnsafeMutableBufferPointer { col in
                for (i, k) in tracked.enumerated() {
                    var (s1, s2, lo, hi) = (sum[k], sumOfSquares[k], low[k], high[k])
                    let k0 = shift[k]
                    for j in 0..<count {
                        let x = buffer[j * width + k], d = x - k0
                        s1 += d
                        s2 += d * d
                        if x < lo { lo = x }
                        if x > hi { hi = x }
                        col[j] = x
                    }
                    (sum[k], sumOfSquares[k], low[k], high[k]) = (s1, s2, lo, hi)
                    if sketchMask[i] { sk[k].add(contentsOf: UnsafeBufferPointer(rebasing: col[0..<count])) }
                }
            }
        }
    }

    /// The chunk's moments of `draws` draws, per series (empty moments for untracked ones).
    func moments(draws: Int, width: Int, tracked: [Int]) -> [RunningMoments] {
        var moments = Array(repeating: RunningMoments(), count: width)
        for k in tracked {
            moments[k] = RunningMoments(count: draws, shift: shift[k], sum: sum[k], sumOfSquares: sumOfSquares[k], min: low[k], max: high[k])
        }
        return moments
    }
}

/// Moments merged in chunk order, in total and per replicate of a draw design.
struct ReplicatedMoments {
    var total: [RunningMoments]
    /// Per replicate, the mean of each tracked series (empty for plain Monte Carlo); a chunk's partial has none.
    var replicateMoments: [[RunningMoments]]
    var replicate = 0
    var tracked: [Int] = []

    init(width: Int, replicates: Int, tracked: [Int]) {
        total = Array(repeating: RunningMoments(), count: width)
        replicateMoments = replicates > 1 ? Array(repeating: Array(repeating: RunningMoments(), count: width), count: replicates) : []
        self.tracked = tracked
    }

    init(chunk: [RunningMoments], replicate: Int) {
        (total, replicateMoments, self.replicate) = (chunk, [], replicate)
    }

    mutating func merge(_ part: ReplicatedMoments) {
        for k in total.indices { total[k].merge(part.total[k]) }
        guard !replicateMoments.isEmpty else { return }
        for k in tracked { replicateMoments[part.replicate][k].merge(part.total[k]) }
    }

    /// sd of the replicates' means / √replicates per series (NaN where untracked); nil without replicates.
    func standardErrors() -> [Double]? {
        guard !replicateMoments.isEmpty else { return nil }
        var se = [Double](repeating: .nan, count: total.count)
        for k in tracked {
            var means = RunningMoments()
            for r in replicateMoments.indices { means.add(replicateMoments[r][k].mean) }
            se[k] = means.standardError
        }
        return se
    }
}
