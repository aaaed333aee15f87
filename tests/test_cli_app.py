"""The app as a whole: every command documented (help with an example, README), plain output off a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from actloss.cli import app
from terminal import run_on_terminal

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)
ACTLOSS = [sys.executable, "-m", "actloss"]


def test_the_commands():
    assert {"eval", "grad", "loss", "list", "info", "plot", "completion"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    p = subprocess.run(ACTLOSS + [command, "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    assert p.returncode == 0 and p.stderr == ""
    assert "Example" in p.stdout and f"actloss {command}" in p.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"actloss {command}\b", README), f"README does not show 'actloss {command}'"


@pytest.mark.parametrize("extra", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_terminal_output_without_colour(extra):
    env = {**os.environ, "COLUMNS": "80", **extra}
    env.pop("FORCE_COLOR", None)
    code, out = run_on_terminal(["eval", "elu", "--alpha", "0.5", "--", "1"], env)
    assert code == 0
    assert "elu(x; alpha=0.5)" in out  # a table on a terminal...
    assert "\x1b[" not in out  # ...without colour codes


def test_a_pipe_gets_plain_output_even_when_colour_is_forced():
    env = {**os.environ, "FORCE_COLOR": "1"}
    p = subprocess.run(ACTLOSS + ["eval", "relu", "--", "1"], capture_output=True, text=True, env=env)
    assert p.stdout == "1.0\n"


@pytest.mark.parametrize("args", [["eval", "relu", "--", "1"], ["grad", "gelu", "--", "1"]])
def test_the_fast_path_loads_no_typer_rich_or_matplotlib(args):
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: sys.stderr.write('loaded:' + ','.join("
        "m for m in ('typer', 'rich', 'matplotlib', 'scipy') if m in sys.modules)))\n"
        f"sys.argv = ['actloss'] + {args!r}\n"
        "from actloss.cli import main\n"
        "main()\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0
    assert p.stderr.endswith("loaded:"), p.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args, stdin", [
    (["eval", "relu", "--", "1"], None),
    (["eval", "relu", "--format", "json", "--", "1"], None),
    (["info", "gelu"], None),
    (["list"], None),
    (["loss", "mse", "--pred", "1", "--target", "2"], None),
    (["eval", "relu"], "\n".join(str(i) for i in range(300_000)) + "\n"),  # streamed by two processes
])
def test_output_that_cannot_be_written_is_one_line_exit_1(args, stdin):
    with open("/dev/full", "w") as full:
        p = subprocess.run(ACTLOSS + args, input=stdin, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert p.returncode == 1
    assert p.stderr == "actloss: error: cannot write output: No space left on device\n"


# ---------------------------------------------------------------------------
# usage people get wrong, and output people read
# ---------------------------------------------------------------------------

from cli import invoke  # noqa: E402


def test_bare_actloss_prints_a_short_usage_and_exits_2():
    r = invoke()
    assert r.code == 2 and r.out == ""
    lines = r.err.splitlines()
    assert lines[0] == "usage: actloss COMMAND [ARGS]..." and len(lines) == 3
    assert lines[1] == "commands: eval, grad, loss, list, info, check, plot, completion"


@pytest.mark.parametrize("args, message", [
    (["eval", "relu", "--input", "--", "1"], "--input needs a value before --"),
    (["eval", "softmax", "-t", "2", "--", "1", "2"], "unknown option -t"),
    (["eval", "relu", "--help-me"], "unknown option --help-me"),
    (["eval", "relu", "--precision", "0", "--", "1"], "--precision must be between 1 and 17"),
    (["eval", "relu", "--precision", "-3", "--", "1"], "--precision must be between 1 and 17"),
    (["eval", "relu", "--precision", "2.5", "--", "1"], "invalid value for '--precision': not a whole number"),
    (["plot", "relu", "--grad=maybe"], "--grad is a switch"),
    (["completion", "tcsh"], "SHELL must be one of bash, zsh, fish, got 'tcsh'"),
    (["info", "relu", "--lang", "fr"], "--lang must be one of en, zh, got 'fr'"),
    (["eval", "glu", "--", "1", "2", "3"], "glu"),
])
def test_mistakes_are_one_line_exit_2(args, message):
    r = invoke(*args)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1 and r.err.startswith("actloss: error: "), r
    assert message in r.err


def test_every_switch_takes_true_and_false():
    on = invoke("loss", "bce", "--logits", "--pred", "0", "--target", "1")
    assert invoke("loss", "bce", "--logits=true", "--pred", "0", "--target", "1") == on
    off = invoke("loss", "bce", "--logits=false", "--pred", "0.5", "--target", "1")
    assert off.code == 0 and off == invoke("loss", "bce", "--no-logits", "--pred", "0.5", "--target", "1")


def test_precision_rounds_results_not_inputs():
    assert invoke("eval", "relu", "--precision", "2", "--format", "csv", "--", "1234.5").out == "x,relu\n1234.5,1.2e+03\n"
    r = invoke("eval", "relu", "--precision", "2", "--format", "json", "--", "1234.5")
    assert '"x": [\n    1234.5\n  ]' in r.out and "1200.0" in r.out


def test_list_on_a_terminal_keeps_square_brackets():
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    code, out = run_on_terminal(["list"], env)
    assert code == 0
    assert "glu([a, b]) = a ⊗ σ(b)" in out and "ℓ = −[y·log p" in out
