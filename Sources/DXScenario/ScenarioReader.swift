import DXSampling
import Yams

/// Builds a ``Scenario`` from the node tree, field by field, then checks
/// what only the whole file shows: duplicate ids and dangling references.
struct ScenarioReader {
    let log: IssueLog
    /// The scenario's horizon, read before its services so that each task's adoption year is checked against it
    /// as it is read.
    var horizon = 5
    /// The scenario's `start_year` (the calendar year of year 1), read before its services so that their adoption
    /// years may be calendar years.
    var startYear: Int?
    /// A valid scenario read from the same file whose `services` (as written: before its evidence, which the
    /// reading applies again) stand in for this tree's, which must be the same (a sweep point whose parameters do
    /// not touch `services:`). The references and ids in the tree are
    /// still checked; only reading every task again is saved (most of a point's reading).
    var unchangedServices: [Service]?
    /// How evidence's non-conjugate posteriors are found (``Posterior/Version``).
    var posteriorVersion: Posterior.Version = .v2

    func read(_ root: YAMLField) -> Scenario? {
        guard let m = root.mapping(allowed: ["dxmap", "name", "currency", "horizon", "discount_rate", "correlation",
                                             "organisations", "roles", "services", "matrix", "sampling", "workforce", "policies", "start_year",
                                             "barriers", "interactions", "routines", "programmes", "evidence", "pilots"]) else { return nil }
        if let version = m.required("dxmap", "the schema version, 1") {
            if let v = version.integer(in: 1...Int.max, "schema version 1"), v != 1 {
                version.fail("this dxmap reads schema 1, found schema \(v)")
            }
        }
        let name = m["name"]?.string() ?? "unnamed scenario"
        let organisations = m.required("organisations", "a list of organisations")?.list()?.compactMap(organisation) ?? []
        let roles = m.required("roles", "a list of roles (occupations)")?.list()?.compactMap(role) ?? []
        let serviceFields = m.required("services", "a list of services")?.list() ?? []
        let taskCount = serviceFields.reduce(0) { count, f in
            if case let .sequence(tasks)? = YAMLField.value(of: "tasks", in: f.node) { count + tasks.count } else { count }
        }
        if taskCount > YAMLLimits.maxTasks {
            m["services"]?.fail("the scenario has \(taskCount) tasks; dxmap reads at most \(YAMLLimits.maxTasks)")
            return nil
        }
        var reader = self
        if let h = m["horizon"] {
            reader.horizon = h.integer(in: 1...ScenarioLoader.maxHorizon, """
                a whole number of years from 1 to \(ScenarioLoader.maxHorizon)
                """) ?? 5
        }
        if let y = m["start_year"] {
            reader.startYear = y.integer(in: 1900...2300, "a calendar year from 1900 to 2300: the first year of the horizon")
        }
        let services = unchangedServices ?? serviceFields.compactMap(reader.service)

        var scenario = Scenario(name: name, organisations: organisations, roles: roles, services: services)
        scenario.horizon = reader.horizon
        scenario.startYear = reader.startYear
        if let c = m["currency"]?.string() { scenario.currency = c }
        if let d = m["discount_rate"] {
            scenario.discountRate = d.number(in: -0.5...1, "an annual rate between -0.5 and 1 (e.g. 0.035)") ?? 0
        }
        if let c = m["correlation"] { scenario.correlation = correlation(c) }
        if let mx = m["matrix"] { scenario.matrix = matrix(mx) }
        if let sm = m["sampling"] { scenario.sampling = sm.samplingSettings() }

        // References are checked against every id written, so one bad field in a role or organisation does not
        // also make every reference to it an error.
        let writtenOrganisations = writtenIds(m["organisations"]), writtenRoles = writtenIds(m["roles"])
        if let w = m["workforce"] {
            scenario.workforce = workforce(w, organisations: writtenOrganisations, roles: writtenRoles, horizon: scenario.horizon)
        }
        if let p = m["policies"] {
            scenario.policies = p.list()?.compactMap { policy($0, hasRetraining: !(scenario.workforce?.retraining.isEmpty ?? true)) } ?? []
            checkUnique(p, scenario.policies.map(\.id), what: "policy")
            if m["workforce"] == nil { p.fail("policies need a 'workforce:' section to act on") }
        }
        adoption(m, into: &scenario)
        checkDataFrom(serviceFields, organisations: writtenOrganisations)
        checkUnique(m["organisations"], organisations.map(\.id), what: "organisation")
        checkUnique(m["roles"], roles.map(\.id), what: "role")
        checkUnique(m["services"], services.map(\.id), what: "service")
        checkReferences(serviceFields, scenario, organisations: writtenOrganisations, roles: writtenRoles)
        let workforce = m["workforce"] != nil
        warnUnused(m["roles"], used: Set(scenario.rolesWithTasks), what: "role", without: "no task names it",
                   workforce: workforce)
        warnUnused(m["organisations"], used: Set(services.map(\.organisation)), what: "organisation", without: "it has no services",
                   workforce: workforce)
        checkOutputCosts(serviceFields, scenario)
        if let w = scenario.workforce {
            warnIdleRetraining(m["workforce"], w, scenario)
            checkCompositionCovers(m["workforce"], w, scenario)
        }
        // Last: evidence updates the inputs as read (a task whose reading failed is not there to update).
        if log.issues.isEmpty { evidenceAndPilots(m, into: &scenario) }
        scenario.warnings = log.warnings
        return scenario
    }

