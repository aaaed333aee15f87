"""Write actloss/cli/table.json: the command line as the Typer app declares it, as plain data.

The entry point reads the table to run a command without importing typer (start-up is most of
a command's cost); tests/test_cli_table.py checks that the table is fresh and that both ways of
running a command agree. Run after changing a command, an option or a function's parameters:

    python tools/gen_cli_table.py
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def table() -> dict:
    from typer.main import get_command

    from actloss.cli import args
    from actloss.cli.typer_app import app

    group = get_command(app)
    return {"commands": {name: args.table_of(cmd, cmd.impl) for name, cmd in group.commands.items()}}


def render() -> str:
    return json.dumps(table(), indent=1, sort_keys=False) + "\n"


if __name__ == "__main__":
    from actloss.cli.args import TABLE

    pathlib.Path(TABLE).write_text(render(), encoding="utf-8")
    print(f"wrote {pathlib.Path(TABLE).relative_to(ROOT)}")
