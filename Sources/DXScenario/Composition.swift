/// Who the people of a workforce are, along one dimension the user names (`workforce.composition.sex`, `.age`,
/// `.pay_band`, …): its groups, and the proportions of each group in every organisation · role cell, for the
/// equality impact of `dxmap redeploy` and the exposure by group of `dxmap map`.
///
/// Proportions are given for the whole workforce (``default``), per role, per organisation or per cell; the most
/// specific wins (cell, then role, then organisation, then the default), as rates do. Each may be written as counts
/// or as shares: only their proportions are used, and a cell's people are split by them with the largest-remainder
/// rule, so counts that add up to the cell's headcount are taken exactly.
///
/// Each dimension is its own partition of the same people: dxmap knows the groups of one dimension at a time, not
/// their cross-classification (how many women are over 60), and simulates each dimension on its own.
public struct CompositionDimension: Sendable, Equatable {
    /// The dimension's id, as written (`sex`, `age`).
    public var id: String
    /// Its groups, in the order tables list them.
    public var groups: [String]
    /// Weights per group (in ``groups`` order) for cells no more specific entry covers; nil: every cell must be covered.
    public var `default`: [Double]?
    public var roles: [String: [Double]] = [:]
    public var organisations: [String: [Double]] = [:]
    /// Weights for single organisation · role cells, keyed `organisation|role`.
    public var cells: [String: [Double]] = [:]
    /// How much likelier than others a person of each group is to be among a cell's displaced, when the cell's
    /// displaced are chosen (1 for every group: without regard to group, the default).
    public var relativeRisk: [Double]

    public init(id: String, groups: [String], default weights: [Double]? = nil) {
        self.id = id
        self.groups = groups
        self.default = weights
        relativeRisk = Array(repeating: 1, count: groups.count)
    }

    /// Whether any group's relative risk differs from 1 (selection then weighs groups, see ``relativeRisk``).
    public var weighsGroups: Bool { relativeRisk.contains { $0 != 1 } }

    /// The weights of one cell, the most specific entry first; nil when nothing covers it.
    public func weights(organisation: String, role: String) -> [Double]? {
        cells["\(organisation)|\(role)"] ?? roles[role] ?? organisations[organisation] ?? self.default
    }

    /// A cell's people by group: `people` split in proportion to its weights by the largest-remainder rule (ties to
    /// the earlier group), so the parts add up exactly; nil when nothing covers the cell.
    public func counts(organisation: String, role: String, people: Int) -> [Int]? {
        guard let w = weights(organisation: organisation, role: role) else { return nil }
        return Self.apportion(people, weights: w)
    }

    /// `total` split in proportion to `weights` (non-negative, not all zero) by the largest-remainder rule.
    public static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return Array(repeating: 0, count: weights.count) }
        let exact = weights.map { Double(total) * $0 / sum }
        var parts = exact.map { Int($0.rounded(.down)) }
        let order = weights.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
        for k in order.prefix(max(0, total - parts.reduce(0, +))) { parts[k] += 1 }
        return parts
    }
}
