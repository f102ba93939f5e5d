import DXSampling
import Foundation

/// A table as rows of text: what the terminal prints (``lines``) and the report shows (sortable), from one source.
public struct TableData: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]
    /// Columns of text, aligned left in the terminal and sorted as text in the report; the rest are numbers.
    public var leftAligned: Set<Int>
    /// Columns of names a terminal too narrow for the table may cut (nil: the first left-aligned one); see `TextTable`.
    public var cuttable: Set<Int>?

    public init(headers: [String], rows: [[String]], leftAligned: Set<Int> = [0], cuttable: Set<Int>? = nil) {
        (self.headers, self.rows, self.leftAligned, self.cuttable) = (headers, rows, leftAligned, cuttable)
    }

    /// The table for a terminal (`TextTable`).
    public var lines: [String] { TextTable.lines(headers: headers, rows: rows, leftAligned: leftAligned) }

    /// The table for a terminal `width` columns wide (nil: any width): the name column cut, then the table split
    /// into parts if it still does not fit (`TextTable`).
    public func lines(width: Int?) -> [String] { TextTable.lines(headers: headers, rows: rows, leftAligned: leftAligned, cuttable: cuttable, width: width) }
}

/// One self-contained HTML page for a run (`report.html`): its provenance, then sections, each with a chart drawn
/// inline, a short "how to read this", sortable tables and notes. Nothing is fetched: styles and the sorting
/// script are inline, the charts are inline SVG, and a Content-Security-Policy forbids any request. A print
/// stylesheet keeps each chart and table on one page when printed or saved as PDF from the browser.
public struct HTMLReport: Sendable {
    public struct Section: Sendable {
        public var title: String
        /// What the chart or table answers and how to read it, in a few plain sentences.
        public var howToRead: [String]
        /// An SVG document (as the run writes it to a file), drawn inline.
        public var chart: String?
        public var tables: [(caption: String, table: TableData)]
        public var notes: [String]

        public init(title: String, howToRead: [String], chart: String? = nil, tables: [(caption: String, table: TableData)] = [],
                    notes: [String] = []) {
            (self.title, self.howToRead, self.chart, self.tables, self.notes) = (title, howToRead, chart, tables, notes)
        }
    }

    public var title: String
    public var subtitle: String
    /// Name–value pairs: version, command, scenario and its SHA-256, seed, draws, threads, date…
    public var provenance: [(String, String)]
    public var sections: [Section]

    public init(title: String, subtitle: String, provenance: [(String, String)], sections: [Section]) {
        (self.title, self.subtitle, self.provenance, self.sections) = (title, subtitle, provenance, sections)
    }

    /// The report of a Monte Carlo run: its provenance from its record, and after `sections` the scenario's evidence
    /// (prior and posterior of each input it updated) when it has some.
    public init(title: String, subtitle: String, run: RunRecord, sections: [Section]) {
        self.init(title: title, subtitle: subtitle, provenance: Self.provenance(run),
                  sections: sections + (run.evidence.map { [Self.evidenceSection($0)] } ?? []))
    }

    /// The evidence a run applied (or set aside): each input's prior and posterior.
    public static func evidenceSection(_ records: [EvidenceRecord]) -> Section {
        func summary(_ s: EvidenceRecord.Summary) -> String {
            "\(NumberFormatting.compact(s.mean)) (\(NumberFormatting.compact(s.p5))–\(NumberFormatting.compact(s.p95)))"
        }
        let applied = records.allSatisfy(\.applied)
        return Section(
            title: "Evidence from pilots",
            howToRead: [applied
                ? "Observed pilot results updated these inputs before the run: the posterior replaced the prior in every draw."
                : "The scenario has evidence, but this run set it aside (--no-evidence): every input at its prior."],
            tables: [("Prior and posterior, mean (90% interval)", TableData(
                headers: ["evidence", "task", "input", "observed", "prior", "posterior", "method"],
                rows: records.map { [$0.id, $0.task, $0.input, $0.observed, summary($0.prior), summary($0.posterior), $0.method] },
                leftAligned: [0, 1, 2, 3, 6]))])
    }

