"""The completion scripts in the real shells: bash, zsh (typed into a terminal) and fish.

Each shell runs once for a batch of command lines. A missing shell skips these
tests locally and fails them in CI (CI=true), where .ci/run installs the shells.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actloss import registry
from actloss.cli import completion

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "completions"
BASH = DIR / "actloss.bash"
ZSH = DIR / "_actloss"
FISH = DIR / "actloss.fish"
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TAB_BUDGET = 0.150  # seconds for one TAB

REG = registry.load()
ACTIVATIONS = set(REG.names("activation"))
LOSSES = set(REG.names("loss"))
MODEL = completion.build_model()
COMMANDS = {c.name for c in MODEL.commands}


def need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        if CI:
            pytest.fail(f"{shell} is not installed; the completion tests must run in the real shell in CI")
        pytest.skip(f"{shell} is not installed")
    return path


@pytest.fixture(scope="module")
def cwd(tmp_path_factory):
    """A directory with two data files and a subdirectory, for file completion."""
    d = tmp_path_factory.mktemp("completion")
    (d / "data.txt").write_text("1\n")
    (d / "data2.csv").write_text("1\n")
    (d / "sub").mkdir()
    return d


# ---------------------------------------------------------------------------
# the scripts are fresh and well-formed
# ---------------------------------------------------------------------------

def test_committed_scripts_are_what_the_generator_makes():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_completions.py"), "--check"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_check_mode_fails_on_a_stale_script(tmp_path):
    for shell in completion.SHELLS:
        (tmp_path / completion.FILES[shell]).write_text(completion.generate(shell, MODEL))
    (tmp_path / "_actloss").write_text("#compdef actloss\n")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_completions.py"), "--check", "--dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    last = run.stderr.splitlines()[-1]
    assert "_actloss" in last and "actloss.bash" not in last and "actloss.fish" not in last


def test_the_completion_command_prints_the_committed_script():
    run = subprocess.run([sys.executable, "-m", "actloss", "completion", "zsh"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ZSH.read_text()
    bad = subprocess.run([sys.executable, "-m", "actloss", "completion", "tcsh"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "tcsh" in bad.stderr


def test_zsh_script_is_an_autoloadable_compdef_file():
    text = ZSH.read_text()
    assert text.startswith("#compdef actloss\n")  # compinit reads only the first line
    # the body defines the completion function and runs it (the first TAB completes); compdef only when sourced
    assert re.search(r"^if \[\[ \$funcstack\[1\] == _actloss \]\]; then\n    _actloss \"\$@\"\nelse\n    compdef _actloss actloss\nfi\n\Z",
                     text, re.M)


def test_scripts_run_no_program_on_tab():
    for path in (BASH, ZSH, FISH):
        text = path.read_text()
        assert "python" not in text and "_ACTLOSS_COMPLETE" not in text
        assert not re.search(r"\$\(\s*actloss|\(\s*actloss\s", text), path


# ---------------------------------------------------------------------------
# what a TAB offers: the same cases in bash and fish
# ---------------------------------------------------------------------------

def own_options(name: str) -> set[str]:
    return {n for o in MODEL.command(name).options for n in o.names}


# (command line up to the cursor, check): "=" exact set, ">=" at least these, "<=" only some of these
CASES = [
    ("actloss ", "=", COMMANDS),
    ("actloss ev", "=", {"eval"}),
    ("actloss -", "=", {"--version", "-V", "--help", "-h"}),
    ("actloss eval ", "=", ACTIVATIONS),
    ("actloss grad ", "=", ACTIVATIONS | LOSSES),
    ("actloss loss ", "=", LOSSES),
    ("actloss info ", "=", ACTIVATIONS | LOSSES),
    ("actloss plot ", ">=", ACTIVATIONS),
    ("actloss eval ge", "=", {"gelu", "geglu"}),
    ("actloss eval relu gel", "=", {"gelu"}),
    ("actloss eval sw", "=", {"swiglu", "swish"}),  # other names once a letter is typed
    ("actloss eval leakyr", "=", {"leakyrelu"}),  # variants of a name when nothing else matches
    ("actloss loss hu", "=", {"huber", "huber_loss"}),
    ("actloss eval gelu --", "=", {o for o in own_options("eval") if o.startswith("--")} | {"--approximate"}),
    ("actloss eval Leaky-ReLU --n", "=", {"--negative-slope"}),
    ("actloss eval gelu --approximate ", "=", {"none", "tanh"}),
    ("actloss eval gelu --approximate t", "=", {"tanh"}),
    ("actloss eval gelu --format ", "=", {"table", "plain", "csv", "json"}),
    ("actloss eval gelu --format table --precision 3 ", "=", ACTIVATIONS),
    ("actloss eval gelu --input da", "=", {"data.txt", "data2.csv"}),
    ("actloss eval gelu --input ", ">=", {"data.txt", "data2.csv", "sub"}),
    ("actloss eval gelu -- ", "=", set()),
    ("actloss eval gelu -- -1 ", "=", set()),
    ("actloss eval gelu 0.5 ", "=", set()),
    ("actloss grad ce --", ">=", {"--pred", "--target", "--logits", "--reduction", "--label-smoothing"}),
    ("actloss grad kl --reduction ", "=", {"mean", "sum", "none", "batchmean"}),
    ("actloss loss bce --logits --red", "=", {"--reduction"}),
    ("actloss loss mse --pred 1,2 --target ", "=", set()),
    ("actloss loss ce --format ", "=", {"table", "plain", "csv", "json"}),
    ("actloss list --kind ", "=", {"activation", "loss"}),
    ("actloss list --format ", "=", {"table", "plain", "json"}),
    ("actloss info gelu --lang ", "=", {"en", "zh"}),
    ("actloss info gelu ", "=", set()),
    ("actloss plot gelu -o ", ">=", {"data.txt", "data2.csv", "sub"}),
    ("actloss plot gelu --output da", "=", {"data.txt", "data2.csv"}),
    ("actloss plot gelu --format sv", "=", {"svg", "svgz"}),
    ("actloss plot gelu --range -3 ", "=", set()),
    ("actloss plot gelu --range -3 3 --gr", "=", {"--grad", "--grad2"}),
    ("actloss plot softmax --oth", "=", {"--others"}),
    ("actloss plot gelu --oth", "=", set()),
    ("actloss completion ", "=", {"bash", "zsh", "fish"}),
] + [(f"actloss {c.name} -", ">=", own_options(c.name)) for c in MODEL.commands]


def check(line: str, op: str, want: set[str], got: list[str]) -> None:
    found = {g.rstrip("/") for g in got}
    if op == "=":
        assert found == want, line
    elif op == ">=":
        assert found >= want, line


def bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash makes them: split at blanks, and '=' is a word of its own."""
    words = []
    for tok in line.split(" "):
        parts = re.split(r"(=)", tok) if tok.startswith("--") else [tok]
        words.extend(p for p in parts if p != "" or parts == [""])
    if line.endswith(" ") and words[-1] != "":
        words.append("")
    return words


