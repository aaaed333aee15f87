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


def compute(record, params, x, derivative: int):
    if derivative == 2:
        return record.derivative(x, order=2, **params)
    fn = record.derivative if derivative else record.value
    return fn(x, **params)


def stream_elementwise(records, bound, derivative, fmt, precision, path=None) -> None:
    """Chunked stdin (or a text/CSV file) -> stdout for elementwise functions.

    Memory stays bounded whatever the input's length; long inputs use two cores (``actloss.stream``).
    """
    from actloss import stream

    source, name, csv = (sys.stdin.buffer, "stdin", False) if path is None else io.open_input(path)

    def chunks():
        for i, (chunk, lines_before) in enumerate(io.iter_chunks(source)):
            if i == 0 and csv:
                body = io.strip_csv_header(chunk)
                lines_before += int(len(body) != len(chunk))  # the header line
                chunk = body
            try:
                yield io.parse_flat(chunk, lines_before, name)
            except InputError as exc:
                if exc.partial is not None and exc.partial.size:
                    yield exc.partial  # every result before the bad number, then the error
                raise

    def compute_rows(x):
        ys = [compute(r, p, x, derivative) for r, p in zip(records, bound)]
        return np.column_stack(([x] if fmt == "csv" else []) + ys)

    header = [_csv_header(records, derivative)] if fmt == "csv" else []

    def text_of(rows):
        text = render.rows_of(rows, precision, sep="," if fmt == "csv" else " ", exact=int(fmt == "csv"))
        return header.pop() + text if header else text

    try:
        if stream.run(chunks(), compute_rows, text_of, sys.stdout.buffer) == 0:
            raise InputError("no numbers on stdin" if path is None else f"no numbers in {path!r}")
    finally:
        if path is not None:
            source.close()


def _csv_header(records, derivative) -> bytes:
    return (",".join(["x"] + [_column(r, derivative) for r in records]) + "\n").encode()


def _read_input(numbers, input_path, vector):
    if numbers:
        x = io.parse_tokens(numbers)
        source = "the arguments"
        if vector:
            x = x.reshape(1, -1)
    elif input_path:
        x = io.read_file(input_path, vector)
        source = repr(input_path)
    else:
        data = io.read_stdin()
        x = io.parse_rows(data) if vector else io.parse_flat(data)
        source = "stdin"
    if x.size == 0:
        raise InputError(f"no numbers in {source}")
    return x


#: beyond this many rows a table on a terminal is no help: print plain lines unless asked
TABLE_ROWS = 1000


def evaluate_all(records, bound, numbers, input_path, derivative, fmt, precision, vector, auto_table=False) -> None:
    x = _read_input(numbers, input_path, vector)
    if auto_table and x.shape[0] > TABLE_ROWS:
        fmt = "plain"
    ys = [compute(r, p, x, derivative) for r, p in zip(records, bound)]
    out = sys.stdout.buffer
    if fmt == "json":
        objs = [
            {
                "function": r.name,
                "parameters": {k: render.param_json(v) for k, v in p.items()},
                "quantity": ("jacobian" if vector else ("derivative", "second derivative")[int(derivative) - 1])
                if derivative else "value",
                "x": render.json_array(x),  # the inputs as given
                "y": render.json_array(y, precision),
            }
            for r, p, y in zip(records, bound, ys)
        ]
        out.write(render.dumps_json(objs[0] if len(objs) == 1 else objs))
        return
    if fmt == "table":
        return _table(records, bound, x, ys, derivative, vector, precision)
    if not vector:
        if fmt == "csv":
            out.write(_csv_header(records, derivative))
            out.write(render.rows_of(np.column_stack([x] + ys), precision, sep=",", exact=1))
        elif len(ys) == 1:
            out.write(render.lines_of(ys[0], precision))
        else:
            out.write(render.rows_of(np.column_stack(ys), precision))
        return
    y = ys[0]
    n = x.shape[-1]
    if fmt == "csv":
        if derivative:
            head = ["vector", "row"] + [f"d_x{j}" for j in range(n)]
            out.write((",".join(head) + "\n").encode())
            for v, jac in enumerate(y):
                for i, row in enumerate(jac):
                    out.write(f"{v},{i},".encode() + render.rows_of(row.reshape(1, -1), precision, sep=","))
        else:
            head = [f"x{j}" for j in range(n)] + [f"y{j}" for j in range(y.shape[-1])]
            out.write((",".join(head) + "\n").encode())
            out.write(render.rows_of(np.hstack([x, y]), precision, sep=",", exact=x.shape[-1]))
        return
    if derivative:
        blocks = [render.rows_of(jac, precision) for jac in y]
        out.write(b"\n".join(blocks))
    else:
        out.write(render.rows_of(y, precision))


def _table(records, bound, x, ys, derivative, vector, precision) -> None:
    f = lambda v: render.number(float(v), precision)  # noqa: E731
    given = lambda v: render.number(float(v))  # noqa: E731  (inputs as given)
    if not vector:
        title = ", ".join(label(r, p, derivative) for r, p in zip(records, bound))
        columns = ["x"] + [label(r, {}, derivative) for r in records]
        render.table(title, columns, ([given(x[i])] + [f(y[i]) for y in ys] for i in range(x.size)))
        return
    r, p, y = records[0], bound[0], ys[0]
    for v in range(x.shape[0]):
        title = label(r, p, derivative) + (f"  vector {v + 1}" if x.shape[0] > 1 else "")
        if derivative:
            columns = ["∂out_i/∂x_j"] + [f"x{j}={given(x[v, j])}" for j in range(x.shape[1])]
            rows = ([f"out{i}"] + [f(c) for c in row] for i, row in enumerate(y[v]))
            render.table(title, columns, rows)
        else:
            n = y.shape[-1]
            rows = ([str(i), given(x[v, i]) if i < x.shape[1] else "", f(y[v, i])] for i in range(n))
            caption = f"value half a = x[:{n}], gate half b = x[{n}:]" if r.shape == "glu" else None
            render.table(title, ["i", "x", "y"], rows, caption)
