"""Draw designs against plain Monte Carlo on the bundled Italian scenario (Scenarios/italian-pa.yaml): the
standard error of the total NPV's mean and of a service's p95 at equal draws, measured as the spread over
independent seeds (the true error of each estimator, not the run's own estimate), beside the run's own standard
error (the replicates' for a design), and the time each method needs to reach plain Monte Carlo's standard error at
200,000 draws, extrapolated from its error at the measured draws at the rate 1/sqrt(draws) (conservative for Sobol',
whose error falls faster).

Usage: python3 Benchmarks/compare_designs.py DXMAP [--quick]
"""
import csv, json, math, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "Scenarios", "italian-pa.yaml")
SERVICE = "school-administration"   # the service of the Italian scenario whose p95 is reported


def one_run(dxmap, method, draws, seed, directory):
    out = os.path.join(directory, f"{method}-{seed}")
    command = [dxmap, "map", SCENARIO, "--draws", str(draws), "--seed", str(seed), "--threads", "1", "--out", out, "--format", "csv"]
    if method != "plain":
        command += ["--draw-design", method, "--replicates", "10"]
    subprocess.run(command, check=True, capture_output=True)
    run = json.load(open(os.path.join(out, "run.json")))
    rows = [r for r in csv.DictReader(open(os.path.join(out, "summary.csv"))) if r["metric"] == "npv"]
    total = next(r for r in rows if r["level"] == "total")
    service = next(r for r in rows if r["level"] == "service" and r["id"] == SERVICE)
    own = float(total["mean_se"]) if "mean_se" in total else float(total["sd"]) / math.sqrt(draws)
    return float(total["mean"]), own, float(service["p95"]), service["id"], run["wall_time_seconds"], float(total["sd"])


def main():
    dxmap = sys.argv[1]
    quick = "--quick" in sys.argv
    draws, seeds = (4_000, 8) if quick else (20_000, 24)
    print(f"Draw designs on {os.path.basename(SCENARIO)}: {draws:,} draws a run, {seeds} seeds a method, 1 thread")
    rows = {}
    with tempfile.TemporaryDirectory() as directory:
        for method in ["plain", "latin-hypercube", "sobol"]:
            runs = [one_run(dxmap, method, draws, 1000 + s, directory) for s in range(seeds)]
            means, own, p95, ids, seconds, sds = zip(*runs)
            # Plain Monte Carlo's error is sd/sqrt(draws) exactly (independent draws); the spread over a few dozen seeds
            # would only estimate it. A design's error has no formula: its spread over seeds is the measurement.
            se = statistics.mean(own) if method == "plain" else statistics.stdev(means)
            rows[method] = dict(se=se, own=statistics.mean(own), p95=statistics.stdev(p95),
                                seconds=statistics.median(seconds), sd=statistics.mean(sds), service=ids[0])
    plain = rows["plain"]
    target = plain["sd"] / math.sqrt(200_000)            # plain Monte Carlo's standard error at 200,000 draws
    plain_time = plain["seconds"] * 200_000 / draws      # and its time there
    p95_target = plain["p95"] * math.sqrt(draws / 200_000)
    print(f"{'method':<16} {'SE of mean':>12} {'own SE':>12} {'SE of p95':>12} {'s a run':>8} "
          f"{'draws to plain@200k':>20} {'time ratio':>10} {'p95 time ratio':>14}")
    for method, r in rows.items():
        needed = draws * (r["se"] / target) ** 2
        time = r["seconds"] * needed / draws
        needed95 = draws * (r["p95"] / p95_target) ** 2
        time95 = r["seconds"] * needed95 / draws
        print(f"{method:<16} {r['se']:>12.4g} {r['own']:>12.4g} {r['p95']:>12.4g} {r['seconds']:>8.3f} "
              f"{needed:>20,.0f} {plain_time / time:>9.1f}× {plain_time / time95:>13.1f}×")
    print(f"(total NPV mean; p95 of service {rows['plain']['service']}'s NPV; a design's SE is the sd of its means over seeds, plain's "
          "sd/sqrt(draws); 'own SE' is the run's estimate, from the replicates for a design; the p95's SE is its sd over seeds)")


if __name__ == "__main__":
    main()
