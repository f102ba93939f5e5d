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

/// The mapping's per-draw computation: sample every task (``TaskSampler``), aggregate to services, roles,
/// organisations and the total, and tally. Allocation-free: all buffers belong to the caller.
struct MappingKernel: Sendable {
    let sampler: TaskSampler
    let thresholds: DrawThresholds
    /// Whether draws are placed in quadrants for the matrix (not in a run that summarises named outputs only).
    let countsQuadrants: Bool
    var model: MappingModel { sampler.model }
    /// Organisations and the total summed from services once a draw (10 adds a task instead of 20) — by inversion; a
    /// `gsl-direct` run adds every task to all four, in the order whose last bits earlier releases printed.
    let aggregatesFromServices: Bool

    init(sampler: TaskSampler, thresholds: DrawThresholds, countsQuadrants: Bool) {
        (self.sampler, self.thresholds, self.countsQuadrants) = (sampler, thresholds, countsQuadrants)
        aggregatesFromServices = sampler.model.sampling == .inversion
    }

    /// Computes draw `index` into `values` (entity-major, ``MappingModel/seriesCount`` values per entity).
    @inline(__always)
    func draw(
        _ stream: RandomStream, index: Int, values v: UnsafeMutableBufferPointer<Double>, roleFactors z: UnsafeMutableBufferPointer<Double>,
              adoption scratch: TaskSampler.AdoptionScratch, record: UnsafeMutableBufferPointer<Double>? = nil) {
        let T = model.taskCount, S = model.seriesCount
        for k in (T * S)..<v.count { v[k] = 0 }
        let globalFactor = sampler.drawFactors(stream, roleFactors: z)
        if model.adoption != nil {
            sampler.drawAdoption(draw: index, scratch)
            if let record { DrawTable.recordBarriers(model, scratch.state, from: T * TaskInput.allCases.count, into: record) }
        }
        let c = model.tasks
        for t in 0..<T {
            var d = sampler.drawTask(t, stream, globalFactor: globalFactor, roleFactors: z)
            if let record { DrawTable.recordTask(d, t, into: record) }
            if model.adoption != nil {
                let (delay, adopted) = sampler.adopt(&d, t, scratch)
                let (A, D) = (Series.adopted.rawValue, Series.delay.rawValue), labour = c.labour[t]
                v[t * S + A] = adopted ? 1 : 0
                v[t * S + D] = delay
                // Labour-weighted sums for the four aggregates, divided by labour below.
                let (a, l) = (adopted ? labour : 0, delay * labour)
                v[c.serviceEntity[t] * S + A] += a; v[c.serviceEntity[t] * S + D] += l
                v[c.roleEntity[t] * S + A] += a; v[c.roleEntity[t] * S + D] += l
                if !aggregatesFromServices {
                    v[c.organisationEntity[t] * S + A] += a; v[c.organisationEntity[t] * S + D] += l
                    v[(model.entityCount - 1) * S + A] += a; v[(model.entityCount - 1) * S + D] += l
                }
            }
            let gross = d.share * c.labour[t]
            let displaced = d.share * c.fte[t]
            let npv = model.npv(d, labour: c.labour[t])
            let base = t * S
            v[base + Series.share.rawValue] = d.share; v[base + Series.displaced.rawValue] = displaced
            v[base + Series.implementation.rawValue] = d.implementation; v[base + Series.running.rawValue] = d.running
            v[base + Series.npv.rawValue] = npv
            // Four aggregates per task, unrolled (an array literal here would allocate per draw).
            Self.accumulate(v, c.serviceEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
            Self.accumulate(v, c.roleEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
            if !aggregatesFromServices {
                Self.accumulate(v, c.organisationEntity[t] * S, gross, displaced, d.implementation, d.running, npv)
                Self.accumulate(v, (model.entityCount - 1) * S, gross, displaced, d.implementation, d.running, npv)
            }
        }
        if aggregatesFromServices {
            // Each service's sums (before the share's division by labour) into its organisation and the total.
            let total = (model.entityCount - 1) * S
            for (s, organisation) in model.serviceOrganisation.enumerated() {
                let from = (T + s) * S, to = organisation * S
                for k in 0..<S {
                    v[to + k] += v[from + k]
                    v[total + k] += v[from + k]
                }
            }
        }
        // Aggregates accumulated labour-weighted sums in the share (and adoption) slots: divide by labour value.
        for e in T..<model.entityCount {
            v[e * S + Series.share.rawValue] *= model.inverseLabour[e]
            if S > Series.count {
                v[e * S + Series.adopted.rawValue] *= model.inverseLabour[e]
                v[e * S + Series.delay.rawValue] *= model.inverseLabour[e]
            }
        }
    }

    /// Adds a task's draw to an aggregate's series (the share slot sums gross saving, divided by labour later).
    @inline(__always)
    static func accumulate(_ v: UnsafeMutableBufferPointer<Double>, _ b: Int,
                           _ gross: Double, _ displaced: Double, _ implementation: Double, _ running: Double, _ npv: Double) {
        v[b + Series.share.rawValue] += gross; v[b + Series.displaced.rawValue] += displaced
        v[b + Series.implementation.rawValue] += implementation; v[b + Series.running.rawValue] += running;
        v[b + Series.npv.rawValue] += npv
    }

    /// Counts one draw's losses and quadrant hits.
    @inline(__always)
    func tally(_ v: UnsafeMutableBufferPointer<Double>, into tallies: inout WorkerTallies) {
        let S = model.seriesCount
        for e in 0..<model.entityCount {
            let share = v[e * S + Series.share.rawValue], npv = v[e * S + Series.npv.rawValue]
            if npv < 0 { tallies.losses[e] += 1 }
            guard countsQuadrants, e >= model.taskCount else { continue }
            let q = Quadrant(favourableX: share >= thresholds.probability,
                             highY: share * model.labourValue[e] >= thresholds.value[e])
            tallies.quadrantHits[e * 4 + q.counterIndex] += 1
            if npv >= thresholds.npv[e] { tallies.returnHits[e] += 1 }
        }
    }
}

/// One thread's scratch space and counts for the mapping.
struct MappingWorker {
    var scratch: SamplerScratch
    var tallies: WorkerTallies

    init(model: MappingModel) {
        scratch = SamplerScratch(model: model)
        tallies = WorkerTallies(entityCount: model.entityCount)
    }
}
