"""Rewrite the function table of README.md from the registry.

Only the block between ``<!-- functions:start -->`` and ``<!-- functions:end -->``
changes. ``--check`` changes nothing and exits 1 when the block is out of date
(tests/test_cards.py runs the same comparison).

    python tools/readme_table.py          # rewrite the block
    python tools/readme_table.py --check  # exit 1 if README.md is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actloss import cards, registry  # noqa: E402

README = ROOT / "README.md"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    text = README.read_text(encoding="utf-8")
    new = cards.replace_readme_block(text, list(registry.load()))
    if new == text:
        print("README.md function table is up to date")
        return 0
    if check:
        print("README.md function table is out of date: run 'python tools/readme_table.py'", file=sys.stderr)
        return 1
    README.write_text(new, encoding="utf-8")
    print("README.md function table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
