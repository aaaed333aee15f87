"""The console entry point: runs a command and turns every failure into one line and an exit status.

A command runs from ``table.json``, the Typer app's declaration as data, without importing typer
(at ~50 ms it would cost more than the work); help, ``--version`` and anything the table's reader
does not handle (an unknown option, a missing value) go through the Typer app itself
(``actloss.cli.typer_app``), which reports them in its own words.
"""

from __future__ import annotations

import os
import sys

from actloss.errors import ActlossError

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


def _wording():
    import re

    return (  # click's words -> ours: each names the option and what it takes
        (re.compile(r"^option '(--?[\w-]+)' requires an argument$"), r"\1 needs a value"),
        (re.compile(r"^option '(--?[\w-]+)' requires (\d+) arguments$"), r"\1 needs \2 values"),
        (re.compile(r"^option '(--?[\w-]+)' does not take a value$"),
         r"\1 is a switch: give it alone, or as \1=true or \1=false"),
        (re.compile(r"^invalid value for '([^']+)': '([^']*)' is not one of (.*)$"),
         lambda m: f"{m.group(1)} must be one of {m.group(3).replace(chr(39), '')}, got '{m.group(2)}'"),
        (re.compile(r"^no such option: (\S+)(?: Did you mean (\S+)\?| \(Possible options: (.*)\))?$"),
         lambda m: f"unknown option {m.group(1)}" + (f"; did you mean {m.group(2) or m.group(3).replace(',', ' or')}?"
                                                   if m.group(2) or m.group(3) else "")),
        (re.compile(r"^invalid value for '(--?[\w-]+)': (.*)valid integer.*$"), r"invalid value for '\1': not a whole number"),
        (re.compile(r"^invalid value for '(--?[\w-]+)': (.*)valid number.*$"), r"invalid value for '\1': not a number"),
    )


def usage_message(msg: str) -> str:
    """A usage error of the parser in actloss's words: lower case, the option first, what it takes."""
    msg = msg.strip().rstrip(".").replace(": Value error, ", ": ")  # choice errors come wrapped by the coercion
    msg = msg[0].lower() + msg[1:]
    for pattern, replacement in _wording():
        new = pattern.sub(replacement, msg)
        if new != msg:
            return new
    return msg


def main(argv: list[str] | None = None, *, table: bool = True) -> None:
    """Console entry point: run the app, map every failure to one line and an exit status.

    ``table=False`` reads every command line with the Typer app (the tests compare both ways).
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if "numpy" not in sys.modules:
        # no command does linear algebra: numpy's BLAS need not start a thread per core (~30-60 ms of CPU)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        from actloss.cli import args as cliargs

        if not args:
            commands = ", ".join(cliargs.load_table()["commands"])
            sys.stderr.write(f"usage: actloss COMMAND [ARGS]...\ncommands: {commands}\n"
                             "run 'actloss --help' for what each does, 'actloss COMMAND --help' for its options\n")
            sys.exit(2)
        try:
            if not table:
                raise cliargs.Fallback
            cliargs.run(args[0], args[1:])
            code = 0
        except cliargs.Fallback:
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
    except OSError as exc:  # the output cannot be written: a full disk, a closed terminal
        _quiet_broken_pipe()  # and no second complaint when Python flushes stdout at exit
        error(f"cannot write output: {exc.strerror or exc}")
        code = 1
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = 130
    except Exception as exc:  # usage errors of the parser (typer's click)
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            msg = exc.format_message()
            if not msg:  # no arguments: the help has been printed
                sys.exit(exc.exit_code)
            where = "actloss"
            if args and not args[0].startswith("-"):
                where = f"actloss {args[0]}"
            error(f"{usage_message(msg)} (see '{where} --help')")
            code = exc.exit_code
        elif type(exc).__name__ == "Abort":
            sys.stderr.write("\n")
            code = 130
        else:
            raise
    if isinstance(code, int):
        sys.exit(code)
    sys.exit(0)
