import DXSampling
import DXScenario
import Foundation

/// A scenario's barriers, interactions, routines and programmes compiled for
/// the inner loop.
///
/// Per draw (``drawState(_:draw:seed:into:)``), each barrier b gets one
/// presence probability (drawn from its distribution), and each organisation
/// o in its scope is independently affected or not, with that probability
/// times the multipliers of the routines o runs; when affected it has a delay,
/// a realisation multiplier and a failure event. Every variate is a keyed
/// uniform of (seed, draw, barrier, organisation, purpose) put through the
/// distribution's quantile, so every programme sees the same draws (common
/// random numbers): a routine that halves a presence probability removes the
/// barrier exactly where the uniform falls in the removed half.
///
/// Per task (``apply(task:state:to:)``), a barrier is present when it is
/// present at an organisation the task depends on (its own; for a
/// data-sharing barrier, those it needs data from); its effect is the worst
/// among them. Interactions multiply the delays of their members when all
/// are present. The task's delay is the sum of its barriers' delays, its
/// realisation is multiplied by each present barrier's multiplier, and it
/// fails if any present barrier's failure event occurs: then it is not
/// adopted within the horizon, and nothing is automated (share 0).
struct AdoptionModel: Sendable {
    /// Routine multipliers on one barrier at one organisation.
    struct Multipliers: Sendable, Equatable {
        var presence = 1.0, delay = 1.0, realisationLoss = 1.0, failure = 1.0
    }

    /// One barrier at one organisation, in one draw.
    struct Effect: Sendable {
        var present = false
        var delay = 0.0
        var realisation = 1.0
        var failed = false
    }

    let barriers: [Barrier]
    /// Each barrier's presence, delay, realisation and failure distributions, compiled for their quantiles.
    let barrierSamplers: [(presence: Sampler, delay: Sampler, realisation: Sampler, failure: Sampler)]
    let organisationCount: Int
    /// Per task: (barrier, organisations it depends on for that barrier), flattened.
    let taskBarrierStart: [Int]
    let taskBarrier: [Int]
    let taskBarrierOrganisations: [[Int]]
    let interactions: [(members: [Int], factor: Double)]
    let programmes: [AdoptionProgramme]
    /// multipliers[programme][barrier · O + organisation]
    let multipliers: [[Multipliers]]
    /// Present value of routine costs per programme and organisation (one-off now, annual over the horizon, discounted).
    let routineCost: [[Double]]

    /// Nil when the scenario has no barriers.
    init?(_ scenario: Scenario, sampling: Sampler.Method = .gslDirect) {
        guard !scenario.barriers.isEmpty else { return nil }
        barriers = scenario.barriers
        barrierSamplers = scenario.barriers.map {
            (Sampler($0.presence, method: sampling), Sampler($0.delay, method: sampling), Sampler($0.realisation, method: sampling),
             Sampler($0.failure, method: sampling))
        }
        let orgIndex = Dictionary(uniqueKeysWithValues: scenario.organisations.enumerated().map { ($1.id, $0) })
        let O = scenario.organisations.count
        organisationCount = O
        var start = [Int](), barrierOf = [Int](), orgsOf = [[Int]]()
        for service in scenario.services {
            let own = orgIndex[service.organisation]!
            for task in service.tasks {
                start.append(barrierOf.count)
                for (b, barrier) in scenario.barriers.enumerated() {
                    let orgs: [Int]
                    switch barrier.scope {
                    case .all: orgs = [own]
                    case let .organisation(id): orgs = id == service.organisation ? [own] : []
                    case let .service(id): orgs = id == service.id ? [own] : []
                    case .dataSharing: orgs = task.dataFrom.compactMap { orgIndex[$0] }
                    }
                    guard !orgs.isEmpty else { continue }
                    barrierOf.append(b)
                    orgsOf.append(orgs)
                }
            }
        }
        start.append(barrierOf.count)
        (taskBarrierStart, taskBarrier, taskBarrierOrganisations) = (start, barrierOf, orgsOf)
        let barrierIndex = Dictionary(uniqueKeysWithValues: scenario.barriers.enumerated().map { ($1.id, $0) })
        interactions = scenario.interactions.map { i in (i.barriers.compactMap { barrierIndex[$0] }, i.delayFactor) }

        // With no programmes, compare no routines against each routine alone.
        var programmes = scenario.programmes
        if programmes.isEmpty {
            programmes = [AdoptionProgramme(id: "none", name: "No routines", routines: [])]
                + scenario.routines.map { AdoptionProgramme(id: $0.id, name: $0.name, routines: [$0.id]) }
        }
        self.programmes = programmes
        let routines = Dictionary(uniqueKeysWithValues: scenario.routines.map { ($0.id, $0) })
        let d = scenario.discountRate, H = scenario.horizon
        let annuity = (1...H).reduce(0.0) { $0 + pow(1 + d, -Double($1)) }
        var multipliers: [[Multipliers]] = [], costs: [[Double]] = []
        for programme in programmes {
            var m = Array(repeating: Multipliers(), count: scenario.barriers.count * O)
            var cost = [Double](repeating: 0, count: O)
            for routine in programme.routines.compactMap({ routines[$0] }) {
                let runners = routine.organisations.isEmpty ? Array(0..<O) : routine.organisations.compactMap { orgIndex[$0] }
                for o in runners {
                    cost[o] += routine.oneOffCost + routine.annualCost * annuity
                    for effect in routine.effects {
                        guard let b = barrierIndex[effect.barrier] else { continue }
                        m[b * O + o].presence *= effect.presence
                        m[b * O + o].delay *= effect.delay
                        m[b * O + o].realisationLoss *= effect.realisationLoss
                        m[b * O + o].failure *= effect.failure
                    }
                }
            }
            multipliers.append(m)
            costs.append(cost)
        }
        self.multipliers = multipliers
        routineCost = costs
    }

