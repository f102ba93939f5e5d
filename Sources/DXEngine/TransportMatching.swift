import DXScenario
/// Optimal matching of people waiting in the pool (grouped by where they
/// come from) to vacancies (grouped by where they are): the largest number of
/// placements, and among those the largest total similarity.
///
/// Solved exactly as a min-cost max-flow (transport) problem by successive
/// shortest augmenting paths (Bellman–Ford on the residual graph, augmenting
/// by the path's bottleneck): source → origin i (capacity: people waiting) →
/// vacancy j (allowed pairs only; cost 1 − similarity, in millionths) →
/// [capacity group g(j)] → sink (capacity: vacancies; group: places). The
/// graphs are small (origins × vacancy cells), and node order is fixed, so
/// the result is deterministic.
struct TransportProblem {
    /// People waiting per origin.
    var supply: [Int]
    /// Vacancies per destination.
    var demand: [Int]
    /// Similarity of an allowed pair (origin, destination), nil where the move is not allowed.
    var similarity: [[Double?]]
    /// Optional capacity groups over destinations (e.g. retraining programmes' places): group of each destination.
    var group: [Int?] = []
    var groupCapacity: [Int] = []

    init(supply: [Int], demand: [Int], similarity: [[Double?]]) {
        self.supply = supply
        self.demand = demand
        self.similarity = similarity
    }

    /// Flow from each origin to each destination.
    func solve() -> [[Int]] {
        let S = supply.count, D = demand.count, G = groupCapacity.count
        var flow = Array(repeating: Array(repeating: 0, count: D), count: S)
        guard supply.contains(where: { $0 > 0 }), demand.contains(where: { $0 > 0 }) else { return flow }
        var graph = FlowGraph(nodes: 2 + S + D + G)
        let source = 0, sink = 1
        func origin(_ i: Int) -> Int { 2 + i }
        func destination(_ j: Int) -> Int { 2 + S + j }
        var pairEdges: [(i: Int, j: Int, edge: Int)] = []
        for i in 0..<S where supply[i] > 0 { graph.add(source, origin(i), capacity: supply[i], cost: 0) }
        for i in 0..<S where supply[i] > 0 {
            for j in 0..<D where demand[j] > 0 {
                guard let s = similarity[i][j] else { continue }
                let e = graph.add(origin(i), destination(j), capacity: supply[i], cost: Int(((1 - s) * 1_000_000).rounded()))
                pairEdges.append((i, j, e))
            }
        }
        for j in 0..<D where demand[j] > 0 {
            if j < group.count, let g = group[j] {
                graph.add(destination(j), 2 + S + D + g, capacity: demand[j], cost: 0)
            } else {
                graph.add(destination(j), sink, capacity: demand[j], cost: 0)
            }
        }
        for g in 0..<G where groupCapacity[g] > 0 { graph.add(2 + S + D + g, sink, capacity: groupCapacity[g], cost: 0) }
        graph.minCostMaxFlow(from: source, to: sink)
        for (i, j, e) in pairEdges { flow[i][j] = graph.flow(on: e) }
        return flow
    }
}

/// A residual graph for min-cost max-flow with integer capacities and costs.
struct FlowGraph {
    private var head: [Int]
    private var to: [Int] = [], next: [Int] = [], capacity: [Int] = [], cost: [Int] = [], original: [Int] = []

    init(nodes: Int) { head = Array(repeating: -1, count: nodes) }

    /// Adds an edge and its reverse; returns the edge's index.
    @discardableResult
    mutating func add(_ u: Int, _ v: Int, capacity c: Int, cost w: Int) -> Int {
        let e = to.count
        to += [v, u]; capacity += [c, 0]; cost += [w, -w]; original += [c, 0]
        next += [head[u], head[v]]
        head[u] = e
        head[v] = e + 1
        return e
    }

    func flow(on edge: Int) -> Int { original[edge] - capacity[edge] }

    /// Successive shortest paths: each round finds the cheapest augmenting path by Bellman–Ford
    /// (residual costs can be negative) and pushes its bottleneck.
    mutating func minCostMaxFlow(from source: Int, to sink: Int) {
        let n = head.count
        while true {
            var distance = Array(repeating: Int.max, count: n)
            var via = Array(repeating: -1, count: n)
            distance[source] = 0
            var changed = true
            var rounds = 0
            while changed && rounds < n {
                changed = false
                rounds += 1
                for u in 0..<n where distance[u] != Int.max {
                    var e = head[u]
                    while e >= 0 {
                        if capacity[e] > 0, distance[u] + cost[e] < distance[to[e]] {
                            distance[to[e]] = distance[u] + cost[e]
                            via[to[e]] = e
                            changed = true
                        }
                        e = next[e]
                    }
                }
            }
            guard distance[sink] != Int.max else { return }
            var push = Int.max
            var v = sink
            while v != source { let e = via[v]; push = min(push, capacity[e]); v = to[e ^ 1] }
            v = sink
            while v != source { let e = via[v]; capacity[e] -= push; capacity[e ^ 1] += push; v = to[e ^ 1] }
        }
    }
}
