import DXScenario
import DXSensitivity
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

    /// Runs PRIM on the points of `store` for `output`.
    public static func run(store: SweepStore, output: String, side: Side, options: PRIM.Options = PRIM.Options()) throws -> ScenarioDiscovery {
        let outputs = try store.outputNames()
        guard outputs.contains(output) else {
            throw StoreError(path: store.path, message: "no output '\(output)'; this sweep's outputs are \(outputs.prefix(12).joined(separator: ", "))\(outputs.count > 12 ? ", …" : "")")
        }
        let names = try store.parameterNames()
        let design = try store.design()
        let values = try store.values(of: output).mean
        let used = design.indices.filter { $0 < values.count && values[$0].isFinite }
        guard used.count >= 2 else {
            throw StoreError(path: store.path, message: "only \(used.count) points have a value for \(output); PRIM needs a sweep's results")
        }
        let columns: [PRIM.Column] = names.indices.map { j in
            let cells = used.map { design[$0][j] }
            if cells.allSatisfy({ if case .number = $0 { true } else { false } }) {
                return .numeric(cells.map { if case let .number(x) = $0 { x } else { .nan } })
            }
            return .categorical(cells.map(\.description))
        }
        let bad = used.map { side.isBad(values[$0]) }
        let result = PRIM.run(columns: columns, interesting: bad, options: options)
        return ScenarioDiscovery(output: output, side: side, parameters: names, result: result,
                                 leftOut: design.count - used.count, pointsUsed: used.count)
    }

    /// `boxes.csv`: the peeling trajectory, then the chosen box after pasting (`box` = `chosen`), one row per
    /// restricted parameter of each box (a box with no restriction has one row with an empty parameter).
    /// Header: `box,coverage,density,mass,points,cases,parameter,min,max,categories,quasi_p`.
    public var boxesCSV: String {
        var lines = ["box,coverage,density,mass,points,cases,parameter,min,max,categories,quasi_p"]
        let boxes = result.trajectory.enumerated().map { ("\($0.offset)", $0.element) } + [("chosen", result.box)]
        for (label, box) in boxes {
            let head = [label] + [box.coverage, box.density, box.mass].map(NumberFormatting.exact) + ["\(box.points)", "\(box.cases)"]
            if box.restricted.isEmpty { lines.append(CSVOutput.row(head + ["", "", "", "", ""])) }
            for (k, d) in box.restricted.enumerated() {
                let limit: [String]
                switch box.limits[d] {
                case let .range(lo, hi): limit = [NumberFormatting.exact(lo), NumberFormatting.exact(hi), ""]
                case let .categories(set): limit = ["", "", set.sorted().joined(separator: ";")]
                }
                lines.append(CSVOutput.row(head + [parameters[d]] + limit + [NumberFormatting.exact(box.quasiPValues[k])]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
