import DXSampling

/// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used
/// for scenario discovery (Bryant & Lempert 2010) and as the EMA Workbench
/// implements it (`ema_workbench.analysis.prim`): find a box in the input
/// space — a few inputs restricted to ranges (or sets of categories) — where
/// the cases of interest (bad futures) are dense.
///
/// - **Peeling** (EMA Workbench's rules, so both give the same trajectory):
///   from the box holding every point, each step considers, for every
///   numeric input, removing its lowest or its highest points — the
///   ⌊(n − 1)α⌋ + 1 of the box's n points on that side, with their ties, the
///   new limit midway between the last value removed and the first kept —
///   and, for a categorical input, removing one category. It takes the
///   candidate with the best objective (``Objective``; ties: the box with
///   fewer restricted inputs, then numeric inputs before categorical ones, in
///   column order, upper side before lower), while the objective is positive,
///   the box loses points and keeps at least `minimumMass` of them. Every
///   step's box is kept: the peeling trajectory, along which coverage falls
///   as density rises.
/// - **Choosing**: the box with the highest density among those with
///   coverage ≥ `minimumCoverage` (ties: the larger coverage).
/// - **Pasting** (EMA Workbench's rules): the chosen box then grows back
///   along each restricted side — to the (1 − α_paste) quantile (midway
///   convention as above) of the outside points that meet every other
///   limit — or by one removed category, taking the best candidate while it
///   adds points and raises the density.
/// - **Cleaning**: pasting only adds points, so a limit picked up early in
///   peeling may exclude nothing by the end. Each side whose removal leaves
///   the box's points unchanged is dropped (one at a time, in column order,
///   lower side first), so every reported limit binds.
/// - **Quasi-p-values** (Bryant & Lempert 2010, as the EMA Workbench): for
///   each restricted side, the probability of at least the box's count of
///   cases of interest among its points under a binomial with the density of
///   the box with that side relaxed to the data's range. Small values mean
///   the limit matters; values near 1 mean the data would look the same
///   without it.
///
/// - **Choosing from the trajectory** (EMA Workbench's `select`): with
///   ``Options/trajectoryBox`` the analyst's box of the trajectory is the
///   result as it stands there, cleaned but not pasted, so its coverage and
///   density are those the trajectory shows.
/// - **Covering** (EMA Workbench's `find_box` called again): a further box is
///   searched among the points no earlier box holds (`among:`), with
///   coverage and mass still counted against all cases and all points, so
///   the boxes' coverages add up.
///
/// Coverage = cases in the box / all cases; density = cases in the box /
/// points in the box; mass = points in the box / all points.
public enum PRIM {
    /// One input's values at every point.
    public enum Column: Sendable, Equatable {
        case numeric([Double])
        case categorical([String])

        var count: Int {
            switch self {
            case let .numeric(v): v.count
            case let .categorical(v): v.count
            }
        }
    }

    /// One input's restriction in a box.
    public enum Limit: Sendable, Equatable {
        /// min ≤ x ≤ max.
        case range(min: Double, max: Double)
        /// x is one of these categories.
        case categories(Set<String>)
    }

    /// How a peel (or paste) is scored; the EMA Workbench offers the same three.
    public enum Objective: String, Sendable, CaseIterable {
        /// The gain in density per point removed (or added): EMA Workbench's default (`LENIENT1`).
        case lenient1
        /// The gain in density per point removed, times the points kept (Friedman & Fisher's 14.6, `LENIENT2`).
        case lenient2
        /// The density of the new box (Friedman & Fisher's original, `ORIGINAL`).
        case original
    }

    /// A restriction's quasi-p-values: one per restricted side of a range (nil where that side is the data's
    /// own minimum or maximum), or one for a set of categories (in `lower`, as the EMA Workbench lays it out).
    public struct QuasiP: Sendable, Equatable {
        public var lower: Double?
        public var upper: Double?
    }

