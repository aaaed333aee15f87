"""Running the command line in-process (exact output and exit status), as sqlite-utils' tests do.

``invoke("eval", "gelu", "--", "0.5")`` runs ``actloss.cli.entry.main`` with stdin, stdout and
stderr replaced by byte buffers and returns a :class:`Result`. Subprocesses are kept for what needs
a real process: terminals, pipes, signals, import cost and start-up.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

from actloss.cli import entry


@dataclass
class Result:
    code: int
    out: str
    err: str


class _Buffer(io.BytesIO):
    def close(self) -> None:  # kept readable after the text wrapper around it is gone
        pass


class _Text(io.TextIOWrapper):
    def isatty(self) -> bool:  # a pipe, never a terminal
        return False


def invoke(*args: str, stdin: bytes | str = b"", table: bool = True) -> Result:
    """Run ``actloss ARGS`` in this process (``table=False``: read by the Typer app, not the table)."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = _Buffer(), _Buffer()
    sys.stdin = _Text(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = _Text(out, encoding="utf-8", write_through=True)
    sys.stderr = _Text(err, encoding="utf-8", write_through=True)
    try:
        try:
            entry.main(list(args), table=table)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return Result(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
