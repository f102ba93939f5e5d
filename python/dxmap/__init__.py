"""dxmap from Python: run the dxmap engine and get pandas DataFrames.

Each function runs one dxmap command with keyword arguments that mirror its flags (``x_threshold=`` is
``--x-threshold``; a list repeats a flag) and returns a result object whose properties read the files the run
wrote as DataFrames, and its run record as a dict. Without ``out=`` the files go to a temporary directory that
lives as long as the result. dxmap's refusals become :class:`DxmapError`, with its message, exit status and the
``file:line:col`` of every problem in a scenario or sweep file. Long runs show dxmap's progress (a tqdm bar when
tqdm is installed). The binary is found by :func:`find_binary`.

Example::

    import dxmap
    m = dxmap.map("Scenarios/italian-pa.yaml", draws=5000)
    m.matrix[["name", "x", "y", "quadrant", "borderline"]]
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional, Sequence, Union

from ._binary import BinaryNotFound, find_binary, set_binary
from ._run import Completed, DxmapError, Location, arguments, run
from .results import (AdoptResult, Database, DiscoveryResult, ExportResult, MapResult, RedeployResult,
                      SensitivityResult, SweepReport, SweepResult, VoiResult)

__all__ = [
    "map", "redeploy", "adopt", "voi", "sweep", "report", "sensitivity", "discover", "export", "validate", "version",
    "find_binary", "set_binary", "BinaryNotFound", "DxmapError", "Location",
    "MapResult", "RedeployResult", "AdoptResult", "SweepResult", "SensitivityResult", "DiscoveryResult",
    "ExportResult", "Database", "VoiResult", "SweepReport",
]

PathLike = Union[str, Path]


def _directory(out: Optional[PathLike]):
    """The output directory and, when dxmap chose it, the temporary directory to keep alive."""
    if out is not None:
        return Path(out), None
    temporary = tempfile.TemporaryDirectory(prefix="dxmap-")
    return Path(temporary.name) / "out", temporary


def _list(value: Union[None, str, Sequence[str]]) -> Optional[list]:
    return None if value is None else [value] if isinstance(value, str) else list(value)


def version(*, binary: Optional[str] = None) -> str:
    """The dxmap binary's version."""
    return run(["--version"], binary=binary, progress=False).stdout.strip()


def validate(path: PathLike, *, binary: Optional[str] = None) -> str:
    """Checks a scenario or sweep file without running it; returns dxmap's summary of it.

    Raises:
        DxmapError: with every problem's ``file:line:col`` in ``locations``.
    """
    return run(["validate", str(path)], binary=binary, progress=False).stdout.strip()


def map(scenario: PathLike, *, draws: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None,
        level: Optional[str] = None, view: Optional[str] = None, risk: Optional[str] = None,
        x_threshold: Union[None, float, str] = None, y_threshold: Union[None, float, str] = None,
        programme: Optional[str] = None, task_percentiles: bool = False, generator: Optional[str] = None,
        no_evidence: bool = False, posterior: Optional[str] = None, sampler: Optional[str] = None,
        draw_design: Optional[str] = None, replicates: Optional[int] = None, target: Optional[float] = None,
        versus: Optional[PathLike] = None, versus_no_evidence: bool = False,
        out: Optional[PathLike] = None, binary: Optional[str] = None, progress: bool = True) -> MapResult:
    """``dxmap map``: the top-down mapping and its risk–return matrix.

    Args:
        scenario: a scenario file.
        draws, seed, threads, generator: the Monte Carlo run (threads never change results).
        level: ``service``, ``role`` or ``organisation``; view: ``probability``, ``risk-return`` or ``output``
            (the value of outputs: needs services with an ``output_cost``);
            risk: ``sd``, ``loss`` or ``cvar`` (the scenario's choice when left out).
        x_threshold: a number, ``ons-medium`` or ``ons-high`` (probability view), or ``median``;
            y_threshold: a number, ``median`` or ``break-even``.
        programme: with barriers, the adoption programme whose routines run.
        task_percentiles: also every task's percentiles.
        no_evidence: set the scenario's ``evidence:`` aside (the map before the pilots' results).
        posterior: ``v2`` (default) or ``v1``, the quadrature of earlier releases, for their numbers.
        sampler: ``inversion`` (the default: one uniform through each distribution's tabulated quantile function,
            u-error at most 1e-10) or ``gsl-direct`` (GSL's samplers with mt19937: earlier releases' numbers, byte for
            byte); run.json records it.
        draw_design: ``plain`` (default), ``latin-hypercube`` or ``sobol`` (scrambled Sobol') draws, in
            ``replicates`` independent replicates (default 10) whose means give every standard error (the summary's
            ``mean_se`` column).
        target: the NPV the report's distributions read "above it in X% of futures" against (default 0, break-even).
        versus: another scenario to compare with draw by draw, on the same draws (``versus_no_evidence=True``: this
            scenario without its evidence); the result's ``versus`` has, per entity, the share of futures this run is
            ahead and the spread of the difference.
        out: the directory for the files (a temporary one when left out).
    """
    directory, temporary = _directory(out)
    done = run(["map", str(scenario), *arguments(draws=draws, seed=seed, threads=threads, level=level, view=view, risk=risk,
                                                x_threshold=x_threshold, y_threshold=y_threshold, programme=programme,
                                                task_percentiles=task_percentiles, generator=generator,
                                                no_evidence=no_evidence, posterior=posterior, sampler=sampler, draw_design=draw_design, replicates=replicates,
                                                target=target, versus=None if versus is None else str(versus),
                                                versus_no_evidence=versus_no_evidence, out=directory)],
               binary=binary, progress=progress)
    return MapResult(directory, done.stdout, done.warnings, temporary)


