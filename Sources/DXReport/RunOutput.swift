import DXEngine
import DXSampling
import DXSupport
import Foundation

/// What a command gives its reader: the files of `--out`, a set written atomically with run.json last
/// (`OutputFiles`), and what the terminal shows. Every run (``RunOutput``) and every study — a sensitivity
/// analysis (``SensitivityOutput``), a scenario discovery (``DiscoveryOutput``), an export (``ExportOutput``) — comes
/// wrapped in one, so the CLI emits any of them the same way.
public protocol OutputSet {
    /// The provenance written as run.json: a ``RunRecord`` for a run, a ``StudyRecord`` for a study.
    associatedtype Record: Encodable
    var record: Record { get }
    /// The files of the set, each with what writes it.
    func files() throws -> [OutputFiles.File]
    /// What the terminal shows, in order.
    func table(_ style: TerminalStyle) throws -> [TerminalText]
    /// Warnings and notes for standard error, before anything else is printed (none by default).
    var warnings: [String] { get }
}

extension OutputSet {
    public var warnings: [String] { [] }

    /// Writes ``files()`` into `directory` as a set (`OutputFiles`); returns the paths written.
    @discardableResult
    public func write(to directory: String) throws -> [String] { try OutputFiles.write(files: files(), to: directory) }
}

/// What a Monte Carlo run gives, in every form dxmap writes: its output set, and on standard output its terminal
/// table (`--format table`), CSV or JSON. Every run command's result comes wrapped in one (``MappingOutput``,
/// ``RedeploymentOutput``, ``AdoptionOutput``, ``VOIOutput``), so a new output form is one requirement here, met
/// once per result.
public protocol RunOutput: OutputSet where Record == RunRecord {
    /// What `--format csv` prints: the command's headline CSV file.
    func csv() -> String
    /// What `--format json` prints: the run record and the headline rows.
    func json() throws -> String
}

extension RunOutput {
    /// The two lines every run's table starts with: what ran, and how (draws, design, seed, threads, seconds).
    static func header(_ title: String, _ run: RunInfo, suffix: String = "", width: Int? = TerminalStyle.defaultColumns) -> [TerminalText] {
        TextTable.wrap([title, runLine(run) + suffix], width: width).map { TerminalText($0) } + [TerminalText("")]
    }
}

/// How the terminal wants its tables: every column (`--wide`), colours where the terminal shows them, and the
/// width everything printed fits in.
public struct TerminalStyle: Sendable, Equatable {
    public var wide: Bool
    public var colour: Bool
    /// The terminal's width in columns: tables are cut and split and prose wrapped to fit it; nil (`--wide`):
    /// lines as long as they need.
    public var columns: Int?
    /// The width tables fit when nothing says otherwise (standard output not a terminal, no `COLUMNS`).
    public static let defaultColumns = 100

    public init(wide: Bool = false, colour: Bool = false, columns: Int? = TerminalStyle.defaultColumns) {
        (self.wide, self.colour) = (wide, colour)
        self.columns = wide ? nil : columns
    }
}

/// One piece of what a command prints on the terminal. `coloured` text carries escape sequences dxmap adds itself
/// (only the matrix table, whose cells are escaped), so the CLI writes it as it is; all other text has its control
/// characters shown, not obeyed, since it holds names and paths a user wrote.
public struct TerminalText: Sendable, Equatable {
    public var text: String
    public var terminator: String
    public var coloured: Bool
    public init(_ text: String, terminator: String = "\n", coloured: Bool = false) {
        (self.text, self.terminator, self.coloured) = (text, terminator, coloured)
    }
}

/// "2,000 draws (latin-hypercube, 10 replicates), seed 20240216, 2 threads, 0.14 s".
public func runLine(_ run: RunInfo) -> String {
    let design = run.design, threads = run.threadsUsed
    let how = design.method == .plain ? "" : " (\(design.method.rawValue), \(design.replicates) replicates)"
    return String(format: "%d draws%@, seed %llu, %d thread%@, %.2f s", run.draws, how, run.seed, threads, threads == 1 ? "" : "s",
                  run.wallTime)
}

/// A mapping run: summary.csv, matrix.csv, matrix.svg, report.html and run.json; the matrix on the terminal.
public struct MappingOutput: RunOutput {
    public var result: MappingResult
    public var matrix: RiskReturnMatrix
    public var record: RunRecord
    /// The run against a baseline on the same draws (`--versus`, `--versus-no-evidence`): `versus.csv`, a table, the
    /// report's first section and JSON's `versus`.
    public var versus: MappingComparison?
    /// How the workforce composition's groups fall on the matrix (`GroupExposure`): `exposure.csv`, a table and a
    /// report section; nil without a composition.
    public var exposure: GroupExposure?

    public init(result: MappingResult, matrix: RiskReturnMatrix, record: RunRecord, versus: MappingComparison? = nil,
                exposure: GroupExposure? = nil) {
        (self.result, self.matrix, self.record, self.versus, self.exposure) = (result, matrix, record, versus, exposure)
    }

    public var warnings: [String] {
        let nonFinite = MappingOutputs.nonFiniteStatistics(result)
        guard let first = nonFinite.first else { return [] }
        return ["""
            warning: \(nonFinite.count) statistics are not finite numbers (first: \(first)); they are empty in the CSV files, \
            null in JSON and left out of the chart
            """]
    }

