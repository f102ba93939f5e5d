import DXAnalysis
import XCTest

/// Regret and satisficing against hand-enumerated futures; Spearman's ρ against SciPy and closed forms.
final class RobustnessTests: XCTestCase {
    /// Three options in three futures, every regret enumerated by hand.
    func testRegretAndSatisficingEnumerated() {
        let values: [[Double]] = [[3, 1, 2], [1, 3, 2], [2, 2, 2]]
        let up = Robustness.score(options: ["a", "b", "c"], values: values, higherIsBetter: true, threshold: 2)
        // Regrets (best − own): a 0, 2, 0; b 2, 0, 0; c 1, 1, 0.
        XCTAssertEqual(up.map(\.meanRegret), [2.0 / 3, 2.0 / 3, 2.0 / 3])
        XCTAssertEqual(up.map(\.maxRegret), [2, 2, 1])
        XCTAssertEqual(up.map(\.p90Regret), [0, 0, 1], "rank ⌊0.9·2⌋ = 1 of the sorted regrets")
        XCTAssertEqual(up.map(\.shareBest), [2.0 / 3, 2.0 / 3, 1.0 / 3])
        XCTAssertEqual(up.map(\.satisficing), [2.0 / 3, 2.0 / 3, 1], "≥ 2: a in futures 1 and 3, b in 2 and 3, c in all")
        XCTAssertEqual(up.map(\.meanValue), [2, 2, 2])
        // Lower is better: regret is own − best; the threshold is met at or below it.
        let down = Robustness.score(options: ["a", "b", "c"], values: values, higherIsBetter: false, threshold: 1)
        // Regrets (own − min): a 2, 0, 0; b 0, 2, 0; c 1, 1, 0.
        XCTAssertEqual(down.map(\.maxRegret), [2, 2, 1])
        XCTAssertEqual(down.map(\.satisficing), [1.0 / 3, 1.0 / 3, 0])
        XCTAssertNil(Robustness.score(options: ["a"], values: [[1]], higherIsBetter: true).first?.satisficing, "no threshold, no share")
        // The threshold's side is its own: at most 2, with higher still better for regret.
        let side = Robustness.score(options: ["a", "b", "c"], values: values, higherIsBetter: true, threshold: 2, atLeast: false)
        XCTAssertEqual(side.map(\.satisficing), [2.0 / 3, 2.0 / 3, 1])
        XCTAssertEqual(side.map(\.meanRegret), up.map(\.meanRegret))
    }

    /// A future where an option has no value (a failed point) is left out for every option.
    func testFuturesWithoutEveryValueAreLeftOut() {
        let s = Robustness.score(options: ["a", "b"], values: [[1, 2], [.nan, 5], [4, 3]], higherIsBetter: true)
        XCTAssertEqual(s.map(\.futures), [2, 2])
        XCTAssertEqual(s.map(\.meanRegret), [0.5, 0.5])
        XCTAssert(Robustness.score(options: ["a", "b"], values: [[.nan, 1]], higherIsBetter: true).isEmpty)
    }

    /// ρ as `scipy.stats.spearmanr` computes it (SciPy 1.17.1), with and without ties; ±1 for monotone data.
    func testSpearmanAgainstSciPy() throws {
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 6])), 0.8696565534786727, accuracy: 1e-14)
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([0.3, 0.1, 0.1, 0.7, 0.5, 0.5], [10, 20, 15, 5, 7, 9])),
                       -0.9710083124552246, accuracy: 1e-14)
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, 2, 3, 4], [1, 8, 27, 64])), 1, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1])), -1, accuracy: 1e-15)
        XCTAssertNil(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]), "a constant has no ranking")
        XCTAssertNil(RankCorrelation.spearman([1, 2], [1, 2]), "fewer than three pairs")
        XCTAssertEqual(RankCorrelation.ranks([5, 1, 5, 3]), [3.5, 1, 3.5, 2])
        // Non-finite pairs are dropped, not ranked.
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, .nan, 2, 3], [1, 5, 2, 3])), 1, accuracy: 1e-15)
    }
}
