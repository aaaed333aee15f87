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


def console(stderr: bool = False):
    """A rich Console for tables, panels and progress bars.

    With NO_COLOR set (https://no-color.org) or TERM=dumb it writes no escape codes at all, not even
    bold or italic.
    """
    import os

    from rich.console import Console

    plain = "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"
    return Console(stderr=stderr, highlight=False, color_system=None if plain else "auto")
