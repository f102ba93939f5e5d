import DXSampling
import Foundation
import Yams

/// A sweep ready to run: its definition, its points (one value per
/// parameter) and the validated scenario of every point.
public struct SweepPlan: Sendable {
    public let definition: SweepDefinition
    public let base: Scenario
    /// points[i][j]: value of parameter j at point i.
    public let points: [[SweepValue]]
    /// The scenario of each point; nil where the patched scenario is invalid (only with a design override that
    /// keeps such points as failed, see ``invalidPoints``; otherwise loading throws).
    public let scenarios: [Scenario?]
    /// Why each invalid point's scenario is invalid, by point.
    public let invalidPoints: [Int: String]
    /// The base scenario file's bytes as read (part of the sweep's identity in results databases).
    public let baseScenarioData: Data
    /// The override's label ("" for the file's own design): part of the sweep's identity in results databases.
    public let designLabel: String
    /// Common random numbers: every point uses the sweep seed itself, so differences between points
    /// come from the parameters and not from sampling noise (sensitivity designs use this).
    public let commonRandomNumbers: Bool

    /// The seed of point `i`: the sweep seed under common random numbers, otherwise a mix of the sweep seed and
    /// the index, so any point reruns alone identically.
    public func seed(ofPoint i: Int) -> UInt64 { commonRandomNumbers ? definition.seed : KeyedUniform.bits(definition.seed, UInt64(i)) }
}

/// A design a caller builds from the sweep's parameters in place of the file's `design:` — how
/// sensitivity methods run their own designs (Saltelli, Morris, one-at-a-time) through sweeps, and how
/// `dxmap validate` checks a sweep file that has no design.
public struct SweepDesignOverride: Sendable {
    /// Names the design in the results database, given the sweep seed (a database made by another design
    /// is not resumed).
    public var label: @Sendable (_ seed: UInt64) -> String
    /// The design in unit coordinates, given the parameters and the sweep seed: one value in [0, 1] per parameter.
    public var unitPoints: @Sendable (_ parameters: [SweepParameter], _ seed: UInt64) -> [[Double]]
    /// Whether every point runs on the sweep seed itself (common random numbers), so points differ by their
    /// parameters and not by their draws, as sensitivity methods need.
    public var commonRandomNumbers = true
    /// Whether a point whose scenario becomes invalid is kept as a failed point (a sensitivity design must keep
    /// its shape) rather than reported as an error before anything runs.
    public var keepsInvalidPoints = true

    public init(label: @escaping @Sendable (_ seed: UInt64) -> String,
                unitPoints: @escaping @Sendable (_ parameters: [SweepParameter], _ seed: UInt64) -> [[Double]]) {
        self.label = label
        self.unitPoints = unitPoints
    }

    /// For checking a sweep without a design: every combination of each parameter's ends (and of every value of a
    /// `values` parameter) when there are at most 4,096, else each parameter at each end with the others at their
    /// midpoints. Invalid points are errors.
    public static let corners: SweepDesignOverride = {
        var o = SweepDesignOverride(label: { _ in "corners" }) { parameters, _ in
            let levels = parameters.map { p -> Int in if case let .values(v) = p.operation { v.count } else { 2 } }
            if levels.reduce(1, { $0 > 4096 ? $0 : $0 * $1 }) <= 4096 { return ExperimentDesign.grid(levels: levels) }
            let middle = [Double](repeating: 0.5, count: parameters.count)
            return [middle] + parameters.indices.flatMap { j in
                (0..<levels[j]).map { l -> [Double] in var u = middle; u[j] = Double(l) / Double(levels[j] - 1); return u }
            }
        }
        o.commonRandomNumbers = false
        o.keepsInvalidPoints = false
        return o
    }()
}

