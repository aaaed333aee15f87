"""Regenerate the plots under docs/ that the README shows, and the README's text plot.

    python tools/make_docs_images.py [--check]

Each image is made by the same `actloss plot` command a user would type (run in this process);
output is byte-identical run to run, so an unchanged image leaves no diff. The text plot
(`actloss plot ... --term` at 80 × 24 in a UTF-8 locale, without colour) goes to docs/ and into the
README between its markers. With --check, nothing is written: the exit status is 1 if any image in
docs/, or the README's text plot, differs from what the commands make now.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: file under docs/ -> the plot command's arguments (after 'actloss plot')
IMAGES = {
    "gelu.png": ["gelu", "--grad"],
    "relu-gelu-silu-mish.png": ["relu", "gelu", "silu", "mish", "--grad"],
    "softmax-sparsemax.png": ["softmax", "sparsemax", "sigmoid", "--grad"],
    "losses-regression.png": ["mse", "l1", "huber", "log_cosh", "--range", "-3", "3"],
    "losses-classification.png": ["bce", "focal", "--grad"],
    "losses-logits.png": ["bce", "ce", "--logits", "--grad"],
    "elu-alpha-sweep.png": ["elu", "--alpha", "0.5,1,2", "--grad", "--range", "-4", "3"],
}

#: the README's text plot: file under docs/ -> the plot command's arguments
TEXT = ("gelu-term.txt", ["gelu", "--grad", "--term"])
TEXT_SIZE = (80, 24)
README = ROOT / "README.md"
BEGIN, END = "<!-- text plot: tools/make_docs_images.py -->\n```text\n", "```\n<!-- end of text plot -->"


def text_plot() -> str:
    """The text plot as the README shows it: the command's own output, in a pipe (no colour)."""
    import io
    import os
    from contextlib import redirect_stdout

    sys.path.insert(0, str(ROOT))
    from actloss.cli import args as cliargs
    from actloss.cli import plot

    plot.FREEZE_AT_EXIT = False
    env = {"COLUMNS": str(TEXT_SIZE[0]), "LINES": str(TEXT_SIZE[1]), "LANG": "C.UTF-8", "LC_ALL": "", "LC_CTYPE": ""}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    buf = io.StringIO()
    try:
        with redirect_stdout(buf):
            cliargs.run("plot", list(TEXT[1]))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return buf.getvalue()


def readme_with(text: str) -> str:
    readme = README.read_text(encoding="utf-8")
    start = readme.index(BEGIN) + len(BEGIN)
    end = readme.index(END, start)
    return readme[:start] + text + readme[end:]


def make(directory: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))  # this checkout's actloss, installed or not
    from actloss.cli import args as cliargs
    from actloss.cli import plot

    plot.FREEZE_AT_EXIT = False  # several plots in this process
    out = []
    for name, args in IMAGES.items():
        target = directory / name
        cliargs.run("plot", args + ["-o", str(target)])
        out.append(target)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with docs/ instead of writing")
    args = ap.parse_args()
    text = text_plot()
    if not args.check:
        DOCS.mkdir(exist_ok=True)
        for path in make(DOCS):
            print(path.relative_to(ROOT))
        (DOCS / TEXT[0]).write_text(text, encoding="utf-8")
        print(f"docs/{TEXT[0]}")
        README.write_text(readme_with(text), encoding="utf-8")
        print("README.md (text plot)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in make(Path(tmp))
                 if not (DOCS / p.name).is_file() or (DOCS / p.name).read_bytes() != p.read_bytes()]
    if not (DOCS / TEXT[0]).is_file() or (DOCS / TEXT[0]).read_text(encoding="utf-8") != text:
        stale.append(TEXT[0])
    if README.read_text(encoding="utf-8") != readme_with(text):
        stale.append("../README.md (its text plot)")
    for name in stale:
        print(f"docs/{name} is out of date: run python tools/make_docs_images.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
