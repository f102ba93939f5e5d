import DXSampling
import Foundation
import Yams

/// Reads sweep files and plans their points. Problems in the sweep file are
/// reported like scenario problems (file:line:column, field, expected, found).
/// Before anything runs, each parameter's path is checked against the base
/// scenario, and each parameter alone at the ends of its range (or at each of
/// its values) must leave the scenario valid; a point that only the
/// combination of its values makes invalid fails when it runs, with its reason
/// (``InvalidPoint``). `dxmap validate` checks every point.
public enum SweepLoader {
    /// Reads, validates and plans the sweep at `path`.
    /// - Throws: ``ScenarioError`` naming file, line, field (and parameter) for every problem.
    /// With `override`, the file's `design:` is optional and unused; the override says whether a parameter's
    /// ends may make the scenario invalid (``SweepDesignOverride/keepsInvalidPoints``).
    public static func load(path: String, data: Data? = nil, design override: SweepDesignOverride? = nil) throws -> SweepPlan {
        let definition = try definition(path: path, data: data, designRequired: override == nil)
        let baseData = try ScenarioLoader.read(path: definition.scenarioPath)
        let baseNode = try ScenarioLoader.compose(
            try ScenarioLoader.text(baseData, file: definition.scenarioPath), file: definition.scenarioPath)
        let base = try ScenarioLoader.read(baseNode, file: definition.scenarioPath)
        let design: SweepPlan.Design
        if let override {
            design = .unit(override.design(definition.parameters, definition.seed))
        } else {
            design = try self.design(definition)
        }
        var plan = SweepPlan(definition: definition, base: base, baseScenarioData: baseData,
                             designLabel: override?.label(definition.seed) ?? "",
                             commonRandomNumbers: override?.commonRandomNumbers ?? false, design: design)
        try check(plan, ends: !(override?.keepsInvalidPoints ?? false))
        plan.warnings = partialPaths(plan, baseNode)
        return plan
    }

    /// The most points `dxmap validate` patches and validates: every point of a design up to this size, and this many
    /// spread evenly over a larger one (about 0.6 ms a point: a few seconds, where all of a 10⁷-point design took hours).
    public static let validationLimit = 10_000

    /// The points `dxmap validate` checks: every point of a design of up to `limit` points; of a larger one, `limit`
    /// points spread evenly over it, the first and the last included, in order.
    public static func validationSample(pointCount: Int, limit: Int = validationLimit) -> [Int] {
        guard pointCount > limit else { return Array(0..<pointCount) }
        guard limit > 1 else { return [0] }
        // i·(N−1)/(limit−1) without overflow for any N: N−1 is split into its quotient and remainder by limit−1.
        let (q, r) = (pointCount - 1).quotientAndRemainder(dividingBy: limit - 1)
        return (0..<limit).map { i in i * q + i * r / (limit - 1) }
    }

