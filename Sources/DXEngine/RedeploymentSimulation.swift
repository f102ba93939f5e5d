import DXSampling
import DXScenario

/// The random inputs of one draw that every policy shares (common random
/// numbers): who is displaced when, who leaves, which posts open. Training
/// outcomes are keyed uniforms (``KeyedUniform``), shared the same way.
struct RedeploymentDrawInputs {
    /// displaced[(y − 1) · cells + c]: people whose work is automated in year y, by cell.
    var displaced: [Int]
    /// Leavers (attrition) and new posts (growth) by year and cell, same layout.
    var leavers: [Int]
    var openings: [Int]
    /// Global index of the draw, part of the training-outcome keys.
    var draw: Int
    var seed: UInt64
}

/// One policy's outcomes in one draw: out[((y − 1) · cells + c) · metrics + m] for years 1…horizon, and, when the
/// workforce has a composition, each group's flows over the horizon.
public struct RedeploymentOutcomes: Sendable {
    var values: [Double]
    /// groups[flow · groupCount + k] for the flat groups of the composition (empty without one).
    var groups: [Int] = []
    /// People who started each retraining programme over the horizon (the workforce's programmes, in order).
    public internal(set) var programmeStarts: [Int] = []
    /// The organisation · role cells (the redeployment model's order).
    public let cells: Int
    static let metrics = RedeploymentMetric.count

    /// The years of the horizon, 1…years.
    public var years: Int { cells == 0 ? 0 : values.count / (cells * Self.metrics) }

    init(years: Int, cells: Int) {
        values = Array(repeating: 0, count: years * cells * Self.metrics)
        self.cells = cells
    }

    /// People of flat group `group` (the composition's groups, dimension by dimension) in one flow over the horizon;
    /// 0 without a composition.
    public func people(group: Int, _ flow: EqualityFlow) -> Int {
        let G = groups.count / EqualityFlow.count
        return G == 0 ? 0 : groups[flow.rawValue * G + group]
    }

    /// One metric of one cell in one year (1…``years``).
    public subscript(year: Int, cell: Int, metric: RedeploymentMetric) -> Double {
        get { values[((year - 1) * cells + cell) * Self.metrics + metric.index] }
        set { values[((year - 1) * cells + cell) * Self.metrics + metric.index] = newValue }
    }
}

extension RedeploymentModel {
    /// Draws the shared inputs of one draw: the mapping's task draws (so a redeployment draw sees
    /// the same automation as the mapping draw of the same index), displaced people per task
    /// ~ Binomial(headcount, θρ) in the adoption year, then attrition and growth per cell and year.
    /// With `barriers:`, displacement happens in the adoption year the barriers leave (none when adoption fails).
    func drawInputs(sampler: TaskSampler, stream: RandomStream, roleFactors z: UnsafeMutableBufferPointer<Double>,
                    adoption scratch: TaskSampler.AdoptionScratch, draw: Int, seed: UInt64,
                    record: UnsafeMutableBufferPointer<Double>? = nil) -> RedeploymentDrawInputs {
        let C = cellCount, H = horizon
        var inputs = RedeploymentDrawInputs(displaced: Array(repeating: 0, count: H * C), leavers: Array(repeating: 0, count: H * C),
                                            openings: Array(repeating: 0, count: H * C), draw: draw, seed: seed)
        let globalFactor = sampler.drawFactors(stream, roleFactors: z)
        var shares = [Double](repeating: 0, count: mapping.taskCount)
        var years = [Int](repeating: 0, count: mapping.taskCount)
        if mapping.adoption != nil {
            sampler.drawAdoption(draw: draw, scratch)
            if let record { DrawTable.recordBarriers(mapping, scratch.state, from: mapping.taskCount * TaskInput.allCases.count, into: record) }
        }
        for t in 0..<mapping.taskCount {
            var d = sampler.drawTask(t, stream, globalFactor: globalFactor, roleFactors: z)
            if let record { DrawTable.recordTask(d, t, into: record) }
            if mapping.adoption != nil { _ = sampler.adopt(&d, t, scratch) }
            shares[t] = d.share
            years[t] = d.year
        }
        for t in 0..<mapping.taskCount {
            let people = stream.binomial(trials: taskHeadcount[t], probability: shares[t])
            if years[t] <= H { inputs.displaced[(years[t] - 1) * C + cellOfTask[t]] += people }
        }
        let attritionRate = attrition.map { min(max($0.sample(stream), 0), 1) }
        let growthRate = growth.map { min(max($0.sample(stream), 0), 1) }
        for c in 0..<C {
            var staff = people[c]   // the establishment: posts abolished by automation are gone from the next year
            for y in 1...H {
                inputs.leavers[(y - 1) * C + c] = stream.binomial(trials: staff, probability: attritionRate[c])
                inputs.openings[(y - 1) * C + c] = stream.binomial(trials: staff, probability: growthRate[c])
                staff = max(0, staff - inputs.displaced[(y - 1) * C + c])
            }
        }
        return inputs
    }

