"""``actloss plot``: a function and its derivative as PNG, SVG or PDF, and a gallery of all of them.

The arguments are declared in ``actloss.cli.typer_app``; an option applies to the named functions that
take it, one that none of them takes is an error. matplotlib and numpy load in the command body only.
"""

import os
import sys
from pathlib import Path

from actloss.cli import term

from actloss.errors import InputError, ParameterError

_USAGE = "NAME [NAME ...] [OPTIONS]"

#: plot options that a function family takes in addition to its record's parameters
FAMILY_OPTIONS = {"others": "vector", "value": "glu"}  # as declared in actloss.cli.typer_app


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


def items_from(records, params: dict[str, str], dtype: str | None = None):
    """Plot items: each record with its bound parameters and its family's fixed inputs (and --dtype's format)."""
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
    from actloss.plot import sweep

    if dtype is not None:
        wrong = next((r.name for r in records if r.shape != "elementwise"), None)
        if wrong is not None:
            raise InputError(f"plot --dtype takes elementwise activations; {wrong} is not one")
    swept = sweep(records, params)
    if swept is None:
        bound = _bind_all(records, params)
        return [Item(r, p, others=others, value=value[0], dtype=dtype) for r, p in zip(records, bound)]
    key, values = swept  # one curve per value (and per function that takes it)
    items = []
    for r in records:
        takes = r.param(key) is not None
        for v in values if takes else values[:1]:
            bound = _bind_all([r], {k: (v if k == key else x) for k, x in params.items() if takes or k != key})[0]
            label = f"{r.name} ({r.param(key).name}={v})" if takes else None
            items.append(Item(r, bound, others=others, value=value[0], label=label, dtype=dtype))
    return items


def _note(message: str) -> None:
    sys.stderr.write(f"actloss: {message}\n")
    sys.stderr.flush()


def _is_dir_target(out: str) -> bool:
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


def run(numbers=(), names=(), output=None, x_range=None, points=1000, grad=False, only_grad=False, ylim=None,
        title=None, size=None, dpi=150.0, all_=False, fmt=None, term=False, grad2=False, others=None, value=None,
        dtype=None, **params) -> None:
    """``actloss plot``."""
    import gc

    from actloss.cli.evaluate import given

    params = given({**params, "others": others, "value": value})
    gc.disable()  # matplotlib's import allocates a lot; cyclic collection meanwhile only costs time
    try:
        _run(list(names), list(numbers), params, output, x_range, points, grad, only_grad, ylim, title, size, dpi, all_, fmt,
             bool(term), bool(grad2), dtype)
    finally:
        if FREEZE_AT_EXIT:
            # the process ends next: without this its final collection walks every matplotlib object (~0.1 s)
            gc.freeze()
        gc.enable()


#: freeze the heap after plotting (the CLI process then exits); tests running many commands in one process turn it off
FREEZE_AT_EXIT = True


def _run(names, numbers, params, output, x_range, points, grad, only_grad, ylim, title, size, dpi, all_, fmt, text=False,
         second=False, dtype=None) -> None:
    from actloss import plot as P
    from actloss import registry

    if dtype is not None:
        from actloss import lowp

        dtype = lowp.get_format(dtype).name
        if dtype == "float64":
            dtype = None

    if numbers:
        raise InputError(f"plot takes no input numbers, got {numbers[0]!r}; choose the x range with --range XMIN XMAX")
    opts = P.Options(x_range=x_range, points=points, grad=grad, only_grad=only_grad, second=second, ylim=ylim,
                     title=title, size=size, dpi=dpi)
    if fmt is not None:
        f = fmt.lower().lstrip(".")
        P.check_format(f, f"--format {f}:")  # unsupported: an error before anything else
    reg = registry.load()
    if text and (all_ or output is not None):
        raise InputError("--term draws on stdout: give it without -o and --all (or -o FILE without --term)")
    if all_:
        if names:
            raise InputError("--all plots every function: give either names or --all")
        if output is None or output == "-":
            raise InputError("--all writes one file per function: give a directory, e.g. actloss plot --all -o gallery/")
        if not _is_dir_target(output) and Path(output).suffix.lower().lstrip(".") in P.FORMATS:
            raise InputError(f"--all writes one file per function into a directory, not {output}: use -o DIR/")
        P.check_options(opts)
        items = items_from(list(reg), params, dtype)
        _gallery(P, items, opts, output, (fmt or "png").lower().lstrip("."))
        return
    if not names:
        raise InputError(f"no function named; usage: actloss plot {_USAGE} (see 'actloss list'), or actloss plot --all -o DIR/")
    records = []
    for name in names:
        rec = reg.get(name)
        if rec not in records:
            records.append(rec)
    if text:  # the plot as text on stdout
        P.check_options(opts)
        items = items_from(records, params, dtype)
        sys.stdout.write(P.terminal_text(items, opts, sys.stdout))
        return
    if output == "-":  # the image itself on stdout, for a pipe
        ext = (fmt or "png").lower().lstrip(".")
        if term.stdout_is_terminal():
            raise InputError(f"-o - writes {ext.upper()} bytes to stdout, which is a terminal: pipe it "
                             f"(actloss plot ... -o - | display), give -o FILE, or draw it as text with --term")
        P.check_options(opts)
        items = items_from(records, params, dtype)
        P.check_items(items, opts)
        data = P.image_bytes(items, opts, ext)
        _title_hint(P, title)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
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
    items = items_from(records, params, dtype)
    P.check_items(items, opts)
    written = P.plot(items, opts, path, fmt_out)
    _title_hint(P, title)
    if told:
        _note(f"wrote {written.resolve()}")


def _title_hint(P, title) -> None:
    """One line when the title needs a font that is not installed (its characters show as boxes)."""
    if title:
        hint = P.title_font(title)[1]
        if hint:
            _note(hint)


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
