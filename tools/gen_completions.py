#!/usr/bin/env python3
"""Write the shell completion scripts of actloss into completions/, or check them.

    python tools/gen_completions.py           # (re)write completions/actloss.bash, _actloss, actloss.fish
    python tools/gen_completions.py --check   # exit 1 if a committed script differs from what this makes

The scripts are generated from the Typer app and the function registry (see
actloss/cli/completion.py), so run this after adding a command, an option or a
function. ``actloss completion SHELL`` prints the same text.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actloss.cli import completion  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale scripts and exit 1 instead of writing")
    parser.add_argument("--dir", type=Path, default=ROOT / "completions", help="where the scripts go (default: completions/)")
    args = parser.parse_args(argv)

    model = completion.build_model()
    makers = {"bash": completion.bash, "zsh": completion.zsh, "fish": completion.fish}
    stale = []
    for shell in completion.SHELLS:
        path = args.dir / completion.FILES[shell]
        text = makers[shell](model)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        if args.check:
            stale.append(path)
            diff = difflib.unified_diff(
                (old or "").splitlines(keepends=True), text.splitlines(keepends=True),
                f"{path.name} (committed)", f"{path.name} (generated)", n=1,
            )
            sys.stderr.writelines(list(diff)[:40])
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in stale)
        print(f"stale completion scripts: {names}; run: python tools/gen_completions.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