def run_bash(lines: list[str], cwd: Path, extra: str = "") -> list[list[str]]:
    need("bash")
    script = [f"source {shlex.quote(str(BASH))}", extra]
    for line in lines:
        words = bash_words(line)
        script.append(
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
            f"COMP_LINE={shlex.quote(line)}; COMP_POINT={len(line)}; COMPREPLY=(); _actloss; "
            "printf '%s\\n' \"${COMPREPLY[@]}\"; echo @@end"
        )
    run = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(script)], cwd=cwd,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and not run.stderr, run.stderr
    blocks = run.stdout.split("@@end\n")[: len(lines)]
    return [[x for x in b.split("\n") if x] for b in blocks]


def fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run_fish(lines: list[str], cwd: Path, extra: str = "") -> list[list[str]]:
    need("fish")
    script = [f"source {fish_quote(str(FISH))}", extra]
    for line in lines:
        script.append(f"complete -C {fish_quote(line)}; echo @@end")
    run = subprocess.run(["fish", "--no-config", "-c", "\n".join(script)], cwd=cwd,
                         capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(cwd)})
    assert run.returncode == 0 and not run.stderr, run.stderr
    blocks = run.stdout.split("@@end\n")[: len(lines)]
    return [[x.split("\t")[0] for x in b.split("\n") if x] for b in blocks]


def test_bash(cwd):
    got = run_bash([c[0] for c in CASES], cwd)
    for (line, op, want), g in zip(CASES, got):
        check(line, op, want, g)


def test_bash_option_equals_value(cwd):
    # bash splits --approximate=t into '--approximate' '=' 't' and replaces only the word after '='
    got = run_bash(["actloss eval gelu --approximate=t", "actloss eval gelu --approximate=", "actloss eval gelu --input=da"], cwd)
    assert got == [["tanh"], ["none", "tanh"], ["data.txt", "data2.csv"]]


