import ArgumentParser
import DXScenario
@testable import dxmap
import DXTestSupport
import Foundation
import XCTest
import Yams

/// The manual (README.md, docs/ and the DocC catalogue's pages) is tested like code. Every fenced block runs, parses or compiles, or says
/// why not; every relative link and anchor resolves; the CLI reference names every flag of every command; the
/// module graph in Package.swift's comment, docs/architecture.md and the imports agree.
///
/// How a block is checked follows from what it is, unless an HTML comment on the line above the fence says so
/// (`<!-- doc-test: … -->`, invisible on the rendered page):
/// - `yaml` starting `dxmap: 1` loads as a scenario; starting `dxmap-sweep: 1`, as a sweep in Scenarios/sweeps/;
///   a fragment needs `merge into PATH`: merged into that bundled scenario (mappings key by key, lists of
///   items with an `id` item by item) and loaded.
/// - `sh`: each `dxmap …` line parses as the CLI would parse it, with its files present; each `make T`
///   names a Makefile target.
/// - A transcript (lines starting `$ `) runs its commands in a scratch directory beside the bundled scenarios
///   and shows, in order, lines the last one prints (`…` skips; wall time and thread counts may differ).
///   `output of COMMAND[, in DIR]` does the same for a block of output alone; `parse only, WHY` parses a
///   transcript's commands without running them.
/// - A synopsis (lines starting `dxmap `) names only flags the command has.
/// - `compiled by PATH`: the block is that Swift file's code between `// doc begin` and `// doc end`, with
///   the block's imports in the file; the file's test runs it. `run by PATH`: a test file that reads the
///   block from this document and runs it (the Python example).
/// - `not run, WHY`: a drawing or a fragment no test can run; the reason is required.
final class DocumentationTests: CLITestCase {
    struct Block {
        let file: String
        let line: Int
        let language: String
        let lines: [String]
        let marker: String?
        var place: String { "\(file):\(line)" }
        var text: String { lines.map { $0 + "\n" }.joined() }
    }

    static let documents: [String] = {
        let docs = FileManager.default.enumerator(atPath: packageRoot.appendingPathComponent("docs").path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.map { "docs/" + $0 } ?? []
        let catalogues = FileManager.default.enumerator(atPath: packageRoot.appendingPathComponent("Sources").path)?
            .compactMap { $0 as? String }.filter { $0.contains(".docc/") && $0.hasSuffix(".md") }.map { "Sources/" + $0 } ?? []
        return ["README.md"] + docs.sorted() + catalogues.sorted()
    }()

    static func text(_ file: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
    }

    static func blocks(in file: String) throws -> [Block] {
        let lines = try text(file).components(separatedBy: "\n")
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("```") else { index += 1; continue }
            let start = index
            let language = String(lines[index].dropFirst(3)).trimmingCharacters(in: .whitespaces)
            index += 1
            var body: [String] = []
            while index < lines.count && !lines[index].hasPrefix("```") { body.append(lines[index]); index += 1 }
            index += 1
            let above = start > 0 ? lines[start - 1].trimmingCharacters(in: .whitespaces) : ""
            let marker = above.hasPrefix("<!-- doc-test:") && above.hasSuffix("-->")
                ? String(above.dropFirst("<!-- doc-test:".count).dropLast(3)).trimmingCharacters(in: .whitespaces) : nil
            blocks.append(Block(file: file, line: start + 1, language: language, lines: body, marker: marker))
        }
        return blocks
    }

    // MARK: Code blocks

