import DXSampling

/// Reading the `barriers:`, `interactions:`, `routines:` and `programmes:` sections (schema 1, optional),
/// and each task's `data_from`.
extension ScenarioReader {
    func barrier(_ f: YAMLField, organisations: [String], services: [String]) -> Barrier? {
        guard let m = f.mapping(allowed: ["id", "name", "applies_to", "presence", "delay", "realisation", "failure"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let scope = m["applies_to"].map { self.scope($0, organisations: organisations, services: services) } ?? .all
        let presence = m.required("presence", """
            the probability the barrier is present (a number or distribution in [0, 1])
            """)?.distribution(.share)
        var ok = scope != nil
        func read(_ key: String, _ domain: ValueDomain) -> Distribution? {
            guard let field = m[key] else { return nil }
            let d = field.distribution(domain)
            if d == nil { ok = false }
            return d
        }
        let delay = read("delay", .delay), realisation = read("realisation", .share), failure = read("failure", .share)
        guard ok, let id, let presence, let scope else { return nil }
        var b = Barrier(id: id, name: m["name"]?.string(), scope: scope, presence: presence)
        delay.map { b.delay = $0 }
        realisation.map { b.realisation = $0 }
        failure.map { b.failure = $0 }
        return b
    }

    /// `all`, `data_sharing`, `{ organisation: ID }` or `{ service: ID }`.
    func scope(_ f: YAMLField, organisations: [String], services: [String]) -> Barrier.Scope? {
        let expected = "all, data_sharing, { organisation: ID } or { service: ID }"
        if case let .scalar(s) = f.node {
            switch s.string {
            case "all": return .all
            case "data_sharing": return .dataSharing
            default:
                f.fail("expected \(expected), found \(f.describe)")
                return nil
            }
        }
        guard let m = f.mapping(allowed: ["organisation", "service"]) else { return nil }
        guard m.order.count == 1 else {
            f.fail("expected \(expected), found a mapping with \(m.order.count) fields")
            return nil
        }
        if let o = m["organisation"], let id = o.identifier() {
            guard organisations.contains(id) else { o.fail(unknown("organisation", id, organisations)); return nil }
            return .organisation(id)
        }
        if let s = m["service"], let id = s.identifier() {
            guard services.contains(id) else { s.fail(unknown("service", id, services)); return nil }
            return .service(id)
        }
        return nil
    }

    func interaction(_ f: YAMLField, barriers: [String]) -> BarrierInteraction? {
        guard let m = f.mapping(allowed: ["barriers", "delay_factor"]) else { return nil }
        let ids = m.required("barriers", "a list of two or more barrier ids")?.list()?.compactMap { $0.identifier() } ?? []
        let factor = m.required("delay_factor", "the factor on each barrier's delay when all are present")?
            .number(in: 0...100, "a factor from 0 to 100 (1 = no interaction)")
        if let field = m["barriers"], ids.count < 2 { field.fail("expected at least two barriers, found \(ids.count)") }
        for (field, id) in zip(m["barriers"]?.list() ?? [], ids) where !barriers.contains(id) {
            field.fail(unknown("barrier", id, barriers))
        }
        guard ids.count >= 2, ids.allSatisfy(barriers.contains), let factor else { return nil }
        return BarrierInteraction(barriers: ids, delayFactor: factor)
    }

    func routine(_ f: YAMLField, organisations: [String], barriers: [String]) -> Routine? {
        guard let m = f.mapping(allowed: ["id", "name", "annual_cost", "one_off_cost", "organisations", "effects"]) else { return nil }
        guard let id = m.required("id", "an id")?.identifier() else { return nil }
        var r = Routine(id: id, name: m["name"]?.string())
        var ok = true
        r.annualCost = m.number("annual_cost", absent: 0, in: 0...1e15, "a non-negative cost", ok: &ok)
        r.oneOffCost = m.number("one_off_cost", absent: 0, in: 0...1e15, "a non-negative cost", ok: &ok)
        if let field = m["organisations"] {
            let items = field.list() ?? []
            for item in items {
                guard let o = item.identifier() else { ok = false; continue }
                if organisations.contains(o) {
                    r.organisations.append(o)
                } else {
                    item.fail(unknown("organisation", o, organisations)); ok = false
                }
            }
        }
        if let e = m.required("effects", "the routine's effect on each barrier it weakens") {
            guard let em = e.mapping(allowed: barriers) else { return nil }
            for barrier in em.order {
                guard let field = em[barrier], let fm = field.mapping(allowed: ["presence", "delay", "realisation_loss", "failure"]) else {
                    ok = false; continue
                }
                var effect = Routine.Effect(barrier: barrier)
                func multiplier(_ key: String) -> Double {
                    fm.number(key, absent: 1, in: 0...1, "a multiplier from 0 to 1 (a routine weakens a barrier, 1 = no effect)", ok: &ok)
                }
                effect.presence = multiplier("presence")
                effect.delay = multiplier("delay")
                effect.realisationLoss = multiplier("realisation_loss")
                effect.failure = multiplier("failure")
                if fm.order.isEmpty { field.fail("expected at least one of presence, delay, realisation_loss, failure") }
                r.effects.append(effect)
            }
            if em.order.isEmpty { e.fail("expected at least one barrier id with its multipliers") }
        }
        return ok ? r : nil
    }

    func programme(_ f: YAMLField, routines: [String]) -> AdoptionProgramme? {
        guard let m = f.mapping(allowed: ["id", "name", "routines"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let fields = m.required("routines", "a list of routine ids (empty for none)")?.list(nonEmpty: false) ?? []
        var ids: [String] = []
        var duplicates = 0
        for field in fields {
            guard let r = field.identifier() else { continue }
            if ids.contains(r) {
                field.fail("routine '\(r)' is listed twice; a programme runs each routine once (its cost and effect would count twice)")
                duplicates += 1
            } else if routines.contains(r) {
                ids.append(r)
            } else {
                field.fail(unknown("routine", r, routines))
            }
        }
        guard let id, duplicates == 0, ids.count == fields.count else { return nil }
        return AdoptionProgramme(id: id, name: m["name"]?.string(), routines: ids)
    }

    /// Reads the four adoption sections into `scenario`.
    func adoption(_ m: YAMLMapping, into scenario: inout Scenario) {
        let orgs = scenario.organisations.map(\.id), services = scenario.services.map(\.id)
        if let b = m["barriers"] {
            scenario.barriers = b.list()?.compactMap { barrier($0, organisations: orgs, services: services) } ?? []
            checkUnique(b, scenario.barriers.map(\.id), what: "barrier")
        }
        // References are checked against every id written, so one bad field in a barrier or routine does not
        // also make every reference to it an error.
        let barrierIds = writtenIds(m["barriers"])
        if let i = m["interactions"] {
            if m["barriers"] == nil { i.fail("interactions need a 'barriers:' section") }
            scenario.interactions = i.list()?.compactMap { interaction($0, barriers: barrierIds) } ?? []
        }
        if let r = m["routines"] {
            if m["barriers"] == nil { r.fail("routines need a 'barriers:' section to act on") }
            scenario.routines = r.list()?.compactMap { routine($0, organisations: orgs, barriers: barrierIds) } ?? []
            checkUnique(r, scenario.routines.map(\.id), what: "routine")
        }
        if let p = m["programmes"] {
            if m["routines"] == nil { p.fail("programmes need a 'routines:' section") }
            scenario.programmes = p.list()?.compactMap { programme($0, routines: writtenIds(m["routines"])) } ?? []
            checkUnique(p, scenario.programmes.map(\.id), what: "programme")
        }
    }

    /// The `id`s written in a list's elements, valid or not.
    func writtenIds(_ list: YAMLField?) -> [String] {
        guard case let .sequence(seq)? = list?.node else { return [] }
        return seq.compactMap { YAMLField.text(of: "id", in: $0) }
    }

    /// Each task's `data_from` must name known organisations.
    func checkDataFrom(_ serviceFields: [YAMLField], organisations: [String]) {
        for sf in serviceFields {
            guard let node = YAMLField.value(of: "tasks", in: sf.node),
                  let tasks = sf.child("tasks", node).positionalList(nonEmpty: false) else { continue }
            for tf in tasks {
                guard let d = YAMLField.value(of: "data_from", in: tf.node) else { continue }
                for item in tf.child("data_from", d).list(nonEmpty: false) ?? [] {
                    if let id = item.node.scalar?.string, !organisations.contains(id) {
                        item.fail(unknown("organisation", id, organisations))
                    }
                }
            }
        }
    }
}
