"""The Typer app: --help, --version, and every command's options as typer declares them.

Commands live in sibling modules, each with ``register(app)``; they import
numpy, rich or matplotlib only inside the command body, so ``--help`` stays
cheap. Errors become exit codes in one place, ``actloss.cli.entry.main``.
"""

from __future__ import annotations

import importlib

import typer

from actloss import __version__

#: command modules, in the order their commands appear in --help
COMMAND_MODULES = ("evaluate", "loss", "cards", "plot", "completion")

HELP = """Exact values, derivatives and plots of neural-network activation and loss functions.

Examples:

  actloss eval gelu -- 0.5

  actloss grad sigmoid -- 40

  seq -5 5 | actloss eval elu --alpha 0.5
"""

app = typer.Typer(
    name="actloss",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are plain: brackets such as [default: ...] stay as written
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actloss {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Exact values, derivatives and plots of neural-network activation and loss functions."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"actloss.cli.{_name}").register(app)


from actloss.cli.entry import error, main  # noqa: E402,F401  (the entry point, re-exported)
