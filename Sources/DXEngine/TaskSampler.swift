import DXSampling
import DXScenario
import DXSupport

/// How every engine samples a draw's tasks: the copula's common factors, each task's automation share,
/// realisation, costs and adoption year, and the adoption barriers with the routines of one programme.
/// Mapping, redeployment and adoption all draw through it, so a task is sampled the same way everywhere.
/// Allocation-free: all buffers belong to the caller.
struct TaskSampler: Sendable {
    let model: MappingModel
    let loadings: (global: Double, role: Double, own: Double)
    let correlated: Bool
    /// The adoption programme whose routines run (nil: none), and the seed its keyed uniforms use.
    let programme: Int?
    let seed: UInt64
    /// Tabulated copula maps where they pay (see ``ScoreTables``).
    let scoreTables: ScoreTables?

    /// `draws` decides where the copula uses tables (0: never).
    init(model: MappingModel, programme: Int? = nil, seed: UInt64 = 0, draws: Int = 0) {
        self.model = model
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
        /// θ and ρ as sampled (``share`` is their product, before barriers).
        var automation = 0.0, realisation = 0.0
    }

    /// The index of programme `id` in the model's adoption programmes (nil for nil).
    /// - Throws: ``UnknownNameError`` naming the known programmes when there is no such programme.
    static func programmeIndex(_ id: String?, _ model: MappingModel) throws -> Int? {
        guard let id else { return nil }
        guard let adoption = model.adoption, let p = adoption.programmeIndex(id) else {
            let known = model.adoption?.programmes.map(\.id) ?? []
            throw UnknownNameError(
                kind: "programme", name: id,
                message: known.isEmpty
                    ? "no programme '\(id)': the scenario has no 'barriers:'"
                                             : """
                                                 no programme '\(id)'\(Suggestion.didYouMean(id, among: known)); the scenario's \
                                                 programmes are \(known.joined(separator: ", "))
                                                 """)
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
        let theta, rho, implementation, running, year: Double
        if let inputs = c.inputs {
            // By inversion: the task's compact record, the same values as its cores' from the same uniforms in order.
            let p = inputs.baseAddress.unsafelyUnwrapped + t
            theta = correlated ? copulaAutomation(t, stream, globalFactor: globalFactor, roleFactors: z)
                               : p.pointee.automation.value(stream.uniformPositive())
            rho = p.pointee.realisation.value(stream.uniformPositive())
            implementation = p.pointee.implementation.value(stream.uniformPositive())
            running = p.pointee.running.value(stream.uniformPositive())
            year = p.pointee.adoption.value(stream.uniformPositive())
        } else {
            theta = correlated ? copulaAutomation(t, stream, globalFactor: globalFactor, roleFactors: z)
                               : c.automation[t].sample(stream)
            rho = c.realisation[t].sample(stream)
            implementation = c.implementation[t].sample(stream)
            running = c.running[t].sample(stream)
            year = c.adoption[t].sample(stream)
        }
        return TaskDraw(share: theta * rho, implementation: implementation, running: running,
                        year: model.adoptionIndex(year), sampledYear: year, automation: theta, realisation: rho)
    }

    /// θ of task `t` through the Gaussian copula: θ = F⁻¹(Φ(z)), z = √g·Z + √r·Z_role + √(1−g−r)·ε.
    @inline(__always)
    func copulaAutomation(_ t: Int, _ stream: RandomStream, globalFactor: Double, roleFactors z: UnsafeMutableBufferPointer<Double>)
        -> Double {
        let c = model.tasks
        let score = loadings.global * globalFactor + loadings.role * z[c.role[t]] + loadings.own * stream.standardNormal()
        if let table = scoreTables?.perTask[t] { return table.value(score) }
        return ScoreQuantileTable.exact(c.automation[t], score)
    }
}

/// One thread's scratch space for a ``TaskSampler``: the copula's role factors and the barriers' state.
struct SamplerScratch {
    var roleFactors: [Double]
    var adoptionState: [AdoptionModel.Effect]
    var adoptionDelays: [Double]

    init(model: MappingModel) {
        roleFactors = Array(repeating: 0, count: model.roleCount)
        adoptionState = Array(
            repeating: AdoptionModel.Effect(), count: (model.adoption?.barriers.count ?? 0) * (model.adoption?.organisationCount ?? 0))
        adoptionDelays = Array(repeating: 0, count: model.adoption?.barriers.count ?? 0)
    }

    /// Runs `body` with the role factors and the adoption scratch as buffers.
    mutating func withBuffers<R>(_ body: (UnsafeMutableBufferPointer<Double>, TaskSampler.AdoptionScratch) -> R) -> R {
        roleFactors.withUnsafeMutableBufferPointer { z in
            adoptionState.withUnsafeMutableBufferPointer { state in
                adoptionDelays.withUnsafeMutableBufferPointer { delays in
                    body(z, TaskSampler.AdoptionScratch(state: state, delays: delays))
                }
            }
        }
    }
}
