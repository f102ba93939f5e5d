"""The README's Python example runs as written, from the repository's root."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_python_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- python example[^\n]*-->\n```python\n(.*?)```", readme, re.S)
    assert block, "the README has a marked Python example"
    monkeypatch.chdir(ROOT)
    code = block.group(1).replace('db="ai.sqlite"', f'db="{tmp_path / "ai.sqlite"}"')
    exec(compile(code, "README.md", "exec"), {})
