// dxmap's library in one import, as swift-numerics' `Numerics` does: `import DXMap` brings every layer
// (see Package.swift for what each holds and how they depend on each other).
@_exported import DXAnalysis
@_exported import DXEngine
@_exported import DXExperiments
@_exported import DXReport
@_exported import DXSampling
@_exported import DXScenario
@_exported import DXSupport