    // MARK: Sections

    func organisation(_ f: YAMLField) -> Organisation? {
        guard let m = f.mapping(allowed: ["id", "name"]), let id = m.required("id", "an id")?.identifier() else { return nil }
        return Organisation(id: id, name: m["name"]?.string())
    }

    func role(_ f: YAMLField) -> Role? {
        guard let m = f.mapping(allowed: ["id", "name", "cost_per_fte", "automation"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let cost = m.required("cost_per_fte", "the annual cost of one FTE")?
            .number(in: Double.leastNonzeroMagnitude...ScenarioLoader.maxCostPerFTE, """
                a positive annual cost per FTE up to \(YAMLField.format(ScenarioLoader.maxCostPerFTE))
                """)
        let automation = m["automation"]?.distribution(.share)
        guard let id, let cost, m["automation"] == nil || automation != nil else { return nil }
        return Role(id: id, name: m["name"]?.string(), costPerFTE: cost, automation: automation)
    }

    func service(_ f: YAMLField) -> Service? {
        guard let m = f.mapping(allowed: ["id", "name", "organisation", "tasks", "output_cost"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let org = m.required("organisation", "the id of an organisation")?.identifier()
        let taskFields = m.required("tasks", "a list of tasks")?.positionalList() ?? []
        let tasks = taskFields.compactMap(task)
        let outputCost = m["output_cost"]?.distribution(.nonNegative)
        guard let id, let org, tasks.count == taskFields.count, !tasks.isEmpty, m["output_cost"] == nil || outputCost != nil else {
            return nil
        }
        checkUnique(m["tasks"], tasks.map(\.id), what: "task", positional: true)
        var service = Service(id: id, name: m["name"]?.string(), organisation: org, tasks: tasks)
        service.outputCost = outputCost
        return service
    }

    func task(_ f: YAMLField) -> ServiceTask? {
        guard let m = f.mapping(allowed: ["id", "name", "role", "fte", "automation", "realisation",
                                          "implementation_cost", "running_cost", "adoption_year", "data_from"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let role = m.required("role", "the id of a role")?.identifier()
        let fte = m.required("fte", "the full-time equivalents spent on the task")?
            .number(in: Double.leastNonzeroMagnitude...ScenarioLoader.maxFTE, """
                a positive number of FTE up to \(YAMLField.format(ScenarioLoader.maxFTE))
                """)
        var ok = id != nil && role != nil && fte != nil
        func read(_ key: String, _ domain: ValueDomain) -> Distribution? {
            guard let field = m[key] else { return nil }
            let d = field.distribution(domain)
            if d == nil { ok = false }
            return d
        }
        let automation = read("automation", .share)
        let realisation = read("realisation", .share)
        let implementation = read("implementation_cost", .nonNegative)
        let running = read("running_cost", .nonNegative)
        let adoption = read("adoption_year", startYear.map { .calendarYear(start: $0) } ?? .year)
        if let adoption, let field = m["adoption_year"] { warnNeverAdopted(adoption, field) }
        guard ok, let id, let role, let fte else { return nil }
        var t = ServiceTask(id: id, name: m["name"]?.string(), role: role, fte: fte, automation: automation)
        realisation.map { t.realisation = $0 }
        implementation.map { t.implementationCost = $0 }
        running.map { t.runningCost = $0 }
        adoption.map { t.adoptionYear = $0 }
        t.dataFrom = m["data_from"]?.list(nonEmpty: false)?.compactMap { $0.identifier() } ?? []
        return t
    }

    func correlation(_ f: YAMLField) -> Correlation {
        guard let m = f.mapping(allowed: ["global", "role"]) else { return Correlation() }
        let g = m["global"]?.number(in: 0...1, "a loading between 0 and 1") ?? 0
        let r = m["role"]?.number(in: 0...1, "a loading between 0 and 1") ?? 0
        if g + r > 1 {
            f.fail("""
                global + role must not exceed 1 (they are shares of variance), found \(YAMLField.format(g)) + \(YAMLField.format(r)) = \
                \(YAMLField.format(g + r))
                """)
        }
        return Correlation(global: g, role: r)
    }

    func matrix(_ f: YAMLField) -> MatrixSettings {
        var s = MatrixSettings()
        guard let m = f.mapping(allowed: ["level", "view", "risk", "thresholds"]) else { return s }
        func choice<T: RawRepresentable<String>>(_ key: String, _ options: [T]) -> T? {
            guard let field = m[key], let v = field.string() else { return nil }
            guard let value = options.first(where: { $0.rawValue == v }) else {
                field.fail("expected one of \(options.map(\.rawValue).joined(separator: ", ")), found \"\(v)\"")
                return nil
            }
            return value
        }
        s.level = choice("level", [Level.service, .role, .organisation])
        s.view = choice("view", MatrixView.allCases)
        s.risk = choice("risk", RiskMeasure.allCases)
        if let t = m["thresholds"]?.mapping(allowed: ["probability", "value", "risk", "return", "output_share", "output_cost"]) {
            // A number, or one of the threshold's words (ons-medium, median, break-even…).
            func threshold(_ key: String, in range: ClosedRange<Double>? = nil, _ expected: String = "a number") -> Double? {
                guard let field = t[key] else { return nil }
                let words = MatrixThresholds.keywords[key] ?? [:]
                let text = field.scalarText
                if let text, let word = words[text] { return word }
                if let text, field.plainText == nil || YAMLField.parseNumber(text) == nil {
                    field.fail("expected \(expected) or one of \(words.keys.sorted().joined(separator: ", ")), found \(field.describe)")
                    return nil
                }
                return range.map { field.number(in: $0, expected) } ?? field.number()
            }
            s.thresholds.probability = threshold("probability", in: 0...1, "a probability between 0 and 1")
            s.thresholds.value = threshold("value")
            s.thresholds.risk = threshold("risk")
            s.thresholds.return = threshold("return")
            s.thresholds.returnAtMedian = t["return"]?.scalarText == "median"
            s.thresholds.outputShare = threshold("output_share", in: 0...1, "a share of output cost between 0 and 1")
            s.thresholds.outputCost = threshold("output_cost")
        }
        return s
    }

    // MARK: Whole-file checks

    func checkUnique(_ listField: YAMLField?, _ ids: [String], what: String, positional: Bool = false) {
        guard let listField, case let .sequence(elements) = listField.node else { return }
        let valid = Set(ids)   // a set: tens of thousands of tasks must not make this quadratic
        var seen: [String: Int] = [:]
        for (i, node) in elements.enumerated() {
            guard let id = YAMLField.text(of: "id", in: node), valid.contains(id) else { continue }
            if let first = seen[id] {
                // Only a duplicate needs its field (and its path, named as the reader names list elements).
                let all = positional ? listField.positionalList(nonEmpty: false) : listField.list(nonEmpty: false)
                let f = all?[i] ?? listField
                let idField = YAMLField.value(of: "id", in: f.node).map { f.child("id", $0) } ?? f
                idField.fail("duplicate \(what) id '\(id)': element \(first) already uses it; ids must be unique")
            } else {
                seen[id] = i
            }
        }
    }

    func checkReferences(_ serviceFields: [YAMLField], _ scenario: Scenario, organisations orgs: [String], roles: [String]) {
        // Sets and a dictionary: references are checked once per task, and scenarios have tens of thousands.
        let knownOrganisations = Set(orgs), knownRoles = Set(roles)
        let readRoles = Dictionary(scenario.roles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for sf in serviceFields {
            if let o = YAMLField.value(of: "organisation", in: sf.node), let id = o.scalar?.string, !orgs.isEmpty,
               !knownOrganisations.contains(id) {
                sf.child("organisation", o).fail(unknown("organisation", id, orgs))
            }
            guard let node = YAMLField.value(of: "tasks", in: sf.node),
                  let tasks = sf.child("tasks", node).positionalList(nonEmpty: false) else { continue }
            for tf in tasks {
                guard let r = YAMLField.value(of: "role", in: tf.node), let id = r.scalar?.string else { continue }
                if !roles.isEmpty, !knownRoles.contains(id) {
                    tf.child("role", r).fail(unknown("role", id, roles))
                } else if YAMLField.value(of: "automation", in: tf.node) == nil, let role = readRoles[id], role.automation == nil {
                    tf.fail("no automation share: give the task an 'automation' distribution or role '\(id)' a default one")
                }
            }
        }
    }

    /// A warning at each role or organisation that the services never name: it employs no one in the map, so a matrix
    /// would place it as "cannot be automated"; dxmap leaves it off the matrix and says so.
    func warnUnused(_ listField: YAMLField?, used: Set<String>, what: String, without: String, workforce: Bool) {
        guard log.issues.isEmpty, let elements = listField?.list(nonEmpty: false) else { return }
        for element in elements {
            guard let id = YAMLField.text(of: "id", in: element.node), !used.contains(id) else { continue }
            log.warn(element.mark, element.path, """
                \(what) '\(id)' employs no one in the map (\(without)): it has no labour to automate and is left out of the \
                \(what) matrix\(workforce ? " (the workforce's people in it still count in redeployment)" : "; give it \(what == "role" ? "a task" : "a service"), or remove it")
                """)
        }
    }

    /// A warning at each retraining programme no displaced person can take in any draw: no role with tasks lies
    /// within the retraining band (from the retrain threshold to below the redeploy one) of a role it trains for.
    func warnIdleRetraining(_ workforceField: YAMLField?, _ w: Workforce, _ scenario: Scenario) {
        guard log.issues.isEmpty, let wf = workforceField, let node = YAMLField.value(of: "retraining", in: wf.node),
              let list = wf.child("retraining", node).list(nonEmpty: false) else { return }
        let sources = scenario.rolesWithTasks
        let idle = Set(w.idleProgrammes(from: sources, to: scenario.roles.map(\.id)).map(\.id))
        for element in list {
            guard let id = YAMLField.text(of: "id", in: element.node), idle.contains(id),
                  let programme = w.retraining.first(where: { $0.id == id }) else { continue }
            let targets = programme.roles.isEmpty ? scenario.roles.map(\.id) : programme.roles
            let closest = sources.flatMap { s in targets.filter { $0 != s }.map { (s, $0, w.similarity.between(s, $0)) } }
                .max { $0.2 < $1.2 }
            let near = closest.map { "; the closest: \($0.0) → \($0.1) at " + String(format: "%.2f", $0.2) } ?? ""
            log.warn(element.mark, element.path, """
                retraining '\(id)' can take no one: no role with tasks has a similarity from the retrain threshold \
                \(YAMLField.format(w.retrainThreshold)) to below the redeploy threshold \(YAMLField.format(w.redeployThreshold)) with \
                \(programme.roles.isEmpty ? "any role" : targets.joined(separator: ", "))\(near)
                """)
        }
    }

    /// A service's output cost includes its labour: refused where it is more often than not below the labour value
    /// (Σ FTE × cost per FTE of its tasks), a warning where some draws can be (those draws count the labour value).
    func checkOutputCosts(_ serviceFields: [YAMLField], _ scenario: Scenario) {
        guard log.issues.isEmpty else { return }
        let cost = scenario.costPerFTE
        for (field, service) in zip(serviceFields, scenario.services) {
            guard let output = service.outputCost, let node = YAMLField.value(of: "output_cost", in: field.node) else { continue }
            let f = field.child("output_cost", node)
            let labour = service.labourValue(costPerFTE: cost)
            let below = output.cdf(labour)
            let money = { (x: Double) in NumberFormatting.compact(x) + (scenario.currency.isEmpty ? "" : " \(scenario.currency)") }
            if below >= 0.5 {
                f.fail("""
                    the output cost (median \(money(output.quantile(0.5)))) is below the service's labour value \(money(labour)) \
                    (its tasks' FTE × cost per FTE), which it includes: give the service's whole annual cost, labour plus \
                    everything else it spends
                    """)
            } else if below > 0 {
                log.warn(f.mark, f.path, """
                    the output cost is below the service's labour value \(money(labour)), which it includes, in \
                    \(below < 0.01 ? "under 1%" : NumberFormatting.percent(below)) of draws; those draws count it as the labour value
                    """)
            }
        }
    }

    /// A composition dimension without a default must give the proportions of every cell that has people.
    func checkCompositionCovers(_ workforceField: YAMLField?, _ w: Workforce, _ scenario: Scenario) {
        guard log.issues.isEmpty, let wf = workforceField, let node = YAMLField.value(of: "composition", in: wf.node) else { return }
        let field = wf.child("composition", node)
        let cells = scenario.services.flatMap { s in s.tasks.map { "\(s.organisation)|\($0.role)" } }
            + w.headcount.filter { $0.people > 0 }.map { "\($0.organisation)|\($0.role)" }
        var seen: Set<String> = []
        let unique = cells.filter { seen.insert($0).inserted }
        for d in w.composition {
            let missing = unique.filter { key in
                let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                return d.weights(organisation: parts[0], role: parts[1]) == nil
            }
            guard let first = missing.first, let dNode = YAMLField.value(of: d.id, in: node) else { continue }
            let shown = missing.prefix(3).map { $0.replacingOccurrences(of: "|", with: " · ") }.joined(separator: ", ")
            field.child(d.id, dNode).fail("""
                composition '\(d.id)' gives no proportions for \(missing.count) cell\(missing.count == 1 ? "" : "s") with people \
                (\(shown)\(missing.count > 3 ? ", …" : "")): add a 'default:' for the whole workforce, or an entry for \
                \(first.split(separator: "|").last.map(String.init) ?? first)'s role or organisation
                """)
        }
    }

    func unknown(_ what: String, _ id: String, _ known: [String]) -> String {
        let hint = Suggestion.didYouMean(id, among: known)
        let list = known.count <= 12 ? known.joined(separator: ", ") : known.prefix(12).joined(separator: ", ") + ", …"
        return "unknown \(what) '\(id)'\(hint); the scenario's \(what)s are: \(list)"
    }

    /// A warning (not an error) when a task's adoption year can never fall within the horizon: the task is
    /// valid, but nothing it does is counted.
    func warnNeverAdopted(_ year: Distribution, _ field: YAMLField) {
        let earliest = year.quantile(0)
        // Years are whole: a draw below 1.5 is year 1, so the earliest year is the rounded lower bound.
        if earliest.isFinite, earliest.rounded() > Double(horizon) {
            let calendar = startYear.map { " (\($0 + Int(earliest.rounded()) - 1)), past the horizon's last year \($0 + horizon - 1)" } ?? ""
            log.warn(field.mark, field.path, """
                the adoption year is never within the \(horizon)-year horizon (earliest \(YAMLField.format(earliest))\(calendar)): the task \
                is never adopted, so it adds no saving, cost or displacement
                """)
        }
    }
}
