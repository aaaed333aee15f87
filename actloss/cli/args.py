"""Reading the command line by the one declaration, without importing typer.

The Typer app (``actloss.cli.typer_app``) declares every command and option. ``table_of`` turns a
declared (click) command into plain data; ``tools/gen_cli_table.py`` writes that data for every
command into ``actloss/cli/table.json`` (a test checks it is fresh). Both ways of running a
command read the arguments through the same two steps:

* :func:`prepare`: what click cannot express, shared by both ways: numbers after ``--`` (and
  numbers among the positional arguments: ``-1`` is a number, never an option), and
  ``--switch=true|false`` for every switch;
* then either click (the Typer app) or :func:`parse`, a small reader of the table that handles
  the arguments of ordinary use and raises :class:`Fallback` for anything else (help, an unknown
  option, a missing or malformed value), which the Typer app then reports in its own words.

:func:`normalize` gives the keyword arguments of the command's implementation the same types
whichever way they were read.
"""

from __future__ import annotations

import os
from typing import Any

TABLE = os.path.join(os.path.dirname(__file__), "table.json")
HELP = ("-h", "--help")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class Fallback(Exception):
    """The fast reader does not handle these arguments: let the Typer app read them."""


def load_table() -> dict[str, Any]:
    import orjson  # already a dependency of the output, and cheaper to import than json

    with open(TABLE, "rb") as fh:
        return orjson.loads(fh.read())


# ---------------------------------------------------------------------------
# the declaration as data
# ---------------------------------------------------------------------------

def _type_name(param) -> tuple[str, list[str] | None]:
    """The kind of a declared parameter's values ("int", "float", "text", "bool", "choice")."""
    from typing import get_args

    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        return "choice", [str(getattr(c, "value", c)) for c in desc.choices]
    annotation = desc.annotation
    if desc.is_tuple or desc.is_list:
        annotation = get_args(annotation)[0]
    return {int: "int", float: "float", bool: "bool"}.get(annotation, "text"), None


def table_of(command, impl: str) -> dict[str, Any]:
    """A declared command as data: its implementation (``module:function``) and its parameters."""
    params = []
    for p in command.params:
        kind, choices = _type_name(p)
        entry: dict[str, Any] = {"dest": p.name, "type": kind}
        if choices is not None:
            entry["choices"] = choices
        if p.param_type_name == "argument":
            entry.update(argument=True, nargs=p.nargs, required=bool(p.required))
        else:
            flag = bool(getattr(p, "is_flag", False))
            entry.update(
                argument=False, opts=list(p.opts), secondary=list(p.secondary_opts),
                nargs=0 if flag else p.nargs, flag=flag, eager=bool(p.is_eager),
            )
        default = p.default if not callable(p.default) else None
        entry["default"] = list(default) if isinstance(default, tuple) else default
        params.append(entry)
    return {"impl": impl, "numbers": True, "params": params}


def _options(entry: dict[str, Any]) -> dict[str, tuple[dict[str, Any], Any]]:
    """Option string -> (its parameter, the value a bare switch gives)."""
    out: dict[str, tuple[dict[str, Any], Any]] = {}
    for p in entry["params"]:
        if p["argument"]:
            continue
        for o in p["opts"]:
            out[o] = (p, True)
        for o in p["secondary"]:
            out[o] = (p, False)
    return out


# ---------------------------------------------------------------------------
# step 1, shared: numbers and switches
# ---------------------------------------------------------------------------

def is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _looks_numeric(tok: str) -> bool:
    return bool(tok) and (tok[0].isdigit() or tok[0] in "+-." and len(tok) > 1 and (tok[1].isdigit() or tok[1] == "."))


def is_option(tok: str) -> bool:
    """``--alpha``, ``-o``: an option; ``-1``, ``-.5``, ``-inf``: a number."""
    return tok.startswith("-") and len(tok) > 1 and not is_number(tok) and not _looks_numeric(tok)


