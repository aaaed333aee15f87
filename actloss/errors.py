"""Typed errors raised by the core; the CLI turns each into one line on stderr.

Every message names the problem and, where there is one, the fix.
``exit_code`` is what the CLI exits with (2: bad usage or input, 1: environment).
"""

from __future__ import annotations


class ActlossError(Exception):
    """Base class: a user-facing error with a one-line message."""

    exit_code = 2


class UnknownFunctionError(ActlossError, LookupError):
    """A function name that is not in the registry."""

    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = (), kind: str | None = None):
        self.name = name
        self.suggestions = list(suggestions)
        what = f"unknown {kind}" if kind else "unknown function"
        msg = f"{what} {name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            msg += "; run 'actloss list' to see the available names"
        super().__init__(msg)


class ParameterError(ActlossError, ValueError):
    """A parameter that the function does not take, or a value out of its range."""


class InputError(ActlossError, ValueError):
    """Input numbers that cannot be parsed, are missing, or have the wrong shape.

    ``partial`` holds the numbers read before the bad one, so a stream can
    print every result up to the error.
    """

    partial = None


class ShapeError(InputError):
    """Arrays whose shapes do not fit together ("expected X, got Y")."""


class RegistrationError(Exception):
    """A programming error in a record (duplicate name, missing field). Not user-facing."""


class OutputError(ActlossError, OSError):
    """A file that cannot be written; the path is named."""

    exit_code = 1
