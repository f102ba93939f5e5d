import DXSampling
import DXSupport
import DXScenario

/// What the equality impact counts for each group: what happens to its displaced people over the horizon. The
/// flows add up: displaced = absorbed + redeployed + retrained + redundant + still in the pool + still in training.
public enum EqualityFlow: Int, Sendable, CaseIterable {
    case displaced, absorbed, redeployed, retrained, redundant, inPool, inTraining

    /// The name in `equality.csv`.
    public var name: String {
        switch self {
        case .displaced: "displaced"
        case .absorbed: "absorbed_by_attrition"
        case .redeployed: "redeployed"
        case .retrained: "retrained_placed"
        case .redundant: "redundant"
        case .inPool: "in_pool"
        case .inTraining: "in_training"
        }
    }

    /// How a table heads it.
    public var label: String {
        switch self {
        case .displaced: "displaced"
        case .absorbed: "absorbed"
        case .redeployed: "redeployed"
        case .retrained: "retrained"
        case .redundant: "redundant"
        case .inPool: "in pool"
        case .inTraining: "in training"
        }
    }

    /// The flows whose rate each group is compared on (the stocks left at the horizon's end are not outcomes).
    public static let compared: [EqualityFlow] = [.displaced, .absorbed, .redeployed, .retrained, .redundant]

    static let count = allCases.count
}

/// The composition of a scenario's workforce compiled for the simulation: every group of every dimension numbered
/// in one flat list (dimension by dimension), and each cell's people by group.
struct EqualityModel: Sendable {
    let dimensions: [CompositionDimension]
    /// Where each dimension's groups start in the flat list, and how many there are in all.
    let offsets: [Int]
    let groupCount: Int
    /// people[c · groupCount + k]: the people of cell c in flat group k (each dimension's groups add up to the cell).
    let people: [Int]
    /// The whole workforce's people in each flat group.
    let headcount: [Int]

    init?(_ workforce: Workforce, cells: [(organisation: String, role: String)], people cellPeople: [Int]) throws {
        guard !workforce.composition.isEmpty else { return nil }
        dimensions = workforce.composition
        var offsets: [Int] = [], total = 0
        for d in dimensions { offsets.append(total); total += d.groups.count }
        self.offsets = offsets
        groupCount = total
        var people = [Int](repeating: 0, count: cells.count * total)
        for (c, cell) in cells.enumerated() {
            // A cell with no people has no one to split (the reader asks proportions only of cells with people).
            for (d, dimension) in dimensions.enumerated() where cellPeople[c] > 0 {
                guard let counts = dimension.counts(organisation: cell.organisation, role: cell.role, people: cellPeople[c]) else {
                    throw DataError(message: """
                        composition '\(dimension.id)' gives no proportions for role '\(cell.role)' at organisation \
                        '\(cell.organisation)'; add a 'default:' or an entry that covers it
                        """)
                }
                for (g, n) in counts.enumerated() { people[c * total + offsets[d] + g] = n }
            }
        }
        self.people = people
        headcount = (0..<total).map { k in (0..<cells.count).reduce(0) { $0 + people[$1 * total + k] } }
    }

    /// The flat groups of dimension d.
    func groups(of d: Int) -> Range<Int> { offsets[d]..<(offsets[d] + dimensions[d].groups.count) }

    /// Moves `n` people out of `counts` (one set of people by flat group, `groupCount` long) into `taken`, dimension by
    /// dimension: a multivariate hypergeometric draw (without regard to group), or with `weighted` and a dimension
    /// that gives relative risks, Wallenius' draw (``weightedDraw(_:risk:draws:stream:into:)``).
    func take(_ n: Int, from counts: UnsafeMutableBufferPointer<Int>, into taken: UnsafeMutableBufferPointer<Int>, weighted: Bool,
              stream: RandomStream) {
        for (d, dimension) in dimensions.enumerated() {
            let r = groups(of: d)
            let from = UnsafeMutableBufferPointer(rebasing: counts[r]), into = UnsafeMutableBufferPointer(rebasing: taken[r])
            if weighted && dimension.weighsGroups {
                Self.weightedDraw(from, risk: dimension.relativeRisk, draws: n, stream: stream, into: into)
            } else {
                stream.multivariateHypergeometric(UnsafeBufferPointer(from), draws: n, into: into)
            }
            for g in 0..<r.count { from[g] -= into[g] }
        }
    }

