import DXSampling
import DXScenario
import DXSupport
import Foundation

/// How a redeployment run is done; like ``MappingOptions``, results depend
/// only on the scenario, draws, seed and generator, never on threads.
public struct RedeploymentOptions: MonteCarloOptions {
    public var common: MonteCarloSettings
    /// Policies to compare, by id, the first being the baseline; nil means all, in scenario order.
    public var policies: [String]?
    /// With `barriers:`, the adoption programme whose routines run; nil runs the barriers with no routines.
    /// Barriers move each task's displacement to its adjusted adoption year.
    public var programme: String?
    /// Whether the run keeps every draw's inputs and each policy's outcomes over the horizon
    /// (``RedeploymentEngine/recordedMetrics``; ``RedeploymentResult/drawTable``), for the value of information.
    public var recordsDraws = false

    /// Options with the given draws, seed and threads.
    public init(draws: Int = 10_000, seed: UInt64 = DXMapDefaults.seed,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        common = MonteCarloSettings(draws: draws, seed: seed, threads: threads)
    }
}

/// Simulates, year by year, what happens to the people whose work is
/// automated, under each redeployment policy of a scenario, on common random
/// numbers: every policy sees the same displacement, attrition, growth and
/// training outcomes in a draw, so their differences carry far less sampling noise than independent runs
/// would (the variance of a difference was 1–31% of theirs on the bundled county workforce).
///
/// ```swift
/// let result = try RedeploymentEngine.run(scenario, options: RedeploymentOptions(draws: 10_000))
/// let avoided = result.difference(policy: "shared-pool", metric: .redundant)
/// ```
public enum RedeploymentEngine {
    /// The outcomes a run with ``RedeploymentOptions/recordsDraws`` keeps per policy and draw: what a decision
    /// values policies by (net saving, and redundancies for the workforce's value of each one avoided).
    public static let recordedMetrics: [RedeploymentMetric] = [.netSaving, .redundant]

    /// Simulates every policy of `scenario` (or those `options.policies` names, in that order) over its horizon.
    /// - Throws: `RunSettingsError` for impossible options, `DataError` when the scenario has no workforce or
    ///   policies, `UnknownNameError` for an unknown policy id.
    public static func run(_ scenario: Scenario, options: RedeploymentOptions = RedeploymentOptions()) throws -> RedeploymentResult {
        let options = try options.resolved(for: scenario)
        let started = Date()
        var selected = scenario
        if let ids = options.policies {
            selected.policies = try ids.map { id in
                guard let p = scenario.policies.first(where: { $0.id == id }) else {
                    throw UnknownNameError(kind: "policy", name: id, message: """
                        no policy '\(id)' in the scenario\(Suggestion.didYouMean(id, among: scenario.policies.map(\.id))); its policies \
                        are: \(scenario.policies.map(\.id).joined(separator: ", "))
                        """)
                }
                return p
            }
        }
        let model = try RedeploymentModel(selected, sampling: options.sampler)
        let layout = RedeploymentLayout(model)
        let programme = try TaskSampler.programmeIndex(options.programme, model.mapping)
        let sampler = TaskSampler(model: model.mapping, programme: programme, seed: options.seed, draws: options.draws)
        let seed = options.seed
        let inputColumns = options.recordsDraws ? DrawTable.inputColumns(model.mapping) : []
        let record = options.recordsDraws
            ? DrawTable(draws: options.draws, columns: inputColumns + selected.policies.flatMap { p in
                RedeploymentEngine.recordedMetrics.map { .policy(p.id, $0) }
            }) : nil
        let run = MonteCarloRunner.run(
            draws: options.draws, seed: options.seed, threads: options.threads, generator: options.generator, design: options.design,
            chunkSize: options.common.chunkSize,
            width: layout.width, progress: options.progress,
            makeWorker: { SamplerScratch(model: model.mapping) },
            body: { worker, stream, draw, values in
                let row = record?.row(draw)
                let inputs = worker.withBuffers { z, adoption in
                    model.drawInputs(sampler: sampler, stream: stream, roleFactors: z, adoption: adoption, draw: draw, seed: seed, record: row)
                }
                layout.record(model.simulateAll(inputs), into: values)
                if let row {
                    let metrics = RedeploymentEngine.recordedMetrics
                    for p in 0..<layout.policies {
                        for (k, metric) in metrics.enumerated() {
                            row[inputColumns.count + p * metrics.count + k] = values[layout.index(policy: p, year: 0, group: 0, metric: metric.index)]
                        }
                    }
                }
            })
        return RedeploymentResult(model: model, layout: layout, moments: run.moments, replicateStandardErrors: run.replicateStandardErrors, sketches: run.sketches,
                                  options: options, threadsUsed: run.threadsUsed, wallTime: Date().timeIntervalSince(started), drawTable: record)
    }

