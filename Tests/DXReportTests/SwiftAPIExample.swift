// The Swift API examples of docs/reference/swift-api.md and of the DocC catalogue's landing page
// (Sources/DXMap/DXMap.docc/DXMap.md), with `import DXMap` alone: if they need anything else, this file does not
// compile. DocumentationTests checks each page shows exactly the code between one pair of markers;
// SwiftAPIExampleTests runs them.
import DXMap

func swiftAPIExample() throws {
    // doc begin
    let path = "Scenarios/county-councils.yaml"
    let scenario = try ScenarioLoader.load(path: path)
    var options = MappingOptions(draws: 20_000, seed: 7)
    options.thresholds = MatrixThresholds(probability: 0.3)
    let result = try MappingEngine.run(scenario, options: options)

    let npv = result.summary(level: .organisation, id: "essex", .npv)!
    print(npv.mean, npv.p5, npv.p95, npv.pLoss, npv.cvar5)

    let matrix = result.matrix(level: .service, view: .riskReturn, risk: .cvar)
    for point in matrix.points { print(point.entity.name, point.quadrant, point.confidence) }
    let record = RunRecord(command: "api", scenarioPath: path, scenarioBytes: try ScenarioLoader.read(path: path),
                           run: result.run, details: .mapping(result, matrix: matrix))
    try MappingOutput(result: result, matrix: matrix, record: record).write(to: "out")
    // doc end
}

func catalogueExample() throws {
    // doc begin
    let scenario = try ScenarioLoader.load(path: "Scenarios/county-councils.yaml")
    let result = try MappingEngine.run(scenario, options: MappingOptions(draws: 20_000, seed: 7))
    let matrix = result.matrix()
    for point in matrix.points { print(point.entity.name, point.quadrant, point.confidence) }
    // doc end
}