/// Reads sweep files and plans their points. Problems in the sweep file are
/// reported like scenario problems (file:line:column, field, expected, found);
/// a point whose patched scenario is invalid is reported at its parameter,
/// naming the point and its values, before anything runs.
public enum SweepLoader {
    /// Reads, validates and plans the sweep at `path`, patching and validating every point's scenario.
    /// - Throws: ``ScenarioError`` naming file, line, field (and parameter and point) for every problem.
    /// With `override`, the file's `design:` is optional and unused, and invalid points are kept as failed
    /// (``SweepPlan/invalidPoints``) rather than reported when the override says so.
    public static func load(path: String, design override: SweepDesignOverride? = nil) throws -> SweepPlan {
        let definition = try definition(path: path, designRequired: override == nil)
        let baseData = try ScenarioLoader.read(path: definition.scenarioPath)
        let baseText = String(decoding: baseData, as: UTF8.self)
        let baseNode = try ScenarioLoader.compose(baseText, file: definition.scenarioPath)
        let base = try ScenarioLoader.read(baseNode, file: definition.scenarioPath)
        let points = override.map { o in o.unitPoints(definition.parameters, definition.seed).map { u in zip(definition.parameters, u).map { $0.value(at: $1) } } }
            ?? design(definition)
        let keepsInvalidPoints = override?.keepsInvalidPoints ?? false
        var scenarios: [Scenario?] = []
        var invalid: [Int: String] = [:]
        var issues: [ScenarioIssue] = []
        let steps = definition.parameters.map { ScenarioPatch.steps($0.path)! }
        for (index, values) in points.enumerated() {
            var node = baseNode
            var failed = false
            for (j, parameter) in definition.parameters.enumerated() {
                do {
                    let (patched, count) = try ScenarioPatch.apply(steps[j], to: node, value: values[j], operation: parameter.operation)
                    if count == 0 {
                        issues.append(ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)].path",
                                                    message: "'\(parameter.path)' matches no field of \(definition.scenarioPath)"))
                        throw ScenarioPatch.Failure(message: "")
                    }
                    node = patched
                } catch let failure as ScenarioPatch.Failure {
                    if !failure.message.isEmpty {
                        issues.append(ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)].path",
                                                    message: "'\(parameter.path)': \(failure.message)"))
                    }
                    failed = true
                    break
                }
            }
            if failed { break }   // the same path fails at every point
            do {
                scenarios.append(try ScenarioLoader.read(node, file: definition.scenarioPath))
            } catch let error as ScenarioError where keepsInvalidPoints {
                let setting = zip(definition.parameters, values).map { "\($0.name) = \($1)" }.joined(separator: ", ")
                invalid[index] = "the scenario becomes invalid (\(setting)): \(error.issues[0].path): \(error.issues[0].message)"
                scenarios.append(nil)
            } catch let error as ScenarioError {
                let setting = zip(definition.parameters, values).map { "\($0.name) = \($1)" }.joined(separator: ", ")
                let alone = culprits(of: values, definition: definition, steps: steps, base: baseNode)
                let blamed = alone.isEmpty ? definition.parameters : alone
                let why = alone.isEmpty ? "together these values make the scenario invalid" : "this value alone makes the scenario invalid"
                for culprit in blamed {
                    let value = values[definition.parameters.firstIndex(of: culprit)!]
                    issues.append(ScenarioIssue(location: culprit.location, path: "parameters[\(culprit.name)]",
                                                message: "at point \(index) (\(setting)), \(culprit.name) = \(value): \(why): \(error.issues[0])"))
                }
                if issues.count >= 20 { break }
            }
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues) }
        return SweepPlan(definition: definition, base: base, points: points, scenarios: scenarios, invalidPoints: invalid,
                         baseScenarioData: baseData, designLabel: override?.label(definition.seed) ?? "",
                         commonRandomNumbers: override?.commonRandomNumbers ?? false)
    }

    /// Reads and checks the sweep file's own fields (not its points or its base scenario).
    /// - Throws: ``ScenarioError`` naming file, line and field for every problem.
    public static func definition(path: String, designRequired: Bool = false) throws -> SweepDefinition {
        let data = try ScenarioLoader.read(path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(issues: [ScenarioIssue(location: SourceLocation(file: path, line: 1, column: 1), path: "",
                                                       message: "expected a UTF-8 text file")])
        }
        let root = try ScenarioLoader.compose(quotingPaths(text), file: path)
        let log = IssueLog(file: path)
        guard let definition = SweepReader(log: log, file: path, text: text, designRequired: designRequired)
                .read(YAMLField(node: root, path: "", log: log)),
              log.issues.isEmpty else {
            throw ScenarioError(issues: log.issues)
        }
        return definition
    }

    /// Whether `data` is a sweep file (a mapping with `dxmap-sweep:`) rather than a scenario.
    public static func isSweep(_ data: Data) -> Bool {
        guard let text = String(data: data, encoding: .utf8),
              let root = try? ScenarioLoader.compose(quotingPaths(text), file: "") else { return false }
        return root.mapping?["dxmap-sweep"] != nil
    }

    /// The parameters that, each set alone to its value at a point (the others as in the base scenario), make
    /// the scenario invalid: who to blame for an invalid point.
    static func culprits(of values: [SweepValue], definition: SweepDefinition, steps: [[ScenarioPatch.Step]], base: Node) -> [SweepParameter] {
        definition.parameters.indices.filter { j in
            guard let (patched, _) = try? ScenarioPatch.apply(steps[j], to: base, value: values[j], operation: definition.parameters[j].operation) else { return true }
            return (try? ScenarioLoader.read(patched, file: definition.scenarioPath)) == nil
        }.map { definition.parameters[$0] }
    }

    /// Sweep paths and outputs such as `service[*].npv` are not valid plain YAML inside flow collections
    /// (`[` starts a sequence, `*` an alias), yet DESIGN.md writes `outputs: [total.npv, service[*].npv]`.
    /// This quotes such tokens, line by line, before parsing; lines keep their numbers.
    static func quotingPaths(_ text: String) -> String {
        let pathCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./[]*")
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let chars = Array(line)
            guard chars.contains("["), chars.first(where: { $0 != " " }) != "#" else { return String(line) }
            var out = "", i = 0
            while i < chars.count {
                let c = chars[i]
                out.append(c)
                i += 1
                if c == "\"" || c == "'" {   // copy quoted text as it is
                    while i < chars.count, chars[i] != c { out.append(chars[i]); i += 1 }
                    if i < chars.count { out.append(chars[i]); i += 1 }
                    continue
                }
                guard c == "[" || c == "," || c == ":" else { continue }
                while i < chars.count, chars[i] == " " { out.append(" "); i += 1 }
                guard i < chars.count, chars[i].isLetter || chars[i] == "_" else { continue }
                var j = i
                while j < chars.count, pathCharacters.contains(chars[j]) { j += 1 }
                var token = Array(chars[i..<j])
                // A trailing ']' that closes the surrounding flow sequence is not part of the path.
                while token.last == "]", token.filter({ $0 == "]" }).count > token.filter({ $0 == "[" }).count { token.removeLast() }
                guard token.contains("[") else { continue }
                out += "\"" + String(token) + "\""
                i += token.count
            }
            return out
        }.joined(separator: "\n")
    }

    /// The design's points in each parameter's own terms.
    static func design(_ d: SweepDefinition) -> [[SweepValue]] {
        let k = d.parameters.count
        let designStream = RandomStream(seed: d.seed, stream: UInt64.max)   // a stream no point uses
        let unit: [[Double]]
        switch d.design ?? .list(points: []) {
        case let .grid(levels): unit = ExperimentDesign.grid(levels: levels)
        case let .latinHypercube(n): unit = ExperimentDesign.latinHypercube(points: n, dimensions: k, stream: designStream)
        case let .sobol(n, skip): unit = ExperimentDesign.sobol(points: n, dimensions: k, skip: skip) ?? []
        case let .morris(r, p): unit = ExperimentDesign.morris(trajectories: r, dimensions: k, levels: p, stream: designStream)
        case let .list(points): return points
        }
        return unit.map { u in zip(d.parameters, u).map { $0.value(at: $1) } }
    }
}

