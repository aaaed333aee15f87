"""The Typer app, its commands, and the one place where errors become exit codes.

Commands live in sibling modules, each with ``register(app)``; they import
numpy, rich or matplotlib only inside the command body, so ``--help`` and
completion stay cheap.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from actloss import __version__
from actloss.errors import ActlossError

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


def error(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"actloss: error: {message}\n")
    sys.stderr.flush()


def _quiet_broken_pipe() -> None:
    # the reader went away (| head): exit quietly, without flushing into a closed pipe
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _fast(args: list[str]) -> bool:
    """eval/grad/loss/plot without --help skip building the typer app: it costs more than the work."""
    if not args or args[0] not in ("eval", "grad", "loss", "plot"):
        return False
    head = args[1 : args.index("--")] if "--" in args else args[1:]
    return not any(a in ("-h", "--help") for a in head)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, map every failure to one line and an exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if "numpy" not in sys.modules:
        # no command does linear algebra: numpy's BLAS need not start a thread per core (~30-60 ms of CPU)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        if _fast(args):
            from actloss.cli import evaluate, loss

            if args[0] == "plot":
                from actloss.cli import plot

                plot.run_fast(args[1:])
            elif args[0] == "loss":
                loss.run(args[1:])
            else:
                evaluate.run_fast(args[1:], derivative=args[0] == "grad")
            code = 0
        else:
            from typer.main import get_command

            code = get_command(app).main(args=args, prog_name="actloss", standalone_mode=False)
        sys.stdout.flush()
    except ActlossError as exc:
        error(str(exc))
        code = exc.exit_code
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = 0
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = 130
    except Exception as exc:  # usage errors of the parser (typer's click)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            msg = exc.format_message()
            if not msg:  # no arguments: the help has been printed
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            where = f"actloss {ctx.info_name}" if ctx is not None and ctx.parent is not None else "actloss"
            if where != "actloss" and ctx is not None:
                where = ctx.command_path
            msg = msg.rstrip(".").replace(": Value error, ", ": ")  # choice errors come wrapped by the coercion
            error(f"{msg[0].lower() + msg[1:]} (see '{where} --help')")
            code = exc.exit_code
        elif type(exc).__name__ == "Abort":
            sys.stderr.write("\n")
            code = 130
        else:
            raise
    if isinstance(code, int):
        sys.exit(code)
    sys.exit(0)
