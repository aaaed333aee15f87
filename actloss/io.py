"""Reading numbers: the input contract of the commands.

All reading is here: numbers separated by whitespace, commas or newlines
(text), CSV, or .npy (one loader); vector functions read one vector per line;
loss operands (``--pred``/``--target``) are JSON, numbers with ';' between
rows, @FILE or stdin. Writing is ``actloss.render``.

Parsing is the cost of a streaming CLI, so it has a fast path (orjson parses
float64 in C) and a careful fallback that names the bad token and its line.
"""

from __future__ import annotations

import math
import re
from typing import BinaryIO, Iterator

import numpy as np
import orjson

from actloss.errors import InputError, ShapeError

CHUNK = 1 << 20  # bytes read at a time when streaming

_SEP = re.compile(rb"[\s,]+")
_NUMERIC_BYTES = b"0123456789eE+-.,\n\r"
_EMPTY_FIELD = re.compile(rb"(?:^|\n)[ \t\r]*,|,[ \t\r]*(?:,|\n|$)")
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark, as spreadsheets write at the start of a file


def strip_bom(data: bytes) -> bytes:
    return data[len(BOM):] if data.startswith(BOM) else data


def read_stdin() -> bytes:
    """All of stdin, as bytes, without a byte-order mark."""
    import sys

    return strip_bom(sys.stdin.buffer.read())


# ---------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------

def _bad_token(buf: bytes, line_offset: int, source: str) -> InputError:
    for lineno, line in enumerate(buf.split(b"\n"), start=line_offset + 1):
        for tok in _SEP.split(line.strip()):
            if not tok:
                continue
            try:
                float(tok)
            except ValueError:
                text = tok.decode("utf-8", "replace")
                if len(text) > 40:
                    text = text[:37] + "..."
                return InputError(f"not a number: {text!r} ({source}, line {lineno})")
    return InputError(f"could not read the numbers ({source})")


def parse_flat(buf: bytes, line_offset: int = 0, source: str = "stdin") -> np.ndarray:
    """All numbers in ``buf`` as a 1-D float64 array (fast path, then a careful one)."""
    body = buf.strip()
    if not body:
        return np.empty(0, dtype=np.float64)
    if not body.translate(None, _NUMERIC_BYTES):  # only digits, signs, points, exponents, commas and newlines
        try:
            values = orjson.loads(b"[" + body.replace(b"\n", b",") + b"]")
            return np.array(values, dtype=np.float64)
        except (orjson.JSONDecodeError, TypeError, ValueError, OverflowError):
            pass
    empty = _EMPTY_FIELD.search(body)
    if empty is not None:
        line = line_offset + body[:empty.start() + 1].count(b"\n") + 1
        raise InputError(f"empty field between commas ({source}, line {line}): give a number in every field")
    tokens = [t for t in _SEP.split(body) if t]
    try:
        return np.array([float(t) for t in tokens], dtype=np.float64)
    except ValueError:
        pass
    values = []
    for t in tokens:
        try:
            values.append(float(t))
        except ValueError:
            break
    err = _bad_token(buf, line_offset, source)
    err.partial = np.array(values, dtype=np.float64)  # the numbers before the bad one
    raise err


def parse_tokens(tokens: list[str], source: str = "arguments") -> np.ndarray:
    """Numbers given on the command line (commas inside a token also separate)."""
    out = []
    for tok in tokens:
        parts = tok.split(",")
        for k, part in enumerate(parts):
            part = part.strip()
            if not part:
                if len(parts) > 1:
                    raise InputError(f"empty field between commas in {tok!r} ({source}): give a number in every field")
                continue
            try:
                out.append(float(part))
            except ValueError:
                raise InputError(f"not a number: {part!r} ({source})") from None
    return np.array(out, dtype=np.float64)