/// Reads the sweep file's fields.
struct SweepReader {
    let log: IssueLog
    let file: String
    let text: String
    /// False when the caller supplies the design (sensitivity): `design:` may then be absent.
    var designRequired = true

    func read(_ root: YAMLField) -> SweepDefinition? {
        guard let m = root.mapping(allowed: ["dxmap-sweep", "scenario", "draws", "seed", "design", "parameters", "outputs"]) else { return nil }
        if let v = m.required("dxmap-sweep", "the sweep schema version, 1"), let n = v.integer(in: 1...Int.max, "schema version 1"), n != 1 {
            v.fail("this dxmap reads sweep schema 1, found \(n)")
        }
        let scenario = m.required("scenario", "the base scenario's path, relative to this file")?.string()
        let draws = m.required("draws", "Monte Carlo draws per point")?.integer(in: 2...1_000_000_000, "a whole number of draws from 2 to 1e9")
        let seed = m["seed"].map { $0.integer(in: 0...Int.max, "a non-negative whole number") } ?? 20_240_216
        let parameters = m.required("parameters", "a list of parameters")?.list()?.compactMap(parameter) ?? []
        var seen = Set<String>()
        for (p, f) in zip(parameters, m["parameters"]?.list() ?? []) where !seen.insert(p.name).inserted {
            f.fail("duplicate parameter name '\(p.name)'")
        }
        let outputFields = m.required("outputs", "a list of outputs such as total.npv")?.list() ?? []
        let outputs = outputFields.compactMap { $0.string() }
        let designField = designRequired ? m.required("design", "a design such as { lhs: { points: 200 } }") : m["design"]
        let design = designField.flatMap { self.design($0, parameters) }
        guard let scenario, let draws, let seed, design != nil || !designRequired, !parameters.isEmpty, !outputs.isEmpty else { return nil }
        let directory = URL(fileURLWithPath: file).absoluteURL.deletingLastPathComponent()
        let resolved = scenario.hasPrefix("/") ? scenario : directory.appendingPathComponent(scenario).standardized.path
        return SweepDefinition(file: file, text: text, scenarioPath: resolved, draws: draws, seed: UInt64(seed), design: design,
                               parameters: parameters, outputs: outputs,
                               outputLocations: outputFields.map { SourceLocation(file: file, line: $0.mark?.line ?? 1, column: $0.mark?.column ?? 1) })
    }

