"""What eval and grad show: plain lines, CSV, JSON or a table (the renderers are ``actloss.render``)."""

from __future__ import annotations

import sys

import numpy as np

from actloss import io, render
from actloss.cli import term
from actloss.errors import InputError


def label(record, params, derivative: int = 0) -> str:
    """'elu(x; alpha=0.5)' or "gelu′(x)" for titles and JSON."""
    name = record.name + ("", "′", "″")[int(derivative)]  # derivative: 0, 1 or 2
    shown = "; ".join(f"{k}={render.param_text(v)}" for k, v in params.items())
    return f"{name}(x{'; ' + shown if shown else ''})"


def _column(record, derivative: int) -> str:
    return record.name + "'" * int(derivative)


def compute(record, params, x, derivative: int, lowp=None, shown: bool = True):
    """f, f' or f'' at x; with ``lowp`` (a LowPrecision) correctly rounded into its format, as printed
    (``shown=False``: the rounded values themselves, for :meth:`LowPrecision.shown` later)."""
    if lowp is not None:
        from actloss.lowp import quantity, rounded_result

        y = rounded_result(record, quantity(record, derivative), x, params, lowp.format, lowp.saturate)
        return lowp.shown(y) if shown else y
    if derivative == 2:
        return record.derivative(x, order=2, **params)
    fn = record.derivative if derivative else record.value
    return fn(x, **params)


class LowPrecision:
    """``--dtype`` (and ``--saturate``): inputs rounded to the format, results printed in its shortest decimals."""

    def __init__(self, fmt, saturate: bool, precision):
        self.format, self.saturate, self.precision = fmt, saturate, precision

    def rounded(self, x):
        """The inputs as a tensor of the format holds them."""
        from actloss.lowp import round_to

        return round_to(x, self.format, self.saturate)

    def shown(self, values):
        """The float64 nearest each value's shortest round-trip decimal (exact values with --precision)."""
        values = np.asarray(values, dtype=np.float64)
        if self.precision is not None:
            return values
        from actloss.lowp import display

        return display(values, self.format)


def _shown_x(x, lowp):
    return x if lowp is None else lowp.shown(lowp.rounded(x))


def _csv_header(records, derivative) -> bytes:
    return (",".join(["x"] + [_column(r, derivative) for r in records]) + "\n").encode()


#: beyond this many rows a table on a terminal is no help: print plain lines unless asked
TABLE_ROWS = 1000


def _blocks(numbers, input_path, vector, lowp=None):
    """The input, block by block: the numbers after --, a file, or stdin (never all in memory)."""
    if numbers:
        x = io.parse_tokens(numbers)
        yield x.reshape(1, -1) if vector else x
        return
    raw = _raw_npy(input_path, lowp)
    if raw is not None:
        yield raw.reshape(-1, raw.shape[-1]) if vector else raw.reshape(-1)
        return
    yield from io.iter_input(input_path, vector)


def _raw_npy(path, lowp):
    """An .npy of raw 1- or 2-byte values (how ml_dtypes arrays are saved) read as the format's bit patterns."""
    if lowp is None or not path or not path.lower().endswith(".npy"):
        return None
    try:
        a = np.load(path, mmap_mode="r")
    except Exception:  # the reader reports it
        return None
    if a.dtype.kind != "V" or a.dtype.itemsize * 8 != max(8, lowp.format.bits):
        return None
    with np.errstate(invalid="ignore"):
        return np.asarray(a).view(lowp.format.dtype).astype(np.float64)


def _nothing(numbers, input_path) -> InputError:
    source = "the arguments" if numbers else (repr(input_path) if input_path else "stdin")
    return InputError(f"no numbers in {source}" if input_path or numbers else "no numbers on stdin")


