import DXSupport

/// The scenario loader's errors, in the categories that decide dxmap's exit status.
extension ScenarioError: DXMapError {
    public var category: ErrorCategory { .invalidInput }
}

extension ScenarioFileError: DXMapError {
    public var category: ErrorCategory { .unreadableInput }
}
