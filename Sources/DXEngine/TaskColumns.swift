import DXSampling

/// The per-task inputs of the inner loop, as columns in memory this object
/// owns. The kernel reads them through buffer pointers, and reads samplers
/// as their trivially copyable ``SamplerCore``: reading a ``Sampler`` out
/// of a Swift array copies it and retains what it holds, which profiling
/// showed as 10% of a run's instructions.
///
/// `@unchecked Sendable`: written once in `init`, read-only afterwards.
final class TaskColumns: @unchecked Sendable {
    let count: Int
    let labour: UnsafeMutableBufferPointer<Double>
    let fte: UnsafeMutableBufferPointer<Double>
    /// Index of the task's role in the scenario's roles.
    let role: UnsafeMutableBufferPointer<Int>
    /// Entity indices of the task's service, role and organisation.
    let serviceEntity: UnsafeMutableBufferPointer<Int>
    let roleEntity: UnsafeMutableBufferPointer<Int>
    let organisationEntity: UnsafeMutableBufferPointer<Int>
    let automation: UnsafeMutableBufferPointer<SamplerCore>
    let realisation: UnsafeMutableBufferPointer<SamplerCore>
    let implementation: UnsafeMutableBufferPointer<SamplerCore>
    let running: UnsafeMutableBufferPointer<SamplerCore>
    let adoption: UnsafeMutableBufferPointer<SamplerCore>
    /// The samplers themselves: they own what the cores point at, and carry the distributions.
    let samplers: (automation: [Sampler], realisation: [Sampler], implementation: [Sampler], running: [Sampler], adoption: [Sampler])

    init(labour: [Double], fte: [Double], role: [Int], serviceEntity: [Int], roleEntity: [Int], organisationEntity: [Int],
         automation: [Sampler], realisation: [Sampler], implementation: [Sampler], running: [Sampler], adoption: [Sampler]) {
        count = labour.count
        self.labour = Self.own(labour)
        self.fte = Self.own(fte)
        self.role = Self.own(role)
        self.serviceEntity = Self.own(serviceEntity)
        self.roleEntity = Self.own(roleEntity)
        self.organisationEntity = Self.own(organisationEntity)
        self.automation = Self.own(automation.map(\.core))
        self.realisation = Self.own(realisation.map(\.core))
        self.implementation = Self.own(implementation.map(\.core))
        self.running = Self.own(running.map(\.core))
        self.adoption = Self.own(adoption.map(\.core))
        samplers = (automation, realisation, implementation, running, adoption)
    }

    deinit {
        for b in [labour, fte] { Self.free(b) }
        for b in [role, serviceEntity, roleEntity, organisationEntity] { Self.free(b) }
        for b in [automation, realisation, implementation, running, adoption] { Self.free(b) }
    }

    private static func own<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
        return buffer
    }

    private static func free<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        buffer.deinitialize()
        buffer.deallocate()
    }
}
