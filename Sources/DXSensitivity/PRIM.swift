import DXSampling

/// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used
/// for scenario discovery (Bryant & Lempert 2010): find a box in the input
/// space — a few inputs restricted to ranges (or sets of categories) — where
/// the cases of interest (bad futures) are dense.
///
/// - **Peeling**: from the box holding every point, repeatedly remove the
///   slice of points that raises the density of cases of interest most: for
///   a numeric input, the ⌈α·n⌉ points (at least one, with their ties) with
///   the lowest or the highest values; for a categorical input, one category.
///   Each step's box is kept: the peeling trajectory, along which coverage
///   falls as density rises. Peeling stops when the density reaches 1, when
///   the next box would hold less than `minimumMass` of all points, or when
///   no peel is possible.
/// - **Choosing**: the box with the highest density among those with
///   coverage ≥ `minimumCoverage` (ties: the larger coverage).
/// - **Pasting**: the chosen box then grows back where that does not lower
///   its density: each step adds the ⌈α_paste·n⌉ nearest outside points
///   along one restricted input (or one removed category), taking the best
///   such step while the density does not fall.
/// - **Quasi-p-values** (as the EMA Workbench): for each restricted input,
///   the probability of at least the box's count of cases of interest among
///   its points under a binomial with the density of the box with that
///   restriction removed. Small values mean the restriction matters.
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

    public struct Box: Sendable, Equatable {
        /// Per input, in the order of the columns.
        public var limits: [Limit]
        /// Inputs whose limit is tighter than the whole data's.
        public var restricted: [Int]
        public var points: Int
        public var cases: Int
        public var coverage: Double
        public var density: Double
        public var mass: Double
        /// Per restricted input (same order as ``restricted``).
        public var quasiPValues: [Double]
    }

    public struct Result: Sendable {
        /// The peeling trajectory, from the box holding every point.
        public var trajectory: [Box]
        /// Index in ``trajectory`` of the box chosen before pasting.
        public var chosenIndex: Int
        /// The chosen box after pasting.
        public var box: Box
        public var totalCases: Int
    }

    public struct Options: Sendable {
        public var peelAlpha = 0.05
        public var pasteAlpha = 0.05
        public var minimumMass = 0.05
        public var minimumCoverage = 0.5
        public init() {}
    }

    /// Runs PRIM on `columns` (one per input, all of the same length) against `interesting` (true = case of interest).
    public static func run(columns: [Column], interesting y: [Bool], options: Options = Options()) -> Result {
        let n = y.count
        precondition(columns.allSatisfy { $0.count == n }, "every column needs one value per point")
        let totalCases = y.filter { $0 }.count
        let full = columns.map(fullLimit)
        var inside = Array(0..<n)
        var limits = full
        var trajectory = [box(limits, inside, full, columns, y, totalCases)]
        while trajectory.last!.density < 1 {
            let minimum = Swift.max(1, Int((options.minimumMass * Double(n)).rounded(.up)))
            var best: (limits: [Limit], inside: [Int], density: Double)?
            for (d, column) in columns.enumerated() {
                for candidate in peels(column, limit: limits[d], inside: inside, alpha: options.peelAlpha) {
                    let kept = inside.filter { contains(candidate, column, $0) }
                    guard kept.count >= minimum, kept.count < inside.count else { continue }
                    let density = Double(kept.filter { y[$0] }.count) / Double(kept.count)
                    if best == nil || density > best!.density || (density == best!.density && kept.count > best!.inside.count) {
                        var l = limits
                        l[d] = candidate
                        best = (l, kept, density)
                    }
                }
            }
            guard let step = best else { break }
            limits = step.limits
            inside = step.inside
            trajectory.append(box(limits, inside, full, columns, y, totalCases))
        }
        let eligible = trajectory.indices.filter { trajectory[$0].coverage >= options.minimumCoverage }
        let chosen = (eligible.isEmpty ? Array(trajectory.indices) : eligible).max { a, b in
            (trajectory[a].density, trajectory[a].coverage) < (trajectory[b].density, trajectory[b].coverage)
        }!
        let pasted = paste(trajectory[chosen].limits, full, columns, y, totalCases, alpha: options.pasteAlpha)
        return Result(trajectory: trajectory, chosenIndex: chosen, box: pasted, totalCases: totalCases)
    }

    static func fullLimit(_ column: Column) -> Limit {
        switch column {
        case let .numeric(v): .range(min: v.min() ?? 0, max: v.max() ?? 0)
        case let .categorical(v): .categories(Set(v))
        }
    }

    static func contains(_ limit: Limit, _ column: Column, _ point: Int) -> Bool {
        switch (limit, column) {
        case let (.range(lo, hi), .numeric(v)): lo <= v[point] && v[point] <= hi
        case let (.categories(set), .categorical(v)): set.contains(v[point])
        default: false
        }
    }

    static func inBox(_ limits: [Limit], _ columns: [Column], _ point: Int) -> Bool {
        zip(limits, columns).allSatisfy { contains($0, $1, point) }
    }

    /// The candidate limits that peel `column` within the box's points `inside`.
    static func peels(_ column: Column, limit: Limit, inside: [Int], alpha: Double) -> [Limit] {
        switch (column, limit) {
        case let (.numeric(v), .range(lo, hi)):
            let sorted = inside.map { v[$0] }.sorted()
            let m = Swift.max(1, Int((alpha * Double(sorted.count)).rounded(.down)))
            guard sorted.count > m else { return [] }
            var result: [Limit] = []
            // Remove the m lowest (and their ties): the new minimum is the first larger value.
            if let next = sorted.first(where: { $0 > sorted[m - 1] }) { result.append(.range(min: next, max: hi)) }
            if let previous = sorted.last(where: { $0 < sorted[sorted.count - m] }) { result.append(.range(min: lo, max: previous)) }
            return result
        case let (.categorical, .categories(set)) where set.count > 1:
            return set.sorted().map { .categories(set.subtracting([$0])) }
        default:
            return []
        }
    }

    /// Grows a box back along its restricted inputs while its density does not fall.
    static func paste(_ start: [Limit], _ full: [Limit], _ columns: [Column], _ y: [Bool], _ totalCases: Int, alpha: Double) -> Box {
        var limits = start
        let n = y.count
        var inside = (0..<n).filter { inBox(limits, columns, $0) }
        var density = Double(inside.filter { y[$0] }.count) / Double(Swift.max(inside.count, 1))
        while true {
            var best: (limits: [Limit], inside: [Int], density: Double)?
            for (d, column) in columns.enumerated() where limits[d] != full[d] {
                // Points that satisfy every other limit but not this one.
                var others = limits
                others[d] = full[d]
                let outside = (0..<n).filter { inBox(others, columns, $0) && !contains(limits[d], column, $0) }
                let m = Swift.max(1, Int((alpha * Double(inside.count)).rounded(.down)))
                for candidate in pastes(column, limit: limits[d], outside: outside, count: m) {
                    var l = limits
                    l[d] = candidate
                    let grown = (0..<n).filter { inBox(l, columns, $0) }
                    let dens = Double(grown.filter { y[$0] }.count) / Double(grown.count)
                    if dens >= density, best == nil || dens > best!.density || (dens == best!.density && grown.count > best!.inside.count) {
                        best = (l, grown, dens)
                    }
                }
            }
            guard let step = best, step.inside.count > inside.count else { break }
            (limits, inside, density) = (step.limits, step.inside, step.density)
        }
        return box(limits, inside, full, columns, y, totalCases)
    }

    static func pastes(_ column: Column, limit: Limit, outside: [Int], count m: Int) -> [Limit] {
        switch (column, limit) {
        case let (.numeric(v), .range(lo, hi)):
            var result: [Limit] = []
            let below = outside.map { v[$0] }.filter { $0 < lo }.sorted(by: >)
            if !below.isEmpty { result.append(.range(min: below[Swift.min(m, below.count) - 1], max: hi)) }
            let above = outside.map { v[$0] }.filter { $0 > hi }.sorted()
            if !above.isEmpty { result.append(.range(min: lo, max: above[Swift.min(m, above.count) - 1])) }
            return result
        case let (.categorical(v), .categories(set)):
            return Set(outside.map { v[$0] }).subtracting(set).sorted().map { .categories(set.union([$0])) }
        default:
            return []
        }
    }

    /// A box's statistics and the quasi-p-value of each restriction.
    static func box(_ limits: [Limit], _ inside: [Int], _ full: [Limit], _ columns: [Column], _ y: [Bool], _ totalCases: Int) -> Box {
        let n = y.count
        let cases = inside.filter { y[$0] }.count
        let restricted = limits.indices.filter { limits[$0] != full[$0] }
        let quasiP = restricted.map { d -> Double in
            var relaxed = limits
            relaxed[d] = full[d]
            let points = (0..<n).filter { inBox(relaxed, columns, $0) }
            let p = Double(points.filter { y[$0] }.count) / Double(points.count)
            return binomialUpperTail(atLeast: cases, trials: inside.count, probability: p)
        }
        return Box(limits: limits, restricted: restricted, points: inside.count, cases: cases,
                   coverage: totalCases > 0 ? Double(cases) / Double(totalCases) : .nan,
                   density: inside.isEmpty ? .nan : Double(cases) / Double(inside.count),
                   mass: Double(inside.count) / Double(n), quasiPValues: quasiP)
    }
}
