import DXSampling

/// Reading the `workforce:` and `policies:` sections (schema 1, optional).
extension ScenarioReader {
    func workforce(_ f: YAMLField, organisations: [String], roles: [String], horizon: Int) -> Workforce? {
        guard let m = f.mapping(allowed: ["headcount", "attrition", "growth", "skills", "similarity", "redeploy_threshold",
                                          "retrain_threshold", "retraining", "redundancy_months", "pool_years",
                                          "value_per_redundancy_avoided", "composition"]) else { return nil }
        var w = Workforce()
        w.headcount = m["headcount"]?.list()?.compactMap { headcount($0, organisations: organisations, roles: roles) } ?? []
        checkUniqueCells(m["headcount"], w.headcount)
        if let a = m["attrition"] { w.attrition = rates(a, organisations: organisations, roles: roles) }
        if let g = m["growth"] { w.growth = rates(g, organisations: organisations, roles: roles) }
        if m["skills"] != nil && m["similarity"] != nil {
            f.fail("give either 'skills' or 'similarity', not both")
        } else if let s = m["skills"] {
            w.similarity = skills(s, roles: roles)
        } else if let s = m["similarity"] {
            w.similarity = similarity(s, roles: roles)
        }
        if let t = m["redeploy_threshold"] {
            w.redeployThreshold = t.number(in: 0...1, "a similarity between 0 and 1") ?? w.redeployThreshold
        }
        if let t = m["retrain_threshold"] { w.retrainThreshold = t.number(in: 0...1, "a similarity between 0 and 1") ?? w.retrainThreshold }
        if w.retrainThreshold > w.redeployThreshold, let t = m["retrain_threshold"] {
            t.fail("""
                retrain_threshold must not exceed redeploy_threshold (\(YAMLField.format(w.redeployThreshold))): retraining bridges gaps \
                a direct move cannot, found \(YAMLField.format(w.retrainThreshold))
                """)
        }
        w.retraining = m["retraining"]?.list()?.compactMap { programme($0, roles: roles, horizon: horizon) } ?? []
        checkUnique(m["retraining"], w.retraining.map(\.id), what: "retraining programme")
        if let v = m["value_per_redundancy_avoided"] {
            w.valuePerRedundancyAvoided = v.number(in: 0...1e12, "a non-negative amount of money per redundancy avoided") ?? 0
        }
        if let r = m["redundancy_months"] {
            w.redundancyMonths = r.number(in: 0...240, "months of salary between 0 and 240") ?? w.redundancyMonths
        }
        if let p = m["pool_years"] {
            w.poolYears = p.integer(in: 1...ScenarioLoader.maxHorizon, "a whole number of years, at least 1") ?? w.poolYears
        }
        if let c = m["composition"] { w.composition = composition(c, organisations: organisations, roles: roles) }
        return w
    }

    /// `composition: { DIMENSION: { groups, default, roles, organisations, cells, relative_risk } }`.
    func composition(_ f: YAMLField, organisations: [String], roles: [String]) -> [CompositionDimension] {
        guard case let .mapping(node) = f.node else {
            f.fail("expected a mapping from dimension names (sex, age, pay_band, …) to their groups and proportions, found \(f.describe)")
            return []
        }
        let names = node.compactMap { $0.key.scalar?.string }
        if names.count > YAMLLimits.maxCompositionDimensions {
            f.fail("expected at most \(YAMLLimits.maxCompositionDimensions) dimensions, found \(names.count)")
            return []
        }
        guard let m = f.mapping(allowed: names) else { return [] }
        return m.order.compactMap { name in
            guard let field = m[name] else { return nil }
            guard YAMLField.isIdentifier(name) else {
                field.fail("expected a dimension name made of letters, digits, '-' and '_', found \"\(name)\"")
                return nil
            }
            return dimension(field, id: name, organisations: organisations, roles: roles)
        }
    }

