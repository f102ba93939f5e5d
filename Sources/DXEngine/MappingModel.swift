import DXSampling
import DXScenario
import DXSupport
import Foundation

/// A scenario compiled for the inner loop: flat arrays indexed by task, the
/// entity layout of the results, samplers, and discount factors.
///
/// Entities are laid out as tasks, then services, roles, organisations and
/// the total, so that a draw's values for every entity sit in one contiguous
/// buffer.
struct MappingModel: Sendable {
    let scenario: Scenario
    let entities: [Entity]
    /// Each entity's index in ``entities``, by ``entityKey(_:_:)``.
    let indexByKey: [String: Int]
    /// First entity index of each level.
    let levelStart: [Level: Int]
    let taskCount: Int
    /// Per-task inputs, read in place by the kernel.
    let tasks: TaskColumns
    let roleCount: Int
    /// Σ_{y=a..H} (1+d)^−y and (1+d)^−a for a = 0…H+1 (index a; entries past H are 0: not adopted within the horizon).
    let annuity: [Double], discount: [Double]
    let horizon: Int
    /// Labour value of each entity, and its inverse (for the labour-weighted share).
    let labourValue: [Double]
    let inverseLabour: [Double]
    /// Barriers, routines and programmes; nil when the scenario has no barriers.
    let adoption: AdoptionModel?
    /// Series per entity: ``Series/count``, or ``Series/countWithAdoption`` with barriers (adopted within the horizon, delay),
    /// or ``Series/countWithOutput`` with output costs.
    let seriesCount: Int
    /// The services' output costs; nil when no service has one.
    let output: OutputCosts?

    /// How the model's samplers draw (``Sampler/Method``).
    let sampling: Sampler.Method
    /// Per service (by index in the scenario), the entity index of its organisation: by inversion, a draw adds each task
    /// to its service and role only, and each service to its organisation and the total (``MappingKernel``).
    let serviceOrganisation: [Int]

