"""The Python guide's example (docs/guide/python.md) runs as written, from the repository's root."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_guides_python_example_runs(tmp_path, monkeypatch):
    guide = (ROOT / "docs" / "guide" / "python.md").read_text()
    block = re.search(r"<!-- doc-test: run by python/tests/test_docs_example.py -->\n```python\n(.*?)```", guide, re.S)
    assert block, "docs/guide/python.md has a marked Python example"
    monkeypatch.chdir(ROOT)
    code = block.group(1).replace('db="ai.sqlite"', f'db="{tmp_path / "ai.sqlite"}"')
    exec(compile(code, "docs/guide/python.md", "exec"), {})