    /// Simulates one policy over the horizon, year by year, in whole people.
    ///
    /// Each year: (1) newly displaced people join the pool; (2) leavers and new posts open
    /// vacancies, and trainees who finish take theirs (or rejoin the pool); (3) attrition in a
    /// person's own cell absorbs them first; (4) optimal matching moves pool members to vacancies
    /// in similar roles (similarity ≥ the redeploy threshold), inside the organisation, then across
    /// organisations where the policy has a shared pool; (5) retraining, where the policy allows,
    /// bridges similarities between the two thresholds within places and budget; (6) whoever has
    /// waited the pool limit is made redundant. Without a hiring freeze unfilled vacancies are
    /// filled from outside at year end; with one they stay open for the pool.
    ///
    /// With a composition, `displacedGroups` (``EqualityModel/selectDisplaced(_:cells:horizon:stream:)``) says who is
    /// displaced and `groupStream` draws who, among the people waiting in a cell, each move takes.
    func simulate(_ policy: RedeploymentPolicy, _ inputs: RedeploymentDrawInputs, displacedGroups: [Int]? = nil,
                  groupStream: RandomStream? = nil) -> RedeploymentOutcomes {
        let C = cellCount, H = horizon
        let limit = policy.poolYears ?? poolYears
        var out = RedeploymentOutcomes(years: H, cells: C)
        out.programmeStarts = Array(repeating: 0, count: programmes.count)
        let tracker = equality.flatMap { model in
            groupStream.map { GroupTracker(model: model, cells: C, limit: limit, stream: $0) }
        }
        var pool = Array(repeating: Array(repeating: 0, count: limit), count: C)   // pool[c][years waited]
        var training: [TrainingBatch] = []
        var carried = [Int](repeating: 0, count: C)
        var displacedSoFar = [Int](repeating: 0, count: C)

        for y in 1...H {
            var vacancies = [Int](repeating: 0, count: C)
            for c in 0..<C {
                let arriving = inputs.displaced[(y - 1) * C + c]
                pool[c][0] += arriving
                displacedSoFar[c] += arriving
                if let tracker, let displacedGroups {
                    let base = ((y - 1) * C + c) * tracker.groupCount
                    let groups = displacedGroups[base..<(base + tracker.groupCount)]
                    tracker.add(cell: c, groups)
                    tracker.count(.displaced, groups)
                }
                out[y, c, .displaced] = Double(arriving)
                vacancies[c] = carried[c] + inputs.leavers[(y - 1) * C + c] + inputs.openings[(y - 1) * C + c]
            }
            finishTraining(&training, year: y, inputs, pool: &pool, vacancies: &vacancies, out: &out, tracker: tracker)
            // Attrition in the person's own cell absorbs displacement first, longest-waiting first.
            for c in 0..<C {
                tracker?.clearTaken()
                let absorbed = Self.take(min(vacancies[c], pool[c].reduce(0, +)), from: &pool[c], cell: c, tracker: tracker)
                vacancies[c] -= absorbed
                out[y, c, .absorbedByAttrition] = Double(absorbed)
                if let tracker { tracker.count(.absorbed, tracker.taken) }
            }
            if policy.internalRedeployment {
                match(&pool, &vacancies, allowed: { i, j, s in cells[i].organisation == cells[j].organisation && s >= redeployThreshold },
                      tracker: tracker) { i, _, n in
                    out[y, i, .redeployedInternal] += Double(n)
                    if let tracker { tracker.count(.redeployed, tracker.taken) }
                }
            }
            if policy.crossOrganisationPool {
                match(&pool, &vacancies, allowed: { i, j, s in cells[i].organisation != cells[j].organisation && s >= redeployThreshold },
                      tracker: tracker) { i, _, n in
                    out[y, i, .redeployedCrossOrg] += Double(n)
                    if let tracker { tracker.count(.redeployed, tracker.taken) }
                }
            }
            if policy.retraining {
                let started = retrain(&pool, &vacancies, policy: policy, tracker: tracker)
                for start in started {
                    let p = programmeOfRole[cells[start.destination].role]!, programme = programmes[p]
                    out.programmeStarts[p] += start.people
                    training.append(TrainingBatch(origin: start.origin, destination: start.destination, people: start.people,
                                                  endsBefore: y + programme.years, groups: start.groups))
                    out[y, start.origin, .retrainingCost] += Double(start.people) * programme.cost
                }
            }
            closeYear(y, pool: &pool, limit: limit, displacedSoFar: displacedSoFar, training: training, out: &out)
            if let tracker { for c in 0..<C { tracker.closeYear(cell: c) } }
            carried = policy.hiringFreeze ? vacancies : Array(repeating: 0, count: C)
        }
        if let tracker {
            tracker.finish()
            for batch in training { tracker.count(.inTraining, batch.groups) }
            out.groups = tracker.tally
        }
        return out
    }

