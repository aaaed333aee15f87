"""Typed errors raised by the core; the CLI turns each into one line on stderr.

Every message names the problem and, where there is one, the fix. Messages are
worded in Python terms (``alpha``, ``logits=True``); a parameter is written in a
message with :func:`arg`, so that the command line can show the same message with
its options (``--alpha``, ``--logits``): :meth:`ActlossError.cli_message` is the
one place where parameter names become options.

``exit_code`` is what the CLI exits with (2: bad usage or input, 1: environment).
"""

from __future__ import annotations

# a parameter inside a message: ⟨name⟩ or ⟨name=value⟩
_OPEN, _CLOSE = "\u27e8", "\u27e9"


def _marks(message: str, spell) -> str:
    """``message`` with each ⟨name⟩ / ⟨name=value⟩ replaced by ``spell(name, value or None)``."""
    out = []
    rest = message
    while _OPEN in rest:
        head, _, tail = rest.partition(_OPEN)
        inside, closed, rest = tail.partition(_CLOSE)
        if not closed:
            rest = _OPEN + tail
            break
        name, eq, value = inside.partition("=")
        out += [head, spell(name, value if eq else None)]
    out.append(rest)
    return "".join(out)


def arg(name: str, value: object = None) -> str:
    """A parameter (``arg("alpha")``) or a parameter with a value (``arg("logits", True)``) in a message."""
    if value is None:
        return f"{_OPEN}{name}{_CLOSE}"
    return f"{_OPEN}{name}={value!r}{_CLOSE}"


def option(name: str) -> str:
    """The command-line option of a parameter: ``min_val`` -> ``--min-val``."""
    return "--" + name.replace("_", "-")


def python_text(message: str) -> str:
    """A message with its parameters as Python spells them: ``alpha``, ``logits=True``."""
    return _marks(message, lambda name, value: name if value is None else f"{name}={value}")


def _cli(name: str, value: str | None) -> str:
    opt = option(name)
    if value is None or value == "True":
        return opt
    if value == "False":
        return f"{opt}=false"
    return f"{opt} {value.strip(chr(39))}"


def cli_text(message: str) -> str:
    """A message with its parameters as command-line options: ``--alpha``, ``--logits``."""
    return _marks(message, _cli)


class ActlossError(ValueError):
    """Base class of every error the core raises: a user-facing one-line message.

    ``str(error)`` speaks Python (``gelu does not take alpha``); ``error.cli_message()``
    the command line (``gelu does not take --alpha``).
    """

    exit_code = 2

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return python_text(self.message)

    def cli_message(self) -> str:
        return cli_text(self.message)


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
            msg += "; actloss.list_functions() (or 'actloss list') names them all"
        super().__init__(msg)

    def cli_message(self) -> str:
        if self.suggestions:
            return super().cli_message()
        return self.message.split(";")[0] + "; run 'actloss list' to see the available names"


class ParameterError(ActlossError):
    """A parameter that the function does not take, or a value out of its range."""


class ArgumentError(ActlossError, TypeError):
    """A call with the wrong number of positional arguments (parameters are keyword-only)."""


class InputError(ActlossError):
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
