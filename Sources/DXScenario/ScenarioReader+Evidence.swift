import DXSampling

/// A pilot that could be run (`pilots:` in a scenario): what it would observe of one task's input, at which
/// sizes, and at what cost. `dxmap voi` estimates the expected value of its results (EVSI) for each size.
public struct ProposedPilot: Sendable, Equatable {
    public var id: String
    /// The task observed, as `service-id/task-id`.
    public var task: String
    public var input: TaskInput
    /// How each case observes the input: succeeding or not with the input (a share) as its probability, or
    /// measuring it with normal noise (`noise:` in the file).
    public var model: ObservationModel
    /// The pilot sizes (cases) to value.
    public var cases: [Int]
    public var fixedCost: Double = 0
    public var costPerCase: Double = 0

    public init(id: String, task: String, input: TaskInput, model: ObservationModel, cases: [Int]) {
        (self.id, self.task, self.input, self.model, self.cases) = (id, task, input, model, cases)
    }

    /// The cost of a pilot of `n` cases.
    public func cost(cases n: Int) -> Double { fixedCost + costPerCase * Double(n) }
}

/// Reading `evidence:` and `pilots:` (schema 1, optional) and applying the evidence to the tasks' inputs.
extension ScenarioReader {
    func evidenceAndPilots(_ m: YAMLMapping, into scenario: inout Scenario) {
        guard m["evidence"] != nil || m["pilots"] != nil else { return }
        // Task keys to indices once: a role's evidence may name thousands of tasks.
        let tasks = TaskLookup(scenario)
        if let e = m["evidence"] {
            let read = e.list()?.compactMap { f in evidence(f, scenario, tasks).map { (field: f, evidence: $0) } } ?? []
            scenario.evidence = read.map(\.evidence)
            checkUnique(e, scenario.evidence.map(\.id), what: "evidence")
            var history: [String: Observed] = [:]
            for (field, item) in read { apply(item, field, tasks, history: &history, to: &scenario) }
        }
        if let p = m["pilots"] {
            scenario.pilots = p.list()?.compactMap { pilot($0, tasks) } ?? []
            checkUnique(p, scenario.pilots.map(\.id), what: "pilot")
        }
    }

    /// The scenario's tasks by key (`service-id/task-id`) and by their own id, for references to them.
    struct TaskLookup {
        let keys: [(key: String, service: Int, task: Int)]
        let indices: [String: (Int, Int)]
        /// Each task id's keys (more than one when several services use the id).
        let byTaskId: [String: [String]]

        init(_ scenario: Scenario) {
            keys = scenario.taskKeys
            indices = scenario.taskIndices
            byTaskId = Dictionary(grouping: keys, by: { scenario.services[$0.service].tasks[$0.task].id }).mapValues { $0.map(\.key) }
        }
    }

