"""The README's console examples are real: each `$ actloss ...` line is run and its output compared."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def examples():
    text = README.read_text(encoding="utf-8")
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        cmd, out = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if cmd is not None:
                    yield cmd, "\n".join(out)
                cmd, out = line[2:], []
            else:
                out.append(line)
        if cmd is not None:
            yield cmd, "\n".join(out)


CASES = [(c, o) for c, o in examples() if re.search(r"(^|\| )actloss ", c)]


def test_readme_has_examples_of_each_command():
    used = {m.group(1) for c, _ in CASES for m in re.finditer(r"actloss (\w+)", c)}
    assert {"eval", "grad"} <= used


@pytest.mark.parametrize("cmd, expected", CASES, ids=[c for c, _ in CASES])
def test_readme_example(cmd, expected):
    exe = f"{sys.executable} -m actloss"
    shell_cmd = re.sub(r"(^|\| )actloss ", lambda m: f"{m.group(1)}{exe} ", cmd)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    p = subprocess.run(["bash", "-c", shell_cmd + " 2>&1"], capture_output=True, text=True, env=env, timeout=60,
                       cwd=README.parent)
    assert p.stdout.rstrip("\n") == expected.rstrip("\n")


def test_readme_python_examples():
    """The README's Python section runs as a doctest."""
    import doctest

    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks and any(">>> import actloss" in b for b in blocks)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for k, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README python block {k + 1}", str(README), 0))
    assert runner.failures == 0 and runner.tries >= 10