    public struct Box: Sendable, Equatable {
        /// Per input, in the order of the columns.
        public var limits: [Limit]
        /// Inputs whose limit is tighter than the whole data's.
        public var restricted: [Int]
        /// The points inside, in increasing order.
        public var members: [Int]
        public var cases: Int
        public var coverage: Double
        public var density: Double
        public var mass: Double
        /// Per restricted input (same order as ``restricted``).
        public var quasiP: [QuasiP]

        public var points: Int { members.count }
    }

    public struct Result: Sendable {
        /// The peeling trajectory, from the box holding every point.
        public var trajectory: [Box]
        /// Index in ``trajectory`` of the box chosen before pasting.
        public var chosenIndex: Int
        /// The chosen box after pasting and cleaning.
        public var box: Box
        public var totalCases: Int
    }

    public struct Options: Sendable {
        public var peelAlpha = 0.05
        public var pasteAlpha = 0.05
        public var minimumMass = 0.05
        public var minimumCoverage = 0.5
        public var objective = Objective.lenient1
        /// The trajectory's box to report (its index; 0 holds every point), in place of the densest one with enough
        /// coverage; reported as it stands on the trajectory (no pasting). Out of range: the last box.
        public var trajectoryBox: Int?
        public init() {}
    }

    /// Runs PRIM on `columns` (one per input, all of the same length) against `interesting` (true = case of interest),
    /// peeling from the points `among` (default: all of them; a covering search passes those no earlier box holds).
    public static func run(columns: [Column], interesting y: [Bool], options: Options = Options(), among: [Int]? = nil) -> Result {
        let data = Data(columns: columns, y: y, pool: among ?? Array(y.indices))
        var box = data.everything
        var trajectory = [data.box(box)]
        while let next = data.bestPeel(of: box, options: options) {
            box = next
            trajectory.append(data.box(box))
        }
        if let wanted = options.trajectoryBox {
            let chosen = min(max(wanted, 0), trajectory.count - 1)
            let candidate = Candidate(limits: trajectory[chosen].limits, members: trajectory[chosen].members)
            return Result(trajectory: trajectory, chosenIndex: chosen, box: data.box(data.cleaned(candidate)), totalCases: data.totalCases)
        }
        let eligible = trajectory.indices.filter { trajectory[$0].coverage >= options.minimumCoverage }
        let chosen = (eligible.isEmpty ? Array(trajectory.indices) : eligible).max { a, b in
            (trajectory[a].density, trajectory[a].coverage) < (trajectory[b].density, trajectory[b].coverage)
        }!
        var pasted = Candidate(limits: trajectory[chosen].limits, members: trajectory[chosen].members)
        while let next = data.bestPaste(of: pasted, options: options) { pasted = next }
        return Result(trajectory: trajectory, chosenIndex: chosen, box: data.box(data.cleaned(pasted)), totalCases: data.totalCases)
    }

    /// A box's limits and the points inside them.
    struct Candidate {
        var limits: [Limit]
        var members: [Int]
    }

    /// The points, their columns, the full box and the scoring rules.
    struct Data {
        let columns: [Column]
        let y: [Bool]
        let full: [Limit]
        let totalCases: Int
        /// The points a box may hold (all of them, or those no earlier box of a covering search holds).
        let pool: [Int]
        var n: Int { y.count }

        init(columns: [Column], y: [Bool], pool: [Int]) {
            precondition(columns.allSatisfy { $0.count == y.count }, "every column needs one value per point")
            self.columns = columns
            self.y = y
            self.pool = pool
            full = columns.map { column in
                switch column {
                case let .numeric(v): .range(min: v.min() ?? 0, max: v.max() ?? 0)
                case let .categorical(v): .categories(Set(v))
                }
            }
            totalCases = y.filter { $0 }.count
        }

        var everything: Candidate { Candidate(limits: full, members: pool) }

        /// Numeric columns first, then categorical ones, each in column order (the EMA Workbench's candidate order).
        var order: [Int] {
            columns.indices.filter { if case .numeric = columns[$0] { true } else { false } }
                + columns.indices.filter { if case .categorical = columns[$0] { true } else { false } }
        }