def parse_rows(buf: bytes, source: str = "stdin", line_offset: int = 0, width: int | None = None) -> np.ndarray:
    """One vector per non-blank line, all of one length (``width`` if given): a 2-D float64 array."""
    fast = _rows_fast(buf, width)
    if fast is not None:
        return fast
    rows = []
    for lineno, line in enumerate(buf.split(b"\n"), start=line_offset + 1):
        if not line.strip():
            continue
        row = parse_flat(line, lineno - 1, source)
        if width is None:
            width = row.size
        elif row.size != width:
            raise ShapeError(
                f"every vector needs the same length: line {lineno} of {source} has {row.size} numbers, "
                f"expected {width} (as on the first line)"
            )
        rows.append(row)
    if not rows:
        return np.empty((0, 0), dtype=np.float64)
    return np.vstack(rows)


_ROW_SEP = re.compile(rb"[ \t]*,[ \t]*|[ \t]+")


def _rows_fast(buf: bytes, width: int | None) -> np.ndarray | None:
    """The rows by one orjson pass where the text is plain numbers in a rectangle; else None."""
    body = buf.replace(b"\r", b"").strip()
    if not body or body.translate(None, _NUMERIC_BYTES + b" \t"):
        return None
    text = b"[[" + _ROW_SEP.sub(b",", body).replace(b"\n", b"],[") + b"]]"
    try:
        arr = np.array(orjson.loads(text), dtype=np.float64)
    except (orjson.JSONDecodeError, ValueError, TypeError):
        return None  # a blank line, an empty field, ragged rows: the careful path says which
    if arr.ndim != 2 or (width is not None and arr.shape[1] != width):
        return None
    return arr


def iter_chunks(stream: BinaryIO, size: int = CHUNK, lines_only: bool = False) -> Iterator[tuple[bytes, int]]:
    """Split a byte stream into chunks that end between two numbers (``lines_only``: between two lines).

    Yields (chunk, number of newlines before it) so that errors can name lines.
    """
    rest = b""
    lines = 0
    first = True
    while True:
        data = stream.read(size)
        if not data:
            break
        if first:
            data, first = strip_bom(data), False
        data = rest + data
        cut = data.rfind(b"\n")
        if cut < 0 and not lines_only:
            m = None
            for m in re.finditer(rb"[\s,]", data):
                pass
            cut = m.start() if m else -1
        if cut < 0:
            rest = data
            continue
        chunk, rest = data[: cut + 1], data[cut + 1 :]
        yield chunk, lines
        lines += chunk.count(b"\n")
    if rest.strip():
        yield rest, lines


def check_path(path: str) -> None:
    """InputError, in the one wording of every command, unless ``path`` is an existing file."""
    import os

    if not os.path.exists(path):
        raise InputError(f"no such input file: {path!r}")
    if os.path.isdir(path):
        raise InputError(f"input is a directory, not a file: {path!r}")