    func dimension(_ f: YAMLField, id: String, organisations: [String], roles: [String]) -> CompositionDimension? {
        guard let m = f.mapping(allowed: ["groups", "default", "roles", "organisations", "cells", "relative_risk"]) else { return nil }
        guard let list = m.required("groups", "the list of the dimension's groups, e.g. [women, men]")?.list() else { return nil }
        let groups = list.compactMap { $0.identifier() }
        guard groups.count == list.count else { return nil }
        var seen: Set<String> = []
        if let k = groups.firstIndex(where: { !seen.insert($0).inserted }) {
            list[k].fail("duplicate group '\(groups[k])' in dimension '\(id)'")
            return nil
        }
        if groups.count < 2 || groups.count > YAMLLimits.maxCompositionGroups {
            m["groups"]?.fail("expected 2 to \(YAMLLimits.maxCompositionGroups) groups, found \(groups.count)")
            return nil
        }
        func weights(_ field: YAMLField) -> [Double]? {
            guard let w = field.mapping(allowed: groups) else { return nil }
            var values = [Double](repeating: 0, count: groups.count)
            for (k, group) in groups.enumerated() {
                guard let g = w[group] else { continue }
                guard let x = g.number(in: 0...1e12, "a non-negative count or share of people") else { return nil }
                values[k] = x
            }
            guard values.contains(where: { $0 > 0 }) else {
                field.fail("expected a count or share above 0 for at least one of the groups \(groups.joined(separator: ", "))")
                return nil
            }
            return values
        }
        var d = CompositionDimension(id: id, groups: groups, default: m["default"].flatMap { weights($0) })
        func overrides(_ key: String, _ known: [String]) -> [String: [Double]] {
            guard let o = m[key]?.mapping(allowed: known) else { return [:] }
            var result: [String: [Double]] = [:]
            for name in o.order { if let w = o[name].flatMap({ weights($0) }) { result[name] = w } }
            return result
        }
        d.roles = overrides("roles", roles)
        d.organisations = overrides("organisations", organisations)
        for entry in m["cells"]?.list() ?? [] {
            guard let e = entry.mapping(allowed: ["organisation", "role", "shares"]) else { continue }
            let org = e.required("organisation", "the id of an organisation")?.identifier()
            let role = e.required("role", "the id of a role")?.identifier()
            let w = e.required("shares", "the counts or shares of the groups, e.g. { women: 120, men: 30 }").flatMap { weights($0) }
            if let org, !organisations.contains(org) { e["organisation"]?.fail(unknown("organisation", org, organisations)) }
            if let role, !roles.contains(role) { e["role"]?.fail(unknown("role", role, roles)) }
            guard let org, let role, let w else { continue }
            if d.cells.updateValue(w, forKey: "\(org)|\(role)") != nil {
                entry.fail("duplicate composition for role '\(role)' at organisation '\(org)'")
            }
        }
        if let r = m["relative_risk"]?.mapping(allowed: groups) {
            for (k, group) in groups.enumerated() {
                if let x = r[group]?.number(in: 1e-6...1e6, "a relative risk above 0 (1: as likely as anyone in the cell)") {
                    d.relativeRisk[k] = x
                }
            }
        }
        return d
    }

    func headcount(_ f: YAMLField, organisations: [String], roles: [String]) -> HeadcountEntry? {
        guard let m = f.mapping(allowed: ["organisation", "role", "people"]) else { return nil }
        let org = m.required("organisation", "the id of an organisation")?.identifier()
        let role = m.required("role", "the id of a role")?.identifier()
        let people = m.required("people", "a whole number of people")?.integer(
            in: 0...100_000_000, "a whole number of people from 0 to 100000000")
        if let org, !organisations.contains(org) { m["organisation"]?.fail(unknown("organisation", org, organisations)) }
        if let role, !roles.contains(role) { m["role"]?.fail(unknown("role", role, roles)) }
        guard let org, let role, let people else { return nil }
        return HeadcountEntry(organisation: org, role: role, people: people)
    }

    func checkUniqueCells(_ listField: YAMLField?, _ entries: [HeadcountEntry]) {
        guard let elements = listField?.list(nonEmpty: false), elements.count == entries.count else { return }
        var seen: Set<String> = []
        for (f, e) in zip(elements, entries) where !seen.insert("\(e.organisation)|\(e.role)").inserted {
            f.fail("duplicate headcount for role '\(e.role)' at organisation '\(e.organisation)'")
        }
    }

    /// `{ default, roles: {id: rate}, organisations: {id: rate} }`, or a bare rate for all.
    func rates(_ f: YAMLField, organisations: [String], roles: [String]) -> RateTable {
        if case .scalar = f.node { return RateTable(default: f.distribution(.share) ?? .constant(0)) }
        guard let m = f.mapping(allowed: ["default", "roles", "organisations"]) else { return RateTable(default: .constant(0)) }
        var table = RateTable(default: m["default"]?.distribution(.share) ?? .constant(0))
        func overrides(_ key: String, _ known: [String]) -> [String: Distribution] {
            guard let o = m[key]?.mapping(allowed: known) else { return [:] }
            var result: [String: Distribution] = [:]
            for id in o.order { if let d = o[id]?.distribution(.share) { result[id] = d } }
            return result
        }
        table.roles = overrides("roles", roles)
        table.organisations = overrides("organisations", organisations)
        return table
    }

