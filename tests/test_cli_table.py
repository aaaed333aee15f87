"""One declaration: the Typer app. The table that runs commands without typer is generated from it
and kept fresh, and both ways of reading a command line agree, byte for byte, on every command
and option."""

from __future__ import annotations

import sys

import pytest
from typer.main import get_command

from actloss.cli import args as cliargs
from actloss.cli.typer_app import app
from cli import invoke

sys.path.insert(0, "tools")
import gen_cli_table  # noqa: E402

sys.path.pop(0)

TABLE = cliargs.load_table()
GROUP = get_command(app)


def test_the_table_is_fresh():
    with open(cliargs.TABLE, encoding="utf-8") as fh:
        assert fh.read() == gen_cli_table.render(), "run python tools/gen_cli_table.py"


def _click_read(command: str, argv: list[str]):
    cmd = GROUP.commands[command]
    ctx = cmd.make_context(command, list(argv), parent=None)
    entry = TABLE["commands"][command]
    return cliargs.normalize(dict(ctx.params), entry), ctx.meta["actloss.numbers"]


def _table_read(command: str, argv: list[str]):
    entry = TABLE["commands"][command]
    words, numbers = cliargs.prepare(list(argv), entry)
    return cliargs.parse(words, entry), numbers


# every command line here is run both ways; together they use every option of every command
CASES = [
    ["eval", "gelu", "--", "0.5", "-1"],
    ["eval", "relu", "gelu", "silu", "-1", "0", "1"],
    ["eval", "elu", "--alpha", "0.5", "--format", "csv", "--precision", "3", "--", "-2", "1e-3"],
    ["eval", "gelu", "--format=json", "--", "nan", "-inf"],
    ["eval", "softmax", "--temperature", "2", "--format", "table", "--", "1", "2", "3"],
    ["eval", "leaky_relu", "--negative-slope", "0.2", "-5"],
    ["eval", "softshrink", "--lambda", "1", "--", "2", "-3"],
    ["eval", "hardtanh", "--min-val", "-2", "--max-val", "2", "--", "3"],
    ["eval", "relu", "--input", "/nonexistent/x.txt"],
    ["eval", "relu", "--pred", "1", "--", "1"],
    ["eval", "relu", "--target", "1", "--", "1"],
    ["grad", "leaky_relu", "--alpha", "0.2", "--format", "csv", "--", "-1"],
    ["grad", "softmax", "--format", "json", "--precision", "5", "--", "0", "0"],
    ["grad", "ce", "--logits", "--pred", "[[1,2,3]]", "--target", "2"],
    ["grad", "--format", "plain", "ce", "--pred", "[[0.2,0.8]]", "--target", "1"],
    ["grad", "relu", "--input", "/nonexistent/x.txt"],
    ["eval", "sigmoid", "--dtype", "bf16", "--saturate", "--", "6.25"],
    ["check", "gelu", "--x", "x.npy", "--y", "y.npy", "--dtype", "bf16", "--grad", "--max-ulp", "2", "--format", "json"],
    ["check", "relu", "--dtype=e4m3", "--write-inputs", "/nonexistent/all.npy"],
    ["check", "silu", "--order", "2", "--x", "x.npy", "--y", "y.npy"],
    ["grad", "gelu", "--dtype=float8_e4m3fn", "--saturate", "--", "-1"],
    ["loss", "mse", "--dtype", "fp16", "--saturate", "--pred", "1", "--target", "0"],
    ["grad", "--order", "2", "gelu", "silu", "--format", "csv", "--", "-1", "0.5"],
    ["grad", "--order=2", "ce", "--logits", "--pred", "[[1,2,3]]", "--target", "2"],
    ["grad", "--order", "3", "gelu", "--", "1"],
    ["loss", "ce", "--pred", "[[0.1,0.9],[0.8,0.2]]", "--target", "1,0", "--format", "json", "--precision", "4"],
    ["loss", "bce", "--logits=false", "--pred", "0.5", "--target", "1"],
    ["loss", "bce", "--no-logits", "--pred", "0.5", "--target", "1", "--format", "csv"],
    ["loss", "huber", "--delta", "2", "--reduction", "none", "--pred", "1,5", "--target", "0,0"],
    ["loss", "gaussian_nll", "--full", "--var", "2", "--pred", "1", "--target", "0"],
    ["loss", "mse", "--pred", "1", "--target", "1", "--input", "x.txt"],
    ["loss", "mse", "--pred", "1", "--target", "1", "--format", "xml"],
    ["list", "--kind", "loss", "--format", "plain"],
    ["list", "--format", "json"],
    ["info", "gelu", "--lang", "zh", "--format", "markdown"],
    ["info", "elu", "--format", "json"],
    ["completion", "fish"],
    ["eval", "gelu", "--alpha"],
    ["eval", "relu", "--bogus", "1"],
    ["eval"],
    ["plot", "relu", "--range", "1"],
    ["plot", "relu", "--points", "many"],
    ["plot", "relu", "--grad", "--only-grad", "--all", "-o", "x.png"],
    ["plot", "softmax", "--others", "1,2", "--title", "t", "--ylim", "0", "1", "--size", "3", "2", "--dpi", "50",
     "--points", "10", "--range", "-1", "1", "--format", "svg", "--output", "/nonexistent-dir/x/"],
    ["plot", "glu", "--value", "2", "--format", "nope"],
    ["plot", "gelu", "--dtype", "bfloat16", "--range", "-6", "-5", "--term"],
    ["plot", "elu", "--alpha", "0.5,1", "--grad", "--grad2", "--term", "--points", "50"],
    ["plot", "gelu", "-o", "-", "--format", "svg", "--points", "20"],
]


