import DXSampling
import DXScenario
import DXSupport
import Foundation

/// How an adoption comparison is run; results depend only on the scenario, draws, seed and generator.
public struct AdoptionOptions: MonteCarloOptions {
    public var common: MonteCarloSettings
    /// Programmes to compare, by id, the first being the baseline; nil means all, in scenario order.
    public var programmes: [String]?
    /// Whether the run keeps every draw's inputs and each programme's net value for the whole scenario
    /// (``AdoptionResult/drawTable``), for the value of information; barriers' presence is recorded under the
    /// baseline programme.
    public var recordsDraws = false

    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}

/// What `dxmap adopt` reports per programme, level and entity.
public enum AdoptionMetric: String, Sendable, CaseIterable {
    /// Labour-weighted share of work adopted within the horizon.
    case adoptedByHorizon = "adopted_by_horizon"
    /// Labour-weighted mean delay, in years, that barriers add.
    case adoptionDelay = "adoption_delay"
    /// NPV of the automation over the horizon (before routine costs).
    case npv
    /// Present value of the programme's routines (one-off now, annual over the horizon, discounted);
    /// an organisation's cost is shared among its services by labour value.
    case routineCost = "routine_cost"
    /// NPV minus routine cost.
    case netValue = "net_value"

    /// Whether more is better when programmes are compared: yes for adoption, NPV and net value; no for delay
    /// and routine cost.
    public var higherIsBetter: Bool {
        switch self {
        case .adoptedByHorizon, .npv, .netValue: true
        case .adoptionDelay, .routineCost: false
        }
    }
}

/// Compares adoption programmes — combinations of routines against the
/// scenario's barriers — on common random numbers.
///
/// Each draw samples every task once (automation, realisation, costs,
/// adoption year), then applies the barriers under each programme; the
/// barriers' own variates are keyed uniforms of the draw, so every
/// programme meets the same barriers and the same luck. The difference
/// between a programme and the baseline (the first) is therefore its
/// effect with far less sampling noise than independent runs would give
/// (on the Catalyst scenario, the variance of an NPV difference is 1–3%
/// of theirs, of a delay difference 27–46%).
public enum AdoptionEngine {
    /// Runs the comparison; every programme of the scenario unless `options.programmes` picks some.
    /// - Throws: `DataError` when the scenario has no barriers, `UnknownNameError` when a programme is unknown,
    ///   `RunSettingsError` when the options are impossible.
    public static func run(_ scenario: Scenario, options: AdoptionOptions = AdoptionOptions()) throws -> AdoptionResult {
        let options = try options.resolved(for: scenario)
        let started = Date()
        let model = try MappingModel(scenario, sampling: options.sampler)
        guard let adoption = model.adoption else {
            throw DataError(message: "the scenario has no 'barriers:' section: there is nothing for routines to overcome")
        }
        let chosen = try (options.programmes ?? adoption.programmes.map(\.id)).map { try TaskSampler.programmeIndex($0, model)! }
        let layout = AdoptionLayout(model: model, programmes: chosen)
        let samplers = chosen.map { TaskSampler(model: model, programme: $0, seed: options.seed, draws: options.draws) }
        let inputColumns = options.recordsDraws ? DrawTable.inputColumns(model) : []
        let record = options.recordsDraws
            ? DrawTable(draws: options.draws, columns: inputColumns + chosen.map { .programme(adoption.programmes[$0].id) }) : nil
        let run = MonteCarloRunner.run(
            draws: options.draws, seed: options.seed, threads: options.threads, generator: options.generator, design: options.design,
            chunkSize: options.common.chunkSize,
            width: layout.width, progress: options.progress,
            makeWorker: { AdoptionWorker(model: model) },
            body: { worker, stream, draw, values in
                let row = record?.row(draw)
                worker.run(samplers: samplers, layout: layout, stream: stream, draw: draw, values: values, record: row)
                if let row {
                    let total = layout.entities.count - 1
                    for slot in chosen.indices {
                        row[inputColumns.count + slot] = values[layout.index(programme: slot, entity: total, series: AdoptionLayout.net)]
                    }
                }
            })
        return AdoptionResult(model: model, layout: layout, moments: run.moments, replicateStandardErrors: run.replicateStandardErrors, sketches: run.sketches, options: options,
                              threadsUsed: run.threadsUsed, wallTime: Date().timeIntervalSince(started), drawTable: record)
    }
}

/// Where each programme's series sit in a draw's values: programme-major, then entity (services,
/// organisations, total), then series: adopted, delay, npv, net value, their four differences from the
/// baseline, and the share adopted by each year 1…horizon.
struct AdoptionLayout: Sendable {
    /// Offsets of the series within an entity: the four per-draw values, then each one's difference from the
    /// baseline at `differences + offset`, then the share adopted by each year from `byYear`.
    static let adopted = 0, delay = 1, npv = 2, net = 3
    static let differenced = [adopted, delay, npv, net]
    static let differences = differenced.count, byYear = differences + differenced.count
    let programmes: [Int]
    /// Model entity index of each compact entity.
    let entities: [Int]
    /// Compact entity of each model entity (-1 for tasks and roles).
    let compact: [Int]
    let horizon: Int
    let seriesPerEntity: Int
    /// routineCost[programme slot][compact entity]
    let routineCost: [[Double]]

