"""The console entry point: runs a command and turns every failure into one line and an exit status.

eval, grad, loss and plot (without --help) read their own arguments and never build the typer app,
nor even import typer: at ~50 ms that would cost more than the work. Everything else goes through
the app (``actloss.cli.typer_app``).
"""

from __future__ import annotations

import os
import sys

from actloss.errors import ActlossError

FAST_COMMANDS = ("eval", "grad", "loss", "plot")


def _fast(args: list[str]) -> bool:
    if not args or args[0] not in FAST_COMMANDS:
        return False
    head = args[1 : args.index("--")] if "--" in args else args[1:]
    return not any(a in ("-h", "--help") for a in head)


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


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, map every failure to one line and an exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if "numpy" not in sys.modules:
        # no command does linear algebra: numpy's BLAS need not start a thread per core (~30-60 ms of CPU)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        if _fast(args):
            if args[0] == "plot":
                from actloss.cli import plot

                plot.run_fast(args[1:])
            elif args[0] == "loss":
                from actloss.cli import loss

                loss.run(args[1:])
            else:
                from actloss.cli import evaluate

                evaluate.run_fast(args[1:], derivative=args[0] == "grad")
            code = 0
        else:
            from typer.main import get_command

            from actloss.cli.typer_app import app

            code = get_command(app).main(args=args, prog_name="actloss", standalone_mode=False)
        sys.stdout.flush()
    except ActlossError as exc:
        error(exc.cli_message())
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
