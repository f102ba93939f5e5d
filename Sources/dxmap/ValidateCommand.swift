import ArgumentParser
import DXReport
import DXScenario

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file without running it.",
        discussion: "Reports every problem with its file:line:column and field path, and exits with status 65 if there is any."
    )

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    func run() throws {
        let s = try reportingErrors { try ScenarioLoader.load(path: scenario) }
        let tasks = s.services.reduce(0) { $0 + $1.tasks.count }
        let labour = s.services.flatMap(\.tasks).reduce(0.0) { total, t in
            total + t.fte * (s.roles.first { $0.id == t.role }?.costPerFTE ?? 0)
        }
        print("\(scenario): valid (schema 1): \"\(s.name)\": \(s.organisations.count) organisations, \(s.roles.count) roles, "
              + "\(s.services.count) services, \(tasks) tasks; annual labour value \(NumberFormatting.compact(labour)) \(s.currency)"
              + (s.workforce == nil ? "" : "; a workforce and \(s.policies.count) policies")
              + (s.barriers.isEmpty ? "" : "; \(s.barriers.count) adoption barriers, \(s.routines.count) routines, \(s.programmes.count) programmes"))
    }
}
