"""Regenerate the plots under docs/ that the README shows.

    python tools/make_docs_images.py [--check]

Each image is made by the same `actloss plot` command a user would type (run in this process);
output is byte-identical run to run, so an unchanged image leaves no diff. With --check, nothing
is written: the exit status is 1 if any image in docs/ differs from what the commands make now.
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
}


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
    if not args.check:
        DOCS.mkdir(exist_ok=True)
        for path in make(DOCS):
            print(path.relative_to(ROOT))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in make(Path(tmp))
                 if not (DOCS / p.name).is_file() or (DOCS / p.name).read_bytes() != p.read_bytes()]
    for name in stale:
        print(f"docs/{name} is out of date: run python tools/make_docs_images.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
