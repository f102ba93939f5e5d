#!/usr/bin/env bash
# The Python side, against the dxmap binary just built: the JSON Schemas (Scenarios/schema) against every bundled
# file and the malformed corpus the Swift tests wrote (DXMAP_CORPUS_DIR, .build-python/corpus by default), the
# package's pytest suite (python/tests), and every notebook in Notebooks/ executed top to bottom with nbclient (a
# failing cell fails the run). Everything runs in .build-python/venv, made by scripts/install-deps --python with
# pinned versions.
#
# Usage: Tests/python/python-test.sh PATH/TO/dxmap
set -euo pipefail
dxmap=$(readlink -f "${1:?usage: $0 PATH/TO/dxmap}")
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/install-deps" --python
python="$root/.build-python/venv/bin/python"
export DXMAP_BIN="$dxmap"
started=$(date +%s)
"$python" "$root/Tests/python/check_schema.py" "${DXMAP_CORPUS_DIR:-$root/.build-python/corpus}"
(cd "$root/python" && "$python" -m pytest -q tests)
echo "python test: pytest passed in $(( $(date +%s) - started )) s" >&2
started=$(date +%s)
"$python" "$root/Tests/python/run_notebooks.py" "$root/Notebooks"
echo "python test: notebooks ran in $(( $(date +%s) - started )) s" >&2
