"""dxmap sweep side by side with the EMA Workbench driving the same model in
NumPy: the peer an analyst running thousands of futures would otherwise pick.

Both run a Latin hypercube over Scenarios/closed-form.yaml's two parameters
(every role's pay ×0.9–1.1, the clerks' mean automation share 0.3–0.7) and
keep the same statistics of the same three outputs (mean, sd, p5, p50, p95 of
two services' gross saving and the total NPV): dxmap with
Scenarios/sweeps/peer-benchmark.yaml and `--jobs 2`, the EMA Workbench with
`LHSSampler` and a `MultiprocessingEvaluator` of 2 processes over
Baselines/sweep_numpy.py. Every point's means are checked against the closed
form in both (largest |z| over points and outputs, z = error / standard
error). It prints points per second, the ratio, and peak memory, at 200,000
draws per point and at 2,000 (where fixed costs dominate).

dxmap's time is its whole process (reading the sweep, every point, writing
the SQLite database); the EMA Workbench's is `perform_experiments`, in
process, from starting its pool to the outcomes in memory.

Usage: .build-peers/venv/bin/python Benchmarks/compare_sweep.py DXMAP [--quick]
"""
import csv, json, math, os, resource, subprocess, sys, tempfile, time, warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SWEEP = os.path.join(ROOT, "Scenarios", "sweeps", "peer-benchmark.yaml")
sys.path.insert(0, os.path.join(HERE, "Baselines"))
import sweep_numpy as peer  # noqa: E402

Z_LIMIT = 5.0   # the largest of ~600 |z| of a correct program is below 4 in all but ~2% of runs; 5 is a 3e-4 chance


def sweep_file(directory, draws, points, sampler="inversion"):
    """The bundled sweep with its draws, points and sampler set, and its scenario path made absolute."""
    text = open(SWEEP).read()
    for old, new in [("scenario: ../closed-form.yaml", f"scenario: {os.path.join(ROOT, 'Scenarios', 'closed-form.yaml')}"),
                     ("draws: 200000", f"draws: {draws}\nsampling: {{ sampler: {sampler} }}"), ("points: 200 }", f"points: {points} }}")]:
        assert old in text, f"{SWEEP} no longer has '{old}'"
        text = text.replace(old, new)
    path = os.path.join(directory, f"peer-{draws}-{points}-{sampler}.yaml")
    open(path, "w").write(text)
    return path


def largest_z(rows, draws):
    """rows: (pay, clerk automation, output index, mean, sd) → the largest |mean − closed form| / (sd / √draws)."""
    return max(abs(mean - peer.closed_form(pay, auto)[k]) / (sd / math.sqrt(draws)) for pay, auto, k, mean, sd in rows)


def dxmap_side(dxmap, directory, draws, points, sampler="inversion"):
    path = sweep_file(directory, draws, points, sampler)
    db, out = os.path.join(directory, f"dxmap-{draws}-{sampler}.sqlite"), os.path.join(directory, f"csv-{draws}-{sampler}")
    run = subprocess.run(["/usr/bin/time", "-f", "%e %M", dxmap, "sweep", path, "--db", db, "--jobs", "2"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"dxmap sweep failed:\n{run.stderr}")
    seconds, kb = map(float, run.stderr.strip().splitlines()[-1].split())
    subprocess.run([dxmap, "export", db, "--csv", out], check=True, capture_output=True)
    design = {r["point"]: (float(r["pay"]), float(r["clerk-automation"])) for r in csv.DictReader(open(os.path.join(out, "design.csv")))}
    rows = [(*design[r["point"]], peer.OUTPUTS.index(r["output"]), float(r["mean"]), float(r["sd"]))
            for r in csv.DictReader(open(os.path.join(out, "results.csv")))]
    assert len(design) == points and len(rows) == 3 * points, "every point has its three outputs"
    return seconds, kb / 1024, largest_z(rows, draws)


def ema_run(draws, points):
    """In a process of its own (so its memory is its own): the EMA Workbench's run, printed as JSON."""
    warnings.filterwarnings("ignore")
    from ema_workbench import Constant, Model, MultiprocessingEvaluator, RealParameter, Samplers, ScalarOutcome
    model = Model("closedform", function=peer.model)
    model.uncertainties = [RealParameter("pay", 0.9, 1.1), RealParameter("clerk_automation", 0.3, 0.7)]
    model.constants = [Constant("draws", draws)]
    model.outcomes = [ScalarOutcome(name) for name in peer.OUTCOMES]
    started = time.perf_counter()
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=points, uncertainty_sampling=Samplers.LHS)
    seconds = time.perf_counter() - started
    rows = [(e["pay"], e["clerk_automation"], k, outcomes[f"{key}_mean"][i], outcomes[f"{key}_sd"][i])
            for i, e in experiments.iterrows() for k, key in enumerate(peer.KEYS)]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "points": len(experiments), "z": largest_z(rows, draws), "mb": own + 2 * worker,
                      "main_mb": own, "worker_mb": worker}))


def ema_side(draws, points):
    run = subprocess.run([sys.executable, os.path.abspath(__file__), "--ema", str(draws), str(points)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the EMA Workbench run failed:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["points"] == points
    return result


def main():
    if sys.argv[1] == "--ema":
        ema_run(int(sys.argv[2]), int(sys.argv[3]))
        return
    dxmap, quick = os.path.abspath(sys.argv[1]), "--quick" in sys.argv
    directory = tempfile.mkdtemp(prefix="dxmap-compare-sweep-")
    cases = [(20_000, 40), (2_000, 200)] if quick else [(200_000, 200), (2_000, 2_000)]
    print("sweep: dxmap (--jobs 2) against the EMA Workbench 2.5 driving NumPy (2 processes), Scenarios/sweeps/peer-benchmark.yaml")
    print(f"{'draws':>8} {'points':>7}  {'program':<24} {'seconds':>8} {'points/s':>9} {'peak MB':>8} {'max |z|':>8}")
    ok = True
    for draws, points in cases:
        seconds, mb, z = dxmap_side(dxmap, directory, draws, points)
        direct = dxmap_side(dxmap, directory, draws, points, sampler="gsl-direct")
        ema = ema_side(draws, points)
        for label, s, m, zz in [("dxmap sweep", seconds, mb, z), ("dxmap sweep, gsl-direct", *direct),
                                ("EMA Workbench + NumPy", ema["seconds"], ema["mb"], ema["z"])]:
            print(f"{draws:>8} {points:>7}  {label:<24} {s:>8.2f} {points / s:>9.1f} {m:>8.0f} {zz:>8.2f}")
            ok = ok and zz < Z_LIMIT
        print(f"{'':>17}  dxmap / EMA Workbench points/s: {ema['seconds'] / seconds:.2f}× (gsl-direct "
              f"{ema['seconds'] / direct[0]:.2f}×)   (EMA peak = main {ema['main_mb']:.0f} MB + 2 × largest worker "
              f"{ema['worker_mb']:.0f} MB)")
    print(f"point means agree with the closed form (every |z| < {Z_LIMIT}): " + ("yes" if ok else "NO"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
