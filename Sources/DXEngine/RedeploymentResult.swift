import DXSampling
import DXScenario

/// The outcome of a redeployment run: every metric, per policy, year,
/// organisation and role, as a distribution over draws, and each policy's
/// difference from the baseline (the first policy) on common random numbers.
public struct RedeploymentResult: Sendable {
    /// The run: scenario, horizon, currency, discount rate, draws, seed, sampling, threads and wall time.
    public let run: RunInfo
    /// The policies compared, the first being the baseline.
    public let policies: [RedeploymentPolicy]
    public let organisations: [String]
    public let roles: [String]
    /// Organisation–role cells that have people, as (organisation id, role id).
    public let cells: [(organisation: String, role: String)]
    let programmeIds: [String]

    let layout: RedeploymentLayout
    let summaries: [DistributionSummary]
    /// Per policy and metric over the horizon for the whole workforce, and per policy and metric for its difference
    /// from the baseline, the distribution's shape, keyed by the series' index.
    let curves: [Int: QuantileCurve]

    /// Every draw's inputs and policy values, when ``RedeploymentOptions/recordsDraws`` asked for them.
    public let drawTable: DrawTable?
    /// Who bears each policy's change, by the groups of the workforce's composition; nil without `composition:`.
    public let equality: EqualityImpact?

    init(model: RedeploymentModel, layout: RedeploymentLayout, moments: [RunningMoments], replicateStandardErrors: [Double]? = nil,
         sketches: [QuantileSketch],
         options: RedeploymentOptions, threadsUsed: Int, wallTime: Double, drawTable: DrawTable? = nil) {
        self.drawTable = drawTable
        run = RunInfo(scenario: model.mapping.scenario, settings: options.common, threadsUsed: threadsUsed, wallTime: wallTime)
        policies = model.policies
        organisations = model.organisations
        roles = model.roles
        cells = model.cells.map { (model.organisations[$0.organisation], model.roles[$0.role]) }
        programmeIds = model.programmes.map(\.id)
        self.layout = layout
        let horizonTotals = model.policies.indices.flatMap { p in
            RedeploymentMetric.allCases.flatMap { m in
                [layout.index(policy: p, year: 0, group: 0, metric: m.index), layout.differenceIndex(policy: p, metric: m.index)]
            }
        }
        curves = Dictionary(uniqueKeysWithValues: horizonTotals.compactMap { k in
            QuantileCurve(sketch: sketches[k], min: moments[k].min, max: moments[k].max).map { (k, $0) }
        })
        let summaries = moments.indices.map {
            DistributionSummary(moments: moments[$0], sketch: sketches[$0])
                .withReplicateStandardError(replicateStandardErrors?[$0])
        }
        self.summaries = summaries
        equality = model.equality.map { EqualityImpact(model: $0, policies: model.policies.map(\.id), layout: layout, summaries: summaries) }
    }

    /// A metric for a policy in a year (0 = the whole horizon) for an organisation and/or role
    /// (nil = all). Organisation and role together are available for year 0 only; nil otherwise or
    /// for unknown ids.
    public func summary(policy: String, year: Int, organisation: String? = nil, role: String? = nil,
                        metric: RedeploymentMetric) -> DistributionSummary? {
        guard let p = policies.firstIndex(where: { $0.id == policy }), (0...run.horizon).contains(year) else { return nil }
        switch (organisation, role) {
        case (nil, nil):
            return summaries[layout.index(policy: p, year: year, group: 0, metric: metric.index)]
        case let (o?, nil):
            guard let i = organisations.firstIndex(of: o) else { return nil }
            return summaries[layout.index(policy: p, year: year, group: 1 + i, metric: metric.index)]
        case let (nil, r?):
            guard let i = roles.firstIndex(of: r) else { return nil }
            return summaries[layout.index(policy: p, year: year, group: 1 + organisations.count + i, metric: metric.index)]
        case let (o?, r?):
            guard year == 0, let c = cells.firstIndex(where: { $0.organisation == o && $0.role == r }) else { return nil }
            return summaries[layout.index(policy: p, cell: c, metric: metric.index)]
        }
    }

    /// One reported number: a metric of a policy in a year (0 = the horizon) for an organisation
    /// and role (nil = all of them).
    public struct Row: Sendable {
        public var policy: String
        public var year: Int
        public var organisation: String?
        public var role: String?
        public var metric: RedeploymentMetric
        public var summary: DistributionSummary
    }

    /// Everything reported, in the order of `redeploy.csv`: per policy and year, the total, each
    /// organisation and each role; for year 0 also each organisation–role cell.
    public func rows() -> [Row] {
        var rows: [Row] = []
        func add(_ policy: String, _ year: Int, _ org: String?, _ role: String?) {
            for metric in RedeploymentMetric.allCases {
                if let s = summary(policy: policy, year: year, organisation: org, role: role, metric: metric) {
                    rows.append(Row(policy: policy, year: year, organisation: org, role: role, metric: metric, summary: s))
                }
            }
        }
        for policy in policies.map(\.id) {
            for year in 0...run.horizon {
                add(policy, year, nil, nil)
                for o in organisations { add(policy, year, o, nil) }
                for r in roles { add(policy, year, nil, r) }
                if year == 0 { for cell in cells { add(policy, 0, cell.organisation, cell.role) } }
            }
        }
        return rows
    }