    func skills(_ f: YAMLField, roles: [String]) -> RoleSimilarity {
        guard let m = f.mapping(allowed: ["dimensions", "roles"]) else { return .identity }
        let dimensions = m.required("dimensions", "a list of skill names")?.list()?.compactMap { $0.string() } ?? []
        var vectors: [String: [Double]] = [:]
        if let r = m.required("roles", "a skill vector per role")?.mapping(allowed: roles) {
            for id in r.order {
                guard let field = r[id], let values = field.list()?.map({ $0.number(in: 0...1e6, "a non-negative skill level") }) else {
                    continue
                }
                guard !values.contains(where: { $0 == nil }) else { continue }
                if values.count != dimensions.count {
                    field.fail("""
                        expected \(dimensions.count) skill levels (one per dimension: \(dimensions.joined(separator: ", "))), found \
                        \(values.count)
                        """)
                    continue
                }
                vectors[id] = values.map { $0! }
            }
        }
        return .skills(dimensions: dimensions, vectors: vectors)
    }

    func similarity(_ f: YAMLField, roles: [String]) -> RoleSimilarity {
        guard let m = f.mapping(allowed: roles) else { return .identity }
        var pairs: [String: [String: Double]] = [:]
        for a in m.order {
            guard let row = m[a]?.mapping(allowed: roles) else { continue }
            for b in row.order {
                guard let field = row[b], let value = field.number(in: 0...1, "a similarity between 0 and 1") else { continue }
                if a == b, value != 1 { field.fail("a role's similarity to itself is 1, found \(YAMLField.format(value))") }
                if let other = pairs[b]?[a], other != value {
                    field.fail("""
                        similarity is symmetric: \(b) → \(a) is already \(YAMLField.format(other)), found \(YAMLField.format(value))
                        """)
                }
                pairs[a, default: [:]][b] = value
            }
        }
        return .matrix(pairs)
    }

    func programme(_ f: YAMLField, roles: [String], horizon: Int) -> RetrainingProgramme? {
        guard let m = f.mapping(allowed: ["id", "roles", "cost", "years", "success", "places"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let targets = m["roles"]?.list(nonEmpty: false)?.compactMap { field -> String? in
            guard let r = field.identifier() else { return nil }
            if !roles.contains(r) { field.fail(unknown("role", r, roles)) }
            return r
        } ?? []
        let cost = m.required("cost", "the cost per trainee")?.number(in: 0...1e9, "a cost per trainee from 0 to 1e9")
        let years = m.required("years", "the length in whole years")?.integer(
            in: 1...ScenarioLoader.maxHorizon, "a whole number of years, at least 1")
        let success = m.required("success", "the probability of completing")?.number(in: 0...1, "a probability between 0 and 1")
        let places = m.required("places", "trainees per year")?.integer(in: 0...10_000_000, "a whole number of places per year")
        guard let id, let cost, let years, let success, let places else { return nil }
        return RetrainingProgramme(id: id, roles: targets, cost: cost, years: years, success: success, places: places)
    }

    func policy(_ f: YAMLField, hasRetraining: Bool) -> RedeploymentPolicy? {
        guard let m = f.mapping(allowed: ["id", "name", "internal", "cross_organisation", "retraining", "retraining_budget",
                                          "hiring_freeze", "pool_years"]) else { return nil }
        guard let id = m.required("id", "an id")?.identifier() else { return nil }
        var p = RedeploymentPolicy(id: id, name: m["name"]?.string())
        p.internalRedeployment = m["internal"]?.boolean() ?? false
        p.crossOrganisationPool = m["cross_organisation"]?.boolean() ?? false
        p.retraining = m["retraining"]?.boolean() ?? false
        p.hiringFreeze = m["hiring_freeze"]?.boolean() ?? false
        p.retrainingBudget = m["retraining_budget"]?.number(in: 0...1e12, "an annual budget from 0 to 1e12")
        p.poolYears = m["pool_years"]?.integer(in: 1...ScenarioLoader.maxHorizon, "a whole number of years, at least 1")
        if p.retraining && !hasRetraining {
            m["retraining"]?.fail("this policy retrains, but workforce.retraining lists no programme")
        }
        if p.retrainingBudget != nil && !p.retraining {
            m["retraining_budget"]?.fail("a retraining budget needs 'retraining: true'")
        }
        return p
    }
}

extension YAMLField {
    /// `true` or `false`.
    func boolean() -> Bool? {
        if case let .scalar(s) = node, s.style == .plain || s.style == .any {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        fail("expected true or false, found \(describe)")
        return nil
    }
}
