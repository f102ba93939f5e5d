import DXSampling
import DXScenario

extension Quadrant {
    /// Position of the quadrant's counter (the order of `allCases`).
    var counterIndex: Int {
        switch self {
        case .automateFirst: 0
        case .pilot: 1
        case .opportunistic: 2
        case .leave: 3
        }
    }
}

/// What one worker thread counts across all its chunks besides moments and
/// percentiles. Everything here is an integer count (losses, quadrant hits),
/// so merging workers in any order gives identical results.
struct WorkerTallies {
    var losses: [Int]
    /// Per entity, per quadrant of the probability view: draws that fell there.
    var quadrantHits: [Int]
    /// Per entity: draws whose NPV reached the return threshold (risk–return view).
    var returnHits: [Int]

    init(entityCount: Int) {
        losses = Array(repeating: 0, count: entityCount)
        quadrantHits = Array(repeating: 0, count: entityCount * 4)
        returnHits = Array(repeating: 0, count: entityCount)
    }

    mutating func merge(_ other: WorkerTallies) {
        for k in losses.indices { losses[k] += other.losses[k] }
        for k in quadrantHits.indices { quadrantHits[k] += other.quadrantHits[k] }
        for k in returnHits.indices { returnHits[k] += other.returnHits[k] }
    }
}

/// Per-entity thresholds fixed before the draws, so that each draw can be placed in a quadrant.
struct DrawThresholds: Sendable {
    let probability: Double
    /// y of the probability view, per entity (by its level).
    let value: [Double]
    /// y of the risk–return view, per entity.
    let npv: [Double]
}

/// The per-draw computation: sample every task, aggregate to services,
/// roles, organisations and the total, and tally. Allocation-free: all
/// buffers belong to the caller.
struct MappingKernel {
    let model: MappingModel
    let thresholds: DrawThresholds
    let loadings: (global: Double, role: Double, own: Double)
    let correlated: Bool
    /// The adoption programme whose routines run (nil: none), and the seed its keyed uniforms use.
    let programme: Int?
    let seed: UInt64
    /// Tabulated copula maps where they pay (see ``ScoreTables``).
    let scoreTables: ScoreTables?

    /// `draws` decides where the copula uses tables (0: never).
    init(model: MappingModel, thresholds: DrawThresholds, programme: Int? = nil, seed: UInt64 = 0, draws: Int = 0) {
        self.model = model
        self.thresholds = thresholds
        self.programme = programme
        self.seed = seed
        scoreTables = ScoreTables(model, draws: draws)
        let c = model.scenario.correlation
        loadings = (c.global.squareRoot(), c.role.squareRoot(), Swift.max(0, 1 - c.global - c.role).squareRoot())
        correlated = !c.isIndependent
    }

    /// One task's draw.
    struct TaskDraw {
        /// θ·ρ: the share of the task's work automated.
        var share: Double
        var implementation: Double
        var running: Double
        /// Adoption year index: 1…horizon, or horizon + 1 when not within the horizon.
        var year: Int
        /// The adoption year as sampled, before rounding and barriers.
        var sampledYear: Double
    }

    /// The index of programme `id` in the model's adoption programmes (nil for nil).
    /// - Throws: ``UnknownNameError`` naming the known programmes when there is no such programme.
    static func programmeIndex(_ id: String?, _ model: MappingModel) throws -> Int? {
        guard let id else { return nil }
        guard let adoption = model.adoption, let p = adoption.programmeIndex(id) else {
            let known = model.adoption?.programmes.map(\.id) ?? []
            throw UnknownNameError(kind: "programme", name: id, message: known.isEmpty ? "no programme '\(id)': the scenario has no 'barriers:'"
                                             : "no programme '\(id)'\(Suggestion.didYouMean(id, among: known)); the scenario's programmes are \(known.joined(separator: ", "))")
        }
        return p
    }