def open_input(path: str) -> tuple[BinaryIO, str, bool]:
    """A text or CSV input file to stream: (binary file, name for messages, is CSV)."""
    import os

    check_path(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {path!r}: {exc.strerror}") from None
    return fh, os.path.basename(path), path.lower().endswith(".csv")


def read_file(path: str, vector: bool) -> np.ndarray:
    """Numbers from .npy, .csv or text; vectors as rows (2-D) when ``vector``."""
    import os

    check_path(path)
    if path.lower().endswith(".npy"):
        arr = load_npy(path)
        if vector:
            return arr.reshape(1, -1) if arr.ndim <= 1 else arr.reshape(-1, arr.shape[-1])
        return arr.reshape(-1)
    try:
        with open(path, "rb") as fh:
            data = strip_bom(fh.read())
    except OSError as exc:
        raise InputError(f"cannot read {path!r}: {exc.strerror}") from None
    name = os.path.basename(path)
    if path.lower().endswith(".csv"):
        data = strip_csv_header(data)
    return parse_rows(data, name) if vector else parse_flat(data, 0, name)


#: numbers per block when streaming an .npy file or computing a long input
BLOCK = 1 << 17


def iter_input(path: str | None, vector: bool) -> Iterator[np.ndarray]:
    """The numbers of stdin (``path`` None) or a file, block by block, in bounded memory.

    Elementwise: 1-D float64 blocks; ``vector``: 2-D blocks of whole rows (one vector per line, or
    the last axis of an .npy array). A bad number raises InputError after the blocks before it
    (its ``partial`` holds the numbers read before it in its block).
    """
    if path is not None and path.lower().endswith(".npy"):
        yield from _npy_blocks(path, vector)
        return
    source, name, csv = (None, "stdin", False) if path is None else open_input(path)
    import sys

    stream = sys.stdin.buffer if source is None else source
    width = None
    try:
        for i, (chunk, lines_before) in enumerate(iter_chunks(stream, lines_only=vector)):
            if i == 0 and csv:
                body = strip_csv_header(chunk)
                lines_before += int(len(body) != len(chunk))  # the header line
                chunk = body
            if vector:
                rows = parse_rows(chunk, name, lines_before, width)
                if rows.size:
                    width = rows.shape[1]
                    yield rows
                continue
            try:
                yield parse_flat(chunk, lines_before, name)
            except InputError as exc:
                if exc.partial is not None and exc.partial.size:
                    yield exc.partial  # every result before the bad number, then the error
                raise
    finally:
        if source is not None:
            source.close()


def _npy_blocks(path: str, vector: bool) -> Iterator[np.ndarray]:
    check_path(path)
    arr = load_npy(path, mmap=True)
    if vector:
        rows = arr.reshape(1, -1) if arr.ndim <= 1 else arr.reshape(-1, arr.shape[-1])
        step = max(1, BLOCK // max(1, rows.shape[1]))
        for i in range(0, rows.shape[0], step):
            yield np.asarray(rows[i:i + step], dtype=np.float64)
        return
    flat = arr.reshape(-1)
    for i in range(0, flat.size, BLOCK):
        yield np.asarray(flat[i:i + BLOCK], dtype=np.float64)


def load_npy(path: str, mmap: bool = False) -> np.ndarray:
    """A .npy file of real numbers (integers or floats) as float64; anything else is refused by name."""
    try:
        arr = np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)
    except (ValueError, OSError, EOFError) as exc:
        raise InputError(f"cannot read {path!r} as .npy: {exc}") from None
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise InputError(f"{path!r} holds {arr.dtype} data, expected real numbers (integers or floats)")
    return arr if mmap else np.asarray(arr, dtype=np.float64)


def strip_csv_header(data: bytes) -> bytes:
    """The data without its first line if that line is a header (holds a non-number)."""
    first, nl, rest = data.partition(b"\n")
    cells = [c.strip() for c in first.split(b",") if c.strip()]
    try:
        [float(c) for c in cells]
    except ValueError:
        return rest
    return data


# ---------------------------------------------------------------------------
# loss operands: --pred and --target
# ---------------------------------------------------------------------------

def _text_array(data: bytes, source: str):
    """Numbers with ',' or spaces between them and ';' or newlines between rows."""
    rows = []
    for k, row in enumerate(data.replace(b";", b"\n").split(b"\n")):
        if row.strip():
            rows.append(parse_flat(row, k, source))
    if not rows:
        return np.empty(0)
    if len(rows) == 1:
        return rows[0][0] if rows[0].size == 1 else rows[0]
    return _rows(rows, source)


def _rows(rows, source: str):
    widths = {r.size for r in rows}
    if widths == {1}:
        return np.concatenate(rows)  # a column of numbers is a list
    if len(widths) > 1:
        first = rows[0].size
        bad = next(k for k, r in enumerate(rows) if r.size != first)
        raise InputError(
            f"every row of {source} needs the same length: row {bad + 1} has {rows[bad].size} numbers, "
            f"row 1 has {first}"
        )
    return np.vstack(rows)


_JSON_WORDS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}  # as actloss's own JSON writes them
_JSON_HINT = "a JSON number or a rectangular (nested) array of numbers, e.g. [[0.1,0.9],[0.8,0.2]]"


