@testable import DXScenario
import DXTestSupport
import Foundation
import XCTest

/// The JSON Schemas in `Scenarios/schema` name exactly the fields the readers accept: every mapping the readers
/// read while loading the bundled scenarios and sweeps (and a few fixtures for what those leave out) is compared,
/// path by path, with the schema's properties there; and every object of the schema is met by some read.
final class SchemaTests: XCTestCase {
    typealias JSON = [String: Any]

    /// Loads `schema` and resolves paths in it: `services[].tasks[].automation.beta`.
    struct Schema {
        let root: JSON

        init(_ name: String) throws {
            let url = packageRoot.appendingPathComponent("Scenarios/schema/\(name).schema.json")
            root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! JSON
        }

        /// `node` with its `$ref` followed, and every `oneOf`/`anyOf` alternative, each with its JSON pointer.
        func alternatives(_ node: JSON, _ pointer: String) -> [(JSON, String)] {
            if let ref = node["$ref"] as? String {
                let name = String(ref.dropFirst("#/$defs/".count))
                return alternatives((root["$defs"] as! JSON)[name] as! JSON, "#/$defs/\(name)")
            }
            var out = [(node, pointer)]
            for key in ["oneOf", "anyOf"] {
                for (i, alternative) in ((node[key] as? [Any]) ?? []).enumerated() {
                    if let a = alternative as? JSON { out += alternatives(a, "\(pointer)/\(key)/\(i)") }
                }
            }
            return out
        }

        /// The schema nodes a field path leads to (several where `oneOf` branches).
        func nodes(at path: [String]) -> [(JSON, String)] {
            var current = alternatives(root, "#")
            for component in path {
                var next: [(JSON, String)] = []
                for (node, pointer) in current {
                    if component == "[]" {
                        if let items = node["items"] as? JSON { next += alternatives(items, pointer + "/items") }
                    } else if let child = (node["properties"] as? JSON)?[component] as? JSON {
                        next += alternatives(child, "\(pointer)/properties/\(component)")
                    } else if let any = node["additionalProperties"] as? JSON {
                        next += alternatives(any, pointer + "/additionalProperties")
                    }
                }
                current = next
            }
            return current
        }

        /// Every object of the schema with named properties (not the `{name: true}` of a parametrisation's branch,
        /// nor a condition).
        var objects: Set<String> {
            var found: Set<String> = []
            func walk(_ value: Any, _ pointer: String) {
                if let node = value as? JSON {
                    if let properties = node["properties"] as? JSON, properties.values.contains(where: { $0 is JSON }) {
                        found.insert(pointer)
                    }
                    // Conditions (if/then/else/not) restate fields named elsewhere; they are not objects of their own.
                    for (key, child) in node where !["if", "then", "else", "not"].contains(key) { walk(child, "\(pointer)/\(key)") }
                } else if let list = value as? [Any] {
                    for (i, child) in list.enumerated() { walk(child, "\(pointer)/\(i)") }
                }
            }
            walk(root, "#")
            return found
        }
    }

