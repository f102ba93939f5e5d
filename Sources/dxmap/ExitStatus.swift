import ArgumentParser
import DXScenario
import DXSupport
import Foundation

/// Exit statuses: sysexits.h values, all below 128, one per ``ErrorCategory`` (docs/reference/cli.md, "Exit status").
/// ArgumentParser's own usage errors (a malformed flag) exit 64 too.
enum ExitStatus {
    static func code(_ category: ErrorCategory) -> ExitCode {
        switch category {
        case .usage: ExitCode(64)            // EX_USAGE: an impossible setting, an unknown name
        case .invalidInput: ExitCode(65)     // EX_DATAERR: an invalid file, or data that cannot answer
        case .unreadableInput: ExitCode(66)  // EX_NOINPUT: an input file cannot be read
        case .unavailable: ExitCode(69)      // EX_UNAVAILABLE: sbatch missing or refusing
        case .runFailure: ExitCode(70)       // EX_SOFTWARE: a run that could not be done
        case .cannotWrite: ExitCode(73)      // EX_CANTCREAT: a database or output file cannot be written or trusted
        case .standardOutput: ExitCode(74)   // EX_IOERR: standard output cannot take the results
        }
    }
}

/// Runs `body`, turning dxmap's errors into their diagnostic on stderr and their category's exit status.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as DXMapError {
        printError(e.description)
        if let e = e as? ScenarioError {
            printError("\(e.issues.count) problem\(e.issues.count == 1 ? "" : "s") found; nothing was run.")
        }
        throw ExitStatus.code(e.category)
    }
}

/// Prints a scenario's warnings (valid, but probably not meant) on stderr, located like errors.
func printWarnings(_ scenario: Scenario) {
    scenario.warnings.forEach { printError($0.description) }
}

/// A sweep's warnings: its base scenario's, then its own (a path with `[*]` that reaches only some elements).
func printWarnings(_ plan: SweepPlan) {
    printWarnings(plan.base)
    plan.warnings.forEach { printError($0.description) }
}