    /// `service-id/task-id`, or a task id that only one service uses; reported at `field` when there is no such task.
    func taskKey(_ field: YAMLField, _ tasks: TaskLookup) -> String? {
        guard let text = field.string() else { return nil }
        if tasks.indices[text] != nil { return text }
        let matches = tasks.byTaskId[text] ?? []
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            field.fail("task id '\(text)' is used by \(matches.count) services; write one of \(matches.joined(separator: ", "))")
        } else {
            field.fail(unknown("task", text, tasks.keys.map(\.key)) + " (written service-id/task-id)")
        }
        return nil
    }

    func input(_ m: YAMLMapping) -> TaskInput? {
        guard let field = m["input"] else { return .automation }
        guard let text = field.string() else { return nil }
        guard let input = TaskInput(rawValue: text) else {
            let names = TaskInput.allCases.map(\.rawValue)
            field.fail("expected one of \(names.joined(separator: ", "))\(Suggestion.didYouMean(text, among: names)), found \"\(text)\"")
            return nil
        }
        return input
    }

    func evidence(_ f: YAMLField, _ scenario: Scenario, _ tasks: TaskLookup) -> Evidence? {
        guard let m = f.mapping(allowed: ["id", "source", "task", "role", "input", "successes", "trials", "measured", "se"]) else {
            return nil
        }
        let id = m.required("id", "an id")?.identifier()
        let input = self.input(m)
        var keys: [String]?
        switch (m["task"], m["role"]) {
        case let (t?, nil): keys = taskKey(t, tasks).map { [$0] }
        case let (nil, r?):
            if let role = r.identifier() {
                keys = tasks.keys.filter { scenario.services[$0.service].tasks[$0.task].role == role }.map(\.key)
                if keys!.isEmpty {
                    r.fail(scenario.roles.contains { $0.id == role } ? "no task has role '\(role)'"
                                                                    : unknown("role", role, scenario.roles.map(\.id)))
                    keys = nil
                }
            }
        case (_?, _?): f.fail("expected either 'task' or 'role', found both")
        case (nil, nil): f.fail("missing required field 'task' (or 'role'): the task whose input the evidence informs")
        }
        let observation: Observation?
        switch (m["successes"], m["measured"]) {
        case let (s?, nil):
            let trials = m.required("trials", "the number of cases tried")?.integer(in: 1...Int(1e9), "a whole number of cases, at least 1")
            let successes = s.integer(in: 0...Int(1e9), "a whole number of cases, at least 0")
            if let successes, let trials, successes > trials {
                s.fail("successes must not exceed the \(trials) trials, found \(successes)")
            }
            if let input, !input.isShare {
                s.fail("successes out of trials inform a share (automation or realisation), not \(input.rawValue); use measured and se")
            }
            if let field = m["se"] { field.fail("'se' goes with 'measured', not with successes out of trials") }
            observation = successes.flatMap { s in trials.flatMap { s <= $0 && input?.isShare != false ? .successes(s, trials: $0) : nil } }
        case let (nil, v?):
            let value = v.number()
            let se = m.required("se", "the standard error of the measurement")?
                .number(in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude, "a positive standard error")
            if let field = m["trials"] { field.fail("'trials' goes with 'successes', not with a measured value") }
            observation = value.flatMap { v in se.map { .measured(value: v, standardError: $0) } }
        case (_?, _?):
            f.fail("expected either 'successes' (with 'trials') or 'measured' (with 'se'), found both")
            observation = nil
        case (nil, nil):
            f.fail("missing the observation: 'successes' with 'trials', or 'measured' with 'se'")
            observation = nil
        }
        guard let id, let input, let keys, let observation else { return nil }
        return Evidence(id: id, source: m["source"]?.string(multiline: true), tasks: keys, input: input, observation: observation)
    }

    /// What the evidence read so far observed of one task's input: its prior as the scenario wrote it, and the
    /// observations in order.
    struct Observed: Hashable {
        var prior: Distribution
        var observations: [Observation]
    }

    /// Updates each task's input to its posterior after this evidence and every earlier one on the same input: the
    /// scenario's prior once with all their observations (``Posterior/update(_:_:version:)``), so that evidence in
    /// sequence equals its data pooled. A posterior that cannot be found is reported at the evidence; an observation
    /// far in the tail of what was believed before it (``Posterior/conflict(_:_:)``) is warned about.
    func apply(_ e: Evidence, _ f: YAMLField, _ tasks: TaskLookup, history: inout [String: Observed], to scenario: inout Scenario) {
        // The tasks of a role mostly share their prior: each distinct update is made, and each conflict checked, once.
        var posteriors: [Observed: (Distribution, Posterior.Method)] = [:]
        var conflicts: [Distribution: Double] = [:]
        var flagged = 0, least: (p: Double, task: String)?
        for key in e.tasks {
            guard let (i, j) = tasks.indices[key], let current = e.input.distribution(of: scenario.services[i].tasks[j], in: scenario)
            else { continue }
            let slot = "\(key)\u{0}\(e.input.rawValue)"
            var observed = history[slot] ?? Observed(prior: current, observations: [])
            observed.observations.append(e.observation)
            do {
                let (posterior, method): (Distribution, Posterior.Method)
                if let known = posteriors[observed] { (posterior, method) = known } else {
                    (posterior, method) = try Posterior.update(observed.prior, observed.observations, version: posteriorVersion)
                    posteriors[observed] = (posterior, method)
                }
                history[slot] = observed
                let p = conflicts[current] ?? Posterior.conflict(current, e.observation)
                conflicts[current] = p
                if p < Posterior.conflictWarning {
                    flagged += 1
                    if least.map({ p < $0.p }) ?? true { least = (p, key) }
                }
                e.input.set(posterior, on: &scenario.services[i].tasks[j])
                scenario.appliedEvidence.append(AppliedEvidence(evidence: e.id, task: key, input: e.input, observation: e.observation,
                                                                prior: current, posterior: posterior, method: method))
            } catch {
                // At the field the problem is with (successes, se…) when it names one, else at the evidence.
                let at = error.parameter.flatMap { key in YAMLField.value(of: key, in: f.node).map { f.child(key, $0) } } ?? f
                at.fail("evidence '\(e.id)' on \(key)'s \(e.input.rawValue): \(error.message)")
                return
            }
        }
        if let least {
            let which = flagged == 1 ? "\(least.task)'s \(e.input.rawValue)"
                : "\(flagged) tasks' \(e.input.rawValue) (least likely on \(least.task))"
            log.warn(f.mark, f.path, """
                evidence '\(e.id)' sits far in the tail of what was believed of \(which): a result this extreme had probability \
                \(NumberFormatting.message(least.p)) before it (two-sided, under the prior predictive), so the prior is probably wrong; \
                the posterior follows Bayes' rule but leans on the prior's tail, which nobody elicited — check the prior
                """)
        }
    }

    func pilot(_ f: YAMLField, _ tasks: TaskLookup) -> ProposedPilot? {
        guard let m = f.mapping(allowed: ["id", "task", "input", "noise", "cases", "cost"]) else { return nil }
        let id = m.required("id", "an id")?.identifier()
        let task = m.required("task", "the task the pilot studies (service-id/task-id)").flatMap { taskKey($0, tasks) }
        let input = self.input(m)
        var noise: Double?
        var ok = true
        if let n = m["noise"] {
            noise = n.number(in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude, "a positive sd of one case's measurement")
            ok = noise != nil
        } else if let input, !input.isShare {
            f.fail("a pilot of \(input.rawValue) measures it: give 'noise', the sd of one case's measurement")
            ok = false
        }
        let cases = m.required("cases", "a list of pilot sizes (numbers of cases)")?.list()?
            .compactMap { $0.integer(in: 1...1_000_000, "a whole number of cases from 1 to 1,000,000") } ?? []
        if let field = m["cases"], let list = field.list(), cases.count != list.count { ok = false }
        var fixed = 0.0, perCase = 0.0
        if let c = m["cost"], let cm = c.mapping(allowed: ["fixed", "per_case"]) {
            fixed = cm.number("fixed", absent: 0, in: 0...1e15, "a non-negative cost", ok: &ok)
            perCase = cm.number("per_case", absent: 0, in: 0...1e15, "a non-negative cost per case", ok: &ok)
        }
        guard ok, let id, let task, let input, !cases.isEmpty else { return nil }
        var p = ProposedPilot(id: id, task: task, input: input, model: noise.map { .normal(noise: $0) } ?? .binomial, cases: cases.sorted())
        (p.fixedCost, p.costPerCase) = (fixed, perCase)
        return p
    }
}
