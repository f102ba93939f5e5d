import DXSampling
import Yams

/// Changes fields of a scenario's YAML tree by path, keeping every node's
/// source position, so the patched scenario is validated by the same reader
/// and its errors still point into the base file.
///
/// A path is field names joined by dots; a list element is chosen by its
/// `id` in brackets, `[*]` for all, or `[N]` for the N-th (0-based):
/// `roles[*].automation.beta.mean`, `services[blue-badge].tasks[*].fte`.
enum ScenarioPatch {
    struct Step {
        let key: String
        let selector: String?
    }

    /// Parses a path; nil when it is malformed.
    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let open = part.firstIndex(of: "[") {
                guard part.hasSuffix("]"), open != part.startIndex else { return nil }
                let selector = part[part.index(after: open)..<part.index(before: part.endIndex)]
                guard !selector.isEmpty else { return nil }
                steps.append(Step(key: String(part[..<open]), selector: String(selector)))
            } else {
                guard !part.isEmpty else { return nil }
                steps.append(Step(key: String(part), selector: nil))
            }
        }
        return steps.isEmpty ? nil : steps
    }

    /// How many fields the path reaches in `node`, changing nothing (a path that ends at a list or a mapping still
    /// counts: applying a value says what is wrong with it).
    static func reach(_ steps: [Step], in node: Node) -> Int {
        guard let step = steps.first else { return 1 }
        guard case let .mapping(mapping) = node, let value = mapping.first(where: { $0.key.scalar?.string == step.key })?.value else {
            return 0
        }
        let rest = Array(steps.dropFirst())
        guard let selector = step.selector else { return reach(rest, in: value) }
        guard case let .sequence(sequence) = value else { return 0 }
        let position = Int(selector)
        return sequence.enumerated().reduce(0) { sum, item in
            let (k, element) = item
            guard selector == "*" || position == k || YAMLField.text(of: "id", in: element) == selector else { return sum }
            return sum + reach(rest, in: element)
        }
    }

    /// For a path through `[*]`: the list the first `[*]` spans (as written up to it), and its elements (by id, or
    /// position) the rest of the path reaches and those it does not; nil for a path without `[*]` or when it
    /// reaches every element.
    static func partialWildcard(_ steps: [Step], in root: Node) -> (list: String, matched: [String], skipped: [String])? {
        guard let star = steps.firstIndex(where: { $0.selector == "*" }) else { return nil }
        var node = root
        for step in steps[..<star] {
            guard case let .mapping(mapping) = node, let value = mapping.first(where: { $0.key.scalar?.string == step.key })?.value else {
                return nil
            }
            if let selector = step.selector {
                guard case let .sequence(sequence) = value else { return nil }
                let position = Int(selector)
                guard let element = sequence.enumerated().first(where: { k, e in position == k || YAMLField.text(of: "id", in: e) == selector })?
                    .element else { return nil }
                node = element
            } else {
                node = value
            }
        }
        guard case let .mapping(mapping) = node, let value = mapping.first(where: { $0.key.scalar?.string == steps[star].key })?.value,
              case let .sequence(sequence) = value else { return nil }
        let rest = Array(steps[(star + 1)...])
        var matched: [String] = [], skipped: [String] = []
        for (k, element) in sequence.enumerated() {
            let name = YAMLField.text(of: "id", in: element) ?? "[\(k)]"
            if reach(rest, in: element) > 0 { matched.append(name) } else { skipped.append(name) }
        }
        guard !skipped.isEmpty, !matched.isEmpty else { return nil }
        let list = steps[...star].map { $0.key + ($0.selector.map { "[\($0)]" } ?? "") }.joined(separator: ".")
        return (String(list.dropLast(3)), matched, skipped)
    }

    /// What went wrong applying a value.
    struct Failure: Error { let message: String }

    /// Applies `change` to every scalar the path reaches; returns the new tree and how many fields changed.
    /// For a word value on a list (e.g. `policies`), keeps only the element with that id.
    static func apply(_ steps: [Step], to node: Node, value: SweepValue, operation: SweepParameter.Operation) throws -> (Node, Int) {
        guard let step = steps.first else { return (try change(node, value: value, operation: operation), 1) }
        guard case let .mapping(mapping) = node else { return (node, 0) }
        var pairs = Array(mapping.map { ($0.key, $0.value) })
        guard let i = pairs.firstIndex(where: { $0.0.scalar?.string == step.key }) else { return (node, 0) }
        let rest = Array(steps.dropFirst())
        var count = 0
        if let selector = step.selector {
            guard case let .sequence(sequence) = pairs[i].1 else { return (node, 0) }
            var elements = Array(sequence)
            let position = Int(selector)
            for (k, element) in elements.enumerated() {
                guard selector == "*" || position == k || YAMLField.text(of: "id", in: element) == selector else { continue }
                let (patched, n) = try apply(rest, to: element, value: value, operation: operation)
                elements[k] = patched
                count += n
            }
            pairs[i].1 = .sequence(Node.Sequence(elements, sequence.tag, sequence.style, sequence.mark))
        } else if rest.isEmpty, case let .sequence(sequence) = pairs[i].1, case let .text(id) = value {
            let kept = Array(sequence).filter { YAMLField.text(of: "id", in: $0) == id }
            guard !kept.isEmpty else { throw Failure(message: "no element with id '\(id)' in \(step.key)") }
            pairs[i].1 = .sequence(Node.Sequence(kept, sequence.tag, sequence.style, sequence.mark))
            count = 1
        } else {
            let (patched, n) = try apply(rest, to: pairs[i].1, value: value, operation: operation)
            pairs[i].1 = patched
            count = n
        }
        return (.mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark)), count)
    }

    static func change(_ node: Node, value: SweepValue, operation: SweepParameter.Operation) throws -> Node {
        guard case let .scalar(scalar) = node else {
            throw Failure(message: "the path ends at \(node.mapping != nil ? "a mapping" : "a list"), not a number")
        }
        let new: String
        switch (operation, value) {
        case let (.scale, .number(x)), let (.shift, .number(x)):
            guard let old = YAMLField.parseNumber(scalar.string), old.isFinite else {
                throw Failure(message: "the field holds \"\(scalar.string)\", not a number to \(operation.verb)")
            }
            if case .scale = operation { new = "\(old * x)" } else { new = "\(old + x)" }
        case let (_, .number(x)): new = "\(x)"
        case let (_, .text(s)): new = s
        }
        return .scalar(Node.Scalar(new, .implicit, .plain, scalar.mark))
    }
}

extension SweepParameter.Operation {
    var verb: String {
        switch self {
        case .scale: "scale"
        case .shift: "shift"
        case .set, .values: "set"
        }
    }
}
