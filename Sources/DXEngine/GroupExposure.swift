import DXScenario

/// The exposure side of the equality impact (`dxmap map`): how each group of the workforce's composition is spread
/// over the quadrants of a risk–return matrix, in FTE and annual labour value. A task's FTE and labour are split
/// between groups in the proportions of its role at its organisation (`CompositionDimension.weights(organisation:role:)`)
/// and counted in the quadrant of the entity the task belongs to at the matrix's level; entities the matrix leaves
/// out (no tasks) hold nothing.
public struct GroupExposure: Sendable {
    /// One group's FTE and labour value in one quadrant.
    public struct Cell: Sendable, Equatable {
        public var fte: Double
        public var labourValue: Double
    }

    public struct Dimension: Sendable, Equatable {
        public var id: String
        public var groups: [String]
        /// cells[group][quadrant, in `Quadrant.allCases` order]
        public var cells: [[Cell]]

        /// A group's labour value over every quadrant.
        public func labourValue(group g: Int) -> Double { cells[g].reduce(0) { $0 + $1.labourValue } }
        public func fte(group g: Int) -> Double { cells[g].reduce(0) { $0 + $1.fte } }

        /// The share of a group's labour value in a quadrant (NaN when the group has none).
        public func share(group g: Int, of quadrant: Quadrant) -> Double {
            let total = labourValue(group: g)
            return total > 0 ? cells[g][Quadrant.allCases.firstIndex(of: quadrant)!].labourValue / total : .nan
        }

        /// The group's share of a quadrant's labour value, beside its share of all the labour (NaN for an empty quadrant).
        public func shareOfQuadrant(group g: Int, _ quadrant: Quadrant) -> Double {
            let q = Quadrant.allCases.firstIndex(of: quadrant)!
            let total = cells.reduce(0) { $0 + $1[q].labourValue }
            return total > 0 ? cells[g][q].labourValue / total : .nan
        }

        /// The group's share of all the labour value placed on the matrix.
        public func shareOfLabour(group g: Int) -> Double {
            let total = groups.indices.reduce(0) { $0 + labourValue(group: $1) }
            return total > 0 ? labourValue(group: g) / total : .nan
        }
    }

    public let level: Level
    public let dimensions: [Dimension]

    /// The exposure of `scenario`'s workforce composition on `matrix`; nil when the scenario has no composition.
    public init?(scenario: Scenario, matrix: RiskReturnMatrix) {
        guard let composition = scenario.workforce?.composition, !composition.isEmpty else { return nil }
        level = matrix.level
        let quadrantOf = Dictionary(matrix.points.map { ($0.entity.id, $0.quadrant) }, uniquingKeysWith: { a, _ in a })
        let cost = scenario.costPerFTE
        dimensions = composition.map { d in
            var cells = Array(repeating: Array(repeating: Cell(fte: 0, labourValue: 0), count: Quadrant.allCases.count),
                              count: d.groups.count)
            for service in scenario.services {
                for task in service.tasks {
                    let id: String = switch matrix.level {
                    case .task: Scenario.taskKey(service: service.id, task: task.id)
                    case .service: service.id
                    case .role: task.role
                    case .organisation: service.organisation
                    case .total: "total"
                    }
                    guard let quadrant = quadrantOf[id], let q = Quadrant.allCases.firstIndex(of: quadrant),
                          let weights = d.weights(organisation: service.organisation, role: task.role) else { continue }
                    let sum = weights.reduce(0, +)
                    guard sum > 0 else { continue }
                    for (g, w) in weights.enumerated() {
                        cells[g][q].fte += task.fte * w / sum
                        cells[g][q].labourValue += task.fte * (cost[task.role] ?? 0) * w / sum
                    }
                }
            }
            return Dimension(id: d.id, groups: d.groups, cells: cells)
        }
    }
}