def redeploy(scenario: PathLike, *, draws: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None,
             policy: Union[None, str, Sequence[str]] = None, programme: Optional[str] = None,
             generator: Optional[str] = None, no_evidence: bool = False, posterior: Optional[str] = None, sampler: Optional[str] = None,
        draw_design: Optional[str] = None, replicates: Optional[int] = None, target: Optional[float] = None,
             out: Optional[PathLike] = None, binary: Optional[str] = None, progress: bool = True) -> RedeployResult:
    """``dxmap redeploy``: who is displaced, absorbed, redeployed, retrained or made redundant, year by year,
    under each policy (``policy`` picks and orders them, the first being the baseline); ``target`` is the net saving
    the report's distributions are read against (default 0). ``result.comparison`` is each policy against the first
    across futures."""
    directory, temporary = _directory(out)
    done = run(["redeploy", str(scenario), *arguments(draws=draws, seed=seed, threads=threads, policy=_list(policy),
                                                     programme=programme, generator=generator, no_evidence=no_evidence,
                                                     posterior=posterior, sampler=sampler, draw_design=draw_design, replicates=replicates,
                                                     target=target, out=directory)],
               binary=binary, progress=progress)
    return RedeployResult(directory, done.stdout, done.warnings, temporary)


def adopt(scenario: PathLike, *, draws: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None,
          programme: Union[None, str, Sequence[str]] = None, generator: Optional[str] = None,
          no_evidence: bool = False, posterior: Optional[str] = None, sampler: Optional[str] = None,
        draw_design: Optional[str] = None, replicates: Optional[int] = None, target: Optional[float] = None,
          out: Optional[PathLike] = None, binary: Optional[str] = None, progress: bool = True) -> AdoptResult:
    """``dxmap adopt``: adoption programmes (routines against barriers) compared on the same draws; ``target`` is
    the net value the report's distributions are read against (default 0). ``result.comparison`` is each programme's
    net value against the first's across futures."""
    directory, temporary = _directory(out)
    done = run(["adopt", str(scenario), *arguments(draws=draws, seed=seed, threads=threads, programme=_list(programme),
                                                  generator=generator, no_evidence=no_evidence, posterior=posterior, sampler=sampler, draw_design=draw_design, replicates=replicates,
                                                  target=target, out=directory)],
               binary=binary, progress=progress)
    return AdoptResult(directory, done.stdout, done.warnings, temporary)


def voi(scenario: PathLike, *, decision: Optional[str] = None, level: Optional[str] = None,
        input: Union[None, str, Sequence[str]] = None, pilot: Union[None, str, Sequence[str]] = None,
        draws: Optional[int] = None, seed: Optional[int] = None, threads: Optional[int] = None,
        generator: Optional[str] = None, no_evidence: bool = False, write_draws: bool = False,
        memory: Optional[float] = None, evppi: Optional[str] = None, posterior: Optional[str] = None, sampler: Optional[str] = None,
        out: Optional[PathLike] = None, binary: Optional[str] = None, progress: bool = True) -> VoiResult:
    """``dxmap voi``: which uncertainty is worth resolving before deciding, and what a pilot would be worth.

    Args:
        decision: ``automate`` (per entity of ``level``, automate or not, and the portfolio), ``programme`` (which
            adoption programme) or ``policy`` (which redeployment policy).
        input: only inputs whose name contains this text (a list for several); pilot: only these pilots.
        write_draws: also keep every draw's inputs and option values (``VoiResult.draws``), for another tool.
        no_evidence: set the scenario's ``evidence:`` aside.
        memory: the most memory (GB) the study may plan to use; more draws than fit are refused before it starts.
        evppi: the estimator, ``v2`` (default: each input for the decisions it can reach) or ``v1`` (earlier
            releases' numbers); posterior: as for :func:`map`.

    A standard error the draws cannot give (too few of them) is NaN in the frames, never 0.
    """
    directory, temporary = _directory(out)
    done = run(["voi", str(scenario), *arguments(decision=decision, level=level, input=_list(input), pilot=_list(pilot),
                                                draws=draws, seed=seed, threads=threads, generator=generator,
                                                no_evidence=no_evidence, write_draws=write_draws, memory=memory,
                                                evppi=evppi, posterior=posterior, sampler=sampler, out=directory)],
               binary=binary, progress=progress)
    return VoiResult(directory, done.stdout, done.warnings, temporary)


