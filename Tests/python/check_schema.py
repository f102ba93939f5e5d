"""The JSON Schemas in Scenarios/schema, checked with the jsonschema package (draft 2020-12):

- both schemas are valid draft 2020-12 schemas;
- every bundled scenario and sweep file validates against its schema, and names it on its first line for editors;
- every case of the malformed-scenario corpus (written by the Swift tests into DXMAP_CORPUS_DIR) that a schema can
  express is refused by the schema too. The cases a schema cannot express — broken YAML, references between
  lists, duplicate ids, numbers out of a range that depends on another field, NaN — are listed below with why;
  one the schema accepts and is not listed fails the check, as does a listed one the schema now refuses.

Usage: check_schema.py CORPUS_DIR
"""

import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]

# Cases no JSON Schema can refuse, by the reason it cannot.
NOT_EXPRESSIBLE = {
    # A key repeats: a YAML loader keeps one of them.
    "duplicate key": "YAML keys repeat (a loader keeps one)",
    # JSON numbers cannot be NaN or infinite, and YAML's .nan/.inf and overflowing literals load as floats.
    "NaN written as text": "NaN is a float to a YAML loader", "infinity": "infinity is a float to a YAML loader",
    "overflowing literal": "1e400 loads as infinity",
    # References between lists and uniqueness of ids.
    "dangling role": "a reference to another list", "dangling organisation": "a reference to another list",
    "duplicate task id": "uniqueness of ids", "duplicate organisation id": "uniqueness of ids",
    # Evidence: a count against another, a reference to a task, and whether the observation fits the prior.
    "successes above trials": "successes <= trials", "unknown task": "a reference to another list",
    "contradicting measurement": "the observation against the prior's support",
    # Constraints between the values of one distribution or one file.
    "impossible beta sd": "sd² < mean·(1−mean)", "uniform min above max": "min < max",
    "share outside [0, 1]": "a distribution's support", "weights do not match values": "one weight per value",
    "cost that can be negative": "a distribution's support", "adoption year 0": "a distribution's support",
    "fractional adoption year": "whole values of a discrete distribution",
    "correlation over 1": "global + role ≤ 1", "no automation anywhere": "a task or its role must give automation",
    "data from an unknown organisation": "a reference to another list", "duplicate barrier": "uniqueness of ids",
    "interaction with an unknown barrier": "a reference to another list",
    "programme with an unknown routine": "a reference to another list",
    "routine at an unknown organisation": "a reference to another list",
    "routine effect on an unknown barrier": "a key that must be another list's id",
    "scope on an unknown organisation": "a reference to another list",
    "attrition for an unknown role": "a key that must be another list's id", "duplicate policy": "uniqueness of ids",
    "retraining without programmes": "a policy against another section's list",
    "self-similarity not 1": "a value that depends on its two keys being equal",
    "skill vector of the wrong length": "a length set by another field (dimensions)",
    "thresholds in the wrong order": "one field against another (retrain ≤ redeploy)",
    "unknown organisation in headcount": "a reference to another list",
    "unknown group": "a key that must be one of another field's values (groups)",
    "no one in any group": "a sum over a mapping's values",
    "unknown role in a cell": "a reference to another list",
    "a cell no proportion covers": "coverage of the cells other lists make",
}


class Loader(yaml.SafeLoader):
    """YAML 1.2 numbers, as dxmap (Yams) reads them: 3.0e8 is a float, not a string."""


Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*(\.[0-9_]*)?[eE][-+]?[0-9]+$"),
                             list("-+0123456789"))


def load(path: Path):
    return yaml.load(path.read_text(), Loader=Loader)


def main() -> None:
    corpus = Path(sys.argv[1])
    failures = []
    validators = {}
    for kind in ["scenario", "sweep"]:
        schema = json.loads((ROOT / "Scenarios" / "schema" / f"{kind}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft202012Validator(schema)
    bundled = [("scenario", p) for p in sorted((ROOT / "Scenarios").glob("*.yaml"))]
    bundled += [("sweep", p) for p in sorted((ROOT / "Scenarios" / "sweeps").glob("*.yaml"))]
    for kind, path in bundled:
        # Each file names its schema for editors (yaml-language-server), by a path that exists.
        first = path.read_text().splitlines()[0]
        named = first.removeprefix("# yaml-language-server: $schema=")
        if named == first or not (path.parent / named).resolve() == (ROOT / "Scenarios" / "schema" / f"{kind}.schema.json"):
            failures.append(f"{path.relative_to(ROOT)}: the first line should be '# yaml-language-server: $schema=' and the path of {kind}.schema.json")
        for error in validators[kind].iter_errors(load(path)):
            failures.append(f"{path.relative_to(ROOT)}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    cases = sorted(corpus.glob("*.json"))
    if not cases:
        sys.exit(f"check_schema: no malformed corpus in {corpus}: run the Swift tests with DXMAP_CORPUS_DIR={corpus} first (make test does)")
    refused = accepted = 0
    for about_path in cases:
        about = json.loads(about_path.read_text())
        name = about["name"]
        try:
            document = load(about_path.with_suffix(".yaml"))
            refused_here = document is None or not validators["scenario"].is_valid(document)
        except yaml.YAMLError:
            refused_here = True
        if refused_here:
            refused += 1
            if name in NOT_EXPRESSIBLE:
                failures.append(f"corpus {about['suite']} '{name}': listed as not expressible, but the schema refuses it; drop it from the list")
        else:
            accepted += 1
            if name not in NOT_EXPRESSIBLE:
                failures.append(f"corpus {about['suite']} '{name}': the schema accepts it, dxmap refuses it "
                                f"(line {about['line']}, {about['path']}: {about['message']})")
    print(f"check_schema: {len(bundled)} bundled files valid; malformed corpus: {refused} of {len(cases)} refused by the "
          f"schema, {accepted} beyond what a schema can express", file=sys.stderr)
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
