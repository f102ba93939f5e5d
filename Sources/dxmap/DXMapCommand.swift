import ArgumentParser
import DXScenario
import Foundation

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
        subcommands: [
            MapCommand.self, RedeployCommand.self, AdoptCommand.self, SweepCommand.self, SensitivityCommand.self, DiscoverCommand.self,
                      MergeCommand.self, ExportCommand.self, ReportCommand.self, ValidateCommand.self, VOICommand.self]
    )

    /// Runs the command line, first catching a mistyped subcommand (`dxmap mapp`), which the parser would only
    /// call an unexpected argument, with a suggestion.
    static func main() {
        // The argument parser prints help and usage through C's buffered stdout; if that cannot be flushed
        // (say, `dxmap --help > /dev/full`), the exit status says so. dxmap's own output is checked as written.
        atexit {
            if fflush(nil) != 0 { _exit(74) }
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
            printError("""
                error: unknown command '\(first)'\(Suggestion.didYouMean(first, among: names)); the commands are \
                \(names.dropLast().joined(separator: ", "))
                """)
            printError("Usage: dxmap <command> [options]; see 'dxmap --help'")
            Self.exit(withError: ExitStatus.code(.usage))
        }
        main(nil)
    }
}
