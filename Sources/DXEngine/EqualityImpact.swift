import DXSampling
import Foundation
import DXScenario

/// Who bears each policy's workforce change, by the groups of the workforce's composition (`CompositionDimension`):
/// for every policy, dimension and group, the people displaced, absorbed, redeployed, retrained and made redundant
/// over the horizon as distributions across draws, and each group's rate of each against the rest of the workforce.
///
/// This is what an Equality Impact Assessment of a restructuring sets side by side: each group's share of the
/// workforce, of those at risk (displaced) and of those made redundant, with adverse impact flagged
/// (``RateRatio/isAdverse``).
public struct EqualityImpact: Sendable {
    /// One dimension of the composition: its groups, their people, and their relative risks of being displaced.
    public struct Dimension: Sendable, Equatable {
        public var id: String
        public var groups: [String]
        /// The whole workforce's people in each group.
        public var people: [Int]
        /// Each group's relative risk of being among a cell's displaced (all 1: selected without regard to group).
        public var relativeRisk: [Double]
        public var total: Int { people.reduce(0, +) }
    }

    public let dimensions: [Dimension]
    public let policies: [String]
    /// rows[(policy · dimensions' groups) + flat group], in policy, dimension, group order.
    let groups: [EqualityGroupImpact]

    init(model: EqualityModel, policies: [String], layout: RedeploymentLayout, summaries: [DistributionSummary]) {
        dimensions = model.dimensions.enumerated().map { d, dim in
            Dimension(id: dim.id, groups: dim.groups, people: model.groups(of: d).map { model.headcount[$0] },
                      relativeRisk: dim.relativeRisk)
        }
        self.policies = policies
        var rows: [EqualityGroupImpact] = []
        for p in policies.indices {
            for (d, dim) in dimensions.enumerated() {
                let range = model.groups(of: d)
                let flowMeans = EqualityFlow.allCases.map { f in
                    range.reduce(0.0) { $0 + summaries[layout.equalityIndex(policy: p, group: $1, flow: f)].mean }
                }
                for (g, k) in range.enumerated() {
                    let flows = EqualityFlow.allCases.map { summaries[layout.equalityIndex(policy: p, group: k, flow: $0)] }
                    let people = dim.people[g], rest = dim.total - people
                    let ratios = EqualityFlow.compared.map { f -> RateRatio in
                        let log = summaries[layout.rateRatioIndex(policy: p, group: k, flow: f)!]
                        let mean = flows[f.rawValue].mean, restMean = flowMeans[f.rawValue] - mean
                        let estimate = people > 0 && rest > 0 && restMean > 0
                            ? (mean / Double(people)) / (restMean / Double(rest)) : (mean > 0 && restMean == 0 ? .infinity : .nan)
                        return RateRatio(logSummary: log, estimate: estimate)
                    }
                    rows.append(EqualityGroupImpact(
                        policy: policies[p], dimension: dim.id, group: dim.groups[g], people: people,
                        workforceShare: dim.total > 0 ? Double(people) / Double(dim.total) : .nan,
                        flows: flows, flowTotals: flowMeans, ratios: ratios))
                }
            }
        }
        groups = rows
    }

    /// Every group of every dimension under every policy, in policy, dimension and group order (`equality.csv`).
    public func rows() -> [EqualityGroupImpact] { groups }

    /// The groups of one dimension under one policy, in the dimension's order.
    public func rows(policy: String, dimension: String) -> [EqualityGroupImpact] {
        groups.filter { $0.policy == policy && $0.dimension == dimension }
    }

    /// One group under one policy; nil for unknown ids.
    public func row(policy: String, dimension: String, group: String) -> EqualityGroupImpact? {
        groups.first { $0.policy == policy && $0.dimension == dimension && $0.group == group }
    }
}

/// One group's outcomes under one policy over the horizon.
public struct EqualityGroupImpact: Sendable {
    public var policy: String
    public var dimension: String
    public var group: String
    /// The group's people in the whole workforce, and their share of it.
    public var people: Int
    public var workforceShare: Double
    let flows: [DistributionSummary]
    /// The dimension's mean people in each flow, all groups together.
    let flowTotals: [Double]
    let ratios: [RateRatio]

    /// The group's people in a flow, as a distribution across draws.
    public func summary(_ flow: EqualityFlow) -> DistributionSummary { flows[flow.rawValue] }

    /// The group's share of everyone in a flow (its mean over the dimension's mean; NaN when no one is in it): set
    /// beside ``workforceShare``, whether it bears more than its part.
    public func share(of flow: EqualityFlow) -> Double {
        flowTotals[flow.rawValue] > 0 ? flows[flow.rawValue].mean / flowTotals[flow.rawValue] : .nan
    }

    /// The group's rate of a flow (people in it per person of the group) against the rest of the workforce's; nil for
    /// the stocks left at the horizon's end.
    public func rateRatio(_ flow: EqualityFlow) -> RateRatio? {
        EqualityFlow.compared.firstIndex(of: flow).map { ratios[$0] }
    }
}

/// A group's rate of some outcome divided by the rest of the workforce's (the redundancy rate of women ÷ that of men):
/// 1 when the group bears its share, above 1 when it bears more.
public struct RateRatio: Sendable, Equatable {
    /// The ratio of the mean rates: (E[x] / n) ÷ (E[X − x] / (N − n)); ∞ when only the group has any, NaN when no one has.
    public var estimate: Double
    /// The median and the 5th and 95th percentiles of the per-draw ratio across futures (0 or ∞ where, in those
    /// futures, only one side has any).
    public var median: Double
    public var p5: Double
    public var p95: Double
    /// The share of futures in which the group's rate is above the rest's, and below it (the rest: equal, as when
    /// no one is affected).
    public var probabilityAbove: Double
    public var probabilityBelow: Double

    /// An adverse impact, as a screening flag: the group's rate is at least ``adverseRatio`` times the rest's on
    /// average and above it in at least ``adverseProbability`` of futures. The ratio is the four-fifths rule of
    /// adverse-impact screening read from the affected group's side (1 ÷ 0.8); neither threshold is a legal test.
    public var isAdverse: Bool { estimate >= Self.adverseRatio && probabilityAbove >= Self.adverseProbability }
    public static let adverseRatio = 1.25
    public static let adverseProbability = 0.9

    init(logSummary s: DistributionSummary, estimate: Double) {
        func ratio(_ x: Double) -> Double {
            x >= RedeploymentLayout.unboundedLogRatio - 1e-9 ? .infinity : x <= -RedeploymentLayout.unboundedLogRatio + 1e-9 ? 0 : exp(x)
        }
        self.estimate = estimate
        median = ratio(s.p50)
        p5 = ratio(s.p5)
        p95 = ratio(s.p95)
        probabilityAbove = s.pGain
        probabilityBelow = s.pLoss
    }
}