    func parameter(_ f: YAMLField) -> SweepParameter? {
        guard let m = f.mapping(allowed: ["name", "path", "set", "scale", "shift", "values"]) else { return nil }
        let name = m.required("name", "a column name")?.identifier()
        let pathField = m.required("path", "a field path such as roles[*].cost_per_fte")
        let path = pathField?.string()
        if let path, ScenarioPatch.steps(path) == nil {
            pathField?.fail("expected a path of field names joined by dots, with [id], [*] or [N] for list elements; found \"\(path)\"")
        }
        let ops = ["set", "scale", "shift", "values"].filter { m[$0] != nil }
        guard ops.count == 1 else {
            f.fail("give exactly one of set, scale, shift or values, found \(ops.isEmpty ? "none" : ops.joined(separator: " and "))")
            return nil
        }
        let operation: SweepParameter.Operation
        if let v = m["values"] {
            guard let items = v.list() else { return nil }
            let values = items.compactMap { item -> SweepValue? in
                if let x = YAMLField.parseNumber(item.node.scalar?.string ?? ""), item.node.scalar?.style == .plain { return .number(x) }
                return item.string().map(SweepValue.text)
            }
            guard values.count == items.count else { return nil }
            operation = .values(values)
        } else {
            let op = ops[0]
            guard let r = m[op]?.mapping(allowed: ["min", "max"]), let lo = r.required("min", "a number")?.number(),
                  let hi = r.required("max", "a number")?.number() else { return nil }
            guard lo <= hi else {
                r["max"]?.fail("expected max ≥ min (\(YAMLField.format(lo))), found \(YAMLField.format(hi)))")
                return nil
            }
            operation = op == "set" ? .set(min: lo, max: hi) : op == "scale" ? .scale(min: lo, max: hi) : .shift(min: lo, max: hi)
        }
        guard let name, let path, ScenarioPatch.steps(path) != nil else { return nil }
        let location = SourceLocation(file: file, line: pathField?.mark?.line ?? 1, column: pathField?.mark?.column ?? 1)
        return SweepParameter(name: name, path: path, operation: operation, location: location)
    }

