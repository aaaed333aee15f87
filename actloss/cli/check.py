"""``actloss check``: grade a kernel's outputs against the correctly rounded value (``actloss.testing``)."""

from __future__ import annotations

import sys

from actloss.cli import term
from actloss.errors import InputError

_USAGE = "NAME --x X --y Y [--dtype D] [--grad] [--max-ulp N]"


def _load(path: str, option: str, fmt, vector: bool = False):
    """Values of a file: float .npy, bit-pattern .npy (unsigned or raw, with --dtype), text or CSV
    (``vector``: one vector per line, as eval reads them)."""
    import numpy as np

    from actloss import io

    if path.lower().endswith(".npy"):
        io.check_path(path)
        try:
            a = np.load(path, mmap_mode="r")  # graded block by block: never all in memory
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {option} {path!r}: {exc}") from None
        if a.dtype.kind in "uV":
            if fmt is None:
                raise InputError(f"{option} {path!r} holds bit patterns ({a.dtype}): say which format with --dtype")
            width = max(8, fmt.bits) // 8
            if a.dtype.itemsize != width:
                raise InputError(f"{option} {path!r} holds {a.dtype.itemsize}-byte values, {fmt.name} has {width}")
            return (a.view(fmt.uint) if a.dtype.kind == "V" else a), "bits"
        if a.dtype.kind == "f":
            return a, a.dtype
    blocks = [b for b in io.iter_input(path, vector) if b.size]
    return (np.concatenate(blocks) if blocks else np.empty(0)), None


def _values(a, kind, fmt):
    """Bit patterns as values of the format (a lazy view of a memory map where possible)."""
    import numpy as np

    if kind != "bits":
        return a
    if fmt.bits >= 8 and a.dtype.itemsize * 8 == fmt.bits:
        return a.view(fmt.dtype)  # ml_dtypes and numpy types widen exactly when graded
    with np.errstate(invalid="ignore"):
        return np.asarray(a).astype(fmt.uint).view(fmt.dtype)


def run(numbers, names, x=None, y=None, dtype=None, grad=False, order=None, max_ulp=None, format=None, write_inputs=None,
        **params) -> None:
    from actloss import lowp, registry, testing
    from actloss.cli.evaluate import given

    if not names:
        raise InputError(f"no function named; usage: actloss check {_USAGE}")
    if len(names) > 1:
        raise InputError(f"check grades one function, got {len(names)}: {' '.join(names)}")
    record = registry.load().get(names[0])
    bound = record.bind(given(params))
    fmt = lowp.get_format(dtype) if dtype is not None else None
    if write_inputs is not None:
        return _write_inputs(write_inputs, fmt)
    if numbers:
        raise InputError("check reads --x FILE and --y FILE, not numbers after --")
    missing = [o for o, v in (("--x", x), ("--y", y)) if v is None]
    if missing:
        raise InputError(f"missing {' and '.join(missing)}: usage: actloss check {_USAGE}")
    vector = record.shape != "elementwise"
    xs, xkind = _load(x, "--x", fmt, vector)
    ys, ykind = _load(y, "--y", fmt, vector)
    if fmt is None:
        fmt = lowp.get_format(ykind if ykind is not None else "float64")
    xs, ys = _values(xs, xkind, fmt), _values(ys, ykind, fmt)
    if record.shape == "elementwise" and xs.shape != ys.shape:
        raise InputError(f"--x holds {xs.size} numbers and --y {ys.size}: give one output per input")
    if vector:
        xs, ys = _check_vectors(record, xs, ys, bool(grad) or order is not None)
    limit = 1 if max_ulp is None else float(max_ulp)
    if limit < 0:
        raise InputError(f"--max-ulp must be 0 or more, got {max_ulp}")
    grad = 2 if order == "2" else int(bool(grad) or order == "1")  # which derivative is graded: 0, 1 or 2
    rep = testing.report(ys, record.name, xs, dtype=fmt, grad=grad, max_ulp=limit, **bound)
    fmt_out = format or ("table" if term.stdout_is_terminal() else "json")
    if fmt_out == "json":
        from actloss import render

        def leaf(v):
            if isinstance(v, float) and v != v:
                return "nan"
            if isinstance(v, float) and v in (float("inf"), float("-inf")):
                return "inf" if v > 0 else "-inf"
            return v

        rep = {**rep, "worst": [{k: leaf(v) for k, v in w.items()} for w in rep["worst"]]}
        render.write(render.json(rep))
    else:
        _table(rep, grad, limit)
    sys.exit(0 if rep["passed"] else 1)


def _check_vectors(record, xs, ys, jacobian: bool):
    """(vectors (N, n), outputs (N, m) or Jacobians (N, m, n)): one output row (or Jacobian) per input
    vector, of the width the function gives, however the files lay them out."""
    if xs.ndim == 0 or xs.size == 0:
        raise InputError("--x holds no vectors: one vector per line (or an .npy of shape (N, n))")
    n = xs.shape[-1]
    rows = xs.size // n
    m = n // 2 if record.shape == "glu" else n
    want = (rows, m, n) if jacobian else (rows, m)
    if ys.size != rows * m * (n if jacobian else 1):
        what = f"{m}×{n} Jacobian" if jacobian else f"{m} outputs"
        raise InputError(f"--x holds {rows} vector(s) of {n} and --y {ys.size} numbers: {record.name} gives {what} "
                         f"per vector, {rows * m * (n if jacobian else 1)} in all (shape {want})")
    return xs.reshape(rows, n), ys.reshape(want)


def _table(rep: dict, grad: int, limit: float) -> None:
    from actloss import render

    what = rep["function"] + ("", "′", "″")[grad]
    verdict = "passed" if rep["passed"] else "FAILED"
    title = f"{what} in {rep['dtype']}: {verdict} ({rep['mismatches']} of {rep['count']} past {limit:g} ulp, max {rep['max_ulp']} ulp)"
    rows = [[k, str(v)] for k, v in rep["histogram"].items()]
    rows += [[k.replace("_", " "), str(v)] for k, v in rep["classes"].items() if v]
    render.table(title, ["ulp", "elements"], rows)
    if rep["worst"]:
        from actloss.lowp import shortest

        def text(v):  # as the format prints it (its shortest round-trip decimal)
            return "" if v is None else shortest([v], rep["dtype"])[0]

        render.table("worst", ["x", "got", "exact", "ulp"],
                     ([text(w["x"]), text(w["got"]), text(w["exact"]), str(w["ulp"])] for w in rep["worst"]))


def _write_inputs(path: str, fmt) -> None:
    import os
    import tempfile

    import numpy as np

    from actloss import testing

    if fmt is None or fmt.bits > 16:
        raise InputError("--write-inputs takes --dtype of an 8- or 16-bit format (bfloat16, float16, float8_e4m3fn, ...)")
    values = testing.every_value(fmt)
    from actloss.lowp import bits_of

    codes = bits_of(values, fmt)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npy")
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, codes)
        os.replace(tmp, path)
    except OSError as exc:
        from actloss.errors import OutputError

        raise OutputError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    print(f"wrote {len(codes)} {fmt.name} bit patterns to {path}", file=sys.stderr)