def evaluate(records, bound, numbers, input_path, derivative, fmt, precision, vector, auto_table=False,
             lowp=None) -> None:
    """Compute and print, block by block: memory stays bounded whatever the input's length."""
    blocks = _blocks(numbers, input_path, vector, lowp)
    if fmt == "table":
        x = _gather(blocks, vector)
        if x.shape[0] == 0:
            raise _nothing(numbers, input_path)
        if not (auto_table and x.shape[0] > TABLE_ROWS):
            ys = [compute(r, p, x, derivative, lowp) for r, p in zip(records, bound)]
            return _table(records, bound, _shown_x(x, lowp), ys, derivative, vector, precision, lowp)
        fmt, blocks = "plain", iter([x])
    if fmt == "json":
        return _json(records, bound, blocks, derivative, precision, vector, numbers, input_path, lowp)
    from itertools import chain

    from actloss import stream

    first = next(blocks, None)
    if first is None:
        raise _nothing(numbers, input_path)
    width = first.shape[1] if vector else 1
    if vector and derivative:  # a Jacobian per vector: blocks of at most ~2 million entries
        blocks = _rechunk(chain([first], blocks), max(1, (2 << 20) // max(1, width * width)))
        first = next(blocks)
    compute_rows, text_of = _plain_or_csv(records, bound, derivative, fmt, precision, vector, width, lowp)
    if stream.run(chain([first], blocks), compute_rows, text_of, sys.stdout.buffer) == 0:
        raise _nothing(numbers, input_path)


def _rechunk(blocks, rows: int):
    for b in blocks:
        for i in range(0, b.shape[0], rows):
            yield b[i:i + rows]


def _gather(blocks, vector):
    parts = [b for b in blocks if b.size]
    if not parts:
        return np.empty((0, 0) if vector else 0)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _plain_or_csv(records, bound, derivative, fmt, precision, vector, n_in, lowp=None):
    """(compute: a block of inputs -> 2-D rows of numbers, render: rows -> text), for actloss.stream.

    ``n_in``: the length of each input vector (vector functions).
    """
    csv = fmt == "csv"
    sep = "," if csv else " "
    state = {"header": csv, "vectors": 0}
    n_out = compute(records[0], bound[0], np.zeros((1, n_in)), False).shape[-1] if vector else 1

    # in a low-precision format the rows hold the rounded values, and text_of prints each in its
    # shortest decimals (in the writing process of a stream, beside the rendering)
    def compute_rows(x):
        ys = [compute(r, p, x, derivative, lowp, shown=False) for r, p in zip(records, bound)]
        if lowp is not None and (csv or vector):
            x = lowp.rounded(x)
        if not vector:
            return np.column_stack(([x] if csv else []) + ys)
        y = ys[0]
        if derivative:  # the Jacobians, one row of each per line
            return y.reshape(-1, y.shape[-1])
        return np.hstack([x, y]) if csv else y

    def text_of(rows):
        head = b""
        if lowp is not None:
            rows = lowp.shown(rows)
        if vector and derivative:
            n, m = n_in, n_out  # each Jacobian: n_out rows of n_in
            if csv:
                if state["header"]:
                    head = (",".join(["vector", "row"] + [f"d_x{j}" for j in range(n)]) + "\n").encode()
                k = rows.shape[0] // m
                first = state["vectors"]
                lines = render.rows_of(rows, precision, sep=",").split(b"\n")[:-1]
                body = b"".join(f"{first + v},{i},".encode() + lines[v * m + i] + b"\n" for v in range(k) for i in range(m))
            else:
                lines = render.rows_of(rows, precision).split(b"\n")[:-1]
                k = len(lines) // m
                body = b"".join(("\n" if state["vectors"] + v else "").encode() + b"\n".join(lines[v * m:(v + 1) * m]) + b"\n"
                                for v in range(k))
            state["vectors"] += rows.shape[0] // m
        elif vector and csv:
            if state["header"]:
                head = (",".join([f"x{j}" for j in range(n_in)] + [f"y{j}" for j in range(n_out)]) + "\n").encode()
            body = render.rows_of(rows, precision, sep=",", exact=n_in)
        else:
            if state["header"]:
                head = _csv_header(records, derivative)
            body = render.rows_of(rows, precision, sep=sep, exact=int(csv and not vector))
        state["header"] = False
        return head + body

    return compute_rows, text_of


def _json(records, bound, blocks, derivative, precision, vector, numbers, input_path, lowp=None) -> None:
    """One JSON document, the arrays kept in temporary files until written (bounded memory)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="actloss-") as tmp:
        xs = render.Spill(tmp, "x")
        ys = [render.Spill(tmp, f"y{i}") for i in range(len(records))]
        if vector and derivative:
            blocks = _rechunk(blocks, 1 << 10)
        for x in blocks:
            if not x.size:
                continue
            xs.append(_shown_x(x, lowp))
            for spill, r, p in zip(ys, records, bound):
                spill.append(compute(r, p, x, derivative, lowp))
        if xs.count == 0:
            raise _nothing(numbers, input_path)
        quantity = ("jacobian" if vector else ("derivative", "second derivative")[int(derivative) - 1]) if derivative else "value"
        objs = [
            {"function": r.name, "parameters": {k: render.param_json(v) for k, v in p.items()},
             "quantity": quantity, **({"dtype": lowp.format.name} if lowp is not None else {}),
             "x": xs, "y": render.Rounded(y, precision)}
            for r, p, y in zip(records, bound, ys)
        ]
        render.write_json(objs[0] if len(objs) == 1 else objs)


def _table(records, bound, x, ys, derivative, vector, precision, lowp=None) -> None:
    f = lambda v: render.number(float(v), precision)  # noqa: E731
    given = lambda v: render.number(float(v))  # noqa: E731  (inputs as given)
    in_format = f" in {lowp.format.name}" if lowp is not None else ""
    if not vector:
        title = ", ".join(label(r, p, derivative) for r, p in zip(records, bound)) + in_format
        columns = ["x"] + [label(r, {}, derivative) for r in records]
        render.table(title, columns, ([given(x[i])] + [f(y[i]) for y in ys] for i in range(x.size)))
        return
    r, p, y = records[0], bound[0], ys[0]
    for v in range(x.shape[0]):
        title = label(r, p, derivative) + in_format + (f"  vector {v + 1}" if x.shape[0] > 1 else "")
        if derivative:
            columns = ["∂out_i/∂x_j"] + [f"x{j}={given(x[v, j])}" for j in range(x.shape[1])]
            rows = ([f"out{i}"] + [f(c) for c in row] for i, row in enumerate(y[v]))
            render.table(title, columns, rows)
        else:
            n = y.shape[-1]
            rows = ([str(i), given(x[v, i]) if i < x.shape[1] else "", f(y[v, i])] for i in range(n))
            caption = f"value half a = x[:{n}], gate half b = x[{n}:]" if r.shape == "glu" else None
            render.table(title, ["i", "x", "y"], rows, caption)