    /// One draw, for inspection and tests: every policy's outcomes (`outcomes[p][year, cell, metric]`, years 1…H),
    /// from the same inputs a run's draw `draw` would use when it is the first draw of its chunk.
    public static func simulateOneDraw(_ scenario: Scenario, seed: UInt64, stream index: UInt64) throws -> [RedeploymentOutcomes] {
        let model = try RedeploymentModel(scenario)
        let sampler = TaskSampler(model: model.mapping, seed: seed)
        let stream = RandomStream(seed: seed, stream: index)
        var worker = SamplerScratch(model: model.mapping)
        let inputs = worker.withBuffers { z, adoption in
            model.drawInputs(sampler: sampler, stream: stream, roleFactors: z, adoption: adoption, draw: Int(index), seed: seed)
        }
        return model.simulateAll(inputs)
    }
}

extension RedeploymentModel {
    /// Every policy on one draw's inputs. With a composition, who is displaced is drawn once for all policies, and who
    /// each policy's moves take from its pool on a stream of its own, keyed by the draw and the policy's id (so a
    /// policy's draws do not depend on which other policies run, nor on threads).
    func simulateAll(_ inputs: RedeploymentDrawInputs) -> [RedeploymentOutcomes] {
        guard let equality else { return policies.map { simulate($0, inputs) } }
        func stream(_ key: UInt64) -> RandomStream {
            RandomStream(seed: KeyedUniform.bits(inputs.seed, UInt64(inputs.draw), Self.equalityKey, key), generator: .xoshiro256)
        }
        let displaced = equality.selectDisplaced(inputs, cells: cellCount, horizon: horizon, stream: stream(0))
        return policies.map { simulate($0, inputs, displacedGroups: displaced, groupStream: stream(Self.key(of: $0.id))) }
    }

    /// Tags the equality impact's streams apart from the training outcomes' keyed uniforms.
    static let equalityKey: UInt64 = 0x6571_7561_6C69_7479   // "equality"

    /// A policy id's key: FNV-1a of its UTF-8, never 0 (the displacement draw's key).
    static func key(of id: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h == 0 ? 1 : h
    }
}

/// Where each reported number sits in a draw's value vector.
///
/// By year (0 = the whole horizon) for the total, each organisation and each
/// role; for the whole horizon only, each organisation–role cell; the
/// difference of each policy from the baseline over the horizon; and
/// cumulative redundancies by year (for the fan chart).
struct RedeploymentLayout: Sendable {
    let policies: Int, years: Int, organisations: Int, roles: Int, cells: Int
    let cellOrganisation: [Int], cellRole: [Int]
    /// The composition's flat groups (0 without one), each one's dimension range and headcount.
    let peopleGroups: Int
    let dimensionOfGroup: [Range<Int>]
    let groupHeadcount: [Int]
    static let metrics = RedeploymentMetric.count
    var groups: Int { 1 + organisations + roles }
    var cellBase: Int { policies * (years + 1) * groups * Self.metrics }
    var differenceBase: Int { cellBase + policies * cells * Self.metrics }
    var cumulativeBase: Int { differenceBase + policies * Self.metrics }
    var equalityBase: Int { cumulativeBase + policies * years }
    var programmeBase: Int { equalityBase + policies * peopleGroups * Self.equalitySlots }
    var width: Int { programmeBase + policies * programmes }
    /// The workforce's retraining programmes (each policy's starts per programme follow the equality slots).
    let programmes: Int

    /// Per policy and group: each flow's people, then the log rate ratio against the rest of the dimension of each
    /// compared flow (``EqualityFlow/compared``).
    static let equalitySlots = EqualityFlow.count + EqualityFlow.compared.count
    /// The log rate ratio recorded when one side has none and the other some (±30: a ratio beyond 10¹³ reads as ∞).
    static let unboundedLogRatio = 30.0

    init(_ model: RedeploymentModel) {
        policies = model.policies.count
        years = model.horizon
        organisations = model.organisations.count
        roles = model.roles.count
        cells = model.cellCount
        cellOrganisation = model.cells.map(\.organisation)
        cellRole = model.cells.map(\.role)
        let equality = model.equality
        peopleGroups = equality?.groupCount ?? 0
        dimensionOfGroup = equality.map { e in e.dimensions.indices.flatMap { d in e.groups(of: d).map { _ in e.groups(of: d) } } } ?? []
        groupHeadcount = equality?.headcount ?? []
        programmes = model.programmes.count
    }

