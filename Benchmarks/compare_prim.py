"""dxmap discover side by side with the EMA Workbench's PRIM, on the bundled
discovery sweep (Scenarios/sweeps/discover-redeployment.yaml): the same
exported design and results, the same threshold, alphas and minimum mass.

EMA Workbench leaves the choice of a box on the peeling trajectory to the
analyst (`inspect`, `select`); dxmap chooses the densest box whose coverage is
at least 0.5, pastes it, and drops limits that exclude nothing. This script
makes the same choice on EMA's own trajectory and pastes with EMA's own
pasting (its `_peel` and `_paste`, called on a box holding the chosen limits),
then drops idle limits with EMA's `_in_box`. It prints both trajectories and
both boxes, and fails unless the trajectories agree step by step and the two
boxes hold the same points.

Usage: python Benchmarks/compare_prim.py DXMAP [WORKDIR]
"""
import csv, os, subprocess, sys, tempfile, time, warnings

warnings.filterwarnings("ignore")
import numpy as np
import pandas as pd
from ema_workbench.analysis import prim as ema_prim
from ema_workbench.analysis import scenario_discovery_util as sdutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWEEP = os.path.join(ROOT, "Scenarios", "sweeps", "discover-redeployment.yaml")
OUTPUT, THRESHOLD, MIN_COVERAGE = "redeploy.shared-pool.redundant", 250.0, 0.5


def run(*args):
    subprocess.run(list(args), check=True, capture_output=True, text=True)


def dxmap_side(dxmap, work):
    db = os.path.join(work, "discover.sqlite")
    if not os.path.exists(db):
        run(dxmap, "sweep", SWEEP, "--db", db)
    run(dxmap, "export", db, "--csv", os.path.join(work, "csv"))
    started = time.perf_counter()
    run(dxmap, "discover", db, "--output", OUTPUT, "--above", str(THRESHOLD), "--out", os.path.join(work, "discover"))
    seconds = time.perf_counter() - started
    rows = list(csv.DictReader(open(os.path.join(work, "discover", "boxes.csv"))))
    return rows, seconds