    /// People who started retraining together: from their cell, towards the vacancy's, until the year they finish;
    /// with a composition, their flat groups.
    struct TrainingBatch {
        var origin: Int, destination: Int, people: Int, endsBefore: Int
        var groups: [Int] = []
    }

    /// Trainees who finish in year `y` take the post they trained for, each succeeding with the programme's success
    /// rate (a keyed uniform, the same whatever the thread); those who fail rejoin the pool and leave the post open.
    ///
    /// With a composition, trainee i of a batch is, in each dimension, of the group its place in the batch's group
    /// counts says: the uniforms are independent of group, so who succeeds is too.
    func finishTraining(_ training: inout [TrainingBatch], year y: Int, _ inputs: RedeploymentDrawInputs, pool: inout [[Int]],
                        vacancies: inout [Int], out: inout RedeploymentOutcomes, tracker: GroupTracker? = nil) {
        let C = cellCount
        var finishing = [Int](repeating: 0, count: C)
        training.removeAll { batch in
            guard batch.endsBefore == y else { return false }
            let success = programmes[programmeOfRole[cells[batch.destination].role]!].success
            var placed = 0
            var succeeded = tracker == nil ? [] : [Bool](repeating: false, count: batch.people)
            for i in 0..<batch.people {
                let u = KeyedUniform.value(
                    inputs.seed, UInt64(inputs.draw), UInt64(y), UInt64(batch.destination), UInt64(finishing[batch.destination]))
                finishing[batch.destination] += 1
                if u < success {
                    placed += 1
                    if tracker != nil { succeeded[i] = true }
                }
            }
            out[y, batch.origin, .retrainedPlaced] += Double(placed)
            pool[batch.origin][0] += batch.people - placed
            vacancies[batch.destination] += batch.people - placed
            if let tracker {
                var placedGroups = [Int](repeating: 0, count: tracker.groupCount)
                for d in tracker.model.dimensions.indices {
                    var i = 0
                    for k in tracker.model.groups(of: d) {
                        for _ in 0..<batch.groups[k] {
                            if succeeded[i] { placedGroups[k] += 1 }
                            i += 1
                        }
                    }
                }
                tracker.count(.retrained, placedGroups)
                tracker.add(cell: batch.origin, zip(batch.groups, placedGroups).map { $0 - $1 })
            }
            return true
        }
    }

    /// Year end: pay everyone waiting or training; the longest-waiting reach the pool limit and are made redundant;
    /// each cell's transition cost and net saving.
    func closeYear(_ y: Int, pool: inout [[Int]], limit: Int, displacedSoFar: [Int], training: [TrainingBatch],
                   out: inout RedeploymentOutcomes) {
        let C = cellCount
        for c in 0..<C {
            let waiting = pool[c].reduce(0, +)
            let redundant = pool[c][limit - 1]
            for age in stride(from: limit - 1, to: 0, by: -1) { pool[c][age] = pool[c][age - 1] }
            pool[c][0] = 0
            out[y, c, .redundant] = Double(redundant)
            out[y, c, .inPool] = Double(waiting - redundant)
            out[y, c, .poolCost] = Double(waiting) * salary[c]
            out[y, c, .redundancyCost] = Double(redundant) * salary[c] * redundancyMonths / 12
            out[y, c, .grossSaving] = Double(displacedSoFar[c]) * salary[c]
        }
        for batch in training {
            out[y, batch.origin, .inTraining] += Double(batch.people)
            out[y, batch.origin, .retrainingCost] += Double(batch.people) * salary[batch.origin]
        }
        for c in 0..<C {
            let transition = out[y, c, .redundancyCost] + out[y, c, .retrainingCost] + out[y, c, .poolCost]
            out[y, c, .transitionCost] = transition
            out[y, c, .netSaving] = out[y, c, .grossSaving] - transition
        }
    }