    /// `services[blue-badge].tasks[0].automation` → `services`, `[]`, `tasks`, `[]`, `automation`.
    static func components(_ path: String) -> [String] {
        guard !path.isEmpty else { return [] }
        var out: [String] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let bracket = part.firstIndex(of: "[") {
                out.append(String(part[..<bracket]))
                out.append("[]")
            } else {
                out.append(String(part))
            }
        }
        return out
    }

    /// Compares what the readers accepted at each path with the schema's properties there; returns the schema
    /// objects met.
    func compare(_ recorded: [String: Set<Set<String>>], with schema: Schema, file: StaticString = #filePath, line: UInt = #line)
        -> Set<String> {
        var met: Set<String> = []
        // One comparison per path pattern (`roles[].automation`), not per role.
        var byPattern: [String: Set<Set<String>>] = [:]
        for (path, sets) in recorded { byPattern[Self.components(path).joined(separator: "."), default: []].formUnion(sets) }
        for (pattern, sets) in byPattern.sorted(by: { $0.key < $1.key }) {
            let path = pattern
            let accepted = sets.reduce(into: Set<String>()) { $0.formUnion($1) }
            let nodes = schema.nodes(at: pattern.isEmpty ? [] : pattern.components(separatedBy: "."))
            XCTAssertFalse(nodes.isEmpty, "the schema has no place for '\(path)'", file: file, line: line)
            let named = nodes.filter { ($0.0["properties"] as? JSON) != nil }
            // Keys that are ids (a rate per role, a routine's effect per barrier) are additionalProperties: no names to compare.
            guard !named.isEmpty else { continue }
            let properties = Set(named.flatMap { (($0.0["properties"] as? JSON) ?? [:]).keys })
            XCTAssertEqual(properties, accepted, "at '\(path)': the schema names \(properties.subtracting(accepted).sorted()) that the reader "
                           + "refuses, and lacks \(accepted.subtracting(properties).sorted()) that it accepts", file: file, line: line)
            met.formUnion(named.map(\.1))
        }
        return met
    }

    func testScenarioSchemaNamesEveryFieldTheReaderAcceptsAndNoOther() throws {
        let recorder = AcceptedFields()
        let dir = TemporaryDirectory()
        // What the bundled scenarios leave out: similarity instead of skills, every matrix setting.
        let fixture = ScenarioFixtures.corpusBase.replacingOccurrences(of: "discount_rate: 0.03", with: """
            discount_rate: 0.03
            matrix: { level: role, view: risk-return, risk: loss, thresholds: { probability: 0.3, value: 1, risk: 0.1, return: 0 } }
            sampling: { sampler: inversion, generator: xoshiro256starstar, design: sobol, replicates: 8 }
            workforce:
              headcount: [{ organisation: essex, role: admin, people: 10 }]
              similarity: { admin: { admin: 1 } }
            barriers:
              - { id: silo, applies_to: { organisation: essex }, presence: 0.5, delay: { normal: { mean: 1, sd: 0.2, min: 0 } } }
              - { id: local, applies_to: { service: blue-badge }, presence: 0.2 }
            """)
        try AcceptedFields.$current.withValue(recorder) {
            for name in ["italian-pa", "county-councils", "county-councils-workforce", "catalyst", "closed-form", "italian-registry-pilot"] {
                _ = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("Scenarios/\(name).yaml").path)
            }
            _ = try ScenarioLoader.parse(fixture)
            _ = try ScenarioLoader.load(path: try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml"))
        }
        let schema = try Schema("scenario")
        let met = compare(recorder.recorded, with: schema)
        XCTAssertEqual(schema.objects.subtracting(met).sorted(), [], "schema objects no bundled scenario or fixture exercises")
    }

    func testSweepSchemaNamesEveryFieldTheReaderAcceptsAndNoOther() throws {
        let recorder = AcceptedFields()
        let dir = TemporaryDirectory()
        _ = try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        // Designs and operations the bundled sweeps leave out.
        let parameters = """
            parameters:
              - { name: speed, path: roles[admin].automation.beta.mean, shift: { min: -0.1, max: 0.1 } }
              - { name: size, path: services[blue-badge].tasks[0].fte, set: { min: 10, max: 20 } }
            outputs: [total.npv]
            """
        let designs = ["design: { sobol: { points: 8, skip: 0 } }", "design: { morris: { trajectories: 2, levels: 4 } }",
                       "design: { list: { points: [[0, 12], [0.05, 15]] } }", "design: { grid: { levels: [2, 3] } }"]
        try AcceptedFields.$current.withValue(recorder) {
            for name in ["ai-progress", "redeployment-policies", "discover-redeployment", "sensitivity-italian-pa", "peer-benchmark"] {
                _ = try SweepLoader.load(path: packageRoot.appendingPathComponent("Scenarios/sweeps/\(name).yaml").path,
                                         design: name == "sensitivity-italian-pa" ? .corners : nil)
            }
            for (i, design) in designs.enumerated() {
                let sampling = "sampling: { sampler: gsl-direct, generator: mt19937, design: latin-hypercube, replicates: 2 }"
                let text = "dxmap-sweep: 1\nscenario: base.yaml\ndraws: 10\nseed: 1\n\(sampling)\n\(design)\n\(parameters)\n"
                _ = try SweepLoader.load(path: try dir.write(text, to: "sweep-\(i).yaml"))
            }
        }
        // The sweep reader's own paths: the root (keyed by its schema field), design and parameters; the base
        // scenarios it also reads belong to the scenario schema.
        let sweepPaths = Dictionary(uniqueKeysWithValues: recorder.recorded.compactMap { path, sets -> (String, Set<Set<String>>)? in
            if path.isEmpty { return (path, sets.filter { $0.contains("dxmap-sweep") }) }
            return path.hasPrefix("design") || path.hasPrefix("parameters") || path.hasPrefix("sampling") ? (path, sets) : nil
        })
        let schema = try Schema("sweep")
        let met = compare(sweepPaths, with: schema)
        XCTAssertEqual(schema.objects.subtracting(met).sorted(), [], "schema objects no bundled sweep or fixture exercises")
    }
}
