"""Writing results: the one output layer of every command.

Numbers print in their shortest round-trip form (exactly ``repr(float)``: ``nan``, ``inf``,
``-inf``) or with N significant digits; parameter values in one spelling (:func:`param_text`,
:func:`param_json`). One renderer per format, shared by eval, grad, loss, list and info:
:func:`plain` (lines of words), :func:`csv` (a header and rows), :func:`json` (strict JSON:
non-finite numbers are the strings "nan", "inf", "-inf") and :func:`table` (a rich table, on a
terminal). A new format is one more function here.

Printing is the cost of a streaming CLI: orjson prints float64 in C with the same shortest
round-trip digits as ``repr``; the few numbers it spells its own way are printed by ``repr``.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # numpy and orjson load with the first number printed, not with this module
    import numpy as np


# ---------------------------------------------------------------------------
# parameter values
# ---------------------------------------------------------------------------

def param_text(value: Any) -> str:
    """A parameter value as typed on the command line: true/false, none, 0.5, 1.0,2.0, tanh."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (tuple, list)):
        return ",".join(param_text(v) for v in value)
    return str(value)


def param_json(value: Any) -> Any:
    """A parameter value in JSON: numbers (non-finite as strings), lists, strings, booleans, null."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return [param_json(v) for v in value]
    return json_number(value)


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------

def number(v: float, precision: int | None = None) -> str:
    """One number: repr (shortest round-trip) or ``precision`` significant digits."""
    if precision is None or not math.isfinite(v):
        return repr(float(v))
    return f"{v:.{precision}g}"


# orjson prints the same shortest round-trip digits as repr, but spells numbers in [1e-10, 1e-4)
# its own way (0.000053 and 1e-7 for repr's 5.3e-05 and 1e-07), and non-finite numbers as null.
# Those few are printed by repr; a margin below 1e-10 covers values that round up to 1e-10.
_OWN_LOW, _OWN_HIGH = 9.5e-11, 1e-4
_TO_LINES = bytes.maketrans(b",]", b"\n\n")


def lines_of(y: np.ndarray, precision: int | None = None) -> bytes:
    """One number per line, newline-terminated; identical to '\\n'.join(map(repr, y))."""
    import numpy as np
    import orjson

    y = np.ascontiguousarray(y, dtype=np.float64).reshape(-1)
    if y.size == 0:
        return b""
    if precision is not None:
        return ("\n".join(number(v, precision) for v in y.tolist()) + "\n").encode()
    with np.errstate(invalid="ignore"):
        a = np.abs(y)
        own = ~((a >= _OWN_HIGH) | (a < _OWN_LOW))  # also true for nan
    own |= np.isinf(y)
    if not own.any():
        return orjson.dumps(y, option=orjson.OPT_SERIALIZE_NUMPY).translate(_TO_LINES, b"[")
    idx = np.flatnonzero(own)
    marked = y.copy()
    marked[idx] = np.nan  # printed as null, then replaced by repr
    parts = orjson.dumps(marked, option=orjson.OPT_SERIALIZE_NUMPY).translate(_TO_LINES, b"[").split(b"null")
    pieces = [b""] * (2 * len(parts) - 1)
    pieces[0::2] = parts
    pieces[1::2] = [repr(v).encode() for v in y[idx].tolist()]
    return b"".join(pieces)


def rows_of(table: np.ndarray, precision: int | None = None, sep: str = " ", exact: int = 0) -> bytes:
    """A 2-D array as lines of ``sep``-separated numbers; the first ``exact`` columns (the inputs)
    always in full, whatever ``precision``."""
    import numpy as np

    table = np.asarray(table, dtype=np.float64)
    if table.ndim == 1:
        table = table.reshape(-1, 1)
    n, m = table.shape
    if n == 0:
        return b""
    if precision is not None and exact:
        sepb = sep.encode()
        cols = [lines_of(table[:, j], None if j < exact else precision).split(b"\n")[:-1] for j in range(m)]
        return b"".join(sepb.join(cells) + b"\n" for cells in zip(*cols))
    if m == 1:
        return lines_of(table[:, 0], precision)
    if precision is None:
        return _rows_fast(table, sep)
    flat = lines_of(table.reshape(-1), precision).split(b"\n")[:-1]
    sepb = sep.encode()
    return b"".join(sepb.join(flat[i * m : (i + 1) * m]) + b"\n" for i in range(n))


def _rows_fast(table, sep: str) -> bytes:
    """Rows of shortest round-trip numbers by one orjson pass ([[a,b],[c,d]] -> 'a b\\nc d\\n')."""
    import numpy as np
    import orjson

    table = np.ascontiguousarray(table, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        a = np.abs(table)
        own = ~((a >= _OWN_HIGH) | (a < _OWN_LOW))  # also true for nan
    own |= np.isinf(table)
    marked = table
    if own.any():
        marked = table.copy()
        marked[own] = np.nan  # printed as null, then replaced by repr
    text = orjson.dumps(marked, option=orjson.OPT_SERIALIZE_NUMPY)[2:-2].replace(b"],[", b"\n")
    if sep != ",":
        text = text.replace(b",", sep.encode())
    if own.any():
        parts = text.split(b"null")
        pieces = [b""] * (2 * len(parts) - 1)
        pieces[0::2] = parts
        pieces[1::2] = [repr(v).encode() for v in table[own].tolist()]
        text = b"".join(pieces)
    return text + b"\n"


def json_number(v: float, precision: int | None = None):
    """A JSON-safe number: non-finite values spelled as strings."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if precision is not None:
        return float(f"{v:.{precision}g}")
    return v


def json_array(a: np.ndarray, precision: int | None = None):
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return json_number(float(a), precision)
    return [json_array(r, precision) if a.ndim > 1 else json_number(r, precision) for r in (a if a.ndim > 1 else a.tolist())]