    /// Removes up to `n` people from a pool, longest-waiting first; returns how many.
    /// With a tracker, who of cell `cell`'s waiting people leave is drawn too (added to its ``GroupTracker/taken``).
    static func take(_ n: Int, from pool: inout [Int], cell: Int = 0, tracker: GroupTracker? = nil) -> Int {
        var left = n
        for age in pool.indices.reversed() where left > 0 {
            let k = min(left, pool[age])
            pool[age] -= k
            left -= k
            tracker?.take(cell: cell, age: age, people: k)
        }
        return n - left
    }

    /// Solves the transport problem over allowed (origin cell, vacancy cell) pairs and applies it.
    func match(_ pool: inout [[Int]], _ vacancies: inout [Int], allowed: (Int, Int, Double) -> Bool, tracker: GroupTracker? = nil,
               record: (Int, Int, Int) -> Void) {
        let C = cellCount
        let problem = TransportProblem(supply: pool.map { $0.reduce(0, +) }, demand: vacancies,
                                       similarity: (0..<C).map { i in (0..<C).map { j in
                                           let s = similarity[cells[i].role][cells[j].role]
                                           return i != j && allowed(i, j, s) ? s : nil
                                       } })
        apply(problem.solve(), &pool, &vacancies, tracker: tracker, record: record)
    }

    /// Starts retraining for pairs whose similarity is between the thresholds, within each
    /// programme's places and the policy's annual budget; returns the trainees by origin and destination (their groups
    /// with a tracker).
    func retrain(_ pool: inout [[Int]], _ vacancies: inout [Int], policy: RedeploymentPolicy,
                 tracker: GroupTracker? = nil) -> [TrainingBatch] {
        let C = cellCount
        let budget = policy.retrainingBudget ?? .infinity
        var problem = TransportProblem(supply: pool.map { $0.reduce(0, +) }, demand: vacancies,
                                       similarity: (0..<C).map { i in (0..<C).map { j in
                                           let s = similarity[cells[i].role][cells[j].role]
                                           let sameOrg = cells[i].organisation == cells[j].organisation
                                           guard programmeOfRole[cells[j].role] != nil, s >= retrainThreshold, s < redeployThreshold,
                                                 sameOrg || policy.crossOrganisationPool else { return nil }
                                           return s
                                       } })
        problem.group = cells.map { programmeOfRole[$0.role] }
        problem.groupCapacity = programmes.map { p in
            p.cost > 0 ? min(p.places, Int(min(budget / p.cost, Double(Int.max / 2)))) : p.places
        }
        var started: [TrainingBatch] = []
        var flows = problem.solve()
        // The budget is shared by all programmes: trim, most expensive programme first, if together they overspend.
        let order = programmes.indices.sorted { programmes[$0].cost > programmes[$1].cost }
        var spend = 0.0
        for i in 0..<C {
            for j in 0..<C where flows[i][j] > 0 { spend += Double(flows[i][j]) * programmes[programmeOfRole[cells[j].role]!].cost }
        }
        for p in order where spend > budget {
            for i in (0..<C).reversed() { for j in (0..<C).reversed() where programmeOfRole[cells[j].role] == p {
                while flows[i][j] > 0 && spend > budget { flows[i][j] -= 1; spend -= programmes[p].cost }
            } }
        }
        apply(flows, &pool, &vacancies, tracker: tracker) {
            started.append(TrainingBatch(origin: $0, destination: $1, people: $2, endsBefore: 0, groups: tracker?.taken ?? []))
        }
        return started
    }

    /// Moves the flows out of the pool; `record` sees each move, after the tracker (if any) has drawn its groups.
    private func apply(_ flows: [[Int]], _ pool: inout [[Int]], _ vacancies: inout [Int], tracker: GroupTracker? = nil,
                       record: (Int, Int, Int) -> Void) {
        for i in flows.indices {
            for j in flows[i].indices where flows[i][j] > 0 {
                tracker?.clearTaken()
                let n = Self.take(flows[i][j], from: &pool[i], cell: i, tracker: tracker)
                vacancies[j] -= n
                record(i, j, n)
            }
        }
    }
}
