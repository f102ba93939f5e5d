import DXAnalysis
import DXSampling
import DXScenario
import DXSupport
import Foundation

/// Scenario discovery on a sweep's results: which region of the parameter
/// space holds the futures in which an output goes bad (PRIM on the points'
/// parameter values, with "bad" meaning the output's mean over draws is above
/// or below a threshold).
public struct ScenarioDiscovery: Sendable {
    /// Which side of the threshold is bad.
    public enum Side: Sendable, Equatable {
        case above(Double)
        case below(Double)

        func isBad(_ x: Double) -> Bool {
            switch self {
            case let .above(t): x > t
            case let .below(t): x < t
            }
        }

        public var description: String {
            switch self {
            case let .above(t): "> \(NumberFormatting.exact(t))"
            case let .below(t): "< \(NumberFormatting.exact(t))"
            }
        }
    }

    public let output: String
    public let side: Side
    public let parameters: [String]
    /// One result per box found: the first on every point, each further one (covering, `boxes` > 1) on the points
    /// no earlier box holds.
    public let results: [PRIM.Result]
    /// The first box's search.
    public var result: PRIM.Result { results[0] }
    /// Each parameter's kind (a lever where the sweep file marks it `kind: lever`).
    public var kinds: [SweepParameter.Kind] = []
    /// Per box, whether it was picked from its trajectory (`trajectoryBoxes`) rather than chosen and pasted.
    public var selected: [Bool] = []
    /// Why fewer boxes were found than asked for, or nil.
    public var coveringStopped: String?
    /// Points left out: failed, or not run yet.
    public let leftOut: Int
    public let pointsUsed: Int
    /// The sweep's point number of each point PRIM saw (PRIM's point i is sweep point `points[i]`).
    public let points: [Int]
    /// Per parameter, its distinct values in the points, ascending, when it is numeric and takes at most
    /// ``fewValues`` of them (a `values:` list, a discrete design); nil otherwise. A limit on such a parameter is
    /// the values it keeps, not a midpoint between two of them.
    public var distinctValues: [[Double]?] = []

    /// A numeric parameter with this many distinct values or fewer has its limits shown as the values they keep.
    public static let fewValues = 12

    /// Runs PRIM on the points of `store` for `output`.
    /// - Throws: `UnknownNameError` for an unknown output; `DataError` when fewer than two points have a value, or
    ///   when the threshold leaves no bad point or no good one (its message gives the output's observed range).
    ///
    /// With `boxes` > 1 it covers (the EMA Workbench's approach): each further box is searched among the points no
    /// earlier box holds, chosen as the densest whose coverage reaches `options.minimumCoverage` of the bad futures
    /// still outside every box (coverage and mass are still reported against all points). `trajectoryBoxes[k]`, when
    /// given, picks box k's search result from its trajectory by index (as reported, without pasting).
    /// - Throws: also `DataError` for a trajectory index past the trajectory's end (naming its length).
    public static func run(
        store: SweepStore, output: String, side: Side, options: PRIM.Options = PRIM.Options(), boxes: Int = 1,
        trajectoryBoxes: [Int] = []
    ) throws -> ScenarioDiscovery {
        if let problem = try unknownOutput(output, in: store) {
            throw UnknownNameError(kind: "output", name: output, message: "\(store.path): \(problem)")
        }
        let names = try store.parameterNames()
        let design = try store.design()
        let values = try store.values(of: output).mean
        let used = design.keys.sorted().filter { $0 < values.count && values[$0].isFinite }
        guard used.count >= 2 else {
            throw DataError(path: store.path, message: "only \(used.count) points have a value for \(output); PRIM needs a sweep's results")
        }
        let bad = used.map { side.isBad(values[$0]) }
        let count = bad.filter { $0 }.count
        if count == 0 || count == used.count {
            let observed = used.map { values[$0] }
            throw DataError(path: store.path, message: """
                \(count == 0 ? "no" : "every") point has \(output) \(side.description) (observed range \
                \(NumberFormatting.exact(observed.min()!)) to \(NumberFormatting.exact(observed.max()!)) over \(used.count) points); \
                choose a threshold inside that range
                """)
        }
        let columns: [PRIM.Column] = names.indices.map { j in
            let cells = used.map { design[$0]![j] }
            if cells.allSatisfy({ if case .number = $0 { true } else { false } }) {
                return .numeric(cells.map { if case let .number(x) = $0 { x } else { .nan } })
            }
            return .categorical(cells.map(\.description))
        }
        var results: [PRIM.Result] = [], remaining = Array(used.indices), stopped: String?
        for k in 0..<max(1, boxes) {
            let left = remaining.filter { bad[$0] }.count
            if k > 0 {
                guard left > 0 else { stopped = "no bad future is left outside box \(k)"; break }
                guard remaining.count >= 2 else { stopped = "fewer than two futures are left outside box \(k)"; break }
            }
            var o = options
            o.minimumCoverage = options.minimumCoverage * Double(left) / Double(count)
            o.trajectoryBox = k < trajectoryBoxes.count ? trajectoryBoxes[k] : nil
            let r = PRIM.run(columns: columns, interesting: bad, options: o, among: k == 0 ? nil : remaining)
            if let wanted = o.trajectoryBox, wanted >= r.trajectory.count || wanted < 0 {
                throw DataError(path: store.path, message: """
                    --box \(wanted): box \(k + 1)'s peeling trajectory has \(r.trajectory.count) boxes, numbered 0 (every point\
                    \(k > 0 ? " left" : "")) to \(r.trajectory.count - 1)
                    """)
            }
            results.append(r)
            let inside = Set(r.box.members)
            remaining = remaining.filter { !inside.contains($0) }
            if r.box.restricted.isEmpty, k + 1 < boxes { stopped = "box \(k + 1) restricts nothing: it holds every future left"; break }
        }
        var found = ScenarioDiscovery(output: output, side: side, parameters: names, results: results,
                                      leftOut: try store.pointCount() - used.count, pointsUsed: used.count, points: used)
        found.kinds = try store.parameterKinds()
        found.coveringStopped = stopped
        found.selected = results.indices.map { $0 < trajectoryBoxes.count }
        found.distinctValues = columns.map { column in
            guard case let .numeric(v) = column else { return nil }
            let distinct = Array(Set(v.filter(\.isFinite))).sorted()
            return distinct.count <= fewValues ? distinct : nil
        }
        return found
    }

    /// What is wrong with `output` as an output of the sweep in `store`, or nil when it is one.
    public static func unknownOutput(_ output: String, in store: SweepStore) throws -> String? {
        let outputs = try store.outputNames()
        guard !outputs.contains(output) else { return nil }
        return """
            no output '\(output)'\(Suggestion.didYouMean(output, among: outputs)); this sweep's outputs are \
            \(outputs.prefix(12).joined(separator: ", "))\(outputs.count > 12 ? ", …" : "")
            """
    }
}