def dumps_json(obj) -> bytes:
    import orjson

    return orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n"


# ---------------------------------------------------------------------------
# the renderers
# ---------------------------------------------------------------------------

def write(data: bytes | str) -> None:
    """Bytes (or text) to stdout, after anything already written as text."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data.encode() if isinstance(data, str) else data)


def plain(rows: Iterable[Sequence[str]], sep: str = " ") -> bytes:
    """Lines of words: one line per row."""
    return "".join(sep.join(r) + "\n" for r in rows).encode()


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV document: the header line, then one line per row (cells quoted where they must be)."""
    lines = [",".join(_csv_cell(h) for h in header)]
    lines += [",".join(_csv_cell(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def json(obj: Any) -> bytes:
    """Strict JSON, indented, newline-terminated."""
    return dumps_json(obj)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[str]], caption: str | None = None,
          sections: Iterable[int] = (), bold: Iterable[int] = (), numbers: bool = True) -> None:
    """A rich table on the terminal (text from records is never read as markup).

    ``sections``: rows after which a rule is drawn; ``bold``: rows in bold.
    """
    from rich.table import Table
    from rich.text import Text

    from actloss.cli import term

    rows = [list(r) for r in rows]
    console = term.console()
    widths = [max([len(c)] + [len(r[j]) for r in rows]) for j, c in enumerate(columns)]
    if numbers and sum(widths) + 3 * len(widths) + 1 > console.width:
        # a number split over two lines is no longer a number: print plain rows instead
        sys.stderr.write(f"actloss: the table needs {sum(widths) + 3 * len(widths) + 1} columns, the terminal has "
                         f"{console.width}: printed as plain text (--format csv keeps the headers)\n")
        write(plain([columns] + rows))
        return
    sections, bold = set(sections), set(bold)
    kw = {"title": Text(title), "title_justify": "left", "min_width": len(title) + 2} if title else {"title_justify": "left"}
    t = Table(**kw)
    for c in columns:
        t.add_column(Text(c), justify="right" if numbers else "left", overflow="fold")
    for i, r in enumerate(rows):
        t.add_row(*[Text(c) for c in r], end_section=i in sections, style="bold" if i in bold else None)
    console.print(t)
    if caption:
        console.print(Text(caption))


# ---------------------------------------------------------------------------
# JSON documents with arrays too large to hold: streamed from temporary files
# ---------------------------------------------------------------------------

class Spill:
    """A float64 array built block by block in a temporary file (rows along the first axis)."""

    def __init__(self, directory: str, name: str) -> None:
        import os

        self.path = os.path.join(directory, name)
        self._fh = open(self.path, "wb")
        self.count = 0
        self.tail: tuple[int, ...] | None = None

    def append(self, block) -> None:
        import numpy as np

        block = np.ascontiguousarray(block, dtype=np.float64)
        if block.ndim == 0:
            block = block.reshape(1)
        self.tail = block.shape[1:]
        self.count += block.shape[0]
        self._fh.write(memoryview(block).cast("B"))

    def blocks(self, rows: int = 1 << 15):
        """The array again, ``rows`` rows at a time."""
        import numpy as np

        self._fh.close()
        per = int(np.prod(self.tail or ())) or 1
        with open(self.path, "rb") as fh:
            while True:
                data = fh.read(rows * per * 8)
                if not data:
                    return
                yield np.frombuffer(data, dtype=np.float64).reshape((-1,) + tuple(self.tail or ()))


class Rounded:
    """A spilled array printed with ``precision`` significant digits."""

    def __init__(self, spill: Spill, precision: int | None) -> None:
        self.spill, self.precision = spill, precision


def _indented_block(block, depth: int, precision: int | None) -> bytes:
    """The elements of a block as orjson indents them inside a list at ``depth``, without the brackets."""
    import numpy as np
    import orjson

    if precision is None and np.isfinite(block).all():
        text = orjson.dumps(block, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_INDENT_2)
    else:
        text = orjson.dumps(json_array(block, precision), option=orjson.OPT_INDENT_2)
    inner = text[2:-2] if text.startswith(b"[\n") else text[1:-1]  # drop "[\n" and "\n]"
    pad = b"  " * depth
    return pad + inner.replace(b"\n", b"\n" + pad)


def _write_value(obj, depth: int, out) -> None:
    import orjson

    pad = b"  " * depth
    if isinstance(obj, (Spill, Rounded)):
        spill, precision = (obj.spill, obj.precision) if isinstance(obj, Rounded) else (obj, None)
        if spill.count == 0:
            out.write(b"[]")
            return
        out.write(b"[\n")
        first = True
        for block in spill.blocks():
            if not first:
                out.write(b",\n")
            out.write(_indented_block(block, depth, precision))
            first = False
        out.write(b"\n" + pad + b"]")
    elif isinstance(obj, dict) and obj:
        out.write(b"{\n")
        for i, (k, v) in enumerate(obj.items()):
            out.write(pad + b"  " + orjson.dumps(k) + b": ")
            _write_value(v, depth + 1, out)
            out.write(b",\n" if i < len(obj) - 1 else b"\n")
        out.write(pad + b"}")
    elif isinstance(obj, list) and obj:
        out.write(b"[\n")
        for i, v in enumerate(obj):
            out.write(pad + b"  ")
            _write_value(v, depth + 1, out)
            out.write(b",\n" if i < len(obj) - 1 else b"\n")
        out.write(pad + b"]")
    else:
        out.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n" + pad))


def write_json(obj) -> None:
    """``obj`` as :func:`json` would print it, its :class:`Spill` arrays streamed from their files."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    _write_value(obj, 0, out)
    out.write(b"\n")
