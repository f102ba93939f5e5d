import DXSampling
import DXScenario
import Foundation

/// Runs the top-down mapping Monte Carlo on a scenario.
///
/// ```swift
/// let scenario = try ScenarioLoader.load(path: "Scenarios/italian-pa.yaml")
/// let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 10_000))
/// let matrix = result.matrix(level: .service, view: .probability)
/// ```
///
/// Draws are cut into chunks of ``MappingOptions/chunkSize``; chunk k uses
/// the random stream (seed, k). Chunks run on all threads; their moments
/// merge in chunk order and everything else is integer counts, so the
/// result is bit-identical for any thread count.
public enum MappingEngine {
    /// Runs `options.draws` draws of `scenario` and returns every metric of every entity as a distribution.
    /// - Throws: ``MappingError`` when the options are impossible (fewer than 2 draws, no threads) or the
    ///   scenario was not validated (unknown references).
    public static func run(_ scenario: Scenario, options: MappingOptions = MappingOptions()) throws -> MappingResult {
        guard options.draws >= 2 else { throw MappingError("draws must be at least 2, found \(options.draws)") }
        guard options.threads >= 1 else { throw MappingError("threads must be at least 1, found \(options.threads)") }
        let started = Date()
        let model = try MappingModel(scenario)
        let thresholds = resolveThresholds(model, options.thresholds.or(scenario.matrixThresholds))
        let kernel = MappingKernel(model: model, thresholds: thresholds.perEntity)

        let chunkSize = MappingOptions.chunkSize
        let chunkCount = (options.draws + chunkSize - 1) / chunkSize
        let threads = min(options.threads, chunkCount)
        let width = model.entityCount * Series.count
        let merger = OrderedChunkMerger<[RunningMoments]>(
            chunkCount: chunkCount, window: 4 * threads,
            initial: Array(repeating: RunningMoments(), count: width),
            merge: { total, part in for k in total.indices { total[k].merge(part[k]) } })
        let tallies = LockedSlots<WorkerTallies>(count: threads)
        let (draws, seed, generator, progress) = (options.draws, options.seed, options.generator, options.progress)

        runOnThreads(threads) { worker in
            var mine = WorkerTallies(entityCount: model.entityCount)
            var values = [Double](repeating: 0, count: width)
            var roleFactors = [Double](repeating: 0, count: model.roleCount)
            while let chunk = merger.take() {
                let stream = RandomStream(seed: seed, stream: UInt64(chunk), generator: generator)
                var moments = Array(repeating: RunningMoments(), count: width)
                let n = min(chunkSize, draws - chunk * chunkSize)
                values.withUnsafeMutableBufferPointer { v in
                    roleFactors.withUnsafeMutableBufferPointer { z in
                        for _ in 0..<n {
                            kernel.draw(stream, values: v, roleFactors: z)
                            kernel.tally(v, moments: &moments, into: &mine)
                        }
                    }
                }
                let done = merger.submit(chunk, moments)
                progress?(min(done * chunkSize, draws), draws)
            }
            tallies.set(worker, mine)
        }

        var all = WorkerTallies(entityCount: model.entityCount)
        for t in tallies.values { all.merge(t) }
        return MappingResult(model: model, moments: merger.result, tallies: all, thresholds: thresholds,
                             options: options, threadsUsed: threads, wallTime: Date().timeIntervalSince(started))
    }

    /// Fills the default thresholds: y at the median, across the entities of each level, of the
    /// closed-form expected value (probability view) or expected NPV (risk–return view).
    static func resolveThresholds(_ model: MappingModel, _ given: MatrixThresholds) -> ResolvedThresholds {
        let expected = ExpectedValues(model)
        var value = [Double](repeating: 0, count: model.entityCount)
        var npv = value
        var perLevel: [Level: MatrixThresholds] = [:]
        for level in Level.allCases {
            let r = model.range(of: level)
            let v = given.value ?? median(r.map { expected.grossSaving[$0] })
            let n = given.return ?? median(r.map { expected.npv[$0] })
            for e in r { value[e] = v; npv[e] = n }
            perLevel[level] = MatrixThresholds(probability: given.probability ?? 0.5, value: v, risk: given.risk, return: n)
        }
        return ResolvedThresholds(perLevel: perLevel,
                                  perEntity: DrawThresholds(probability: given.probability ?? 0.5, value: value, npv: npv))
    }
}

/// Thresholds as used by a run: per level (the risk threshold stays nil
/// when it defaults to the median of the risks, known only after the run).
struct ResolvedThresholds: Sendable {
    let perLevel: [Level: MatrixThresholds]
    let perEntity: DrawThresholds
}

extension Scenario {
    /// The thresholds the scenario's `matrix:` section sets.
    public var matrixThresholds: MatrixThresholds {
        MatrixThresholds(probability: matrix.probabilityThreshold, value: matrix.valueThreshold,
                         risk: matrix.riskThreshold, return: matrix.returnThreshold)
    }
}