def ema_side(x, y):
    started = time.perf_counter()
    # y is 0/1; EMA counts y >= threshold as a case of interest (and uses it as the density a found box must meet).
    prim = ema_prim.Prim(x, y, threshold=0.8, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
    box = ema_prim.PrimBox(prim, prim.box_init, prim.yi_remaining[:])
    box = prim._peel(box)
    trajectory = box.peeling_trajectory
    eligible = trajectory[trajectory["coverage"] >= MIN_COVERAGE]
    i = int(eligible.sort_values(["density", "coverage"], kind="stable").index[-1])
    # A box holding the chosen limits, pasted with EMA's own rules.
    chosen = ema_prim.PrimBox(prim, prim.box_init, prim.yi_remaining[:])
    inside = sdutil._in_box(prim.x, box.box_lims[i])
    chosen.update(box.box_lims[i], prim.yi_remaining[inside])
    chosen = prim._paste(chosen)
    limits = chosen.box_lims[-1].copy()
    members = set(np.flatnonzero(sdutil._in_box(prim.x, limits)))
    # Drop, one at a time, every side whose removal leaves the box's points unchanged.
    changed = True
    while changed:
        changed = False
        for u in x.columns:
            for side in (0, 1):
                if limits.loc[side, u] == prim.box_init.loc[side, u]:
                    continue
                relaxed = limits.copy()
                relaxed.loc[side, u] = prim.box_init.loc[side, u]
                if set(np.flatnonzero(sdutil._in_box(prim.x, relaxed))) == members:
                    limits, changed = relaxed, True
                    break
            if changed:
                break
    # EMA's quasi-p-values of the cleaned box: `update` computes them for the box it appends.
    chosen.update(limits, prim.yi_remaining[sdutil._in_box(prim.x, limits)])
    return trajectory, i, limits, members, prim.box_init, chosen.qp[-1], time.perf_counter() - started


def main():
    dxmap = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="dxmap-prim-")
    os.makedirs(work, exist_ok=True)
    rows, dx_seconds = dxmap_side(dxmap, work)
    design = pd.read_csv(os.path.join(work, "csv", "design.csv")).set_index("point").astype(float)
    results = pd.read_csv(os.path.join(work, "csv", "results.csv"))
    values = results[results["output"] == OUTPUT].set_index("point")["mean"].reindex(design.index)
    x = design.reset_index(drop=True)
    y = (values.values > THRESHOLD).astype(int)
    trajectory, chosen_index, limits, ema_members, box_init, ema_qp, ema_seconds = ema_side(x, y)

    peel = {}
    for r in rows:
        if r["stage"] == "peel":
            peel[int(r["box"])] = (float(r["coverage"]), float(r["density"]), float(r["mass"]))
    print(f"PRIM on {len(y)} futures, {int(y.sum())} bad ({OUTPUT} > {THRESHOLD:g}); alpha 0.05, mass_min 0.05")
    print(f"{'step':>4}  {'dxmap coverage':>14} {'density':>8} {'mass':>6}   {'EMA coverage':>12} {'density':>8} {'mass':>6}")
    agree = len(peel) == len(trajectory)
    for k in range(max(len(peel), len(trajectory))):
        d = peel.get(k)
        e = tuple(trajectory.loc[k, ["coverage", "density", "mass"]]) if k < len(trajectory) else None
        same = d is not None and e is not None and np.allclose(d, e, rtol=0, atol=1e-12)
        agree &= same
        fmt = lambda t: f"{t[0]:14.4f} {t[1]:8.4f} {t[2]:6.3f}" if t else f"{'-':>14} {'-':>8} {'-':>6}"
        print(f"{k:>4}  {fmt(d)}   {fmt(e)}{'' if same else '   <- differs'}")

    chosen = [r for r in rows if r["chosen"] == "true"]
    dx_limits = {r["parameter"]: (float(r["min"]), float(r["max"]), r["quasi_p_min"], r["quasi_p_max"]) for r in chosen if r["parameter"]}
    inside = np.ones(len(x), dtype=bool)
    for name, (lo, hi, _, _) in dx_limits.items():
        inside &= (x[name].values >= lo) & (x[name].values <= hi)
    dx_members = set(np.flatnonzero(inside))
    print()
    print(f"chosen box (densest with coverage >= {MIN_COVERAGE}, pasted, idle limits dropped; EMA Workbench: step {chosen_index} of its trajectory)")
    print(f"{'parameter':<20} {'dxmap limits':>24} {'quasi-p':>18}   {'EMA Workbench limits':>24} {'quasi-p':>18}")
    for name in x.columns:
        ema_lo, ema_hi = limits.loc[0, name], limits.loc[1, name]
        ema_restricted = (ema_lo, ema_hi) != (box_init.loc[0, name], box_init.loc[1, name])
        if name not in dx_limits and not ema_restricted:
            continue
        d = dx_limits.get(name)
        dx_text = f"{d[0]:.6g} – {d[1]:.6g}" if d else "unrestricted"
        qp = " / ".join(q for q in (d[2], d[3]) if q) if d else ""
        qp = " / ".join(f"{float(q):.2g}" for q in qp.split(" / ")) if qp else ""
        ema_text = f"{ema_lo:.6g} – {ema_hi:.6g}" if ema_restricted else "unrestricted"
        ema_q = " / ".join(f"{q:.2g}" for q in ema_qp.get(name, []) if q >= 0)
        print(f"{name:<20} {dx_text:>24} {qp:>18}   {ema_text:>24} {ema_q:>18}")
    same_points = dx_members == ema_members
    print(f"points in the box: dxmap {len(dx_members)} ({int(y[list(dx_members)].sum())} bad), "
          f"EMA Workbench {len(ema_members)} ({int(y[list(ema_members)].sum())} bad): "
          f"{'the same points' if same_points else 'DIFFERENT points'}")
    print(f"time: dxmap discover {dx_seconds:.2f} s (whole command, reading the database), EMA Workbench {ema_seconds:.2f} s (in-process)")
    if not (agree and same_points):
        sys.exit("dxmap and the EMA Workbench disagree")


if __name__ == "__main__":
    main()