    public func files() throws -> [OutputFiles.File] {
        let chart = MatrixChart.svg(matrix, title: MappingOutputs.chartTitle(result, matrix),
                                    subtitle: MappingOutputs.chartSubtitle(result, matrix))
        var report = MappingOutputs.report(result: result, matrix: matrix, run: record, chart: chart)
        if let versus { report.sections.insert(versus.section(level: matrix.level, run: result.run), at: 0) }
        if let exposure {
            report.sections.insert(ExposureOutputs.section(exposure, currency: result.run.currency.isEmpty ? "currency units" : result.run.currency),
                                   at: min(1, report.sections.count))
        }
        let contents = [CSVOutput.summary(result), CSVOutput.matrix(matrix), chart, report.html, try JSONOutput.run(record)]
        let files = zip(MappingOutputs.fileNames, contents).map { OutputFiles.File(name: $0, text: $1) }
        return (versus.map { [OutputFiles.File(name: "versus.csv", text: $0.csv)] } ?? []) + files
            + (exposure.map { [OutputFiles.File(name: "exposure.csv", text: ExposureOutputs.csv($0))] } ?? [])
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        var out = Self.header("\(result.run.scenarioName): \(matrix.level.rawValue) matrix, \(matrix.view.rawValue) view"
                              + (matrix.view == .riskReturn ? " (risk: \(matrix.risk.rawValue))" : ""), result.run, width: style.columns)
        out.append(TerminalText(MatrixTable.render(matrix, colour: style.colour, wide: style.wide, width: style.columns), terminator: "", coloured: style.colour))
        if result.metrics.contains(.adoptedByHorizon) {
            out += [TerminalText(""), TerminalText(MappingOutputs.adoptionTable(result, width: style.columns).joined(separator: "\n"))]
        }
        if let versus {
            out += [TerminalText(""), TerminalText(versus.lines(level: matrix.level, draws: result.run.draws, width: style.columns)
                .joined(separator: "\n"))]
        }
        if let exposure {
            out.append(TerminalText(TextTable.wrap(ExposureOutputs.lines(exposure, width: style.columns), width: style.columns)
                .joined(separator: "\n")))
        }
        return out
    }

    public func csv() -> String { CSVOutput.matrix(matrix) }
    public func json() throws -> String { try JSONOutput.document(run: record, result: result, matrix: matrix, versus: versus) }
}

/// A redeployment run: redeploy.csv, policies.csv, redeploy.svg, report.html and run.json; the policies compared on
/// the terminal.
public struct RedeploymentOutput: RunOutput {
    public var result: RedeploymentResult
    public var record: RunRecord

    public init(result: RedeploymentResult, record: RunRecord) { (self.result, self.record) = (result, record) }

    /// A retraining programme no one started in any draw, under every policy that retrains.
    public var warnings: [String] {
        let retraining = result.policies.filter(\.retraining).map(\.id)
        return result.idleProgrammes.map { p in
            """
            warning: retraining '\(p)' took no one in any of the \(NumberFormatting.grouped(result.run.draws)) draws under \
            \(retraining.joined(separator: ", ")): the vacancies it trains for are filled first by the people displaced in those \
            roles and by direct moves, or no displaced person is within its similarity band (dxmap validate prints the routes)
            """
        }
    }

    public func files() throws -> [OutputFiles.File] {
        let chart = RedeploymentChart.svg(result)
        let contents = [RedeploymentOutputs.redeployCSV(result), RedeploymentOutputs.policiesCSV(result), chart,
                        RedeploymentOutputs.report(result, run: record, chart: chart).html, try JSONOutput.run(record)]
        let equality = result.equality.map { e in
            [OutputFiles.File(name: "equality.csv", text: EqualityOutputs.csv(e)),
             OutputFiles.File(name: "equality.svg", text: EqualityOutputs.chart(result, e))]
        } ?? []
        return zip(RedeploymentOutputs.fileNames, contents).map { OutputFiles.File(name: $0, text: $1) } + equality
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        let equality = EqualityOutputs.table(result, wide: style.wide, width: style.columns)
        return Self.header("\(result.run.scenarioName): redeployment over \(result.run.horizon) years", result.run, width: style.columns)
            + [TerminalText(RedeploymentOutputs.table(result, wide: style.wide, width: style.columns), terminator: "")]
            + (equality.isEmpty ? [] : [TerminalText(TextTable.wrap(equality, width: style.columns).joined(separator: "\n"))])
    }

    public func csv() -> String { RedeploymentOutputs.policiesCSV(result) }
    public func json() throws -> String { try JSONOutput.redeployment(run: record, result: result) }
}

/// An adoption comparison: programmes.csv, adoption.svg, run.json and report.html; the programmes on the terminal.
public struct AdoptionOutput: RunOutput {
    public var result: AdoptionResult
    public var record: RunRecord

    public init(result: AdoptionResult, record: RunRecord) { (self.result, self.record) = (result, record) }

    public func files() throws -> [OutputFiles.File] {
        let chart = AdoptionChart.svg(result)
        return [OutputFiles.File(name: "programmes.csv", text: AdoptionOutputs.programmesCSV(result)),
                OutputFiles.File(name: "adoption.svg", text: chart), OutputFiles.File(name: "run.json", text: try JSONOutput.run(record)),
                OutputFiles.File(name: "report.html", text: AdoptionOutputs.report(result, run: record, chart: chart).html)]
    }

    public func table(_ style: TerminalStyle) throws -> [TerminalText] {
        Self.header("\(result.run.scenarioName): adoption programmes over \(result.run.horizon) years (all services)", result.run,
                    suffix: "; money in \(result.run.currency)", width: style.columns)
            + [TerminalText(AdoptionOutputs.table(result, wide: style.wide, width: style.columns).joined(separator: "\n"))]
    }

    public func csv() -> String { AdoptionOutputs.programmesCSV(result) }
    public func json() throws -> String { try JSONOutput.adoption(run: record, result: result) }
}
