import ArgumentParser
import DXMap
import Foundation

/// Exit statuses (sysexits.h values, all below 128): 64 bad usage (ArgumentParser's own),
/// 65 invalid scenario or sweep file, or data that cannot answer what was asked (EX_DATAERR),
/// 66 unreadable input file, 70 a run that could not be done, 73 output not writable, 74 standard output not
/// writable (EX_IOERR).
enum ExitStatus {
    static let invalidScenario = ExitCode(65)
    static let noInput = ExitCode(66)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)
}

/// Runs `body`, turning dxmap's errors into a message on stderr and the matching exit status.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ScenarioError {
        printError(e.description)
        printError("\(e.issues.count) problem\(e.issues.count == 1 ? "" : "s") found; nothing was run.")
        throw ExitStatus.invalidScenario
    } catch let e as DataError {
        printError(e.description)
        throw ExitStatus.invalidScenario
    } catch let e as ScenarioFileError {
        printError(e.description)
        throw ExitStatus.noInput
    } catch let e as OutputError {
        printError(e.description)
        throw ExitStatus.cannotCreate
    } catch let e as StoreError {
        printError(e.description)
        throw ExitStatus.cannotCreate
    } catch let e as MappingError {
        printError("error: \(e.description)")
        throw ExitStatus.software
    } catch let e as StandardOutputError {
        printError(e.description)
        throw ExitStatus.ioError
    }
}

/// Prints a scenario's warnings (valid, but probably not meant) on stderr, located like errors.
func printWarnings(_ scenario: Scenario) {
    scenario.warnings.forEach { printError($0.description) }
}
