"""``actloss plot``: a function and its derivative as PNG, SVG or PDF, and a gallery of all of them.

Names and function parameters are read by ``evaluate.parse_call`` and bound by
``evaluate._bind_all`` (an option applies to the named functions that take
it; one that none of them takes is an error). matplotlib and numpy load in
the command body only.
"""

import os
import sys
from pathlib import Path
from typing import Optional, Tuple

from actloss.cli import term

from actloss.errors import InputError, ParameterError

PLOT_HELP = """Plot functions and their derivatives as PNG, SVG, PDF, ...

NAME is one or more function names (see 'actloss list'); several share
one axes. Function parameters are options (--alpha 0.5, ...); each
applies to the named functions that take it. Without -o the file is
NAME.png in the current directory (several names joined by -).

Softmax-family functions plot component 0 against logit x0 with the
other logits fixed (--others, default 0: one other logit, so 2-class
softmax is the sigmoid); GLU-family functions plot against the gate b
with the value a fixed (--value, default 1). Losses plot against the
predicted probability of the true class, the residual or the margin,
for a fixed target.

Examples:

  actloss plot gelu

  actloss plot relu gelu silu mish --grad -o compare.svg

  actloss plot elu --alpha 0.5 --range -3 3 -o elu.pdf

  actloss plot softmax --others 1,2 --grad

  actloss plot --all -o gallery/
"""

_USAGE = "NAME [NAME ...] [OPTIONS]"
_CTX = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": ["-h", "--help"]}

#: plot options that a function family takes in addition to its record's parameters
FAMILY_OPTIONS = {"others": "vector", "value": "glu"}

#: kinds of the function names plot takes (read by the shell completion scripts)
COMPLETE_NAMES = {"plot": ("activation", "loss")}


def _float_list(option: str, text: str) -> tuple[float, ...]:
    import math

    items = text.strip().strip("[]").replace(",", " ").split()
    if not items:
        raise ParameterError(f"{option} expects numbers such as 0 or 1,2,0.5, got {text!r}")
    out = []
    for item in items:
        try:
            v = float(item)
        except ValueError:
            raise ParameterError(f"{option} expects numbers such as 0 or 1,2,0.5, got {text!r}") from None
        if not math.isfinite(v):
            raise ParameterError(f"{option} must be finite numbers, got {text!r}")
        out.append(v)
    return tuple(out)


def items_from(records, params: dict[str, str]):
    """Plot items: each record with its bound parameters and its family's fixed inputs."""
    from actloss.cli.evaluate import _bind_all
    from actloss.plot import Item
    from actloss.registry import normalize

    params = dict(params)
    fixed: dict[str, str] = {}
    for key in list(params):
        name = normalize(key)
        shape = FAMILY_OPTIONS.get(name)
        if shape is None or not any(r.shape == shape for r in records):
            continue
        fixed[name] = params[key]
        if not any(r.param(key) is not None for r in records):
            del params[key]  # only the family takes it (threshold has a --value of its own)
    others = _float_list("--others", fixed["others"]) if "others" in fixed else (0.0,)
    value = _float_list("--value", fixed["value"]) if "value" in fixed else (1.0,)
    if len(value) != 1:
        raise ParameterError(f"--value is one number (the value half a of the GLU input), got {fixed['value']!r}")
    bound = _bind_all(records, params)
    return [Item(r, p, others=others, value=value[0]) for r, p in zip(records, bound)]


#: the command's own options: name -> (number of values, converter); read by hand on the fast path
_OWN: dict[str, tuple[str, int, type]] = {
    "-o": ("output", 1, str), "--output": ("output", 1, str),
    "--range": ("x_range", 2, float), "--points": ("points", 1, int),
    "--grad": ("grad", 0, bool), "--only-grad": ("only_grad", 0, bool),
    "--ylim": ("ylim", 2, float), "--title": ("title", 1, str), "--size": ("size", 2, float),
    "--dpi": ("dpi", 1, float), "--all": ("all_", 0, bool), "--format": ("fmt", 1, str),
}

_KIND = {int: "an integer", float: "a number"}