    /// The index of a programme by id.
    func programmeIndex(_ id: String) -> Int? { programmes.firstIndex { $0.id == id } }

    /// Fills `state[b · O + o]` for one draw under `programme` (nil: no routines).
    func drawState(_ programme: Int?, draw: Int, seed: UInt64, into state: UnsafeMutableBufferPointer<Effect>) {
        let O = organisationCount
        let none = Multipliers()
        let key = KeyedUniform.bits(seed, 0xAD0F, UInt64(draw))
        for (b, barrier) in barrierSamplers.enumerated() {
            let p = barrier.presence.quantile(Self.unit(key, b, O, 0))   // one presence probability per barrier and draw
            for o in 0..<O {
                let m = programme.map { multipliers[$0][b * O + o] } ?? none
                var e = Effect()
                e.present = Self.unit(key, b, o, 1) < p * m.presence
                if e.present {
                    e.delay = barrier.delay.quantile(Self.unit(key, b, o, 2)) * m.delay
                    let loss = 1 - barrier.realisation.quantile(Self.unit(key, b, o, 3))
                    e.realisation = 1 - loss * m.realisationLoss
                    e.failed = Self.unit(key, b, o, 4) < barrier.failure.quantile(Self.unit(key, b, o, 5)) * m.failure
                }
                state[b * O + o] = e
            }
        }
    }

    /// A uniform in (0, 1) keyed by the draw's key, barrier, organisation and purpose.
    @inline(__always)
    static func unit(_ key: UInt64, _ b: Int, _ o: Int, _ purpose: UInt64) -> Double {
        let bits = KeyedUniform.mix(key ^ KeyedUniform.mix(UInt64(b) << 32 | UInt64(o) << 8 | purpose))
        return (Double(bits >> 11) + 0.5) * 0x1p-53
    }

    /// What barriers do to one task in one draw.
    struct TaskEffect {
        var delay = 0.0
        var realisation = 1.0
        var failed = false
    }

    /// The combined effect of the task's barriers, given the draw's state.
    func apply(task t: Int, state: UnsafeMutableBufferPointer<Effect>, scratch: UnsafeMutableBufferPointer<Double>) -> TaskEffect {
        let O = organisationCount
        var result = TaskEffect()
        // scratch[b]: the task's delay from barrier b (NaN when absent).
        for b in 0..<barriers.count { scratch[b] = .nan }
        for k in taskBarrierStart[t]..<taskBarrierStart[t + 1] {
            let b = taskBarrier[k]
            var worst = 1.0   // the barrier's realisation multiplier: the worst among the organisations where it is present
            for o in taskBarrierOrganisations[k] {
                let e = state[b * O + o]
                guard e.present else { continue }
                scratch[b] = scratch[b].isNaN ? e.delay : Swift.max(scratch[b], e.delay)
                worst = Swift.min(worst, e.realisation)
                if e.failed { result.failed = true }
            }
            result.realisation *= worst
        }
        for (members, factor) in interactions where members.allSatisfy({ !scratch[$0].isNaN }) {
            for b in members { scratch[b] *= factor }
        }
        for b in 0..<barriers.count where !scratch[b].isNaN { result.delay += scratch[b] }
        return result
    }
}
