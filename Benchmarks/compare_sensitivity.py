"""dxmap's Sobol indices side by side with SALib's (SALib.sample.sobol and
SALib.analyze.sobol), on reference functions with known indices and on a
dxmap study.

1. Ishigami and Sobol G at 1,024 rows: the plain (unscrambled) design is the
   same sequence in both (SciPy's Sobol with Joe & Kuo's directions, from the
   origin), so the indices must agree to rounding. Scrambled designs (dxmap:
   Owen's nested scrambling; SALib: SciPy's LMS + digital shift) are random:
   their errors are compared as the root-mean-square of the largest error over
   S1 and ST across SEEDS seeds, with its standard error.
2. A linear function, whose ST/true shows the design's balance at 128 and
   1,024 rows.
3. The bundled Italian study at 128 rows: SALib's analyze on dxmap's own
   design and outputs must give dxmap's S1 and ST.
4. Time for a whole study (sample, evaluate, analyze with 1,000 bootstrap
   resamples), in-process on both sides.

Usage: python Benchmarks/compare_sensitivity.py DXMAP SOBOL_REFERENCE [--quick]
Exits non-zero when dxmap is further from the truth than SALib beyond noise,
or when the two disagree on the same design.
"""
import csv, json, math, os, sqlite3, subprocess, sys, tempfile, time, warnings

