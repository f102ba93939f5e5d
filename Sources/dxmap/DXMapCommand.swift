import ArgumentParser
import DXReport

@main
struct DXMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dxmap",
        abstract: "Map the impact of digital transformation on public services and their workforce, under uncertainty.",
        discussion: """
        dxmap samples, per public-service task, the share of work that can be automated and what it is worth, \
        and maps services, occupations and organisations on risk–return matrices (Monte Carlo on GSL).

        Examples:
          dxmap validate Scenarios/italian-pa.yaml
          dxmap map Scenarios/italian-pa.yaml --out out/
          dxmap map Scenarios/county-councils.yaml --view risk-return --risk cvar --level organisation
          dxmap redeploy Scenarios/county-councils-workforce.yaml --out out/
        """,
        version: DXMapVersion.current,
        subcommands: [MapCommand.self, RedeployCommand.self, AdoptCommand.self, SweepCommand.self, SensitivityCommand.self, DiscoverCommand.self,
                      MergeCommand.self, ExportCommand.self, ValidateCommand.self]
    )
}
