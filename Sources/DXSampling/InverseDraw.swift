import Foundation

/// One input as sampling by inversion draws it, in 40 bytes: the family reduced to one of five forms, the affine map
/// applied to its standard form, and a pointer to the table it reads.
///
/// A ``SamplerCore`` carries every family's parameters and GSL's state for the direct samplers (96 bytes) and chooses
/// among twelve kinds per draw; by inversion most families are the same computation, `shift + scale · Q̃(u)` of a
/// standard-form table Q̃ (normal, beta, PERT, gamma), its exponential (lognormal), or `shift + scale · u` (uniform,
/// constant). An inner loop that keeps a task's inputs as five of these reads one small record per task and takes one
/// of five branches per input. Every value is the one ``SamplerCore/invert(_:)`` gives for the same uniform, bit for
/// bit: the same table, the same arithmetic, the same exact quantile where the table has none (tests check it).
///
/// `@unchecked Sendable`: the pointers point into immutable tables and cores owned by whoever built the draw (a
/// ``Sampler`` keeps its tables alive; the core must outlive the draw).
@frozen
public struct InverseDraw: @unchecked Sendable {
    @usableFromInline enum Form: UInt8 {
        /// shift + scale · Q̃(u) of the table.
        case affineTable
        /// exp(shift + scale · Q̃(u)) of the table.
        case exponentialTable
        /// shift + scale · u.
        case linear
        /// The discrete distribution's guide table.
        case discrete
        /// The core's own inversion (truncated normals, triangular, tabulated).
        case general
    }

    @usableFromInline let form: Form
    @usableFromInline let shift: Double
    @usableFromInline let scale: Double
    /// An ``InverseTableHeader`` (the table forms) or a ``DiscreteTableHeader``; nil otherwise.
    @usableFromInline let table: UnsafeRawPointer?
    /// The core, for the exact quantile where the table has none, and for the general form.
    @usableFromInline let core: UnsafePointer<SamplerCore>

    /// The draw of the sampler whose core is at `core` (a core by inversion, or of a tabulated distribution, which
    /// inverts whatever the method); valid while that core and its sampler exist.
    public init(_ core: UnsafePointer<SamplerCore>) {
        let c = core.pointee
        precondition(c.invertsItsUniform, "an InverseDraw needs a sampler by inversion")
        self.core = core
        let table = c.inverseTable.map { UnsafeRawPointer($0) }
        switch c.kind {
        case .normal where table != nil: (form, shift, scale, self.table) = (.affineTable, c.p0, c.p1, table)
        case .lognormal where table != nil: (form, shift, scale, self.table) = (.exponentialTable, c.p0, c.p1, table)
        case .beta where table != nil: (form, shift, scale, self.table) = (.affineTable, 0, 1, table)
        case .scaledBeta where table != nil: (form, shift, scale, self.table) = (.affineTable, c.p2, c.p3, table)
        case .gamma where table != nil: (form, shift, scale, self.table) = (.affineTable, 0, c.p1, table)
        case .constant: (form, shift, scale, self.table) = (.linear, c.p0, 0, nil)
        case .uniform: (form, shift, scale, self.table) = (.linear, c.p0, c.p1 - c.p0, nil)
        case .discrete:
            (form, shift, scale, self.table) = (.discrete, 0, 0, c.discreteTable.map { UnsafeRawPointer($0) })
        default: (form, shift, scale, self.table) = (.general, 0, 0, nil)
        }
    }

    /// The variate of uniform `u` ∈ (0, 1): ``SamplerCore/invert(_:)`` of the core, computed from this record. The rare
    /// paths (the exact quantile, the general form) are calls, so that the common ones inline into the caller's loop.
    @inlinable @inline(__always)
    public func value(_ u: Double) -> Double {
        switch form {
        case .affineTable:
            let x = table.unsafelyUnwrapped.assumingMemoryBound(to: InverseTableHeader.self).pointee.lookupOrNaN(u)
            return x.isNaN ? exactQuantile(u) : shift + scale * x
        case .exponentialTable:
            let z = table.unsafelyUnwrapped.assumingMemoryBound(to: InverseTableHeader.self).pointee.lookupOrNaN(u)
            return z.isNaN ? exactQuantile(u) : exp(shift + scale * z)
        case .linear: return shift + scale * u
        case .discrete: return table.unsafelyUnwrapped.assumingMemoryBound(to: DiscreteTableHeader.self).pointee.quantile(u)
        case .general: return generalValue(u)
        }
    }

    @usableFromInline @inline(never) func exactQuantile(_ u: Double) -> Double { core.pointee.quantile(u) }
    @usableFromInline @inline(never) func generalValue(_ u: Double) -> Double { core.pointee.invert(u) }
}
