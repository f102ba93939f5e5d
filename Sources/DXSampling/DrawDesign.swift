/// How a run's draws are spread over its inputs' uniforms: plain Monte Carlo, or a Latin hypercube or randomised
/// quasi-Monte Carlo design in independent replicates.
///
/// Every input of a draw takes its uniforms in the same order each draw, so the design's coordinate d is always the
/// same input's uniform (the copula's normals included: a design draws them by inversion). The mean's standard error
/// then comes from the spread of the replicates' means — a design's draws are not independent, so sd/√n would
/// overstate it — and the design is fixed by (seed, replicate), so results stay bit-identical for any thread count.
/// See `RandomStream.init(design:seed:replicate:points:)` and the C generator behind it (`dx_design_*` in the GSL shim).
public struct DrawDesign: Sendable, Equatable, Codable {
    /// How a run's draws cover the space of its inputs' uniforms.
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Independent uniforms from the generator: plain Monte Carlo, every release's sampling.
        case plain
        /// A Latin hypercube per replicate: every input's uniform has one draw in each of n equal strata.
        case latinHypercube = "latin-hypercube"
        /// Randomised quasi-Monte Carlo: Owen-scrambled Sobol' points per replicate, in groups of four inputs, padded.
        case sobol
    }

    public var method: Method
    /// Independent replicates (randomisations) of the design; 1 for plain Monte Carlo.
    public var replicates: Int

    /// Replicates of a design unless a run says otherwise: 10, so that the standard error has 9 degrees of freedom.
    public static let defaultReplicates = 10
    /// Plain Monte Carlo: independent draws, every release's sampling.
    public static let plain = DrawDesign(.plain, replicates: 1)

    public init(_ method: Method, replicates: Int = DrawDesign.defaultReplicates) {
        self.method = method
        self.replicates = method == .plain ? 1 : replicates
    }

    /// Why `draws` cannot be run with this design, or nil: a design needs at least 2 replicates, each of at least 2
    /// draws, and the draws a multiple of the replicates.
    public func problem(draws: Int) -> String? {
        guard method != .plain else { return nil }
        if replicates < 2 { return "a \(method.rawValue) design needs at least 2 replicates for its standard errors, found \(replicates)" }
        if draws % replicates != 0 || draws / replicates < 2 {
            return "draws must be a multiple of the replicates (\(replicates)) with at least 2 per replicate, found \(draws)"
        }
        if draws / replicates >= 1 << 32 { return "at most 2^32 - 1 draws per replicate, found \(draws / replicates)" }
        return nil
    }
}
