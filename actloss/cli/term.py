"""Whether a standard stream is a terminal (tables, panels and progress bars only there)."""

from __future__ import annotations

import sys


def is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_is_terminal() -> bool:
    """True also when there is no stdin at all: nothing to read, so never wait for it."""
    return sys.stdin is None or is_terminal(sys.stdin)


def stdout_is_terminal() -> bool:
    return is_terminal(sys.stdout)


def stderr_is_terminal() -> bool:
    return is_terminal(sys.stderr)