    func testEveryCodeBlockInTheManualRunsOrIsChecked() throws {
        var checked = 0
        for file in Self.documents {
            for block in try Self.blocks(in: file) {
                try check(block)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 25, "the manual's blocks were found")
    }

    func check(_ block: Block) throws {
        let first = block.lines.first { !$0.isEmpty } ?? ""
        if let marker = block.marker {
            let (verb, rest) = Self.split(marker)
            switch verb {
            case "not run": XCTAssertFalse(rest.isEmpty, "\(block.place): say why the block is not run")
            case "parse only":
                XCTAssertFalse(rest.isEmpty, "\(block.place): say why the commands are not run")
                for command in Self.transcriptCommands(block) { try checkParses(command, block) }
            case "merge into": try checkFragment(block, base: rest)
            case "output of":
                let parts = rest.components(separatedBy: ", in ")
                try checkTranscript(commands: [parts[0]], shown: block.lines, block, directory: parts.count > 1 ? parts[1] : nil)
            case "compiled by": try checkCompiled(block, by: rest)
            case "run by":
                let test = try Self.text(rest)
                XCTAssert(test.contains(block.file.components(separatedBy: "/").last!), "\(block.place): \(rest) does not read \(block.file)")
            default: XCTFail("\(block.place): unknown doc-test marker '\(marker)'")
            }
            return
        }
        switch block.language {
        case "yaml" where first.hasPrefix("dxmap: 1"):
            XCTAssertNoThrow(try ScenarioLoader.parse(block.text, file: block.place), block.place)
        case "yaml" where first.hasPrefix("dxmap-sweep: 1"):
            XCTAssertNoThrow(try SweepLoader.load(path: packageRoot.appendingPathComponent("Scenarios/sweeps/doc.yaml").path,
                                                  data: Data(block.text.utf8)), block.place)
        case "sh":
            for line in block.lines.map(Self.withoutComment) where !line.isEmpty {
                if line.hasPrefix("make ") {
                    let target = line.split(separator: " ")[1]
                    XCTAssert(try Self.text("Makefile").contains("\n\(target):"), "\(block.place): no make target \(target)")
                } else {
                    try checkParses(line, block)
                }
            }
        case "" where first.hasPrefix("$ "):
            try checkTranscript(commands: Self.transcriptCommands(block), shown: block.lines.filter { !$0.hasPrefix("$ ") }, block)
        case "" where first.hasPrefix("dxmap "):
            try checkSynopsis(block)
        default:
            XCTFail("\(block.place): no test checks this block; run it or mark it (<!-- doc-test: … -->, see DocumentationTests)")
        }
    }

    static func split(_ marker: String) -> (String, String) {
        for verb in ["not run", "parse only", "merge into", "output of", "compiled by", "run by"] where marker.hasPrefix(verb) {
            return (verb, String(marker.dropFirst(verb.count)).trimmingCharacters(in: CharacterSet(charactersIn: " ,")))
        }
        return (marker, "")
    }

    static func withoutComment(_ line: String) -> String {
        (line.range(of: " #").map { String(line[..<$0.lowerBound]) } ?? line).trimmingCharacters(in: .whitespaces)
    }

    static func transcriptCommands(_ block: Block) -> [String] {
        block.lines.filter { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) }
    }

    /// Words of a command line as a shell splits them (the manual quotes with "…" or '…', no escapes).
    static func words(_ line: String) -> [String] {
        var words: [String] = [], word = "", quote: Character?, started = false
        for character in line {
            if (character == "\"" || character == "'") && (quote == nil || quote == character) {
                quote = quote == nil ? character : nil
                started = true
            } else if character == " " && quote == nil {
                if started { words.append(word) }
                word = ""; started = false
            } else { word.append(character); started = true }
        }
        if started { words.append(word) }
        return words
    }

