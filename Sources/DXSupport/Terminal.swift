import CPOSIX
import Foundation

/// The terminal a command writes to: how wide it is, so that what is redrawn in place (a progress bar) stays on one
/// line, and what is printed fits.
public enum Terminal {
    /// The width of the terminal open as `descriptor`; else `COLUMNS` from the environment (a positive whole
    /// number); else nil.
    public static func columns(of descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        let reported = Int(dx_terminal_columns(descriptor))
        if reported > 0 { return reported }
        return environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