    init(model: MappingModel, programmes: [Int]) {
        self.programmes = programmes
        let entities = Array(model.range(of: .service)) + Array(model.range(of: .organisation)) + Array(model.range(of: .total))
        self.entities = entities
        var compact = [Int](repeating: -1, count: model.entityCount)
        for (i, e) in entities.enumerated() { compact[e] = i }
        self.compact = compact
        horizon = model.horizon
        seriesPerEntity = Self.byYear + model.horizon
        // Routine cost: per organisation as compiled; a service carries its organisation's cost in proportion to its labour.
        let adoption = model.adoption!
        let orgStart = model.range(of: .organisation).lowerBound
        let serviceOrg = model.scenario.services.map { s in model.scenario.organisations.firstIndex { $0.id == s.organisation }! }
        routineCost = programmes.map { p in
            let perOrg = adoption.routineCost[p]
            return entities.map { e in
                switch model.entities[e].level {
                case .organisation: return perOrg[e - orgStart]
                case .total: return perOrg.reduce(0, +)
                default:
                    let s = e - model.range(of: .service).lowerBound, o = serviceOrg[s]
                    let orgLabour = model.labourValue[orgStart + o]
                    return orgLabour > 0 ? perOrg[o] * model.labourValue[e] / orgLabour : 0
                }
            }
        }
    }

    var width: Int { programmes.count * entities.count * seriesPerEntity }

    func index(programme slot: Int, entity: Int, series: Int) -> Int {
        (slot * entities.count + entity) * seriesPerEntity + series
    }
}

/// One thread's scratch: the draw's task draws and the barrier state.
struct AdoptionWorker {
    var scratch: SamplerScratch
    var tasks: [TaskSampler.TaskDraw]

    init(model: MappingModel) {
        scratch = SamplerScratch(model: model)
        tasks = Array(
            repeating: TaskSampler.TaskDraw(share: 0, implementation: 0, running: 0, year: 1, sampledYear: 1), count: model.taskCount)
    }

    mutating func run(
        samplers: [TaskSampler], layout: AdoptionLayout, stream: RandomStream, draw: Int, values v: UnsafeMutableBufferPointer<Double>,
        record: UnsafeMutableBufferPointer<Double>? = nil
    ) {
        let model = samplers[0].model, c = model.tasks
        for k in 0..<v.count { v[k] = 0 }
        var tasks: [TaskSampler.TaskDraw] = []
        swap(&tasks, &self.tasks)   // borrowed for the draw (no copy), returned below
        scratch.withBuffers { z, scratch in
            let globalFactor = samplers[0].drawFactors(stream, roleFactors: z)
            for t in 0..<model.taskCount { tasks[t] = samplers[0].drawTask(t, stream, globalFactor: globalFactor, roleFactors: z) }
            if let record { for t in 0..<model.taskCount { DrawTable.recordTask(tasks[t], t, into: record) } }
            for (slot, sampler) in samplers.enumerated() {
                sampler.drawAdoption(draw: draw, scratch)
                if slot == 0, let record {
                    DrawTable.recordBarriers(model, scratch.state, from: model.taskCount * TaskInput.allCases.count, into: record)
                }
                for t in 0..<model.taskCount {
                    var d = tasks[t]
                    let (delay, adopted) = sampler.adopt(&d, t, scratch)
                    let labour = c.labour[t]
                    let npv = model.npv(d, labour: labour)
                    func add(_ e: Int) {
                        let base = layout.index(programme: slot, entity: layout.compact[e], series: 0)
                        if adopted {
                            v[base + AdoptionLayout.adopted] += labour
                            for y in d.year...layout.horizon { v[base + AdoptionLayout.byYear + y - 1] += labour }
                        }
                        v[base + AdoptionLayout.delay] += delay * labour
                        v[base + AdoptionLayout.npv] += npv
                    }
                    add(c.serviceEntity[t])
                    add(c.organisationEntity[t])
                    add(model.entityCount - 1)
                }
            }
        }
        swap(&tasks, &self.tasks)
        // Shares per unit of labour, net value, and differences from the baseline (slot 0).
        for slot in 0..<layout.programmes.count {
            for (i, e) in layout.entities.enumerated() {
                let base = layout.index(programme: slot, entity: i, series: 0), inverse = model.inverseLabour[e]
                v[base + AdoptionLayout.adopted] *= inverse
                v[base + AdoptionLayout.delay] *= inverse
                for y in 0..<layout.horizon { v[base + AdoptionLayout.byYear + y] *= inverse }
                v[base + AdoptionLayout.net] = v[base + AdoptionLayout.npv] - layout.routineCost[slot][i]
                let b0 = layout.index(programme: 0, entity: i, series: 0)
                for s in AdoptionLayout.differenced { v[base + AdoptionLayout.differences + s] = v[base + s] - v[b0 + s] }
            }
        }
    }
}