def test_bash_registers_the_function(cwd):
    need("bash")
    run = subprocess.run(["bash", "--norc", "--noprofile", "-c", f"source {shlex.quote(str(BASH))}; complete -p actloss"],
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "complete -F _actloss actloss"


def test_fish(cwd):
    got = run_fish([c[0] for c in CASES], cwd)
    for (line, op, want), g in zip(CASES, got):
        # when nothing starts with the word, fish itself offers fuzzy matches: not the script's
        word = line.rsplit(" ", 1)[-1]
        check(line, op, want, [x for x in g if x.startswith(word)])


def test_fish_option_equals_value_and_descriptions(cwd):
    need("fish")
    got = run_fish(["actloss eval gelu --approximate=t", "actloss eval gelu --input=da"], cwd)
    assert got == [["--approximate=tanh"], ["--input=data.txt", "--input=data2.csv"]]
    run = subprocess.run(["fish", "--no-config", "-c", f"source {fish_quote(str(FISH))}; complete -C 'actloss eval gel'"],
                         capture_output=True, text=True, timeout=60)
    assert run.stdout == f"gelu\t{REG.get('gelu').summary}\n"


# ---------------------------------------------------------------------------
# zsh: an interactive shell in a terminal, the script autoloaded from $fpath
# ---------------------------------------------------------------------------

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\x07")


class Terminal:
    """An interactive shell on a pseudo-terminal; ``actloss`` is a shell function echoing its arguments."""

    def __init__(self, cwd: Path, setup: str, shell: str = "zsh"):
        self.master, slave = pty.openpty()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "ZDOTDIR": str(cwd),
               "TERM": "xterm", "LANG": "C.UTF-8", "COLUMNS": "100", "LINES": "50", "PS1": "$ "}
        argv = ["zsh", "-f", "-i"] if shell == "zsh" else ["bash", "--norc", "--noprofile", "-i"]
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     cwd=cwd, env=env, start_new_session=True)
        os.close(slave)
        self.marks = 0
        if shell == "zsh":
            # insert-tab false: TAB completes even with the rest of the test's keys already queued
            setup = "PS1='$ '; " + setup + "; zstyle ':completion:*' insert-tab false"
        self.run(setup + "; actloss() { echo \"ARGS<$*>\"; }")

    def read(self, until: bytes | None = None, timeout: float = 20.0) -> str:
        buf = b""
        end = time.monotonic() + timeout
        while until is None or until not in ANSI.sub(b"", buf):
            ready, _, _ = select.select([self.master], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                raise TimeoutError(ANSI.sub(b"", buf).decode("utf-8", "replace"))
            buf += os.read(self.master, 65536)
            if until is None:
                break
        return ANSI.sub(b"", buf).decode("utf-8", "replace")

    def _mark(self) -> tuple[bytes, bytes]:
        self.marks += 1
        # the command line holds MAR''K: only its output shows MARK<n>
        return f"echo MAR''K{self.marks}\n".encode(), f"MARK{self.marks}\n".encode()

    def run(self, line: str) -> str:
        cmd, mark = self._mark()
        os.write(self.master, line.encode() + b"\n" + cmd)
        return self.read(mark)

    def tab(self, text: str, enter: bool) -> tuple[str, float]:
        """Type text, TAB, then Enter (run it) or ^U (drop it). Returns the screen and the TAB's answer time."""
        os.write(self.master, text.encode())
        self.read(text[-3:].encode())  # the echo of the last keys
        while select.select([self.master], [], [], 0.02)[0]:
            os.read(self.master, 65536)
        start = time.monotonic()
        os.write(self.master, b"\t")
        first = self.read()
        took = time.monotonic() - start
        cmd, mark = self._mark()
        os.write(self.master, (b"\n" if enter else b"\x15") + cmd)
        return first + self.read(mark), took

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        os.close(self.master)


@pytest.fixture
def zsh_autoload(cwd):
    need("zsh")
    term = Terminal(cwd, f"fpath=({DIR} $fpath); autoload -U compinit; compinit -u -D")
    yield term
    term.close()


def test_zsh_first_tab_after_autoload_completes(zsh_autoload):
    out, took = zsh_autoload.tab("actloss eval gel", enter=True)
    assert "ARGS<eval gelu>" in out
    assert took < TAB_BUDGET, f"first TAB took {took * 1000:.0f} ms"


def test_zsh_completes_names_options_choices_and_files(zsh_autoload):
    term = zsh_autoload
    out, _ = term.tab("actloss eval ge", enter=False)
    assert re.search(r"geglu\s+-- a ⊗ gelu", out) and re.search(r"gelu\s+-- Gaussian error", out)
    assert "ARGS<li>" not in term.tab("actloss li", enter=True)[0]
    assert "ARGS<list>" in term.tab("actloss li", enter=True)[0]
    assert "ARGS<eval gelu --approximate=tanh>" in term.tab("actloss eval gelu --approximate=t", enter=True)[0]
    assert "ARGS<eval gelu --approximate tanh>" in term.tab("actloss eval gelu --approximate t", enter=True)[0]
    assert "ARGS<eval gelu --input data.txt>" in term.tab("actloss eval gelu --input data.", enter=True)[0]
    assert re.search(r"ARGS<plot gelu -o sub/?>", term.tab("actloss plot gelu -o su", enter=True)[0])
    assert "ARGS<grad ce --target>" in term.tab("actloss grad ce --tar", enter=True)[0]
    out, _ = term.tab("actloss grad ce mse --tar", enter=True)  # two losses: nothing else printed
    assert "ARGS<grad ce mse --target>" in out and "_o=" not in out
    assert "ARGS<loss huber>" in term.tab("actloss loss hub", enter=True)[0]
    assert "ARGS<list --kind activation>" in term.tab("actloss list --kind a", enter=True)[0]
    out, _ = term.tab("actloss ", enter=False)
    for name in COMMANDS:
        assert re.search(rf"^{name}\s+-- ", out, re.M), name


def test_zsh_sourced_after_compinit(cwd):
    need("zsh")
    term = Terminal(cwd, f"autoload -U compinit; compinit -u -D; source {shlex.quote(str(ZSH))}")
    try:
        assert "ARGS<info gelu>" in term.tab("actloss info gel", enter=True)[0]
    finally:
        term.close()


def test_bash_interactive(cwd):
    # readline itself: the word after '=' is replaced, directories get their slash
    need("bash")
    term = Terminal(cwd, f"source {shlex.quote(str(BASH))}", shell="bash")
    try:
        assert "ARGS<eval gelu --approximate=tanh>" in term.tab("actloss eval gelu --approximate=t", enter=True)[0]
        assert "ARGS<eval gelu --input=data.txt>" in term.tab("actloss eval gelu --input=data.", enter=True)[0]
        assert "ARGS<plot gelu -o sub/>" in term.tab("actloss plot gelu -o su", enter=True)[0]
        assert "ARGS<info gelu>" in term.tab("actloss info gel", enter=True)[0]
    finally:
        term.close()


# ---------------------------------------------------------------------------
# speed: one TAB, as the shell sees it
# ---------------------------------------------------------------------------

SLOW_LINES = ["actloss info ", "actloss grad ce --", "actloss eval gelu --input "]


def test_bash_tab_is_fast(cwd):
    need("bash")
    # a fresh shell: sourcing the script (what bash-completion does on the first TAB) and one TAB
    lines = []
    for line in SLOW_LINES:
        words = bash_words(line)
        lines.append(
            f"t0=$EPOCHREALTIME; source {shlex.quote(str(BASH))}; "
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}; _actloss; "
            "t1=$EPOCHREALTIME; echo $(( (${t1/./} - ${t0/./}) ))"
        )
    run = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(lines)], cwd=cwd,
                         capture_output=True, text=True, timeout=60)
    micros = [int(x) for x in run.stdout.split()]
    assert len(micros) == len(SLOW_LINES) and max(micros) < TAB_BUDGET * 1e6, micros


def test_fish_tab_is_fast(cwd):
    need("fish")
    script = [f"source {fish_quote(str(FISH))}"]
    for line in SLOW_LINES:
        script.append(f"set t0 (date +%s%N); complete -C {fish_quote(line)} >/dev/null; set t1 (date +%s%N); math \"($t1 - $t0) / 1000\"")
    run = subprocess.run(["fish", "--no-config", "-c", "\n".join(script)], cwd=cwd,
                         capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(cwd)})
    micros = [float(x) for x in run.stdout.split()]
    assert len(micros) == len(SLOW_LINES) and max(micros) < TAB_BUDGET * 1e6, micros
