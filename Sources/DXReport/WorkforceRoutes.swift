import DXSampling
import DXScenario

/// What `dxmap validate` prints for a scenario with a workforce: where the people of each role whose work is
/// automated can go — each role they can move to directly or after retraining, with the similarity — and the roles
/// with no route out.
public enum WorkforceRoutes {
    /// The table and its notes, fitted to `width` columns (nil: any width).
    public static func lines(_ s: Scenario, _ w: Workforce, width: Int?) -> [String] {
        let sources = s.rolesWithTasks
        let routes = w.routes(from: sources, to: s.roles.map(\.id))
        let rows = routes.map { r -> [String] in
            let how: String = switch r.kind {
            case .direct: "direct"
            case let .retraining(ids): "retraining: " + ids.joined(separator: ", ")
            }
            return [r.from, r.to, String(format: "%.2f", r.similarity), how]
        }
        let stuck = sources.filter { s in !routes.contains { $0.from == s } }
        return TextTable.wrap("""
            Routes out of the roles whose work is automated (direct: similarity at least \(NumberFormatting.message(w.redeployThreshold)); \
            retraining: from \(NumberFormatting.message(w.retrainThreshold)) to below it, where a programme trains for the role):
            """, width: width)
            + (rows.isEmpty ? ["none"] : TableData(headers: ["from", "to", "similarity", "route"], rows: rows, leftAligned: [0, 1, 3])
                .lines(width: width))
            + (stuck.isEmpty ? [] : TextTable.wrap("""
                no route out of \(stuck.joined(separator: ", ")): only their own role's vacancies, the pool, then redundancy
                """, width: width))
    }
}