    /// Scratch space for the adoption barriers of one draw (empty when the scenario has none).
    struct AdoptionScratch {
        var state: UnsafeMutableBufferPointer<AdoptionModel.Effect>
        var delays: UnsafeMutableBufferPointer<Double>
    }

    /// Draws the adoption barriers' state of draw `draw` (under ``programme``) into `scratch`.
    @inline(__always)
    func drawAdoption(draw: Int, _ scratch: AdoptionScratch) {
        model.adoption?.drawState(programme, draw: draw, seed: seed, into: scratch.state)
    }

    /// Applies the draw's barriers to task `t`: later (or failed) adoption, lower realisation.
    /// Returns the delay barriers added and whether the task is adopted within the horizon.
    @inline(__always)
    func adopt(_ d: inout TaskDraw, _ t: Int, _ scratch: AdoptionScratch) -> (delay: Double, adopted: Bool) {
        guard let adoption = model.adoption else { return (0, d.year <= model.horizon) }
        let e = adoption.apply(task: t, state: scratch.state, scratch: scratch.delays)
        if e.failed {
            d.share = 0
            d.year = model.horizon + 1
            return (e.delay, false)
        }
        d.share *= e.realisation
        d.year = model.adoptionIndex(d.sampledYear + e.delay)
        return (e.delay, d.year <= model.horizon)
    }

    /// The draw's common factors of the copula (none when independent).
    @inline(__always)
    func drawFactors(_ stream: RandomStream, roleFactors z: UnsafeMutableBufferPointer<Double>) -> Double {
        guard correlated else { return 0 }
        let global = stream.standardNormal()
        for r in 0..<z.count { z[r] = stream.standardNormal() }
        return global
    }

    /// Samples task `t`: θ (through the copula when correlated), ρ, costs and adoption year.
    @inline(__always)
    func drawTask(_ t: Int, _ stream: RandomStream, globalFactor: Double, roleFactors z: UnsafeMutableBufferPointer<Double>) -> TaskDraw {
        let c = model.tasks
        let theta: Double
        if correlated {
            // Gaussian copula: θ = F⁻¹(Φ(z)), z = √g·Z + √r·Z_role + √(1−g−r)·ε.
            let score = loadings.global * globalFactor + loadings.role * z[c.role[t]] + loadings.own * stream.standardNormal()
            if let table = scoreTables?.perTask[t] {
                theta = table.value(score)
            } else {
                theta = ScoreQuantileTable.exact(c.automation[t], score)
            }
        } else {
            theta = c.automation[t].sample(stream)
        }
        let share = theta * c.realisation[t].sample(stream)
        let implementation = c.implementation[t].sample(stream)
        let running = c.running[t].sample(stream)
        let year = c.adoption[t].sample(stream)
        return TaskDraw(share: share, implementation: implementation, running: running,
                        year: model.adoptionIndex(year), sampledYear: year)
    }

