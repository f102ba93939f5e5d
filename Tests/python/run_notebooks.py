"""Executes every notebook in a folder top to bottom with nbclient, as a reader would run it; a cell that raises
fails the run, naming the notebook and the cell. Prints each notebook's time. Outputs are not written back (the
notebooks stay stripped in git).

Usage: run_notebooks.py NOTEBOOKS_DIR
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> None:
    folder = Path(sys.argv[1])
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        sys.exit(f"no notebooks in {folder}")
    failed = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        started = time.time()
        client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
        try:
            client.execute()
            print(f"run_notebooks: {path.name} ran in {time.time() - started:.1f} s", file=sys.stderr)
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"run_notebooks: {path.name} FAILED after {time.time() - started:.1f} s:\n{error}", file=sys.stderr)
    if failed:
        sys.exit("failing notebooks: " + ", ".join(failed))


if __name__ == "__main__":
    main()