    init(_ scenario: Scenario, sampling: Sampler.Method = .gslDirect) throws {
        self.scenario = scenario
        self.sampling = sampling
        let roleIndex = Dictionary(uniqueKeysWithValues: scenario.roles.enumerated().map { ($1.id, $0) })
        let orgIndex = Dictionary(uniqueKeysWithValues: scenario.organisations.enumerated().map { ($1.id, $0) })
        let tasks = scenario.services.enumerated().flatMap { s, service in service.tasks.map { (s, service, $0) } }
        taskCount = tasks.count
        roleCount = scenario.roles.count
        let (T, S, R, O) = (tasks.count, scenario.services.count, scenario.roles.count, scenario.organisations.count)
        levelStart = [.task: 0, .service: T, .role: T + S, .organisation: T + S + R, .total: T + S + R + O]

        var labour = [Double](), fte = [Double](), roleOfTask = [Int]()
        var svc = [Int](), rol = [Int](), org = [Int]()
        var a = [Sampler](), rho = [Sampler](), imp = [Sampler](), run = [Sampler](), year = [Sampler]()
        // One sampler per distinct distribution: tasks that share a distribution share its compiled form, so a
        // discrete adoption year common to 10,000 tasks has one alias table in cache, not 10,000 scattered ones.
        var compiled: [Distribution: Sampler] = [:]
        func sampler(_ d: Distribution) -> Sampler {
            if let known = compiled[d] { return known }
            let new = Sampler(d, method: sampling)
            compiled[d] = new
            return new
        }
        for (s, service, task) in tasks {
            guard let r = roleIndex[task.role], let o = orgIndex[service.organisation],
                  let theta = scenario.automation(of: task) else {
                throw RunFailure("""
                    task \(service.id)/\(task.id) refers to an unknown role or organisation, or has no automation share; validate the \
                    scenario first
                    """)
            }
            labour.append(task.fte * scenario.roles[r].costPerFTE)
            fte.append(task.fte)
            roleOfTask.append(r)
            svc.append(T + s); rol.append(T + S + r); org.append(T + S + R + o)
            a.append(sampler(theta)); rho.append(sampler(task.realisation))
            imp.append(sampler(task.implementationCost)); run.append(sampler(task.runningCost))
            year.append(sampler(task.adoptionYear))
        }
        serviceOrganisation = scenario.services.map { T + S + R + (orgIndex[$0.organisation] ?? 0) }
        self.tasks = TaskColumns(labour: labour, fte: fte, role: roleOfTask, serviceEntity: svc, roleEntity: rol,
                                 organisationEntity: org, automation: a, realisation: rho, implementation: imp,
                                 running: run, adoption: year)

        // Entities with their constant labour value and FTE.
        var entities = tasks.enumerated().map { i, t in
            Entity(level: .task, id: Scenario.taskKey(service: t.1.id, task: t.2.id), name: t.2.name, labourValue: labour[i], fte: fte[i])
        }
        entities += scenario.services.map { Entity(level: .service, id: $0.id, name: $0.name, labourValue: 0, fte: 0) }
        entities += scenario.roles.map { Entity(level: .role, id: $0.id, name: $0.name, labourValue: 0, fte: 0) }
        entities += scenario.organisations.map { Entity(level: .organisation, id: $0.id, name: $0.name, labourValue: 0, fte: 0) }
        entities.append(Entity(level: .total, id: "total", name: scenario.name, labourValue: 0, fte: 0))
        for t in 0..<T {
            for e in [svc[t], rol[t], org[t], entities.count - 1] {
                entities[e].labourValue += labour[t]
                entities[e].fte += fte[t]
            }
        }
        self.entities = entities
        indexByKey = Dictionary(uniqueKeysWithValues: entities.enumerated().map { (Self.entityKey($1.level, $1.id), $0) })
        labourValue = entities.map(\.labourValue)
        inverseLabour = labourValue.map { $0 > 0 ? 1 / $0 : 0 }

        adoption = AdoptionModel(scenario, sampling: sampling)
        let output = OutputCosts(scenario, serviceStart: T, organisationStart: T + S + R, total: T + S + R + O)
        self.output = output
        seriesCount = output != nil ? Series.countWithOutput : adoption == nil ? Series.count : Series.countWithAdoption
        horizon = scenario.horizon
        let d = scenario.discountRate
        discount = (0...(horizon + 1)).map { $0 >= 1 && $0 <= scenario.horizon ? pow(1 + d, -Double($0)) : 0 }
        annuity = (0...(horizon + 1)).map { a in
            a >= 1 && a <= scenario.horizon ? (a...scenario.horizon).reduce(0) { $0 + pow(1 + d, -Double($1)) } : 0
        }
    }

    var entityCount: Int { entities.count }

    /// The key of an entity in ``indexByKey``: ids are unique within a level.
    static func entityKey(_ level: Level, _ id: String) -> String { "\(level.rawValue)|\(id)" }

    /// The index in ``entities`` of the entity with this level and id.
    func entityIndex(_ level: Level, _ id: String) -> Int? { indexByKey[Self.entityKey(level, id)] }

    /// The NPV of a task's draw over the horizon: its net saving from the adoption year on, less the discounted
    /// implementation cost (nothing when adoption falls past the horizon). Every engine values a task this way.
    @inline(__always)
    func npv(_ d: TaskSampler.TaskDraw, labour: Double) -> Double {
        (d.share * labour - d.running) * annuity[d.year] - d.implementation * discount[d.year]
    }

    /// The entity indices of one level.
    func range(of level: Level) -> Range<Int> {
        let start = levelStart[level]!
        let next = Level.allCases.firstIndex(of: level)! + 1
        let end = next < Level.allCases.count ? levelStart[Level.allCases[next]]! : entities.count
        return start..<end
    }

    /// The adoption year index used for discounting: the sampled year rounded to the nearest
    /// whole year, at least 1; years past the horizon map to horizon + 1 (not adopted within it).
    @inline(__always)
    func adoptionIndex(_ sampled: Double) -> Int {
        let y = sampled.rounded()
        if !(y >= 1) { return 1 }
        return y > Double(horizon) ? horizon + 1 : Int(y)
    }
}