    /// Computes draw `index` into `values` (entity-major, ``MappingModel/seriesCount`` values per entity).
    @inline(__always)
    func draw(_ stream: RandomStream, index: Int, values v: UnsafeMutableBufferPointer<Double>, roleFactors z: UnsafeMutableBufferPointer<Double>,
              adoption scratch: AdoptionScratch) {
        let T = model.taskCount, S = model.seriesCount
        for k in (T * S)..<v.count { v[k] = 0 }
        let globalFactor = drawFactors(stream, roleFactors: z)
        if model.adoption != nil { drawAdoption(draw: index, scratch) }
        let c = model.tasks
        for t in 0..<T {
            var d = drawTask(t, stream, globalFactor: globalFactor, roleFactors: z)
            if model.adoption != nil {
                let (delay, adopted) = adopt(&d, t, scratch)
                let (A, D) = (Series.adopted.rawValue, Series.delay.rawValue), labour = c.labour[t]
                v[t * S + A] = adopted ? 1 : 0
                v[t * S + D] = delay
                // Labour-weighted sums for the four aggregates, divided by labour below.
                let (a, l) = (adopted ? labour : 0, delay * labour)
                v[c.serviceEntity[t] * S + A] += a; v[c.serviceEntity[t] * S + D] += l
                v[c.roleEntity[t] * S + A] += a; v[c.roleEntity[t] * S + D] += l
                v[c.organisationEntity[t] * S + A] += a; v[c.organisationEntity[t] * S + D] += l
                v[(model.entityCount - 1) * S + A] += a; v[(model.entityCount - 1) * S + D] += l
            }
            let gross = d.share * c.labour[t]
            let displaced = d.share * c.fte[t]
            let npv = (gross - d.running) * model.annuity[d.year] - d.implementation * model.discount[d.year]
            let base = t * S
            v[base] = d.share; v[base + 1] = displaced; v[base + 2] = d.implementation; v[base + 3] = d.running; v[base + 4] = npv
            // Four aggregates per task, unrolled (an array literal here would allocate per draw).
            Self.accumulate(v, c.serviceEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
            Self.accumulate(v, c.roleEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
            Self.accumulate(v, c.organisationEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
            Self.accumulate(v, (model.entityCount - 1) * S, gross, displaced, d.implementation, d.running, npv)
        }
        // Aggregates accumulated labour-weighted sums in the share (and adoption) slots: divide by labour value.
        for e in T..<model.entityCount {
            v[e * S] *= model.inverseLabour[e]
            if S > Series.count {
                v[e * S + Series.adopted.rawValue] *= model.inverseLabour[e]
                v[e * S + Series.delay.rawValue] *= model.inverseLabour[e]
            }
        }
    }

    @inline(__always)
    static func accumulate(_ v: UnsafeMutableBufferPointer<Double>, _ b: Int,
                           _ gross: Double, _ displaced: Double, _ implementation: Double, _ running: Double, _ npv: Double) {
        v[b] += gross; v[b + 1] += displaced; v[b + 2] += implementation; v[b + 3] += running; v[b + 4] += npv
    }

    /// Counts one draw's losses and quadrant hits.
    @inline(__always)
    func tally(_ v: UnsafeMutableBufferPointer<Double>, into tallies: inout WorkerTallies) {
        let S = model.seriesCount
        for e in 0..<model.entityCount {
            let share = v[e * S], npv = v[e * S + Series.npv.rawValue]
            if npv < 0 { tallies.losses[e] += 1 }
            guard e >= model.taskCount else { continue }
            let q = Quadrant(favourableX: share >= thresholds.probability,
                             highY: share * model.labourValue[e] >= thresholds.value[e])
            tallies.quadrantHits[e * 4 + q.counterIndex] += 1
            if npv >= thresholds.npv[e] { tallies.returnHits[e] += 1 }
        }
    }
}

/// One thread's scratch space and counts for the mapping.
struct MappingWorker {
    var roleFactors: [Double]
    var tallies: WorkerTallies
    var adoptionState: [AdoptionModel.Effect]
    var adoptionDelays: [Double]

    init(model: MappingModel) {
        roleFactors = Array(repeating: 0, count: model.roleCount)
        tallies = WorkerTallies(entityCount: model.entityCount)
        adoptionState = Array(repeating: AdoptionModel.Effect(), count: (model.adoption?.barriers.count ?? 0) * (model.adoption?.organisationCount ?? 0))
        adoptionDelays = Array(repeating: 0, count: model.adoption?.barriers.count ?? 0)
    }

    /// Runs `body` with the role factors and the adoption scratch as buffers.
    mutating func withBuffers<R>(_ body: (UnsafeMutableBufferPointer<Double>, MappingKernel.AdoptionScratch) -> R) -> R {
        roleFactors.withUnsafeMutableBufferPointer { z in
            adoptionState.withUnsafeMutableBufferPointer { state in
                adoptionDelays.withUnsafeMutableBufferPointer { delays in
                    body(z, MappingKernel.AdoptionScratch(state: state, delays: delays))
                }
            }
        }
    }
}