    /// The provenance of a Monte Carlo run, from its record.
    public static func provenance(_ record: RunRecord) -> [(String, String)] {
        let run = record.run
        var rows: [(String, String)] = [
            ("dxmap", record.dxmapVersion), ("command", commandLine(record.command, record.arguments)), ("scenario", record.scenario),
            ("scenario SHA-256", record.scenarioSHA256), ("seed", "\(run.seed)"), ("draws", NumberFormatting.grouped(run.draws)),
            ("threads", "\(run.threadsUsed) (results do not depend on them)"), ("generator", run.generator.rawValue),
            ("date", record.date), ("wall time", String(format: "%.2f s", record.wallTimeSeconds)),
            ("sampler", run.sampler == .gslDirect ? "gsl-direct (GSL's samplers, the numbers of earlier releases)" : run.sampler.rawValue),
            ("draw design", run.design.method == .plain ? "plain Monte Carlo"
                : "\(run.design.method.rawValue), \(run.design.replicates) replicates (standard errors from the replicates)"),
            ("horizon", "\(run.horizon) years"),
            ("discount rate", "\(NumberFormatting.rate(run.discountRate)) a year (every NPV and present value)"),
            ("currency", run.currency.isEmpty ? "not named in the scenario" : run.currency),
        ]
        if let p = record.details.programme { rows.append(("programme", p)) }
        if let v = record.versus {
            rows.append(("compared against", "\(v.scenario) (SHA-256 \(v.sha256))" + (v.evidenceApplied ? "" : ", without its evidence")))
        }
        return rows
    }

    /// The provenance of a study or export, from its record.
    public static func provenance(_ study: StudyRecord) -> [(String, String)] {
        [("dxmap", study.dxmapVersion), ("command", commandLine(study.command, study.arguments))]
            + study.inputs.map { ("input \($0.path)", "SHA-256 \($0.sha256)") }
            + [("date", study.date), ("wall time", String(format: "%.2f s", study.wallTimeSeconds))]
    }

    /// `dxmap` and the command line; `arguments` (the command line after the program's name) may already start with
    /// the command.
    static func commandLine(_ command: String, _ arguments: [String]) -> String {
        let words = arguments.first == command ? arguments : [command] + arguments
        return (["dxmap"] + words).map(shellQuoted).joined(separator: " ")
    }

