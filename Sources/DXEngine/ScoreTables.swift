import DXSampling

/// Tabulated copula maps (``ScoreQuantileTable``) for the tasks whose automation distribution is drawn often
/// enough for a table to pay: one table per distinct distribution, built when draws × tasks sharing it is at
/// least four times the table's nodes. The choice depends only on the scenario and the draw count, so
/// results stay the same for any thread count.
final class ScoreTables: @unchecked Sendable {
    // @unchecked: written once in init, read-only afterwards.
    let tables: [ScoreQuantileTable]
    /// Per task: its table's core, or nil for the exact map.
    let perTask: UnsafeMutableBufferPointer<ScoreTableCore?>

    init?(_ model: MappingModel, draws: Int) {
        guard !model.scenario.correlation.isIndependent else { return nil }
        let samplers = model.tasks.samplers.automation
        var users: [String: (first: Int, count: Int)] = [:]
        for (t, s) in samplers.enumerated() {
            let key = "\(s.distribution)"
            users[key] = (users[key]?.first ?? t, (users[key]?.count ?? 0) + 1)
        }
        var tables: [ScoreQuantileTable] = [], byKey: [String: ScoreTableCore] = [:]
        for (key, u) in users.sorted(by: { $0.value.first < $1.value.first }) where draws * u.count >= 4 * 2049 {
            if case .constant = samplers[u.first].distribution { continue }
            if case .discrete = samplers[u.first].distribution { continue }
            let table = ScoreQuantileTable(samplers[u.first], nodes: 2049)
            tables.append(table)
            byKey[key] = table.core
        }
        guard !tables.isEmpty else { return nil }
        self.tables = tables
        perTask = .allocate(capacity: samplers.count)
        _ = perTask.initialize(from: samplers.map { byKey["\($0.distribution)"] })
    }

    deinit {
        perTask.deinitialize()
        perTask.deallocate()
    }
}