    func design(_ f: YAMLField, _ parameters: [SweepParameter]) -> SweepDesign? {
        let kinds = ["grid", "lhs", "sobol", "morris", "list"]
        guard let m = f.mapping(allowed: kinds) else { return nil }
        guard m.order.count == 1, let kind = m.order.first, let body = m[kind] else {
            f.fail("expected one design (\(kinds.joined(separator: ", "))), found \(m.order.count)")
            return nil
        }
        let k = parameters.count
        switch kind {
        case "grid":
            guard let g = body.mapping(allowed: ["levels"]), let levels = g.required("levels", "levels per parameter") else { return nil }
            let perParameter: [Int]?
            if case .sequence = levels.node {
                perParameter = levels.list()?.compactMap { $0.integer(in: 1...10_000, "a whole number of levels") }
                if perParameter?.count != k { levels.fail("expected \(k) levels, one per parameter, found \(perParameter?.count ?? 0)"); return nil }
            } else {
                perParameter = levels.integer(in: 1...10_000, "a whole number of levels").map { Array(repeating: $0, count: k) }
            }
            guard var result = perParameter else { return nil }
            for (j, p) in parameters.enumerated() { if case let .values(v) = p.operation { result[j] = v.count } }
            return .grid(levels: result)
        case "lhs":
            return body.mapping(allowed: ["points"])?.required("points", "the number of points")?
                .integer(in: 2...10_000_000, "at least 2 points").map(SweepDesign.latinHypercube)
        case "sobol":
            guard let s = body.mapping(allowed: ["points", "skip"]),
                  let n = s.required("points", "the number of points")?.integer(in: 1...10_000_000, "at least 1 point") else { return nil }
            let skip = s["skip"].map { $0.integer(in: 0...100_000_000, "a non-negative whole number") } ?? 0
            if k > ExperimentDesign.sobolMaxDimensions { body.fail("GSL's Sobol sequence has at most \(ExperimentDesign.sobolMaxDimensions) dimensions; this sweep has \(k) parameters") }
            return skip.map { .sobol(points: n, skip: $0) }
        case "morris":
            guard let s = body.mapping(allowed: ["trajectories", "levels"]),
                  let r = s.required("trajectories", "the number of trajectories")?.integer(in: 1...1_000_000, "at least 1 trajectory") else { return nil }
            let p = s["levels"].map { $0.integer(in: 2...1000, "an even number of levels") } ?? 4
            guard let p else { return nil }
            if p % 2 != 0 { s["levels"]?.fail("expected an even number of levels (Morris steps of p/(2(p−1)) stay on the grid), found \(p)"); return nil }
            return .morris(trajectories: r, levels: p)
        default:
            guard let l = body.mapping(allowed: ["points"]), let rows = l.required("points", "a list of points")?.list() else { return nil }
            var points: [[SweepValue]] = []
            for row in rows {
                guard let cells = row.list() else { return nil }
                guard cells.count == k else { row.fail("expected \(k) values, one per parameter, found \(cells.count)"); return nil }
                var values: [SweepValue] = []
                for (cell, p) in zip(cells, parameters) {
                    if case let .values(allowed) = p.operation {
                        let v: SweepValue = YAMLField.parseNumber(cell.node.scalar?.string ?? "").map { .number($0) } ?? .text(cell.node.scalar?.string ?? "")
                        guard allowed.contains(v) else { cell.fail("expected one of \(allowed.map(\.description).joined(separator: ", ")) for \(p.name), found \(cell.describe)"); return nil }
                        values.append(v)
                    } else {
                        guard let x = cell.number() else { return nil }
                        values.append(.number(x))
                    }
                }
                points.append(values)
            }
            return .list(points: points)
        }
    }
}