    /// A word as a POSIX shell reads it back: as it is when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The page.
    public var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>\(Self.escape(title))</h1>
            <p class="subtitle">\(Self.escape(subtitle))</p>
            </header>
            <nav class="noprint"><ul>
            """
        for (i, s) in sections.enumerated() { out += "<li><a href=\"#s\(i + 1)\">\(Self.escape(s.title))</a></li>" }
        out += "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n"
        for (i, s) in sections.enumerated() {
            out += "<section id=\"s\(i + 1)\">\n<h2>\(Self.escape(s.title))</h2>\n"
            if !s.howToRead.isEmpty {
                out += "<div class=\"how\"><h3>How to read this</h3>"
                    + s.howToRead.map { "<p>\(Self.escape($0))</p>" }.joined() + "</div>\n"
            }
            if let chart = s.chart { out += "<figure class=\"chart\">\n\(chart)</figure>\n" }
            for (caption, table) in s.tables { out += Self.table(table, caption: caption) }
            for note in s.notes { out += "<p class=\"note\">\(Self.escape(note))</p>\n" }
            out += "</section>\n"
        }
        out += "<section id=\"provenance\">\n<h2>Provenance</h2>\n<p>Everything needed to reproduce these numbers exactly: "
            + "the same inputs (identified by their SHA-256), seed, draws and generator give the same results on any "
            + "machine and any number of threads.</p>\n<table class=\"provenance\">"
        for (name, value) in provenance { out += "<tr><th>\(Self.escape(name))</th><td>\(Self.escape(value))</td></tr>" }
        out += "</table>\n</section>\n<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    /// A sortable table: each cell carries the number it sorts by (`data-sort`), read from its text; the caption says
    /// how to sort on screen, not on paper.
    static func table(_ t: TableData, caption: String) -> String {
        var out = "<div class=\"table\"><table class=\"sortable\"><caption>\(escape(caption))"
            + "<span class=\"noprint\"> (click a header to sort)</span></caption>\n<thead><tr>"
        for (c, h) in t.headers.enumerated() {
            out += "<th class=\"\(t.leftAligned.contains(c) ? "text" : "num")\" title=\"Sort\">\(escape(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            out += "<tr>"
            for (c, cell) in row.enumerated() {
                let key = t.leftAligned.contains(c) ? nil : sortKey(cell)
                out += "<td class=\"\(t.leftAligned.contains(c) ? "text" : "num")\"\(key.map { " data-sort=\"\($0)\"" } ?? "")>"
                    + escape(cell) + "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    /// The number a cell's text starts with, scaled by its suffix ("9.79M" → 9.79e6, "80%" → 0.8, "+1.4k [...]"
    /// → 1400, "−2.1M" → −2.1e6); nil when it starts with none ("baseline", "–").
    static func sortKey(_ text: String) -> Double? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = 1.0
        if s.first == "−" || s.first == "-" { sign = -1; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        let digits = s.prefix { $0.isNumber || $0 == "." || $0 == "," }
        guard !digits.isEmpty, let value = Double(digits.replacingOccurrences(of: ",", with: "")) else { return nil }
        let rest = s.dropFirst(digits.count)
        let scale: Double = if rest.hasPrefix("b") { 1e9 } else if rest.hasPrefix("M") { 1e6 }
            else if rest.hasPrefix("k") { 1e3 } else if rest.hasPrefix("%") { 0.01 } else if rest.hasPrefix("e") {
                Double("1" + rest.prefix { $0 == "e" || $0 == "-" || $0 == "+" || $0.isNumber }) ?? 1
            } else { 1 }
        return sign * value * scale
    }

    static func escape(_ s: String) -> String { SVGCanvas.escape(s, quotes: true) }

    static let style = """
        body{font-family:Helvetica,Arial,"Liberation Sans",sans-serif;color:#111;max-width:1000px;margin:24px auto;padding:0 16px;\
        line-height:1.4}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
        h3{font-size:14px;margin:0 0 4px}.subtitle{color:#555;margin:0 0 12px}
        nav ul{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:14px}
        .how{background:#f5f7fa;border-left:4px solid #7a8ca3;padding:8px 12px;margin:8px 0 12px;font-size:14px}
        .how p{margin:4px 0}figure.chart{margin:8px 0}figure.chart svg{max-width:100%;height:auto;display:block}
        .table{overflow-x:auto;margin:12px 0}table{border-collapse:collapse;font-size:13px}
        caption{text-align:left;font-weight:bold;padding:4px 0}
        th,td{padding:3px 8px;border-bottom:1px solid #e3e3e3;vertical-align:top}
        thead th{background:#f0f0f0;cursor:pointer;user-select:none;white-space:nowrap}
        thead th[aria-sort=ascending]::after{content:" ▲"}thead th[aria-sort=descending]::after{content:" ▼"}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        table.provenance th{text-align:left;background:none;cursor:auto;font-weight:normal;color:#555}
        table.provenance td{font-family:monospace;font-size:12px;word-break:break-all}
        .note{font-size:13px;color:#444}
        @media print{body{max-width:none;margin:0;padding:0}.noprint{display:none}\
        figure.chart{break-inside:avoid}figure.chart svg{max-height:50vh;width:auto;margin:0 auto}thead th{background:none}h2{break-after:avoid}\
        .table{overflow:visible}table{font-size:9px;width:100%}th,td{padding:2px 4px}\
        thead th,td.text,td.num{white-space:normal;overflow-wrap:anywhere}tr{break-inside:avoid}\
        .how{background:none}a{color:inherit;text-decoration:none}}
        """

    /// Click a header to sort by it (numbers by their `data-sort`, text alphabetically); again to reverse.
    static let script = """
        document.querySelectorAll('table.sortable').forEach(function(table){
        var heads=table.tHead.rows[0].cells;
        Array.prototype.forEach.call(heads,function(th,col){th.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        function key(r){var c=r.cells[col];var v=c.getAttribute('data-sort');return v===null?c.textContent:parseFloat(v);}
        rows.sort(function(a,b){var x=key(a),y=key(b);
        if(typeof x!==typeof y){return typeof x==='number'?-1:1;}
        var d=typeof x==='number'?x-y:x.localeCompare(y);return asc?d:-d;});
        rows.forEach(function(r){body.appendChild(r);});});});});
        """
}