def sweep(sweep_file: PathLike, *, db: PathLike, jobs: Optional[int] = None, shard: Optional[str] = None,
          resume: bool = False, out: Optional[PathLike] = None, satisfy: Union[None, str, Sequence[str]] = None,
          binary: Optional[str] = None, progress: bool = True) -> SweepResult:
    """``dxmap sweep``: every point of a sweep file into the results database ``db`` (``resume=True`` continues
    one). Read it with the result's ``points``, ``results``, ``design`` and ``query``; with ``out=`` the sweep's
    report is written there too (``result.report``, a :class:`SweepReport`; ``satisfy=`` as in :func:`report`)."""
    done = run(["sweep", str(sweep_file), *arguments(db=db, jobs=jobs, shard=shard, resume=resume, out=out,
                                                     satisfy=_list(satisfy))],
               binary=binary, progress=progress)
    return SweepResult(Path(db), done.stdout, done.warnings,
                       report=SweepReport(Path(out), done.stdout, done.warnings) if out is not None else None)


def report(db: PathLike, *, satisfy: Union[None, str, Sequence[str]] = None, out: Optional[PathLike] = None,
           binary: Optional[str] = None) -> SweepReport:
    """``dxmap report``: a sweep database's report — each output across the futures, each option's regret and
    (with ``satisfy="redeploy.*.redundant<=150"``, one or a list) its share of futures meeting a threshold, the
    envelopes of yearly outputs and Spearman's ρ of every parameter with every output."""
    directory, temporary = _directory(out)
    done = run(["report", str(db), *arguments(satisfy=_list(satisfy), out=directory)], binary=binary, progress=False)
    return SweepReport(directory, done.stdout, done.warnings, temporary)


def sensitivity(sweep_file: PathLike, *, method: str, db: PathLike, base: Optional[int] = None,
                second_order: bool = False, no_scramble: bool = False, levels: Optional[int] = None,
                output: Union[None, str, Sequence[str]] = None, resamples: Optional[int] = None,
                jobs: Optional[int] = None, shard: Optional[str] = None, resume: bool = False,
                out: Optional[PathLike] = None, binary: Optional[str] = None, progress: bool = True) -> SensitivityResult:
    """``dxmap sensitivity``: Sobol indices, Morris screening or a tornado over a sweep file's parameters
    (``method`` is ``sobol``, ``morris`` or ``tornado``; ``base`` the Saltelli rows or Morris trajectories)."""
    directory, temporary = _directory(out)
    done = run(["sensitivity", str(sweep_file),
                *arguments(method=method, db=db, base=base, second_order=second_order, no_scramble=no_scramble,
                           levels=levels, output=_list(output), resamples=resamples, jobs=jobs, shard=shard,
                           resume=resume, out=directory)],
               binary=binary, progress=progress)
    return SensitivityResult(directory, done.stdout, done.warnings, Path(db), temporary)


def discover(db: PathLike, *, output: str, above: Optional[float] = None, below: Optional[float] = None,
             peel_alpha: Optional[float] = None, min_mass: Optional[float] = None, min_coverage: Optional[float] = None,
             objective: Optional[str] = None, box: Union[None, int, Sequence[int]] = None, boxes: Optional[int] = None,
             out: Optional[PathLike] = None, binary: Optional[str] = None) -> DiscoveryResult:
    """``dxmap discover``: PRIM on a sweep's database, for the futures where ``output`` is ``above`` (or
    ``below``) a threshold. ``box=N`` reports box N of the peeling trajectory (a list: one per box);
    ``boxes=2`` looks for a second box among the futures the first leaves."""
    if isinstance(box, int):
        box = [box]
    if (above is None) == (below is None):
        raise ValueError("give exactly one of above= and below=")
    directory, temporary = _directory(out)
    done = run(["discover", str(db), *arguments(output=output, above=above, below=below, peel_alpha=peel_alpha,
                                                min_mass=min_mass, min_coverage=min_coverage, objective=objective,
                                                box=None if box is None else list(box), boxes=boxes, out=directory)],
               binary=binary, progress=False)
    return DiscoveryResult(directory, done.stdout, done.warnings, temporary)


def export(db: PathLike, *, csv: Optional[PathLike] = None, binary: Optional[str] = None) -> ExportResult:
    """``dxmap export --csv``: a results database as `design.csv`, `results.csv` and `failures.csv`."""
    directory, temporary = _directory(csv)
    done = run(["export", str(db), "--csv", str(directory)], binary=binary, progress=False)
    return ExportResult(directory, done.stdout, done.warnings, temporary)
