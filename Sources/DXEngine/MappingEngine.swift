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
/// Draws are cut into chunks of ``MonteCarloSettings/chunkSize``; chunk k uses
/// the random stream (seed, k). Chunks run on all threads; their moments
/// merge in chunk order and everything else is integer counts, so the
/// result is bit-identical for any thread count.
public enum MappingEngine {
    /// Every entity a mapping of `scenario` reports on (tasks, services, roles, organisations, the total), in
    /// the order of its results.
    /// - Throws: `RunFailure` when the scenario was not validated (unknown references).
    public static func entities(of scenario: Scenario) throws -> [Entity] { try MappingModel(scenario).entities }

    /// Runs `options.draws` draws of `scenario` and returns every metric of every entity as a distribution.
    /// - Throws: `RunSettingsError` when the options are impossible (fewer than 2 draws, no threads),
    ///   `UnknownNameError` for an unknown programme, `RunFailure` when the
    ///   scenario was not validated (unknown references).
    public static func run(_ scenario: Scenario, options: MappingOptions = MappingOptions()) throws -> MappingResult {
        let options = try options.resolved(for: scenario)
        let started = Date()
        let seed = options.seed
        let model = try MappingModel(scenario, sampling: options.sampler)
        let thresholds = resolveThresholds(model, options.thresholds.or(scenario.matrix.thresholds))
        let programme = try TaskSampler.programmeIndex(options.programme, model)
        let kernel = MappingKernel(sampler: TaskSampler(model: model, programme: programme, seed: options.seed, draws: options.draws),
                                   thresholds: thresholds.perEntity, countsQuadrants: options.countsQuadrants)

        let S = model.seriesCount, width = model.entityCount * S
        let tracked = trackedSeries(model, options.summarised)
        let sketched = model.entities.flatMap { e in [Bool](repeating: options.percentileLevels.contains(e.level), count: S) }
        // With recordsDraws: each task's inputs and each barrier's presence (written by the kernel), then the NPV of
        // every entity above the tasks.
        let recordedEntities = options.recordsDraws ? Array(model.taskCount..<model.entityCount) : []
        let inputColumns = options.recordsDraws && options.recordsInputs ? DrawTable.inputColumns(model) : []
        let record = options.recordsDraws
            ? DrawTable(draws: options.draws,
                         columns: inputColumns + recordedEntities.map { DrawTable.Column.npv(model.entities[$0].level, model.entities[$0].id) })
            : nil
        let run = MonteCarloRunner.run(
            draws: options.draws, seed: options.seed, threads: options.threads, generator: options.generator, design: options.design,
            chunkSize: options.common.chunkSize,
            width: width, tracked: tracked, sketched: sketched, progress: options.progress,
            makeWorker: { MappingWorker(model: model) },
            body: { worker, stream, draw, values in
                let row = record?.row(draw)
                worker.scratch.withBuffers { z, adoption in
                    kernel.draw(stream, index: draw, values: values, roleFactors: z, adoption: adoption,
                                record: inputColumns.isEmpty ? nil : row)
                }
                model.output?.fill(values, draw: draw, seed: seed, series: S, labourValue: model.labourValue)
                kernel.tally(values, into: &worker.tallies)
                if let row {
                    for (k, e) in recordedEntities.enumerated() {
                        row[inputColumns.count + k] = values[e * model.seriesCount + Series.npv.rawValue]
                    }
                }
            })
        var tallies = WorkerTallies(entityCount: model.entityCount)
        for worker in run.workers { tallies.merge(worker.tallies) }
        return MappingResult(model: model, moments: run.moments, replicateStandardErrors: run.replicateStandardErrors, sketches: run.sketches, tracked: tracked, sketched: sketched,
                             tallies: tallies, thresholds: thresholds, options: options, threadsUsed: run.threadsUsed,
                             wallTime: Date().timeIntervalSince(started), drawTable: record)
    }

    /// Which series of the draw vector the run summarises: those `summarised` asks for (every one when nil),
    /// never a task's displaced FTE, which is its share times its FTE, derived exactly afterwards.
    /// A key naming no entity of this scenario is passed over (its summary is nil, as for any absent entity).
    static func trackedSeries(_ model: MappingModel, _ summarised: Set<MetricKey>?) -> [Bool] {
        let S = model.seriesCount, width = model.entityCount * S
        var tracked = [Bool](repeating: summarised == nil, count: width)
        if let summarised {
            for key in summarised {
                guard let e = model.entityIndex(key.level, key.id),
                      let s = MappingResult.series(of: key.metric, at: key.level), s.rawValue < S else { continue }
                tracked[e * S + s.rawValue] = true
            }
        }
        for t in 0..<model.taskCount { tracked[t * S + Series.displaced.rawValue] = false }
        if S > Series.countWithAdoption {
            // Output series only where there is an output cost; adoption series only with barriers.
            let output = Set(model.output?.entities ?? [])
            for e in 0..<model.entityCount {
                for s in [Series.outputCost, .outputShare] where !output.contains(e) { tracked[e * S + s.rawValue] = false }
                if model.adoption == nil { for s in [Series.adopted, .delay] { tracked[e * S + s.rawValue] = false } }
            }
        }
        return tracked
    }

    /// Fills the default thresholds: x at 0.5 (probability view); y at the median, across the entities of each
    /// level, of the closed-form expected value (probability view); break-even (NPV = 0) in the risk–return view,
    /// or the median expected NPV when the scenario says `return: median`.
    static func resolveThresholds(_ model: MappingModel, _ given: MatrixThresholds) -> ResolvedThresholds {
        let expected = ExpectedValues(model)
        var value = [Double](repeating: 0, count: model.entityCount)
        var npv = value
        var perLevel: [Level: MatrixThresholds] = [:]
        for level in Level.allCases {
            // Medians over the entities that employ someone (a role no task names is not on the matrix).
            let r = model.range(of: level).filter { model.entities[$0].fte > 0 }
            let v = given.value ?? median(r.map { expected.grossSaving[$0] })
            let n = given.return ?? (given.returnAtMedian ? median(r.map { expected.npv[$0] }) : 0)
            for e in model.range(of: level) { value[e] = v; npv[e] = n }
            perLevel[level] = MatrixThresholds(probability: given.probability ?? 0.5, value: v, risk: given.risk, return: n)
        }
        return ResolvedThresholds(given: given, perLevel: perLevel,
                                  perEntity: DrawThresholds(probability: given.probability ?? 0.5, value: value, npv: npv))
    }
}

/// Thresholds as used by a run: per level (the risk threshold stays nil
/// when it defaults to the median of the risks, known only after the run).
struct ResolvedThresholds: Sendable {
    /// What the caller and scenario set (nil: a default).
    let given: MatrixThresholds
    let perLevel: [Level: MatrixThresholds]
    let perEntity: DrawThresholds
}