    func programmeIndex(policy p: Int, programme k: Int) -> Int { programmeBase + p * programmes + k }

    func equalityIndex(policy p: Int, group k: Int, flow f: EqualityFlow) -> Int {
        equalityBase + (p * peopleGroups + k) * Self.equalitySlots + f.rawValue
    }

    /// The slot of a compared flow's log rate ratio.
    func rateRatioIndex(policy p: Int, group k: Int, flow f: EqualityFlow) -> Int? {
        EqualityFlow.compared.firstIndex(of: f).map { equalityBase + (p * peopleGroups + k) * Self.equalitySlots + EqualityFlow.count + $0 }
    }

    /// log((x / n) / ((X − x) / (N − n))): a group's rate against the rest of its dimension's; 0 when neither has any
    /// (no difference), ±``unboundedLogRatio`` when only one side has.
    static func logRateRatio(_ x: Int, of n: Int, rest: Int, of restPeople: Int) -> Double {
        guard n > 0, restPeople > 0 else { return 0 }
        switch (x > 0, rest > 0) {
        case (false, false): return 0
        case (true, false): return unboundedLogRatio
        case (false, true): return -unboundedLogRatio
        case (true, true): return log((Double(x) / Double(n)) / (Double(rest) / Double(restPeople)))
        }
    }

    /// Group 0 is the total, 1…O the organisations, O+1…O+R the roles.
    func index(policy p: Int, year y: Int, group g: Int, metric m: Int) -> Int { ((p * (years + 1) + y) * groups + g) * Self.metrics + m }
    func index(policy p: Int, cell c: Int, metric m: Int) -> Int { cellBase + (p * cells + c) * Self.metrics + m }
    func differenceIndex(policy p: Int, metric m: Int) -> Int { differenceBase + p * Self.metrics + m }
    func cumulativeIndex(policy p: Int, year y: Int) -> Int { cumulativeBase + p * years + (y - 1) }

    func record(_ outcomes: [RedeploymentOutcomes], into v: UnsafeMutableBufferPointer<Double>) {
        for k in 0..<v.count { v[k] = 0 }
        let M = Self.metrics
        for (p, out) in outcomes.enumerated() {
            for y in 1...years {
                for c in 0..<cells {
                    let base = ((y - 1) * cells + c) * M
                    let (organisationGroup, roleGroup) = (1 + cellOrganisation[c], 1 + organisations + cellRole[c])
                    for m in 0..<M {
                        let x = out.values[base + m]
                        guard x != 0 else { continue }
                        // Flows add up over the horizon; stocks are those at its end.
                        let countsInHorizon = !RedeploymentMetric.stockMask[m] || y == years
                        for g in 0..<3 {
                            let group = g == 0 ? 0 : g == 1 ? organisationGroup : roleGroup
                            v[index(policy: p, year: y, group: group, metric: m)] += x
                            if countsInHorizon { v[index(policy: p, year: 0, group: group, metric: m)] += x }
                        }
                        if countsInHorizon { v[index(policy: p, cell: c, metric: m)] += x }
                    }
                }
            }
            var cumulative = 0.0
            for y in 1...years {
                cumulative += v[index(policy: p, year: y, group: 0, metric: RedeploymentMetric.redundant.index)]
                v[cumulativeIndex(policy: p, year: y)] = cumulative
            }
        }
        for p in 0..<policies {
            for m in 0..<M {
                v[differenceIndex(policy: p, metric: m)] = v[index(policy: p, year: 0, group: 0, metric: m)]
                    - v[index(policy: 0, year: 0, group: 0, metric: m)]
            }
        }
        for (p, out) in outcomes.enumerated() {
            for (k, n) in out.programmeStarts.enumerated() { v[programmeIndex(policy: p, programme: k)] = Double(n) }
        }
        guard peopleGroups > 0 else { return }
        for (p, out) in outcomes.enumerated() {
            for k in 0..<peopleGroups {
                for f in EqualityFlow.allCases { v[equalityIndex(policy: p, group: k, flow: f)] = Double(out.people(group: k, f)) }
                let dimension = dimensionOfGroup[k]
                let people = groupHeadcount[k], all = dimension.reduce(0) { $0 + groupHeadcount[$1] }
                for f in EqualityFlow.compared {
                    let x = out.people(group: k, f), total = dimension.reduce(0) { $0 + out.people(group: $1, f) }
                    v[rateRatioIndex(policy: p, group: k, flow: f)!] = Self.logRateRatio(x, of: people, rest: total - x, of: all - people)
                }
            }
        }
    }
}
