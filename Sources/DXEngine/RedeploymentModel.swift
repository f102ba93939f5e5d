import DXSampling
import DXScenario
import DXSupport

/// The outcomes the redeployment simulation reports, in the order of `redeploy.csv`.
public enum RedeploymentMetric: Int, Sendable, CaseIterable {
    case displaced, absorbedByAttrition, redeployedInternal, redeployedCrossOrg, inTraining, retrainedPlaced, inPool
    case redundant, redundancyCost, retrainingCost, poolCost, transitionCost, grossSaving, netSaving

    /// The name in `redeploy.csv`.
    public var name: String {
        switch self {
        case .displaced: "displaced"
        case .absorbedByAttrition: "absorbed_by_attrition"
        case .redeployedInternal: "redeployed_internal"
        case .redeployedCrossOrg: "redeployed_cross_org"
        case .inTraining: "in_training"
        case .retrainedPlaced: "retrained_placed"
        case .inPool: "in_pool"
        case .redundant: "redundant"
        case .redundancyCost: "redundancy_cost"
        case .retrainingCost: "retraining_cost"
        case .poolCost: "pool_cost"
        case .transitionCost: "transition_cost"
        case .grossSaving: "gross_saving"
        case .netSaving: "net_saving"
        }
    }

    /// Whether the metric is money (in the scenario's currency) rather than people.
    public var isMoney: Bool { rawValue >= RedeploymentMetric.redundancyCost.rawValue }

    /// Whether more is better when policies are compared: savings and people placed in work, yes; redundancies,
    /// costs and people left waiting, no; nil for the flows no policy is meant to move (displaced, attrition,
    /// people in training).
    public var higherIsBetter: Bool? {
        switch self {
        case .redeployedInternal, .redeployedCrossOrg, .retrainedPlaced, .grossSaving, .netSaving: true
        case .inPool, .redundant, .redundancyCost, .retrainingCost, .poolCost, .transitionCost: false
        case .displaced, .absorbedByAttrition, .inTraining: nil
        }
    }

    /// Stocks are counted at the end of a year (and at the end of the horizon for year 0); the rest are flows.
    public var isStock: Bool { self == .inTraining || self == .inPool }

    static let count = allCases.count
    static let stockMask = allCases.map(\.isStock)
    var index: Int { rawValue }
}

/// A scenario compiled for the redeployment simulation: workforce cells
/// (one per organisation and role with people), their people, salaries and
/// rates, role similarities, retraining programmes and policies.
struct RedeploymentModel: Sendable {
    let mapping: MappingModel
    let policies: [RedeploymentPolicy]
    let horizon: Int
    let organisations: [String]
    let roles: [String]
    /// Cells: (organisation index, role index), in organisation then role order.
    let cells: [(organisation: Int, role: Int)]
    let people: [Int]
    let salary: [Double]
    let attrition: [Sampler]
    let growth: [Sampler]
    /// Cell and headcount of each task (the cell's people split by FTE, largest remainder).
    let cellOfTask: [Int]
    let taskHeadcount: [Int]
    /// similarity[role a][role b]
    let similarity: [[Double]]
    let redeployThreshold: Double
    let retrainThreshold: Double
    let programmes: [RetrainingProgramme]
    /// The programme that trains for each role (the first listed that covers it).
    let programmeOfRole: [Int?]
    let redundancyMonths: Double
    let poolYears: Int
    /// The workforce's composition by group, when it has one (the equality impact).
    let equality: EqualityModel?

    init(_ scenario: Scenario, sampling: Sampler.Method = .gslDirect) throws {
        guard let workforce = scenario.workforce else {
            throw DataError(message: "the scenario has no 'workforce:' section; add one to simulate redeployment")
        }
        guard !scenario.policies.isEmpty else {
            throw DataError(message: "the scenario lists no 'policies:' to compare")
        }
        mapping = try MappingModel(scenario, sampling: sampling)
        policies = scenario.policies
        horizon = scenario.horizon
        organisations = scenario.organisations.map(\.id)
        roles = scenario.roles.map(\.id)
        let roleIndex = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1, $0) })
        let orgIndex = Dictionary(uniqueKeysWithValues: organisations.enumerated().map { ($1, $0) })

        // FTE per (organisation, role) from the tasks; headcount from the workforce section or rounded FTE.
        var fteOfCell: [Int: Double] = [:]
        let taskCells = scenario.services.flatMap { s in s.tasks.map { (orgIndex[s.organisation]!, roleIndex[$0.role]!, $0.fte) } }
        for (o, r, fte) in taskCells { fteOfCell[o * roles.count + r, default: 0] += fte }
        var peopleOfCell = fteOfCell.mapValues { Int($0.rounded()) }
        for entry in workforce.headcount {
            peopleOfCell[orgIndex[entry.organisation]! * roles.count + roleIndex[entry.role]!] = entry.people
        }
        let keys = peopleOfCell.keys.sorted()
        let roleCount = roles.count
        let cellList = keys.map { (organisation: $0 / roleCount, role: $0 % roleCount) }
        cells = cellList
        people = keys.map { peopleOfCell[$0]! }
        salary = cellList.map { scenario.roles[$0.role].costPerFTE }
        attrition = cellList.map {
            Sampler(workforce.attrition.rate(organisation: scenario.organisations[$0.organisation].id, role: scenario.roles[$0.role].id),
                    method: sampling)
        }
        growth = cellList.map {
            Sampler(workforce.growth.rate(organisation: scenario.organisations[$0.organisation].id, role: scenario.roles[$0.role].id),
                    method: sampling)
        }

        let cellIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let taskCell = taskCells.map { cellIndex[$0.0 * roleCount + $0.1]! }
        cellOfTask = taskCell
        taskHeadcount = Self.split(people: keys.map { peopleOfCell[$0]! }, cellOfTask: taskCell, fte: taskCells.map(\.2))

        similarity = scenario.roles.map { a in scenario.roles.map { b in workforce.similarity.between(a.id, b.id) } }
        redeployThreshold = workforce.redeployThreshold
        retrainThreshold = workforce.retrainThreshold
        programmes = workforce.retraining
        programmeOfRole = scenario.roles.map { role in workforce.retraining.firstIndex { $0.covers(role: role.id) } }
        redundancyMonths = workforce.redundancyMonths
        poolYears = workforce.poolYears
        let (orgIds, roleIds) = (organisations, roles)
        equality = try EqualityModel(workforce, cells: cellList.map { (orgIds[$0.organisation], roleIds[$0.role]) },
                                     people: keys.map { peopleOfCell[$0]! })
    }

    var cellCount: Int { cells.count }

    /// Splits each cell's people over its tasks in proportion to FTE, by largest remainder, so the parts add up exactly.
    static func split(people: [Int], cellOfTask: [Int], fte: [Double]) -> [Int] {
        var result = [Int](repeating: 0, count: fte.count)
        for c in people.indices {
            let tasks = fte.indices.filter { cellOfTask[$0] == c }
            let total = tasks.reduce(0) { $0 + fte[$1] }
            guard total > 0 else { continue }
            let exact = tasks.map { Double(people[c]) * fte[$0] / total }
            var parts = exact.map { Int($0.rounded(.down)) }
            let order = tasks.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
            for k in order.prefix(people[c] - parts.reduce(0, +)) { parts[k] += 1 }
            for (k, t) in tasks.enumerated() { result[t] = parts[k] }
        }
        return result
    }
}