    /// A policy's difference from the baseline over the horizon, per draw (same draws for both).
    public func difference(policy: String, metric: RedeploymentMetric) -> PolicyDifference? {
        guard let p = policies.firstIndex(where: { $0.id == policy }) else { return nil }
        return PolicyDifference(summaries[layout.differenceIndex(policy: p, metric: metric.index)], higherIsBetter: metric.higherIsBetter)
    }

    /// The shape of a metric's distribution over draws for a policy over the horizon, for the whole workforce (a
    /// histogram, an S-curve); with `difference`, of the policy's difference from the baseline. Nil for an unknown policy.
    public func curve(policy: String, metric: RedeploymentMetric, difference: Bool = false) -> QuantileCurve? {
        guard let p = policies.firstIndex(where: { $0.id == policy }) else { return nil }
        return curves[difference ? layout.differenceIndex(policy: p, metric: metric.index)
                      : layout.index(policy: p, year: 0, group: 0, metric: metric.index)]
    }

    /// The workforce's retraining programmes, in order.
    public var programmes: [String] { programmeIds }

    /// People who start a programme over the horizon under a policy, as a distribution across draws; nil for an
    /// unknown policy or programme.
    public func programmeStarts(policy: String, programme: String) -> DistributionSummary? {
        guard let p = policies.firstIndex(where: { $0.id == policy }), let k = programmeIds.firstIndex(of: programme) else { return nil }
        return summaries[layout.programmeIndex(policy: p, programme: k)]
    }

    /// The programmes no one starts in any draw under any policy that retrains (empty when no policy retrains): they are
    /// in the scenario but do nothing, say because their destination roles' vacancies go to those roles' own displaced.
    public var idleProgrammes: [String] {
        let retraining = policies.filter(\.retraining).map(\.id)
        guard !retraining.isEmpty else { return [] }
        // Starts are counts, never negative: a mean of exactly 0 is no one in any draw.
        return programmeIds.filter { k in retraining.allSatisfy { programmeStarts(policy: $0, programme: k)?.mean == 0 } }
    }

    /// Cumulative redundancies at the end of each year 1…horizon, for one policy.
    public func cumulativeRedundancies(policy: String) -> [DistributionSummary] {
        guard let p = policies.firstIndex(where: { $0.id == policy }) else { return [] }
        return (1...run.horizon).map { summaries[layout.cumulativeIndex(policy: p, year: $0)] }
    }
}

/// An option against the baseline on common random numbers (the same draws for both): the per-draw difference
/// option − baseline as a distribution across futures, and its mean with the mean's 95% Monte Carlo interval.
///
/// The two answer different questions. ``low``…``high`` says how well the *mean* difference is known: it narrows
/// as draws grow. ``spread`` (p5–p95) and ``probabilityBetter`` say how the option fares *across futures*: how
/// far apart the two can end up and in what share of futures the option comes out ahead; more draws only pin
/// them down.
public struct PolicyDifference: Sendable, Equatable {
    /// The distribution of the per-draw difference, option − baseline.
    public var summary: DistributionSummary
    /// Whether a larger value of the metric is better (net saving, NPV) or a smaller one (redundancies, cost);
    /// nil when neither is (e.g. people displaced, which no policy changes).
    public var higherIsBetter: Bool?

    public var mean: Double { summary.mean }
    /// The 95% interval of the *mean* difference, mean ± 1.96 standard errors (normal approximation; a draw
    /// design's replicates give the standard error when there are any).
    public var low: Double { summary.mean - 1.96 * summary.standardError }
    public var high: Double { summary.mean + 1.96 * summary.standardError }
    /// The 5th and 95th percentiles of the difference across draws: the range of 90% of futures.
    public var spread: (p5: Double, p95: Double) { (summary.p5, summary.p95) }
    /// The share of draws in which the option is better than the baseline (NaN when no direction is better).
    public var probabilityBetter: Double {
        guard let higherIsBetter else { return .nan }
        return higherIsBetter ? summary.pGain : summary.pLoss
    }
    /// The share of draws in which it is worse.
    public var probabilityWorse: Double {
        guard let higherIsBetter else { return .nan }
        return higherIsBetter ? summary.pLoss : summary.pGain
    }
    /// The share of draws in which the two are equal (within `QuantileSketch.zeroThreshold`).
    public var probabilityTied: Double { max(0, 1 - summary.pLoss - summary.pGain) }

    public init(_ summary: DistributionSummary, higherIsBetter: Bool?) {
        (self.summary, self.higherIsBetter) = (summary, higherIsBetter)
    }
}