        func contains(_ limit: Limit, _ d: Int, _ point: Int) -> Bool {
            switch (limit, columns[d]) {
            case let (.range(lo, hi), .numeric(v)): lo <= v[point] && v[point] <= hi
            case let (.categories(set), .categorical(v)): set.contains(v[point])
            default: false
            }
        }

        func inside(_ limits: [Limit], _ point: Int) -> Bool {
            limits.indices.allSatisfy { contains(limits[$0], $0, point) }
        }

        func members(_ limits: [Limit]) -> [Int] { pool.filter { inside(limits, $0) } }

        func restrictedCount(_ limits: [Limit]) -> Int { zip(limits, full).filter { $0 != $1 }.count }

        func density(_ members: [Int]) -> Double {
            members.isEmpty ? 0 : Double(members.filter { y[$0] }.count) / Double(members.count)
        }

        /// The objective of moving from `old` to `new` members (EMA Workbench's `_lenient1_obj_func` and friends).
        func objective(_ old: [Int], _ new: [Int], _ kind: Objective) -> Double {
            let (before, after) = (density(old), density(new))
            switch kind {
            case .original: return new.isEmpty ? -1 : after
            case .lenient1, .lenient2:
                guard before != after, old.count != new.count else { return 0 }
                let gain = (after - before) / Double(abs(old.count - new.count))
                return kind == .lenient1 ? gain : gain * Double(new.count)
            }
        }

        /// The best-scoring candidate among `candidates`: objective, then fewer restricted inputs, then first listed.
        func best(_ candidates: [Candidate], from box: Candidate, _ kind: Objective) -> (Candidate, Double)? {
            var best: (candidate: Candidate, score: Double, free: Int)?
            for c in candidates {
                let score = objective(box.members, c.members, kind), free = columns.count - restrictedCount(c.limits)
                if best == nil || score > best!.score || (score == best!.score && free > best!.free) { best = (c, score, free) }
            }
            return best.map { ($0.candidate, $0.score) }
        }

        /// The next box on the peeling trajectory, or nil when peeling stops.
        func bestPeel(of box: Candidate, options: Options) -> Candidate? {
            var candidates: [Candidate] = []
            for d in order {
                switch (columns[d], box.limits[d]) {
                case let (.numeric(v), .range(lo, hi)):
                    let values = box.members.map { v[$0] }.sorted()
                    guard !values.isEmpty else { continue }
                    let top = quantile(values, 1 - options.peelAlpha), bottom = quantile(values, options.peelAlpha)
                    candidates.append(peeled(box, d, .range(min: lo, max: top)))
                    candidates.append(peeled(box, d, .range(min: bottom, max: hi)))
                case let (.categorical, .categories(set)) where set.count > 1:
                    for category in set.sorted() { candidates.append(peeled(box, d, .categories(set.subtracting([category])))) }
                default: continue
                }
            }
            guard let (next, score) = best(candidates, from: box, options.objective) else { return nil }
            let mass = Double(next.members.count) / Double(n)
            guard mass >= options.minimumMass, next.members.count < box.members.count, score > 0 else { return nil }
            return next
        }

        func peeled(_ box: Candidate, _ d: Int, _ limit: Limit) -> Candidate {
            var limits = box.limits
            limits[d] = limit
            return Candidate(limits: limits, members: box.members.filter { contains(limit, d, $0) })
        }