    func checkParses(_ line: String, _ block: Block) throws {
        let words = Self.words(line)
        guard words.first == "dxmap" else { return XCTFail("\(block.place): '\(line)' is not a dxmap command") }
        do {
            _ = try DXMapCommand.parseAsRoot(Array(words.dropFirst()))
        } catch {
            XCTFail("\(block.place): '\(line)' does not parse: \(DXMapCommand.message(for: error))")
        }
        for word in words where word.hasPrefix("Scenarios/") {
            XCTAssert(FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(word).path), "\(block.place): no file \(word)")
        }
    }

    /// Runs `commands` in a scratch directory that sees the bundled scenarios (or in `directory`), then looks for
    /// every shown line, in order, in what the last printed.
    func checkTranscript(commands: [String], shown: [String], _ block: Block, directory: String? = nil) throws {
        let scratch = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: scratch.path("Scenarios"),
                                                   withDestinationPath: packageRoot.appendingPathComponent("Scenarios").path)
        let place = directory.map { packageRoot.appendingPathComponent($0) } ?? scratch.url
        var printed = ""
        for command in commands {
            let words = Self.words(command)
            XCTAssertEqual(words.first, "dxmap", block.place)
            let outcome = try run(Self.binary.path, Array(words.dropFirst()), unset: ["COLUMNS"], directory: place)
            printed = outcome.stdout + outcome.stderr
        }
        let lines = printed.components(separatedBy: "\n").map(Self.normalised)
        var next = 0
        for line in shown.map(Self.normalised) where !line.isEmpty && line != "…" {
            guard let found = lines[next...].firstIndex(of: line) else {
                return XCTFail("\(block.place): '\(commands.last!)' no longer prints\n\(line)\nafter line \(next) of what it prints:\n\(printed)")
            }
            next = found + 1
        }
    }

    /// Wall times and thread counts depend on the machine; the rest of a line does not.
    static func normalised(_ line: String) -> String {
        var text = line.trimmingCharacters(in: .whitespaces)
        text = text.replacingOccurrences(of: #"\b[0-9]+(\.[0-9]+)? s\b"#, with: "T s", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\b[0-9]+ threads?\b"#, with: "N threads", options: .regularExpression)
        return text
    }

    func checkSynopsis(_ block: Block) throws {
        var commands: [[String]] = []
        for line in block.lines.map(Self.withoutComment) where !line.isEmpty {
            if line.hasPrefix("dxmap ") { commands.append([line]) } else { commands[commands.count - 1].append(line) }
        }
        for lines in commands {
            let words = lines.joined(separator: " ").split(separator: " ").map(String.init)
            guard words.count > 1, let command = Self.subcommand(words[1]) else {
                if words.count > 1 && words[1].hasPrefix("--") { continue }   // dxmap --help | --version
                XCTFail("\(block.place): no command '\(words.dropFirst().first ?? "")'"); continue
            }
            let flags = Self.flags(of: command)
            for flag in Self.flags(in: lines.joined(separator: " ")) {
                XCTAssert(flags.contains(flag), "\(block.place): dxmap \(words[1]) has no \(flag)")
            }
        }
    }

    static func subcommand(_ name: String) -> ParsableCommand.Type? {
        DXMapCommand.configuration.subcommands.first { $0.configuration.commandName == name }
    }

    static func flags(of command: ParsableCommand.Type) -> Set<String> {
        flags(in: DXMapCommand.helpMessage(for: command, columns: 200)).union(["--help"])
    }

    static func flags(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"(?<![\w-])--[a-z][a-z0-9-]*"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) })
    }

    /// A YAML fragment merged into a bundled scenario: mappings key by key, lists whose items all have an `id`
    /// item by item (a new id is added), anything else replaced.
    func checkFragment(_ block: Block, base: String) throws {
        let scenario = try XCTUnwrap(try Yams.load(yaml: Self.text(base)), base)
        let fragment = try XCTUnwrap(try Yams.load(yaml: block.text), block.place)
        let merged = try Yams.dump(object: Self.merged(scenario, fragment))
        do {
            _ = try ScenarioLoader.parse(merged, file: "\(block.place) in \(base)")
        } catch {
            XCTFail("\(block.place): merged into \(base), does not load: \(error)")
        }
    }

    static func merged(_ base: Any, _ patch: Any) -> Any {
        if let base = mapping(base), let patch = mapping(patch) {
            return base.merging(patch) { merged($0, $1) }
        }
        if let base = base as? [Any], let patch = patch as? [Any], !patch.isEmpty, patch.allSatisfy({ identity($0) != nil }) {
            var result = base
            for item in patch {
                if let index = result.firstIndex(where: { identity($0) == identity(item) }) {
                    result[index] = merged(result[index], item)
                } else {
                    result.append(item)
                }
            }
            return result
        }
        return patch
    }

    static func mapping(_ value: Any) -> [String: Any]? {
        (value as? [AnyHashable: Any]).map { Dictionary(uniqueKeysWithValues: $0.map { ("\($0.key)", $0.value) }) }
    }

    static func identity(_ value: Any) -> String? {
        mapping(value)?["id"].map { "\($0)" }
    }

    func checkCompiled(_ block: Block, by path: String) throws {
        let source = try Self.text(path)
        let regions = source.components(separatedBy: "// doc begin\n").dropFirst().map { part in
            part.components(separatedBy: "// doc end")[0].components(separatedBy: "\n").dropLast()
                .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : $0 }
        }
        XCTAssertFalse(regions.isEmpty, "\(path): mark the code the manual shows with // doc begin and // doc end")
        let imports = block.lines.prefix { $0.hasPrefix("import ") || $0.isEmpty }
        for line in imports where !line.isEmpty {
            XCTAssert(source.contains("\n\(line)\n"), "\(block.place): \(path) has no \(line)")
        }
        XCTAssert(regions.contains(Array(block.lines.dropFirst(imports.count))),
                  "\(block.place): the block should read as one of \(path)'s regions between // doc begin and // doc end")
    }

    // MARK: Pictures

    /// Every picture the manual shows is what dxmap draws now: a `<!-- doc-test: drawn by COMMAND, FILE -->` line
    /// above an image names the command that writes it (run with `--out`) and the file, byte for byte. A picture
    /// without one, or one that points at nothing, fails.
    func testEveryPictureIsWhatDxmapDrawsNow() throws {
        var pictures = 0
        for file in Self.documents {
            let lines = Self.withoutCodeBlocks(try Self.text(file)).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("![") {
                pictures += 1
                let image = String(line[line.range(of: "](")!.upperBound...].dropLast())
                let marker = i > 0 ? lines[i - 1] : ""
                guard marker.hasPrefix("<!-- doc-test: drawn by "), marker.hasSuffix(" -->") else {
                    XCTFail("\(file): say which command draws \(image) (<!-- doc-test: drawn by COMMAND, FILE -->)"); continue
                }
                let what = marker.dropFirst("<!-- doc-test: drawn by ".count).dropLast(4).components(separatedBy: ", ")
                let scratch = TemporaryDirectory()
                let words = Self.words(what[0])
                let outcome = try run(Self.binary.path, Array(words.dropFirst()) + ["--out", scratch.path("out")])
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                let directory = URL(fileURLWithPath: file).deletingLastPathComponent().relativePath
                let shown = try Data(contentsOf: packageRoot.appendingPathComponent(directory == "." ? image : directory + "/" + image))
                let drawn = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/\(what[1])")))
                XCTAssert(shown == drawn, "\(file): \(image) is not what '\(what[0])' draws now; copy its \(what[1]) over it")
            }
        }
        XCTAssertGreaterThan(pictures, 0, "the README shows a picture")
    }

    // MARK: Links

    /// Every relative link points at a file that exists, and every #anchor at one of its headings.
    func testEveryLinkInTheManualResolves() throws {
        let regex = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        var links = 0
        for file in Self.documents {
            let text = try Self.text(file)
            let outside = Self.withoutCodeBlocks(text)
            for match in regex.matches(in: outside, range: NSRange(outside.startIndex..., in: outside)) {
                let target = String(outside[Range(match.range(at: 1), in: outside)!])
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                links += 1
                let parts = target.components(separatedBy: "#")
                let directory = URL(fileURLWithPath: file).deletingLastPathComponent().relativePath
                let path = parts[0].isEmpty ? file
                    : URL(fileURLWithPath: directory == "." ? parts[0] : directory + "/" + parts[0]).standardized.relativePath
                let url = packageRoot.appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    XCTFail("\(file): the link \(target) points at \(path), which does not exist"); continue
                }
                if parts.count > 1 {
                    let anchors = Self.anchors(in: try Self.text(path))
                    XCTAssert(anchors.contains(parts[1]), "\(file): \(path) has no heading #\(parts[1]) (it has \(anchors.sorted()))")
                }
            }
        }
        XCTAssertGreaterThan(links, 20)
    }

    static func withoutCodeBlocks(_ text: String) -> String {
        var inside = false
        return text.components(separatedBy: "\n").filter { line in
            if line.hasPrefix("```") { inside.toggle(); return false }
            return !inside
        }.joined(separator: "\n")
    }

    /// GitHub's anchors: the heading lower-cased, punctuation but hyphens dropped, spaces as hyphens.
    static func anchors(in text: String) -> Set<String> {
        Set(withoutCodeBlocks(text).components(separatedBy: "\n").filter { $0.hasPrefix("#") }.map { heading in
            let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            return String(title.compactMap { character -> Character? in
                if character == " " { return "-" }
                return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
            })
        })
    }

    // MARK: The CLI reference and the module graph

    /// docs/reference/cli.md names every command and every flag each has.
    func testTheCLIReferenceNamesEveryFlag() throws {
        let reference = try Self.text("docs/reference/cli.md")
        for command in DXMapCommand.configuration.subcommands {
            let name = try XCTUnwrap(command.configuration.commandName)
            XCTAssert(reference.contains("dxmap \(name)"), "cli.md does not show dxmap \(name)")
            for flag in Self.flags(of: command).subtracting(["--help", "--version"]) {
                XCTAssert(reference.contains("`\(flag)") || reference.contains("[\(flag)") || reference.contains("(\(flag)")
                              || reference.contains(" \(flag) ") || reference.contains(" \(flag)]"),
                          "cli.md does not describe dxmap \(name) \(flag)")
            }
        }
    }

    /// Package.swift's declared dependencies, the graph its comment draws, docs/architecture.md and every
    /// `import` in Sources say the same.
    func testTheModuleGraphAgreesEverywhere() throws {
        let manifest = try Self.text("Package.swift")
        let declared = Self.declaredDependencies(manifest)
        XCTAssertGreaterThan(declared.count, 8, "targets were read from Package.swift")
        let architecture = try Self.text("docs/architecture.md")
        let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "XCTest"]
        for (module, dependencies) in declared where module != "dxmap-fuzz" && !module.hasPrefix("C") {
            let folder = packageRoot.appendingPathComponent("Sources/\(module)")
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            XCTAssert(architecture.contains("\n\(module == "dxmap" ? "dxmap (CLI)" : module) "), "docs/architecture.md has no line for \(module)")
            var imported: Set<String> = []
            for file in FileManager.default.enumerator(atPath: folder.path)!.compactMap({ $0 as? String }) where file.hasSuffix(".swift") {
                let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in source.components(separatedBy: "\n") {
                    let words = line.split(separator: " ").map(String.init)
                    guard let index = words.firstIndex(of: "import"), index <= 1 else { continue }
                    guard index == 0 || words[0].hasPrefix("@") else { continue }
                    let name = words[index + 1].components(separatedBy: ".")[0]
                    if system.contains(name) { continue }
                    imported.insert(name)
                    XCTAssert(dependencies.contains(name), "Sources/\(module)/\(file) imports \(name), which Package.swift does not give \(module)")
                }
            }
            XCTAssertEqual(imported, dependencies, "\(module): Package.swift declares what its sources import, no more")
            let drawn = Self.drawnDependencies(manifest)[module]
            if module != "dxmap" && module != "DXMap" {
                XCTAssertEqual(drawn, dependencies, "Package.swift's comment draws \(module)'s arrows as declared")
            }
        }
        for (library, owner) in [("CGSL", "DXSampling"), ("CSQLite", "DXExperiments"), ("CPOSIX", "DXSupport")] {
            XCTAssertEqual(declared.filter { $0.value.contains(library) && !$0.key.hasSuffix("Tests") && $0.key != "DXTestSupport" }.map(\.key), [owner],
                           "only \(owner) imports \(library)")
        }
    }

    /// `.target(name: "X", dependencies: ["A", .product(name: "B", …)])` → X: {A, B}.
    static func declaredDependencies(_ manifest: String) -> [String: Set<String>] {
        let targets = try! NSRegularExpression(pattern: #"\.(?:target|executableTarget)\(\s*name:\s*"([^"]+)",\s*dependencies:\s*\[(.*?)\]\s*[,)]"#,
                                               options: .dotMatchesLineSeparators)
        let names = try! NSRegularExpression(pattern: #"(?:^|,)\s*"([^"]+)"|\.product\(name:\s*"([^"]+)""#)
        var result: [String: Set<String>] = [:]
        for match in targets.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
            let name = String(manifest[Range(match.range(at: 1), in: manifest)!])
            let list = String(manifest[Range(match.range(at: 2), in: manifest)!])
            result[name] = Set(names.matches(in: list, range: NSRange(list.startIndex..., in: list)).map { found in
                let group = found.range(at: 1).location != NSNotFound ? 1 : 2
                return String(list[Range(found.range(at: group), in: list)!])
            })
        }
        return result
    }

    /// The comment's `//   Module ─► A, B, C   description` lines.
    static func drawnDependencies(_ manifest: String) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for line in manifest.components(separatedBy: "\n") where line.hasPrefix("//   ") && line.contains("─►") {
            let sides = line.dropFirst(2).components(separatedBy: "─►")
            let module = sides[0].trimmingCharacters(in: .whitespaces)
            let list = sides[1].components(separatedBy: "   ")[0]
            result[module] = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return result
    }
}