    /// Patches and validates the scenario of each of `points` (default: every point), in order, as `dxmap validate`
    /// does (a sweep itself meets a point that only its combination of values makes invalid when the point runs, and
    /// records it as failed).
    /// - Throws: ``ScenarioError`` with up to `limit` invalid points, each at the parameters to blame (all of them
    ///   when only their combination is).
    public static func checkEveryPoint(_ plan: SweepPlan, points: [Int]? = nil, limit: Int = 20,
                                       progress: ((Int, Int) -> Void)? = nil) throws {
        let builder = try plan.builder()
        let parameters = plan.definition.parameters
        let points = points ?? Array(0..<plan.pointCount)
        var issues: [ScenarioIssue] = []
        for (done, i) in points.enumerated() {
            do {
                _ = try builder.scenario(ofPoint: i)
            } catch let invalid as InvalidPoint {
                let blamed = invalid.culprits.isEmpty ? parameters : parameters.filter { invalid.culprits.contains($0.name) }
                issues += blamed.map {
                    ScenarioIssue(location: $0.location, path: "parameters[\($0.name)]", message: "at point \(i), \(invalid)")
                }
                if issues.count >= limit { break }
            }
            progress?(done + 1, points.count)
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues) }
    }

    /// A warning for each parameter whose path goes through `[*]` but reaches only some of the list's elements: what
    /// it reaches, and what it skips and why (`roles[*].automation.beta.mean` on a role whose automation is a PERT).
    static func partialPaths(_ plan: SweepPlan, _ baseNode: Node) -> [ScenarioIssue] {
        plan.definition.parameters.compactMap { parameter in
            guard let steps = ScenarioPatch.steps(parameter.path),
                  let (list, matched, skipped) = ScenarioPatch.partialWildcard(steps, in: baseNode) else { return nil }
            let star = steps.firstIndex { $0.selector == "*" }!
            let rest = steps[(star + 1)...].map { $0.key + ($0.selector.map { "[\($0)]" } ?? "") }.joined(separator: ".")
            func names(_ v: [String]) -> String { v.prefix(8).joined(separator: ", ") + (v.count > 8 ? ", …" : "") }
            return ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)].path", message: """
                \(parameter.name): '\(parameter.path)' reaches \(matched.count) of the \(matched.count + skipped.count) elements of \(list) \
                (\(names(matched))); \(names(skipped)) \(skipped.count == 1 ? "has" : "have") no \(rest), and \(skipped.count == 1 ? "is" : "are") \
                left as \(skipped.count == 1 ? "it is" : "they are")
                """, severity: .warning)
        }
    }

    /// Every parameter's path must reach a number (or a list, for a word) in the base scenario; with `ends`, each
    /// parameter alone at each end of its range, or at each of its values, must leave the scenario valid.
    static func check(_ plan: SweepPlan, ends: Bool) throws {
        let builder = try plan.builder()
        var issues: [ScenarioIssue] = []
        for (j, parameter) in plan.definition.parameters.enumerated() {
            let settings: [SweepValue]
            switch parameter.operation {
            case let .values(values): settings = values
            default: settings = [parameter.value(at: 0), parameter.value(at: 1)]
            }
            for value in settings {
                do {
                    let (_, count) = try ScenarioPatch.apply(
                        builder.steps[j], to: builder.baseNode, value: value, operation: parameter.operation)
                    if count == 0 {
                        issues.append(ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)].path",
                                                    message: "'\(parameter.path)' matches no field of \(plan.definition.scenarioPath)"))
                        break
                    }
                    if ends { _ = try builder.scenario([(j, value)]) }
                } catch let failure as ScenarioPatch.Failure {
                    issues.append(ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)].path",
                                                message: "'\(parameter.path)': \(failure.message)"))
                    break
                } catch let error as ScenarioError {
                    issues.append(ScenarioIssue(location: parameter.location, path: "parameters[\(parameter.name)]",
                                                message: """
                                                    \(parameter.name) = \(value) alone makes the scenario invalid: \(error.issues[0])
                                                    """))
                }
            }
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues) }
    }

    /// Reads and checks the sweep file's own fields (not its points or its base scenario).
    /// - Throws: ``ScenarioError`` naming file, line and field for every problem.
    /// `data`, when given, is the file's bytes already read (standard input cannot be read twice).
    public static func definition(path: String, data: Data? = nil, designRequired: Bool = false) throws -> SweepDefinition {
        let text = try ScenarioLoader.text(try data ?? ScenarioLoader.read(path: path), file: path)
        let root = try ScenarioLoader.compose(quotingPaths(text), file: path)
        let log = IssueLog(file: path)
        guard let definition = SweepReader(log: log, file: path, text: text, designRequired: designRequired)
                .read(YAMLField(node: root, path: "", log: log)),
              log.issues.isEmpty else {
            throw ScenarioError(issues: log.issues)
        }
        return definition
    }

    /// Whether `data` is a sweep file rather than a scenario: it has a top-level `dxmap-sweep:` key (a line that
    /// starts with it in YAML; the quoted key anywhere in JSON). A text scan, not a parse: scenario files can be
    /// tens of megabytes.
    public static func isSweep(_ data: Data) -> Bool {
        // Most files never mention the key: one byte search instead of splitting a large scenario into lines.
        guard data.range(of: Data("dxmap-sweep".utf8)) != nil else { return false }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            line.hasPrefix("dxmap-sweep:") || line.hasPrefix("\"dxmap-sweep\"") || line.contains("\"dxmap-sweep\":")
        }
    }

    /// Sweep paths and outputs such as `service[*].npv` are not valid plain YAML inside flow collections
    /// (`[` starts a sequence, `*` an alias), yet sweep files are written that way, as docs/reference/sweep-files.md shows:
    /// `outputs: [total.npv, service[*].npv]`.
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

    /// The file's design, lazily.
    static func design(_ d: SweepDefinition) throws -> SweepPlan.Design {
        // With levers the design spans the uncertainties; every future then runs under each lever combination.
        let k = d.levers.isEmpty ? d.parameters.count : d.uncertainties.count
        let seed = KeyedUniform.bits(d.seed, UInt64.max)   // randomised designs: a key no point's seed uses
        switch d.design ?? .list(points: []) {
        case let .grid(levels):
            guard let grid = ExperimentDesign.grid(levels: levels) else { throw tooLarge(d) }
            return .unit(grid)
        case let .latinHypercube(n): return .unit(.latinHypercube(points: n, dimensions: k, seed: seed))
        case let .sobol(n, skip):
            guard let sobol = ExperimentDesign.sobol(points: n, dimensions: k, skip: skip) else { throw tooLarge(d) }
            return .unit(sobol)
        case let .morris(r, p): return .unit(.morris(trajectories: r, dimensions: k, levels: p, seed: seed))
        case let .list(points): return .list(points)
        }
    }

    /// (The reader checks a design's size at its field; this is the last guard.)
    static func tooLarge(_ d: SweepDefinition) -> ScenarioError {
        ScenarioError(issues: [ScenarioIssue(location: SourceLocation(file: d.file, line: 1, column: 1), path: "design",
                                             message: """
                                                 the design cannot be built: more than \
                                                 \(NumberFormatting.grouped(ExperimentDesign.maxPoints)) points, or past the Sobol \
                                                 sequence's end
                                                 """)])
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
        guard let m = root.mapping(allowed: ["dxmap-sweep", "scenario", "draws", "seed", "sampling", "design", "parameters", "outputs"])
        else {
            return nil
        }
        if let v = m.required("dxmap-sweep", "the sweep schema version, 1"), let n = v.integer(in: 1...Int.max, "schema version 1"), n != 1
        {
            v.fail("this dxmap reads sweep schema 1, found \(n)")
        }
        let scenario = m.required("scenario", "the base scenario's path, relative to this file")?.string()
        let draws = m.required("draws", "Monte Carlo draws per point")?.integer(
            in: 2...1_000_000_000, "a whole number of draws from 2 to 1e9")
        let seed = m["seed"].map { $0.unsignedInteger(in: 0...UInt64.max, "a whole number from 0 to 18446744073709551615") }
            ?? DXMapDefaults.seed
        let sampling = m["sampling"]?.samplingSettings() ?? SamplingSettings()
        let parameters = m.required("parameters", "a list of parameters")?.list()?.compactMap(parameter) ?? []
        var seen = Set<String>()
        for (p, f) in zip(parameters, m["parameters"]?.list() ?? []) where !seen.insert(p.name).inserted {
            f.fail("duplicate parameter name '\(p.name)'")
        }
        let outputFields = m.required("outputs", "a list of outputs such as total.npv")?.list() ?? []
        let outputs = outputFields.compactMap { $0.string() }
        let designField = designRequired ? m.required("design", "a design such as { lhs: { points: 200 } }") : m["design"]
        // With levers, the design spans the uncertainties alone: each of its points (a future) runs under every
        // combination of the levers' values.
        let uncertainties = parameters.filter { $0.kind == .uncertainty }
        let spanned = uncertainties.count == parameters.count ? parameters : uncertainties
        if spanned.isEmpty, let field = m["parameters"] {
            field.fail("""
                every parameter is a lever; a sweep needs at least one uncertainty (a parameter without kind: lever) for its \
                design to draw futures over
                """)
        }
        let design = spanned.isEmpty ? nil : designField.flatMap { self.design($0, spanned) }
        guard let scenario, let draws, let seed, design != nil || !designRequired, !parameters.isEmpty, !outputs.isEmpty
        else { return nil }
        let directory = URL(fileURLWithPath: file).absoluteURL.deletingLastPathComponent()
        let resolved = scenario.hasPrefix("/") ? scenario : directory.appendingPathComponent(scenario).standardized.path
        var definition = SweepDefinition(file: file, text: text, scenarioPath: resolved, draws: draws, seed: seed, design: design,
                                         parameters: parameters, outputs: outputs,
            outputLocations: outputFields.map { SourceLocation(file: file, line: $0.mark?.line ?? 1, column: $0.mark?.column ?? 1) })
        definition.sampling = sampling
        return definition
    }

    func parameter(_ f: YAMLField) -> SweepParameter? {
        guard let m = f.mapping(allowed: ["name", "path", "kind", "set", "scale", "shift", "values"]) else { return nil }
        let kinds = SweepParameter.Kind.allCases.map(\.rawValue)
        let kind = m["kind"].flatMap { field -> SweepParameter.Kind? in
            guard let word = field.string() else { return nil }
            guard let kind = SweepParameter.Kind(rawValue: word) else {
                field.fail("expected \(kinds.joined(separator: " or ")), found \"\(word)\"\(Suggestion.didYouMean(word, among: kinds))")
                return nil
            }
            return kind
        } ?? .uncertainty
        if kind == .lever, m["values"] == nil {
            m["kind"]?.fail("""
                a lever takes values: (the options someone chooses between, each run in every future); this parameter has \
                \(["set", "scale", "shift"].first { m[$0] != nil } ?? "no values")
                """)
        }
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
        return SweepParameter(name: name, path: path, operation: operation, location: location, kind: kind)
    }

    /// `design:`, one of grid, lhs, sobol, morris or list, checked against the parameters it draws.
    func design(_ f: YAMLField, _ parameters: [SweepParameter]) -> SweepDesign? {
        let kinds = ["grid", "lhs", "sobol", "morris", "list"]
        guard let m = f.mapping(allowed: kinds) else { return nil }
        guard m.order.count == 1, let kind = m.order.first, let body = m[kind] else {
            f.fail("expected one design (\(kinds.joined(separator: ", "))), found \(m.order.count)")
            return nil
        }
        let k = parameters.count
        let limit = ExperimentDesign.maxPoints
        switch kind {
        case "grid":
            return gridDesign(body, parameters)
        case "lhs":
            return body.mapping(allowed: ["points"])?.required("points", "the number of points")?
                .integer(in: 2...limit, "from 2 to \(NumberFormatting.grouped(limit)) points").map(SweepDesign.latinHypercube)
        case "sobol":
            guard let s = body.mapping(allowed: ["points", "skip"]),
                let n = s.required("points", "the number of points")?.integer(
                    in: 1...limit, "from 1 to \(NumberFormatting.grouped(limit)) points")
            else { return nil }
            let skip = s["skip"].map { $0.integer(in: 0...(1 << SobolSequence.digits) - n, """
                a whole number that keeps skip + points within the sequence's 2^30
                """) } ?? 0
            if k > ExperimentDesign.sobolMaxDimensions { body.fail("""
                the Sobol sequence here has at most \(ExperimentDesign.sobolMaxDimensions) dimensions; this sweep has \(k) parameters
                """) }
            return skip.map { .sobol(points: n, skip: $0) }
        case "morris":
            guard let s = body.mapping(allowed: ["trajectories", "levels"]),
                  let r = s.required("trajectories", "the number of trajectories")?.integer(in: 1...(limit / (k + 1)), """
                      from 1 to \(NumberFormatting.grouped(limit / (k + 1))) trajectories (each has \(k + 1) points)
                      """) else { return nil }
            let p = s["levels"].map { $0.integer(in: 2...1000, "an even number of levels") } ?? 4
            guard let p else { return nil }
            if p % 2 != 0 { s["levels"]?.fail("""
                expected an even number of levels (Morris steps of p/(2(p−1)) stay on the grid), found \(p)
                """); return nil }
            return .morris(trajectories: r, levels: p)
        default:
            return listDesign(body, parameters)
        }
    }

    /// `grid: {levels: n}` or `levels: [n1, n2, …]`, one per parameter (a `values:` parameter has as many levels as
    /// values), within the sweep's largest number of points.
    func gridDesign(_ body: YAMLField, _ parameters: [SweepParameter]) -> SweepDesign? {
        let k = parameters.count
        let limit = ExperimentDesign.maxPoints
        guard let g = body.mapping(allowed: ["levels"]), let levels = g.required("levels", "levels per parameter") else { return nil }
        let perParameter: [Int]?
        if case .sequence = levels.node {
            perParameter = levels.list()?.compactMap { $0.integer(in: 1...10_000, "a whole number of levels") }
            if perParameter?.count != k { levels.fail("""
                expected \(k) levels, one per parameter, found \(perParameter?.count ?? 0)
                """); return nil }
        } else {
            perParameter = levels.integer(in: 1...10_000, "a whole number of levels").map { Array(repeating: $0, count: k) }
        }
        guard var result = perParameter else { return nil }
        for (j, p) in parameters.enumerated() { if case let .values(v) = p.operation { result[j] = v.count } }
        let size = ExperimentDesign.gridSize(levels: result)
        guard let size, size <= limit else {
            levels.fail("""
                the grid has \(size.map(NumberFormatting.grouped) ?? "more than 9,223,372,036,854,775,807") points (the product \
                of the levels); a sweep has at most \(NumberFormatting.grouped(limit)): use fewer levels or an lhs or sobol design
                """)
            return nil
        }
        return .grid(levels: result)
    }

    /// `list: {points: [[…], …]}`: each point one value per parameter, a `values:` parameter's among its values.
    func listDesign(_ body: YAMLField, _ parameters: [SweepParameter]) -> SweepDesign? {
        let k = parameters.count
        guard let l = body.mapping(allowed: ["points"]), let rows = l.required("points", "a list of points")?.list() else { return nil }
        var points: [[SweepValue]] = []
        for row in rows {
            guard let cells = row.list() else { return nil }
            guard cells.count == k else { row.fail("expected \(k) values, one per parameter, found \(cells.count)"); return nil }
            var values: [SweepValue] = []
            for (cell, p) in zip(cells, parameters) {
                if case let .values(allowed) = p.operation {
                    let v: SweepValue =
                        YAMLField.parseNumber(cell.node.scalar?.string ?? "").map { .number($0) }
                        ?? .text(cell.node.scalar?.string ?? "")
                    guard allowed.contains(v) else { cell.fail("""
                        expected one of \(allowed.map(\.description).joined(separator: ", ")) for \(p.name), found \(cell.describe)
                        """); return nil }
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
