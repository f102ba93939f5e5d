/// Scenario texts shared by several test targets.
public enum ScenarioFixtures {
    /// A small valid scenario whose line numbers the malformed-scenario corpus and the CLI tests rely on
    /// (line 17 is `        fte: 14`, the first task's FTE).
    public static let corpusBase = """
dxmap: 1
name: Corpus base
horizon: 5
discount_rate: 0.03
organisations:
  - id: essex
roles:
  - id: admin
    cost_per_fte: 31000
    automation: { beta: { mean: 0.62, sd: 0.10 } }
services:
  - id: blue-badge
    organisation: essex
    tasks:
      - id: eligibility
        role: admin
        fte: 14
        realisation: { uniform: { min: 0.6, max: 1.0 } }
        implementation_cost: { lognormal: { p5: 40000, p95: 250000 } }
        running_cost: 12000
        adoption_year: { discrete: { values: [1, 2, 3], weights: [0.3, 0.5, 0.2] } }
      - id: appeals
        role: admin
        fte: 3

"""
}
