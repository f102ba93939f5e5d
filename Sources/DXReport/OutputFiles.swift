import Foundation

/// Writes a run's files into a directory, each whole: written to a temporary
/// name and renamed into place, so a failure part-way never leaves a
/// truncated file or clobbers a previous run's file with half of a new one.
enum OutputFiles {
    static func write(_ files: [(name: String, text: String)], to directory: String) throws -> [String] {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: directory, reason: "cannot create the output directory: \(error.localizedDescription)")
        }
        return try files.map { name, text in
            let target = dir.appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: target, options: .atomic)
            } catch {
                throw OutputError(path: target.path, reason: error.localizedDescription)
            }
            return target.path
        }
    }
}
