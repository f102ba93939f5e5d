import Foundation

/// A small sweep over the corpus base scenario, written into a directory.
public enum SweepFixtures {
    /// A sweep over the corpus base scenario (written beside it as base.yaml) with the given design and parameter
    /// lines (each already indented under `parameters:`); the parameters start on line 6.
    public static func write(into dir: TemporaryDirectory, design: String, parameters: [String], outputs: String = "[total.npv]",
                             draws: Int = 10, extra: String = "", name: String = "s.yaml") throws -> String {
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        return try dir.write((["dxmap-sweep: 1", "scenario: base.yaml", "draws: \(draws)", "design: \(design)", "parameters:"]
            + parameters + ["outputs: \(outputs)", extra]).joined(separator: "\n") + "\n", to: name)
    }

    public static func write(into dir: TemporaryDirectory, points: Int = 12, draws: Int = 300, extra: String = "") throws -> String {
        try dir.write(ScenarioFixtures.corpusBase, to: "base.yaml")
        return try dir.write("""
        dxmap-sweep: 1
        scenario: base.yaml
        draws: \(draws)
        seed: 5
        design: { lhs: { points: \(points) } }
        parameters:
          - name: speed
            path: roles[*].automation.beta.mean
            scale: { min: 0.8, max: 1.2 }
          - name: size
            path: services[blue-badge].tasks[*].fte
            scale: { min: 0.5, max: 2 }
        \(extra)
        outputs: [total.npv, service[*].automation_probability, task[blue-badge/eligibility].displaced_fte]

        """, to: "sweep.yaml")
    }
}
