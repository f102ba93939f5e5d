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
    /// By inversion, each task's five inputs in one 200-byte record (``InverseDraw``), read instead of the five cores;
    /// nil for GSL's direct samplers.
    let inputs: UnsafeMutableBufferPointer<TaskInputs>?
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
        let cores = [self.automation, self.realisation, self.implementation, self.running, self.adoption]
        if cores.allSatisfy({ $0.allSatisfy(\.invertsItsUniform) }) {
            let inputs = UnsafeMutableBufferPointer<TaskInputs>.allocate(capacity: count)
            for t in 0..<count {
                let draw = { (column: UnsafeMutableBufferPointer<SamplerCore>) in InverseDraw(UnsafePointer(column.baseAddress! + t)) }
                (inputs.baseAddress! + t).initialize(to: TaskInputs(
                    automation: draw(self.automation), realisation: draw(self.realisation),
                    implementation: draw(self.implementation), running: draw(self.running), adoption: draw(self.adoption)))
            }
            self.inputs = inputs
        } else {
            inputs = nil
        }
    }

    deinit {
        for b in [labour, fte] { Self.free(b) }
        for b in [role, serviceEntity, roleEntity, organisationEntity] { Self.free(b) }
        for b in [automation, realisation, implementation, running, adoption] { Self.free(b) }
        if let inputs { Self.free(inputs) }
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

/// One task's five inputs as inversion draws them, side by side (5 × 40 bytes).
struct TaskInputs {
    let automation, realisation, implementation, running, adoption: InverseDraw
}