    /// Who is displaced, by group: for every year and cell, the inputs' displaced people chosen from the cell's people
    /// not yet displaced, per dimension — without regard to group (a multivariate hypergeometric draw), or, where the
    /// dimension gives relative risks, one person at a time with odds in proportion to risk × people left in the group
    /// (Wallenius' noncentral hypergeometric). Shared by every policy: `out[((y − 1) · cells + c) · groupCount + k]`.
    func selectDisplaced(_ inputs: RedeploymentDrawInputs, cells: Int, horizon: Int, stream: RandomStream) -> [Int] {
        let G = groupCount
        var left = people
        var out = [Int](repeating: 0, count: horizon * cells * G)
        out.withUnsafeMutableBufferPointer { o in
            left.withUnsafeMutableBufferPointer { l in
                for y in 1...horizon {
                    for c in 0..<cells {
                        let n = inputs.displaced[(y - 1) * cells + c]
                        guard n > 0 else { continue }
                        let base = ((y - 1) * cells + c) * G
                        take(n, from: UnsafeMutableBufferPointer(rebasing: l[(c * G)..<(c * G + G)]),
                             into: UnsafeMutableBufferPointer(rebasing: o[base..<(base + G)]), weighted: true, stream: stream)
                    }
                }
            }
        }
        return out
    }

    /// `draws` people taken one at a time from `counts`, each time from group g with probability
    /// risk[g] · left[g] / Σ risk · left (Wallenius' noncentral hypergeometric distribution).
    static func weightedDraw(_ counts: UnsafeMutableBufferPointer<Int>, risk: [Double], draws: Int, stream: RandomStream,
                             into taken: UnsafeMutableBufferPointer<Int>) {
        for g in taken.indices { taken[g] = 0 }
        var left = Array(counts)
        for _ in 0..<min(draws, left.reduce(0, +)) {
            var total = 0.0
            for g in left.indices { total += risk[g] * Double(left[g]) }
            var u = stream.uniform() * total
            var pick = left.lastIndex { $0 > 0 }!
            for g in left.indices where left[g] > 0 {
                u -= risk[g] * Double(left[g])
                if u < 0 { pick = g; break }
            }
            left[pick] -= 1
            taken[pick] += 1
        }
    }
}

/// Follows the groups of the people in one policy's pool through a draw: each time the simulation moves people out of
/// a cell's pool at some waiting time, which of them go is a multivariate hypergeometric draw (without regard to group)
/// from those waiting there, per dimension; trainees keep their groups until they finish.
final class GroupTracker {
    let model: EqualityModel
    let cells: Int, limit: Int
    let stream: RandomStream
    /// pool[(c · limit + age) · groupCount + k]
    var pool: [Int]
    /// tally[flow · groupCount + k] over the horizon.
    var tally: [Int]
    /// The groups of the people the last ``take(cell:age:people:)`` calls moved, since ``clearTaken()``.
    var taken: [Int]
    private var scratch: [Int]

    init(model: EqualityModel, cells: Int, limit: Int, stream: RandomStream) {
        self.model = model
        self.cells = cells
        self.limit = limit
        self.stream = stream
        pool = Array(repeating: 0, count: cells * limit * model.groupCount)
        tally = Array(repeating: 0, count: EqualityFlow.count * model.groupCount)
        taken = Array(repeating: 0, count: model.groupCount)
        scratch = taken
    }

    var groupCount: Int { model.groupCount }

    func clearTaken() { for k in taken.indices { taken[k] = 0 } }

    /// People join cell c's pool at waiting time 0 with the given groups (flat, `groupCount` long).
    func add(cell c: Int, _ groups: some Collection<Int>) {
        let base = c * limit * groupCount
        for (k, n) in groups.enumerated() { pool[base + k] += n }
    }

    /// `n` people leave cell c's pool from waiting time `age`: which of them, per dimension, is drawn; added to ``taken``.
    func take(cell c: Int, age: Int, people n: Int) {
        guard n > 0 else { return }
        let base = (c * limit + age) * groupCount
        pool.withUnsafeMutableBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                model.take(n, from: UnsafeMutableBufferPointer(rebasing: p[base..<(base + groupCount)]), into: s, weighted: false,
                           stream: stream)
            }
        }
        for k in taken.indices { taken[k] += scratch[k] }
    }

    func count(_ flow: EqualityFlow, _ groups: some Collection<Int>) {
        let base = flow.rawValue * groupCount
        for (k, n) in groups.enumerated() { tally[base + k] += n }
    }

    /// Year end: everyone at the pool limit is made redundant; the rest wait a year longer.
    func closeYear(cell c: Int) {
        let top = (c * limit + limit - 1) * groupCount
        count(.redundant, pool[top..<(top + groupCount)])
        for age in stride(from: limit - 1, to: 0, by: -1) {
            for k in 0..<groupCount { pool[(c * limit + age) * groupCount + k] = pool[(c * limit + age - 1) * groupCount + k] }
        }
        for k in 0..<groupCount { pool[c * limit * groupCount + k] = 0 }
    }

    /// The horizon's end: who is still waiting.
    func finish() {
        for c in 0..<cells {
            for age in 0..<limit {
                let base = (c * limit + age) * groupCount
                count(.inPool, pool[base..<(base + groupCount)])
            }
        }
    }
}
