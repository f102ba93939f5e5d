/// "Did you mean": the known word closest to a mistyped one, for every place dxmap names what it
/// expected (scenario fields and ids, sweep outputs, policies, programmes, subcommands).
///
/// Closeness is the optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of
/// one substring): insertions, deletions, substitutions and transpositions of neighbours each cost 1,
/// so `mena` is one edit from `mean` (not two, a tie with `beta`). Case is ignored, and `_` and `-` are
/// the same letter (`shared_pool` is `shared-pool`).
public enum Suggestion {
    /// The candidate closest to `word` within `maximumDistance` edits (ties: the first listed), or nil.
    public static func closest(to word: String, among candidates: [String], maximumDistance: Int = 2) -> String? {
        let target = normalised(word)
        return candidates.map { ($0, distance(target, normalised($0))) }
            .filter { $0.1 <= min(maximumDistance, max(1, target.count / 2)) }
            .min { $0.1 < $1.1 }?.0
    }

    /// `" (did you mean 'X'?)"` for the closest candidate, or "" when none is close.
    public static func didYouMean(_ word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    static func normalised(_ word: String) -> [Character] { Array(word.lowercased().replacingOccurrences(of: "_", with: "-")) }

    /// Optimal-string-alignment distance between two words.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