def prepare(args: list[str], entry: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(the arguments for the option reader, the numbers).

    Numbers are the words after ``--`` and, among the positional words, the first that reads as a
    number and every positional word after it (so ``eval relu -1 2`` needs no ``--``).
    ``--switch=false`` becomes the switch's off form (``--no-switch``), ``--switch=true`` the switch.
    """
    options = _options(entry)
    out: list[str] = []
    numbers: list[str] = []
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            numbers.extend(args[i + 1:])
            break
        if is_option(tok):
            name, eq, value = tok.partition("=")
            known = options.get(name)
            if known is not None and known[0]["flag"] and known[0]["secondary"] and eq:
                p = known[0]
                text = value.strip().lower()
                if text in _TRUE or text in _FALSE:
                    on = (text in _TRUE) == known[1]
                    out.append(p["opts"][0] if on else p["secondary"][0])
                    i += 1
                    continue
            out.append(tok)
            if known is not None and not eq:
                n = known[0]["nargs"]
                words = args[i + 1:i + 1 + n]
                if "--" in words:  # "--input -- 1": the value is missing, not "--"
                    from actloss.errors import InputError

                    raise InputError(f"{tok} needs {'a value' if n == 1 else f'{n} values'} before --")
                out.extend(words)
                i += n
            i += 1
            continue
        if numbers or is_number(tok) or _looks_numeric(tok):
            numbers.append(tok)
        else:
            out.append(tok)
        i += 1
    return out, numbers


# ---------------------------------------------------------------------------
# step 2, fast: the table's own reader
# ---------------------------------------------------------------------------

def _convert(p: dict[str, Any], text: str) -> Any:
    kind = p["type"]
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
    except ValueError:
        raise Fallback from None
    if kind == "choice" and text not in p["choices"]:
        raise Fallback
    return text


def parse(args: list[str], entry: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the command's implementation, as the Typer app would give them."""
    options = _options(entry)
    positional_params = [p for p in entry["params"] if p["argument"]]
    values: dict[str, Any] = {}
    positionals: list[str] = []
    i = 0
    while i < len(args):
        tok = args[i]
        if tok in HELP:
            raise Fallback
        if is_option(tok):
            name, eq, attached = tok.partition("=") if tok.startswith("--") else (tok[:2], "", tok[2:])
            if not tok.startswith("--") and attached:
                eq = "="
            known = options.get(name)
            if known is None:
                raise Fallback
            p, on = known
            if p["eager"]:
                raise Fallback  # --version and the like: the app's own
            if p["flag"]:
                if eq:
                    raise Fallback
                values[p["dest"]] = on
                i += 1
                continue
            n = p["nargs"]
            if eq:
                if n != 1:
                    raise Fallback
                words = [attached]
            else:
                words = args[i + 1:i + 1 + n]
                if len(words) < n or any(is_option(w) for w in words):
                    raise Fallback
            converted = [_convert(p, w) for w in words]
            values[p["dest"]] = converted[0] if n == 1 else tuple(converted)
            i += 1 + (0 if eq else n)
            continue
        positionals.append(tok)
        i += 1
    for p in positional_params:
        if p["nargs"] == -1:
            values[p["dest"]] = tuple(_convert(p, w) for w in positionals)
            positionals = []
        elif positionals:
            values[p["dest"]] = _convert(p, positionals.pop(0))
        elif p["required"]:
            raise Fallback
    if positionals:
        raise Fallback
    kwargs = {p["dest"]: values.get(p["dest"], p["default"]) for p in entry["params"] if not p.get("eager")}
    return normalize(kwargs, entry)


def normalize(kwargs: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """Positional lists as lists, several values as tuples, whichever reader read them."""
    out = dict(kwargs)
    for p in entry["params"]:
        dest = p["dest"]
        if dest not in out:
            continue
        v = out[dest]
        if p["argument"] and p["nargs"] == -1:
            out[dest] = list(v) if v else []
        elif not p["argument"] and p["nargs"] > 1:
            out[dest] = tuple(v) if v is not None else None
    return out


def run(command: str, args: list[str], table: dict[str, Any] | None = None) -> None:
    """Run a command by the table (raises Fallback where the Typer app must read the arguments)."""
    import importlib

    table = table or load_table()
    entry = table["commands"].get(command)
    if entry is None:
        raise Fallback
    head = args[:args.index("--")] if "--" in args else args
    if any(a in HELP for a in head):
        raise Fallback
    words, numbers = prepare(args, entry)
    kwargs = parse(words, entry)
    module, _, fn = entry["impl"].partition(":")
    getattr(importlib.import_module(module), fn)(numbers=numbers, **kwargs)