def _json_numbers(obj, source: str, depth: int = 0):
    """The JSON value with every leaf checked: numbers, or the strings "nan", "inf", "-inf"."""
    if depth > 32:
        raise InputError(f"{source} nests arrays more than 32 deep: expected {_JSON_HINT}")
    if isinstance(obj, list):
        return [_json_numbers(v, source, depth + 1) for v in obj]
    if isinstance(obj, bool) or obj is None:
        raise InputError(f"{source} holds {json_text(obj)}, not a number: expected {_JSON_HINT}")
    if isinstance(obj, (int, float)):
        return float(obj)
    if isinstance(obj, str) and obj.strip().lower() in _JSON_WORDS:
        return _JSON_WORDS[obj.strip().lower()]
    raise InputError(f"{source} holds {json_text(obj)}, not a number: expected {_JSON_HINT}")


def json_text(obj) -> str:
    text = orjson.dumps(obj).decode() if not isinstance(obj, float) else repr(obj)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_array(data: bytes, source: str):
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{source} is not valid JSON: {exc}") from None
    values = _json_numbers(obj, source)
    try:
        arr = np.array(values, dtype=np.float64)
    except ValueError:
        raise InputError(f"{source} has rows of different lengths: expected {_JSON_HINT}") from None
    return arr


def _parse(data: bytes, source: str):
    body = strip_bom(data).strip()
    if body.startswith(b"[") or body.startswith(b"{"):
        return _json_array(body, source)
    return _text_array(body, source)


def _file(path: str, option: str):
    import os

    if not path:
        raise InputError(f"{option} @FILE needs a file name after @")
    lower = path.lower()
    if lower.endswith(".npy"):
        if not os.path.exists(path):
            raise InputError(f"no such input file: {path!r} ({option})")
        return load_npy(path)
    if lower.endswith(".json"):
        try:
            with open(path, "rb") as fh:
                return _parse(fh.read(), repr(path))
        except FileNotFoundError:
            raise InputError(f"no such input file: {path!r} ({option})") from None
        except IsADirectoryError:
            raise InputError(f"input is a directory, not a file: {path!r}") from None
        except OSError as exc:
            raise InputError(f"cannot read {path!r}: {exc.strerror}") from None
    rows = read_file(path, vector=True)
    if rows.size == 0:
        return np.empty(0)
    if rows.shape == (1, 1):
        return rows[0, 0]
    if rows.shape[0] == 1:
        return rows[0]
    return _rows(list(rows), repr(path))


def read_operand(spec: str, option: str, stdin_text: bytes | None = None) -> np.ndarray:
    """One of --pred/--target: inline numbers or JSON, @FILE, or '-' (stdin, already read)."""
    if spec.startswith("--") and len(spec) > 2 and not spec[2:3].isdigit() and spec[2:3] != ".":
        raise InputError(f"{option} needs a value, got the option {spec!r}")
    if spec == "-":
        arr = _parse(stdin_text or b"", "stdin")
        source = "stdin"
    elif spec.startswith("@"):
        arr = _file(spec[1:], option)
        source = spec[1:]
    else:
        arr = _parse(spec.encode(), option)
        source = option
    arr = np.asarray(arr, dtype=np.float64)
    if arr.size == 0:
        raise InputError(f"no numbers in {source} ({option})" if source != option else f"no numbers in {option}")
    return arr


def lone_numbers(pred: np.ndarray, target: np.ndarray, per_sample: bool) -> tuple[np.ndarray, np.ndarray]:
    """A single number stands for a batch of one: '--target 1' for pred [[0.2, 0.8]] (never a real broadcast)."""
    if target.ndim == 0 and pred.ndim >= 1:
        want = pred.shape[:-1] if per_sample else pred.shape
        if int(np.prod(want)) == 1:
            target = target.reshape(want)
    elif pred.ndim == 0 and target.ndim >= 1 and target.size == 1 and not per_sample:
        pred = pred.reshape(target.shape)
    return pred, target
