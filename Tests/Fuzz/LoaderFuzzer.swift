// A libFuzzer target over dxmap's scenario and sweep loaders: any input must give a scenario, a sweep
// definition, or a located error — never a crash, a hang or unbounded memory. `make fuzz` builds it with
// `-sanitize=fuzzer,address -DFUZZING` (the entry point then runs libFuzzer's driver) and runs it on a corpus
// seeded with the bundled scenarios and sweeps and the malformed cases (Tests/Fuzz/corpus). Built without
// FUZZING (as `make test` builds every target), it replays the files named on its command line instead.
import DXScenario
import Foundation

/// One input through both loaders.
func load(_ bytes: Data) {
    _ = try? ScenarioLoader.parse(bytes, file: "fuzz.yaml")
    _ = try? SweepLoader.definition(path: "fuzz-sweep.yaml", data: bytes)
}

#if FUZZING
/// libFuzzer's driver (`-sanitize=fuzzer` links it): it parses libFuzzer's flags and calls `one` per input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ one: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The entry libFuzzer calls per input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    load(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}

/// SwiftPM links an executable's entry point under the module's name; here it hands over to libFuzzer.
@_cdecl("dxmap_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
@main
struct ReplayCorpus {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            load(bytes)
        }
    }
}
#endif