def split_own(args: list[str]) -> tuple[dict, list[str]]:
    """The plot options (as typer would read them) and the rest (names and function parameters)."""
    own: dict = {}
    rest: list[str] = []
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            rest.extend(args[i:])
            break
        key, eq, attached = tok.partition("=") if tok.startswith("--") else (tok, "", "")
        if tok.startswith("-o") and len(tok) > 2 and not tok.startswith("--"):
            key, eq, attached = "-o", "=", tok[2:]
        spec = _OWN.get(key)
        if spec is None:
            rest.append(tok)
            i += 1
            continue
        dest, nargs, kind = spec
        if nargs == 0:
            if eq:
                raise InputError(f"{key} is a switch and takes no value (see 'actloss plot --help')")
            own[dest] = True
            i += 1
            continue
        if eq:
            if nargs != 1:
                raise InputError(_needs(key, nargs))
            values = [attached]
            i += 1
        else:
            values = args[i + 1 : i + 1 + nargs]
            if len(values) < nargs:
                raise InputError(_needs(key, nargs))
            i += 1 + nargs
        converted = []
        for v in values:
            if kind is str:
                converted.append(v)
                continue
            try:
                converted.append(kind(v))
            except ValueError:
                raise InputError(f"invalid value for '{key}': {v!r} is not {_KIND[kind]}") from None
        own[dest] = converted[0] if nargs == 1 else tuple(converted)
    return own, rest


def _needs(key: str, nargs: int) -> str:
    metavar = {"--range": "XMIN XMAX", "--ylim": "YMIN YMAX", "--size": "W H"}.get(key, "VALUE")
    return f"{key} needs {'a value' if nargs == 1 else f'{nargs} values'}: {key} {metavar} (see 'actloss plot --help')"


def run_fast(args: list[str]) -> None:
    """The whole command from raw arguments, without building the typer app (start-up cost)."""
    own, rest = split_own(args)
    run(rest, **own)


def _note(message: str) -> None:
    sys.stderr.write(f"actloss: {message}\n")
    sys.stderr.flush()


def _is_dir_target(out: str) -> bool:
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


def run(
    args: list[str],
    output: Optional[str] = None,
    x_range: Optional[Tuple[float, float]] = None,
    points: int = 1000,
    grad: bool = False,
    only_grad: bool = False,
    ylim: Optional[Tuple[float, float]] = None,
    title: Optional[str] = None,
    size: Optional[Tuple[float, float]] = None,
    dpi: float = 150.0,
    all_: bool = False,
    fmt: Optional[str] = None,
) -> None:
    import gc

    gc.disable()  # matplotlib's import allocates a lot; cyclic collection meanwhile only costs time
    try:
        _run(args, output, x_range, points, grad, only_grad, ylim, title, size, dpi, all_, fmt)
    finally:
        if FREEZE_AT_EXIT:
            # the process ends next: without this its final collection walks every matplotlib object (~0.1 s)
            gc.freeze()
        gc.enable()


#: freeze the heap after plotting (the CLI process then exits); tests running many commands in one process turn it off
FREEZE_AT_EXIT = True


