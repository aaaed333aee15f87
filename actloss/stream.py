"""Streaming numbers through a function with bounded memory, on two cores when it pays.

Parsing text and printing shortest round-trip digits cost far more than the
arithmetic. For long inputs the work is split over two processes: this one
reads, parses and computes chunk after chunk, and a forked child turns the
float64 results into text and writes them, so parsing chunk k+1 overlaps
printing chunk k. Short inputs (one chunk) never fork.

The child writes stdout in input order; the parent waits for it before
returning or raising, so an input error is reported after every line before it
has been printed, exactly as in the one-process path.
"""

from __future__ import annotations

import os
import struct
import sys
from typing import BinaryIO, Callable, Iterator

import numpy as np

_HEADER = struct.Struct("<qq")  # rows, columns; rows == -1 ends the stream


def run(
    chunks: Iterator[np.ndarray],
    compute: Callable[[np.ndarray], np.ndarray],
    render: Callable[[np.ndarray], bytes],
    out: BinaryIO,
) -> int:
    """Feed parsed chunks through ``compute`` (-> 2-D rows) and ``render`` (-> bytes) to ``out``.

    Returns the number of input values. Errors raised while parsing propagate
    after all earlier output has been written.
    """
    total = 0
    first = next(chunks, None)
    if first is None:
        return 0
    try:
        second = next(chunks, None)
    except Exception:
        if first.size:
            out.write(render(compute(first)))
        raise
    if second is None or not hasattr(os, "fork") or not _has_fd(out):
        for x in _chain(first, second, chunks):
            if x.size:
                out.write(render(compute(x)))
                total += x.size
        return total
    return _two_process(_chain(first, second, chunks), compute, render, out)


def _has_fd(out) -> bool:
    """A forked writer shares only a real file descriptor (not an in-memory buffer)."""
    try:
        out.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
    yield from rest


def _two_process(chunks, compute, render, out) -> int:
    out.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: render and write
        os.close(w)
        code = 0
        try:
            _writer(os.fdopen(r, "rb", buffering=1 << 20), render, out)
        except BrokenPipeError:
            code = 0
        except KeyboardInterrupt:
            code = 130
        except OSError as exc:  # the output cannot be written (a full disk): one line, as the parent would
            sys.stderr.write(f"actloss: error: cannot write output: {exc.strerror or exc}\n")
            code = 1
        except BaseException as exc:  # pragma: no cover - a bug: say what, in one line
            sys.stderr.write(f"actloss: error: {type(exc).__name__}: {exc}\n")
            code = 1
        finally:
            try:
                out.flush()
            except BrokenPipeError:
                pass
            except OSError as exc:
                if code == 0:
                    sys.stderr.write(f"actloss: error: cannot write output: {exc.strerror or exc}\n")
                    code = 1
            except BaseException:
                pass
            sys.stderr.flush()
            os._exit(code)
    os.close(r)
    try:  # a larger pipe buffer means fewer switches between the two processes (Linux)
        import fcntl

        fcntl.fcntl(w, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass
    pipe = os.fdopen(w, "wb", buffering=1 << 20)
    total = 0
    error: BaseException | None = None
    try:
        for x in chunks:
            if not x.size:
                continue
            y = np.ascontiguousarray(compute(x), dtype=np.float64)
            pipe.write(_HEADER.pack(y.shape[0], y.shape[1]))
            pipe.write(memoryview(y).cast("B"))
            total += x.size
        pipe.write(_HEADER.pack(-1, 0))
    except BrokenPipeError:
        pass  # the child stopped: its reader went away
    except BaseException as exc:  # input error or Ctrl-C: let the child finish what it has
        error = exc
    try:
        pipe.close()
    except BrokenPipeError:
        pass
    _, status = os.waitpid(pid, 0)
    if error is not None:
        raise error
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 130:
        raise KeyboardInterrupt
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        sys.exit(1)
    return total


def _writer(pipe: BinaryIO, render, out) -> None:
    while True:
        head = pipe.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        rows, cols = _HEADER.unpack(head)
        if rows < 0:
            return
        data = pipe.read(rows * cols * 8)
        y = np.frombuffer(data, dtype=np.float64).reshape(rows, cols)
        out.write(render(y))
