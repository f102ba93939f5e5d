@testable import DXEngine
import DXSampling
import XCTest

/// The transport solver against brute force on small random cases.
final class TransportMatchingTests: XCTestCase {
    /// Best (placements, total similarity) by trying every assignment of every person.
    func bruteForce(_ p: TransportProblem) -> (Int, Double) {
        var people: [Int] = []
        for (i, s) in p.supply.enumerated() { people += Array(repeating: i, count: s) }
        var demand = p.demand
        var groupUse = Array(repeating: 0, count: p.groupCapacity.count)
        var best = (0, 0.0)
        func visit(_ k: Int, _ placed: Int, _ total: Double) {
            if k == people.count {
                if placed > best.0 || (placed == best.0 && total > best.1 + 1e-9) { best = (placed, total) }
                return
            }
            visit(k + 1, placed, total)   // this person stays in the pool
            for j in demand.indices where demand[j] > 0 {
                guard let s = p.similarity[people[k]][j] else { continue }
                let g = j < p.group.count ? p.group[j] : nil
                if let g, groupUse[g] >= p.groupCapacity[g] { continue }
                demand[j] -= 1; if let g { groupUse[g] += 1 }
                visit(k + 1, placed + 1, total + s)
                demand[j] += 1; if let g { groupUse[g] -= 1 }
            }
        }
        visit(0, 0, 0)
        return best
    }

    func testOptimalOnSmallRandomCases() {
        for k in 0..<300 as Range<UInt64> {
            var n: UInt64 = 0
            func u() -> Double { n += 1; return KeyedUniform.value(77, k, n) }
            let S = 1 + Int(u() * 3), D = 1 + Int(u() * 3)
            var p = TransportProblem(supply: (0..<S).map { _ in Int(u() * 3) }, demand: (0..<D).map { _ in Int(u() * 3) },
                                     similarity: (0..<S).map { _ in (0..<D).map { _ in u() < 0.3 ? nil : (u() * 1000).rounded() / 1000 } })
            if k % 2 == 1 {
                p.group = (0..<D).map { _ in u() < 0.5 ? 0 : nil }
                p.groupCapacity = [Int(u() * 3)]
            }
            let flow = p.solve()
            // Feasible…
            for i in 0..<S { XCTAssertLessThanOrEqual(flow[i].reduce(0, +), p.supply[i]) }
            for j in 0..<D { XCTAssertLessThanOrEqual((0..<S).reduce(0) { $0 + flow[$1][j] }, p.demand[j]) }
            var placed = 0, total = 0.0
            for i in 0..<S { for j in 0..<D where flow[i][j] > 0 {
                XCTAssertNotNil(p.similarity[i][j], "flow on a forbidden pair")
                placed += flow[i][j]; total += Double(flow[i][j]) * (p.similarity[i][j] ?? 0)
            } }
            if !p.groupCapacity.isEmpty {
                let used = (0..<D).filter { p.group[$0] == 0 }.reduce(0) { acc, j in acc + (0..<S).reduce(0) { $0 + flow[$1][j] } }
                XCTAssertLessThanOrEqual(used, p.groupCapacity[0])
            }
            // …and optimal: as many placements as possible, then the largest total similarity.
            let best = bruteForce(p)
            XCTAssertEqual(placed, best.0, "case \(k)")
            XCTAssertEqual(total, best.1, accuracy: 1e-5, "case \(k)")
        }
    }
}
