"""actloss: exact values and derivatives of neural-network activation and loss functions.

>>> import actloss as al
>>> al.gelu([-10.0, 0.5])             # numpy in, numpy out (float64)
array([-7.61985302e-23,  3.45731231e-01])
>>> al.sigmoid.grad(40.0)            # the derivative, beside the value
np.float64(4.248354255291589e-18)
>>> al.ce([[0.1, 0.9]], [1])          # losses take (pred, target, *, parameters)
np.float64(0.10536051565782628)
>>> al.get("swish") is al.silu         # any name or alias
True

Every registered function is an attribute under its canonical name (``list_functions()``);
parameters are keyword-only and named as on its card (``info(name)``); every error the library
raises is an :class:`ActlossError` (a ``ValueError``). Importing actloss imports no numpy, typer,
click, rich or matplotlib: the kernels load on the first call.
"""

from __future__ import annotations

from actloss.errors import (
    ActlossError,
    ArgumentError,
    InputError,
    ParameterError,
    ShapeError,
    UnknownFunctionError,
)

__version__ = "0.2.0"

_API = ("get", "function", "list_functions", "info")
_ERRORS = ("ActlossError", "ArgumentError", "InputError", "ParameterError", "ShapeError", "UnknownFunctionError")


def get(name: str):
    """The function of a name or alias, case-insensitive ('-' and '_' alike): ``get("swish") is silu``."""
    from actloss.api import function

    return function(name)


def function(name: str):
    """The same as :func:`get`."""
    return get(name)


def list_functions(kind: str | None = None) -> list[str]:
    """Canonical names of every function, or of one kind: ``"activation"`` or ``"loss"``."""
    from actloss.api import list_functions as names

    return names(kind)


def info(name: str, *, lang: str = "en") -> dict:
    """The reference card of a function as a dict (what ``actloss info NAME --format json`` prints)."""
    from actloss.api import info as card

    return card(name, lang=lang)


def _names() -> list[str]:
    from actloss.registry import load

    return load().names()


def __getattr__(name: str):
    if name == "__all__":
        return list(_API) + list(_ERRORS) + _names()
    if name.startswith("_"):
        raise AttributeError(f"module 'actloss' has no attribute {name!r}")
    from actloss.registry import load

    reg = load()
    if name in reg.names():  # canonical names only: aliases through get()
        return get(name)
    raise AttributeError(f"module 'actloss' has no attribute {name!r}; actloss.get(name) takes aliases, actloss.list_functions() names them all")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_names()))