def _run(args, output, x_range, points, grad, only_grad, ylim, title, size, dpi, all_, fmt) -> None:
    from actloss import plot as P
    from actloss import registry
    from actloss.cli.evaluate import parse_call

    call = parse_call(args)
    if call.options:
        raise InputError(f"plot does not take --{next(iter(call.options))} (see 'actloss plot --help')")
    if call.numbers:
        raise InputError(f"plot takes no input numbers, got {call.numbers[0]!r}; choose the x range with --range XMIN XMAX")
    opts = P.Options(x_range=x_range, points=points, grad=grad, only_grad=only_grad, ylim=ylim,
                     title=title, size=size, dpi=dpi)
    if fmt is not None:
        P.output_format(f"plot.{fmt.lower().lstrip('.')}")  # unsupported: an error before anything else
    reg = registry.load()
    if all_:
        if call.names:
            raise InputError("--all plots every function: give either names or --all")
        if output is None:
            raise InputError("--all writes one file per function: give a directory, e.g. actloss plot --all -o gallery/")
        if not _is_dir_target(output) and Path(output).suffix.lower().lstrip(".") in P.FORMATS:
            raise InputError(f"--all writes one file per function into a directory, not {output}: use -o DIR/")
        P.check_options(opts)
        items = items_from(list(reg), call.params)
        _gallery(P, items, opts, output, (fmt or "png").lower().lstrip("."))
        return
    if not call.names:
        if call.params:
            first = next(iter(call.params))
            raise InputError(f"put the function name before its options: actloss plot NAME --{first} VALUE ... (see 'actloss plot --help')")
        raise InputError(f"no function named; usage: actloss plot {_USAGE} (see 'actloss list'), or actloss plot --all -o DIR/")
    records = []
    for name in call.names:
        rec = reg.get(name)
        if rec not in records:
            records.append(rec)
    stem = "-".join(r.name for r in records)
    ext = (fmt or "png").lower().lstrip(".")
    if output is None:
        path, told = Path(f"{stem}.{ext}"), True
    elif _is_dir_target(output):
        path, told = Path(output) / f"{stem}.{ext}", False
    else:
        path, told = Path(output), False
    fmt_out = P.output_format(path, fmt)
    P.check_options(opts)
    items = items_from(records, call.params)
    P.check_items(items, opts)
    written = P.plot(items, opts, path, fmt_out)
    if told:
        _note(f"wrote {written.resolve()}")


def _gallery(P, items, opts, output: str, fmt: str) -> None:
    directory = Path(output)
    if term.stderr_is_terminal():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=term.console(stderr=True), transient=True) as bar:
            task = bar.add_task("plotting", total=len(items))
            seen = [0]

            def progress(name: str) -> None:
                if seen[0]:
                    bar.advance(task)
                seen[0] += 1
                bar.update(task, description=f"plotting {name:<14}")

            written = P.gallery(items, opts, directory, fmt, progress)
            bar.advance(task)
    else:
        written = P.gallery(items, opts, directory, fmt)
    _note(f"wrote {len(written)} plots and index.md to {directory.resolve()}")


def _formats() -> tuple[str, ...]:
    from actloss.plot import FORMATS

    return FORMATS


def register(app) -> None:
    import typer

    def plot_command(
        ctx: typer.Context,
        output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE", help="Output file; the extension picks the format (.png, .svg, .pdf, ...). A directory (DIR/) takes NAME.png inside it. Default: NAME.png here."),
        x_range: Optional[Tuple[float, float]] = typer.Option(None, "--range", metavar="XMIN XMAX", help="x range (default: the function's own, e.g. -5 5; relu6 -3 9)."),
        points: int = typer.Option(1000, "--points", metavar="N", show_default=False, help="Evenly spaced points (default 1000; 2 to 1,000,000), plus each kink exactly."),
        grad: bool = typer.Option(False, "--grad", metavar="", help="Overlay the derivative (dashed, same colour)."),
        only_grad: bool = typer.Option(False, "--only-grad", metavar="", help="Plot only the derivative."),
        ylim: Optional[Tuple[float, float]] = typer.Option(None, "--ylim", metavar="YMIN YMAX", help="y range (default: fit the curves)."),
        title: Optional[str] = typer.Option(None, "--title", metavar="T", help="Title above the plot."),
        size: Optional[Tuple[float, float]] = typer.Option(None, "--size", metavar="W H", help="Figure size in inches (default 6.4 4.2; 8.4 4.2 for several functions)."),
        dpi: float = typer.Option(150.0, "--dpi", metavar="D", show_default=False, help="Resolution of raster formats (default 150)."),
        all_: bool = typer.Option(False, "--all", metavar="", help="Plot every function (value and derivative) into -o DIR/, with an index.md."),
        fmt: Optional[str] = typer.Option(None, "--format", metavar="EXT", autocompletion=_formats, help="Format when -o gives no file name (png, svg, pdf, ...); the gallery's format."),
    ) -> None:
        run(list(ctx.args), output, x_range, points, grad, only_grad, ylim, title, size, dpi, all_, fmt)

    app.command("plot", help=PLOT_HELP, context_settings=_CTX, options_metavar=_USAGE)(plot_command)