def _covered() -> set[tuple[str, str]]:
    seen = set()
    for argv in CASES:
        entry = TABLE["commands"][argv[0]]
        for p in entry["params"]:
            for o in (p.get("opts") or []) + (p.get("secondary") or []):
                if any(a == o or a.startswith(o + "=") for a in argv[1:]):
                    seen.add((argv[0], p["dest"]))
    return seen


def test_the_cases_use_every_own_option_of_every_command():
    """Every option a command declares itself; the functions' parameters are checked per function below."""
    from actloss.cli.typer_app import function_options

    missing = []
    for name, entry in TABLE["commands"].items():
        function_params = {p.name for p in function_options(("activation", "loss"), set())}
        for p in entry["params"]:
            if p["argument"] or p["dest"] in function_params or p.get("eager") or p["dest"] == "help":
                continue
            if (name, p["dest"]) not in _covered():
                missing.append(f"{name} {p['opts'][0]}")
    assert not missing


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_both_readers_give_the_same_arguments(argv):
    try:
        expected = _click_read(argv[0], argv[1:])
    except Exception:  # a usage error: the table's reader must hand it to the app
        with pytest.raises(cliargs.Fallback):
            _table_read(argv[0], argv[1:])
        return
    assert _table_read(argv[0], argv[1:]) == expected


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_both_ways_print_the_same_bytes(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from actloss.cli import plot

    monkeypatch.setattr(plot, "FREEZE_AT_EXIT", False)
    fast = invoke(*argv)
    slow = invoke(*argv, table=False)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)


def _function_cases():
    from actloss.registry import load

    out = []
    for r in load():
        for p in r.params:
            value = "true" if p.flag else (p.choices[-1] if p.choices else
                                           (",".join(["1"] * 2) if p.vector else repr(p.default)))
            for spelling in (p.name,) + tuple(p.aliases):
                opt = "--" + spelling.replace("_", "-")
                if r.kind == "loss":
                    argv = ["grad", r.name, f"{opt}={value}", "--pred", "[[0.2,0.8]]", "--target", "[[0.0,1.0]]"]
                else:
                    argv = ["eval", r.name, opt, value, "--", "0.5", "-1.5", "2", "-3"]
                out.append(argv)
    return out


@pytest.mark.parametrize("argv", _function_cases(), ids=lambda a: " ".join(a[1:3]))
def test_every_function_parameter_reads_the_same_both_ways(argv):
    assert _table_read(argv[0], argv[1:]) == _click_read(argv[0], argv[1:])
    fast = invoke(*argv)
    slow = invoke(*argv, table=False)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