        /// The next pasted box, or nil when no paste adds points and raises the density.
        func bestPaste(of box: Candidate, options: Options) -> Candidate? {
            var candidates: [Candidate] = []
            for d in order where box.limits[d] != full[d] {
                switch (columns[d], box.limits[d], full[d]) {
                case let (.numeric(v), .range(lo, hi), .range(minimum, maximum)):
                    // The points that meet every other limit and lie between the data's edge and this side's limit.
                    var below = box.limits, above = box.limits
                    below[d] = .range(min: minimum, max: lo)
                    above[d] = .range(min: hi, max: maximum)
                    let lower = members(below).map { v[$0] }.sorted(), upper = members(above).map { v[$0] }.sorted()
                    var grownDown = box.limits, grownUp = box.limits
                    grownDown[d] = .range(min: lower.isEmpty ? minimum : quantile(lower, 1 - options.pasteAlpha), max: hi)
                    grownUp[d] = .range(min: lo, max: upper.isEmpty ? maximum : quantile(upper, options.pasteAlpha))
                    candidates += [grownDown, grownUp].map { Candidate(limits: $0, members: members($0)) }
                case let (.categorical, .categories(set), .categories(all)):
                    for category in all.subtracting(set).sorted() {
                        var limits = box.limits
                        limits[d] = .categories(set.union([category]))
                        candidates.append(Candidate(limits: limits, members: members(limits)))
                    }
                default: continue
                }
            }
            guard let (next, score) = best(candidates, from: box, options.objective) else { return nil }
            let mass = Double(next.members.count) / Double(n)
            guard mass >= options.minimumMass, next.members.count > box.members.count, score > 0,
                  density(next.members) > density(box.members) else { return nil }
            return next
        }

        /// Drops, one at a time, every restricted side whose removal leaves the box's points unchanged.
        func cleaned(_ box: Candidate) -> Candidate {
            var limits = box.limits
            while let (d, relaxed) = idleSide(limits, members: box.members) { limits[d] = relaxed }
            return Candidate(limits: limits, members: box.members)
        }

        func idleSide(_ limits: [Limit], members: [Int]) -> (Int, Limit)? {
            for d in limits.indices where limits[d] != full[d] {
                for relaxed in relaxations(limits[d], full[d]) {
                    var l = limits
                    l[d] = relaxed
                    if self.members(l).count == members.count { return (d, relaxed) }
                }
            }
            return nil
        }

        /// The limit with one restricted side relaxed to the data's range: lower side first.
        func relaxations(_ limit: Limit, _ full: Limit) -> [Limit] {
            switch (limit, full) {
            case let (.range(lo, hi), .range(minimum, maximum)):
                (lo != minimum ? [.range(min: minimum, max: hi)] : []) + (hi != maximum ? [.range(min: lo, max: maximum)] : [])
            default:
                [full]
            }
        }

        /// A box's statistics and the quasi-p-value of each restricted side.
        func box(_ candidate: Candidate) -> Box {
            let cases = candidate.members.filter { y[$0] }.count
            let restricted = candidate.limits.indices.filter { candidate.limits[$0] != full[$0] }
            let quasiP = restricted.map { d -> QuasiP in
                func p(_ relaxed: Limit) -> Double {
                    var l = candidate.limits
                    l[d] = relaxed
                    return binomialUpperTail(atLeast: cases, trials: candidate.members.count, probability: density(members(l)))
                }
                switch (candidate.limits[d], full[d]) {
                case let (.range(lo, hi), .range(minimum, maximum)):
                    return QuasiP(lower: lo != minimum ? p(.range(min: minimum, max: hi)) : nil,
                                  upper: hi != maximum ? p(.range(min: lo, max: maximum)) : nil)
                default:
                    return QuasiP(lower: p(full[d]), upper: nil)
                }
            }
            return Box(limits: candidate.limits, restricted: restricted, members: candidate.members, cases: cases,
                       coverage: totalCases > 0 ? Double(cases) / Double(totalCases) : .nan,
                       density: candidate.members.isEmpty ? .nan : Double(cases) / Double(candidate.members.count),
                       mass: Double(candidate.members.count) / Double(n), quasiP: quasiP)
        }
    }

    /// The EMA Workbench's quantile (`prim_util.get_quantile`, after sdtoolkit): at position (n − 1)q of the sorted
    /// values, midway between the value there and the next distinct value outward (towards the middle for q > 1/2
    /// from above, from below otherwise), so a limit never sits on a data point.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = Double(sorted.count - 1) * q
        var low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        if q > 0.5 {
            while sorted[low] == sorted[high] && low > 0 { low -= 1 }
        } else {
            while sorted[low] == sorted[high] && high < sorted.count - 1 { high += 1 }
        }
        return (sorted[low] + sorted[high]) / 2
    }
}