warnings.filterwarnings("ignore")
import numpy as np
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
A, B = 7.0, 0.1
V = A ** 2 / 8 + B * math.pi ** 4 / 5 + B ** 2 * math.pi ** 8 / 18 + 0.5
V1, V2, V13 = 0.5 * (1 + B * math.pi ** 4 / 5) ** 2, A ** 2 / 8, B ** 2 * math.pi ** 8 * (1 / 18 - 1 / 50)
GA = np.array([78, 12, 0.5, 2, 97, 33.0])
GV = 1 / (3 * (1 + GA) ** 2)
GTOTAL = np.prod(1 + GV) - 1
FUNCTIONS = {
    "ishigami": ({"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3},
                 lambda X: np.sin(X[:, 0]) + A * np.sin(X[:, 1]) ** 2 + B * X[:, 2] ** 4 * np.sin(X[:, 0]),
                 np.array([V1 / V, V2 / V, 0]), np.array([(V1 + V13) / V, V2 / V, V13 / V])),
    "sobol_g": ({"num_vars": 6, "names": [f"x{i}" for i in range(1, 7)], "bounds": [[0, 1]] * 6},
                lambda X: np.prod((np.abs(4 * X - 2) + GA) / (1 + GA), axis=1),
                GV / GTOTAL, np.array([GV[i] * np.prod([1 + GV[j] for j in range(6) if j != i]) / GTOTAL for i in range(6)])),
}


def salib(problem, model, rows, scramble, seed, resamples=2):
    X = salib_sample.sample(problem, rows, calc_second_order=False, scramble=scramble, seed=seed)
    return salib_analyze.analyze(problem, model(X), calc_second_order=False, num_resamples=resamples, seed=1)


def rms(errors):
    e = np.asarray(errors) ** 2
    m = e.mean()
    return math.sqrt(m), e.std(ddof=1) / math.sqrt(len(e)) / (2 * math.sqrt(m))


def main():
    dxmap, reference = sys.argv[1], sys.argv[2]
    seeds = 64 if "--quick" in sys.argv else 400
    ok = True
    dx = json.loads(subprocess.run([reference, str(seeds)], check=True, capture_output=True, text=True).stdout)
    print(f"Sobol indices at 1,024 rows (N(k+2) points), largest |error| over S1 and ST against the closed form")
    print(f"{'function':<9} {'design':<34} {'dxmap':>18} {'SALib 1.6':>18}")
    for name, (problem, model, first, total) in FUNCTIONS.items():
        plain = salib(problem, model, 1024, False, 0)
        salib_plain = max(np.abs(plain["S1"] - first).max(), np.abs(plain["ST"] - total).max())
        same = max(np.abs(plain["S1"] - dx[name]["plain_s1"]).max(), np.abs(plain["ST"] - dx[name]["plain_st"]).max())
        print(f"{name:<9} {'plain (same sequence in both)':<34} {dx[name]['plain_error']:>18.6f} {salib_plain:>18.6f}"
              f"   indices agree to {same:.1e}")
        ok &= same < 1e-9
        d_rms, d_se = rms(dx[name]["scrambled_errors"])
        s_rms, s_se = rms([max(np.abs(r["S1"] - first).max(), np.abs(r["ST"] - total).max())
                           for r in (salib(problem, model, 1024, True, s) for s in range(1, seeds + 1))])
        within = d_rms <= s_rms + 3 * math.hypot(d_se, s_se)
        print(f"{name:<9} {f'scrambled, RMS over {seeds} seeds':<34} {f'{d_rms:.5f} ± {d_se:.5f}':>18} {f'{s_rms:.5f} ± {s_se:.5f}':>18}"
              f"   {'no further than SALib within 3 standard errors' if within else 'FURTHER than SALib beyond noise'}"
              f" (dxmap: Owen scrambling; SALib: LMS + shift)")
        ok &= within
    # The linear function: ST/true shows the design's balance.
    c = np.array([1.0, 2, 3])
    linear = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    print("\nST / true for f = x1 + 2x2 + 3x3 (a design without the origin gave 1.045–1.059 at 128 rows)")
    for rows in [128, 1024]:
        sp = salib(linear, lambda X: X @ c, rows, False, 0)["ST"] / (c ** 2 / 14)
        dp = np.array(dx["linear_st_over_true"][f"plain_{rows}"])
        ds = np.array(dx["linear_st_over_true"][f"scrambled_{rows}"])
        ss = np.array([salib(linear, lambda X: X @ c, rows, True, s)["ST"] / (c ** 2 / 14) for s in range(1, seeds + 1)])
        print(f"  {rows:>5} rows, plain:     dxmap {np.round(dp, 4)}   SALib {np.round(sp, 4)}")
        print(f"  {rows:>5} rows, scrambled: RMS of ST/true − 1 over {seeds} seeds: dxmap {math.sqrt(np.mean((ds - 1) ** 2)):.4f}, "
              f"SALib {math.sqrt(np.mean((ss - 1) ** 2)):.4f}")
    # A dxmap study: SALib's estimators on dxmap's own design and outputs.
    work = tempfile.mkdtemp(prefix="dxmap-sobol-")
    sweep = os.path.join(ROOT, "Scenarios", "sweeps", "sensitivity-italian-pa.yaml")
    subprocess.run([dxmap, "sensitivity", sweep, "--method", "sobol", "--base", "128", "--db", os.path.join(work, "s.sqlite"),
                    "--out", os.path.join(work, "out")], check=True, capture_output=True)
    db = sqlite3.connect(os.path.join(work, "s.sqlite"))
    names = [r[0] for r in db.execute("SELECT name FROM parameters ORDER BY idx")]
    values = {}
    for row in csv.DictReader(open(os.path.join(work, "out", "points.csv"))):
        values.setdefault(row["output"], {})[int(row["point"])] = float(row["value"])
    rows = list(csv.DictReader(open(os.path.join(work, "out", "sensitivity.csv"))))
    problem = {"num_vars": len(names), "names": names, "bounds": [[0, 1]] * len(names)}
    worst = 0.0
    for output, by_point in values.items():
        y = np.array([by_point[p] for p in sorted(by_point)])
        if np.std(y) == 0:
            continue
        r = salib_analyze.analyze(problem, y, calc_second_order=False, num_resamples=2)
        for i, name in enumerate(names):
            for index in ["S1", "ST"]:
                mine = next(float(x["value"]) for x in rows if x["output"] == output and x["parameter"] == name and x["index"] == index)
                worst = max(worst, abs(mine - r[index][i]))
    print(f"\nthe bundled Italian study at 128 rows: SALib's analyze on dxmap's design and outputs gives dxmap's S1 and ST to {worst:.1e}")
    ok &= worst < 1e-9
    # Time for a whole study with 1,000 bootstrap resamples.
    print("\ntime for one study at 1,024 rows (sample, evaluate, analyze with 1,000 bootstrap resamples), in-process:")
    for name, (problem, model, _, _) in FUNCTIONS.items():
        started = time.perf_counter()
        salib(problem, model, 1024, True, 1, resamples=1000)
        s_time = time.perf_counter() - started
        d_time = dx[name]["seconds_with_bootstrap"]
        print(f"  {name:<9} dxmap {1000 * d_time:8.1f} ms   SALib {1000 * s_time:8.1f} ms   dxmap/SALib speed {s_time / d_time:5.2f}×")
    if not ok:
        sys.exit("dxmap's Sobol indices are further from the truth than SALib's, or the two disagree on the same design")


if __name__ == "__main__":
    main()
