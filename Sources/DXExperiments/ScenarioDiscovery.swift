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
    public let result: PRIM.Result
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
    public static func run(
        store: SweepStore, output: String, side: Side, options: PRIM.Options = PRIM.Options()
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
        let result = PRIM.run(columns: columns, interesting: bad, options: options)
        var found = ScenarioDiscovery(output: output, side: side, parameters: names, result: result,
                                      leftOut: try store.pointCount() - used.count, pointsUsed: used.count, points: used)
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
