"""Reference cards: every record of the registry carries a complete card, and the commands print it.

The registry walk covers activations and losses alike: formulas (the LaTeX is
parsed by matplotlib's mathtext, so plots can use it), range, properties, pros
and cons in English and Chinese, PyTorch/JAX/Keras equivalents, and sample
points that agree with what ``actloss eval``/``grad``/``loss`` print.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from actloss import cards, registry
from actloss.cli.entry import main
from terminal import run_on_terminal

REG = registry.load()
RECORDS = list(REG)
IDS = [r.name for r in RECORDS]
ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args, input=None, env=None):
    e = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    return subprocess.run([sys.executable, "-m", "actloss", *args], capture_output=True, text=True, input=input,
                          env=e, timeout=60)


def call(argv, capsys) -> str:
    """Run the CLI in this process (same code path as the console script); stdout as text."""
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    return out


def floats(text: str) -> list[float]:
    return [float(t) for t in re.findall(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)", text)]


def flat(v) -> list[float]:
    if isinstance(v, list):
        return [x for item in v for x in flat(item)]
    return [v]


# ---------------------------------------------------------------------------
# the registry walk
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mathtext():
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("path")


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_formulas_are_given_and_the_latex_parses(record, mathtext):
    for formula in (record.formula, record.derivative_formula):
        assert formula.text.strip() and formula.latex.strip()
        mathtext.parse(f"${formula.latex}$")  # raises ValueError on invalid mathtext


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_range_and_properties(record):
    assert record.range.strip()
    assert record.properties and all(str(k).strip() for k in record.properties)
    assert "smoothness" in record.properties


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_pros_and_cons_in_english_and_chinese(record):
    for lang in cards.LANGS:
        assert lang in record.notes, f"{record.name} has no {lang} notes"
        for key in ("pros", "cons"):
            items = record.notes[lang].get(key, ())
            assert items, f"{record.name}: no {lang} {key}"
            assert all(isinstance(s, str) and s.strip() for s in items)
            if lang == "zh":
                assert all(CJK.search(s) for s in items), f"{record.name}: a zh {key} item is not Chinese"
            else:
                assert not any(CJK.search(s) for s in items), f"{record.name}: an en {key} item is Chinese"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_common_mistakes_come_in_both_languages(record):
    if not record.corrections:
        return
    assert set(record.corrections) == set(cards.LANGS)
    assert len(record.corrections["en"]) == len(record.corrections["zh"]) > 0
    assert all(CJK.search(s) for s in record.corrections["zh"])


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_equivalents_name_each_framework(record):
    for key, _ in cards.FRAMEWORKS:
        assert record.equivalents.get(key, "").strip(), f"{record.name}: no {key} equivalent (say 'none')"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_card_has_every_section(record):
    for lang in cards.LANGS:
        card = cards.build(record, lang, REG)
        md = cards.markdown(card)
        t = cards.TEXT[lang]
        heads = ["formula", "range", "properties", "parameters", "samples", "pros", "cons", "equivalents"]
        for key in heads:
            assert f"## {t[key]}\n" in md, (record.name, lang, key)
        assert f"## {t['derivative_loss' if record.kind == 'loss' else 'derivative']}\n" in md
        json.dumps(cards.json_obj(card), allow_nan=False)


def test_common_mistakes_name_the_mistake_and_the_truth():
    def mistakes(name):
        return " ".join(REG.get(name).corrections["en"])

    assert "σ(x)·(1 − σ(x))" in mistakes("sigmoid") and "f(x) − (1 − f(x))" in mistakes("sigmoid")
    assert "(−1, 1)" in mistakes("tanh") and "(0, 1)" in mistakes("tanh")
    assert "1/(1 + |x|)²" in mistakes("softsign") and "1/(1 + x)²" in mistakes("softsign")
    assert "step function" in mistakes("relu") and "max(0, 1)" in mistakes("relu") and "[0, ∞)" in mistakes("relu")
    assert "SwiGLU" in mistakes("swiglu") and "σ(βb)" in mistakes("swiglu")
    assert REG.get("relu").range == "[0, inf)" and REG.get("tanh").range == "(-1, 1)"


def test_cards_speak_of_common_mistakes_not_of_a_note():
    """The reader never saw a study note: no card mentions one, in either language."""
    for record in RECORDS:
        for lang in cards.LANGS:
            md = cards.markdown(cards.build(record, lang, REG))
            assert not re.search(r"\bnotes?\b", md, re.IGNORECASE), (record.name, lang)
            assert "笔记" not in md and "原式" not in md, (record.name, lang)
            if record.corrections:
                assert f"## {cards.TEXT[lang]['mistakes']}\n" in md


def test_framework_disagreements_are_stated():
    eq = {r.name: r.equivalents for r in RECORDS}
    assert "approximate='none'" in eq["gelu"]["torch"]
    assert "approximate=True" in eq["gelu"]["jax"]
    assert "approximate=False" in eq["gelu"]["keras"] and "keras.ops.gelu(approximate=True)" in eq["gelu"]["keras"]
    assert "0.01" in eq["leaky_relu"]["torch"] and "0.01" in eq["leaky_relu"]["jax"]
    assert "0.2" in eq["leaky_relu"]["keras"] and "0.3" in eq["leaky_relu"]["keras"]
    assert "0.2x + 0.5" in eq["hardsigmoid"]["keras"]
    assert "20" in eq["softplus"]["torch"]
    assert eq["sparsemax"]["torch"] == "none" and eq["swiglu"]["keras"] == "none"


@pytest.mark.parametrize("name, author, year", [
    ("elu", "Clevert", "2015"), ("gelu", "Hendrycks", "2016"), ("selu", "Klambauer", "2017"),
    ("silu", "Ramachandran", "2017"), ("mish", "Misra", "2019"), ("prelu", "He", "2015"),
    ("reglu", "Shazeer", "2020"), ("geglu", "Shazeer", "2020"), ("swiglu", "Shazeer", "2020"),
])
def test_papers(name, author, year):
    paper = REG.get(name).paper
    assert author in paper and year in paper


def test_kink_convention_is_on_the_card():
    card = cards.build(REG.get("relu"), "en", REG)
    assert card["kinks"]["points"] == [[0.0, 0.0]]
    assert "relu′(0.0) = 0.0" in cards.markdown(card)


# ---------------------------------------------------------------------------
# sample points agree with eval / grad / loss
# ---------------------------------------------------------------------------

def test_elementwise_samples_agree_with_eval_and_grad(capsys):
    elementwise = [r for r in RECORDS if r.kind == "activation" and r.shape == "elementwise"]
    built = [cards.build(r, "en", REG)["samples"] for r in elementwise]
    xs = built[0]["x"]
    assert all(s["x"] == xs for s in built)
    names = [r.name for r in elementwise]
    numbers = ["--"] + [repr(x) for x in xs]
    for command, key in (("eval", "value"), ("grad", "derivative")):
        out = call([command, *names, "--format", "plain", *numbers], capsys)
        rows = [floats(line) for line in out.splitlines()]
        assert len(rows) == len(xs)
        for j, s in enumerate(built):
            assert [row[j] for row in rows] == s[key], (names[j], command)


VECTORS = [r for r in RECORDS if r.kind == "activation" and r.shape != "elementwise"]


@pytest.mark.parametrize("record", VECTORS, ids=[r.name for r in VECTORS])
def test_vector_samples_agree_with_eval_and_grad(record, capsys):
    s = cards.build(record, "en", REG)["samples"]
    numbers = ["--"] + [repr(x) for x in s["x"]]
    assert floats(call(["eval", record.name, "--format", "plain", *numbers], capsys)) == s["value"]
    assert floats(call(["grad", record.name, "--format", "plain", *numbers], capsys)) == flat(s["derivative"])


LOSSES = [r for r in RECORDS if r.kind == "loss"]


@pytest.mark.parametrize("record", LOSSES, ids=[r.name for r in LOSSES])
def test_loss_samples_agree_with_loss_and_grad(record, capsys):
    s = cards.build(record, "en", REG)["samples"]
    args = ["--pred", json.dumps(s["pred"]), "--target", json.dumps(s["target"]), "--format", "plain"]
    assert floats(call(["loss", record.name, *args], capsys)) == flat(s["value"])
    assert floats(call(["grad", record.name, *args], capsys)) == flat(s["derivative"])


# ---------------------------------------------------------------------------
# the commands
# ---------------------------------------------------------------------------

IDENTITY_MD = """\
# identity

x

- Kind: activation, elementwise
- Aliases: linear

## Formula

    identity(x) = x

$$\\mathrm{identity}(x) = x$$

## Derivative

    identity′(x) = 1

$$\\mathrm{identity}'(x) = 1$$

## Range

(-inf, inf)

## Properties

- monotonic: yes
- bounded: no
- zero-centred: yes
- smoothness: C∞

## Parameters

none

## Sample points

| x | identity(x) | identity′(x) |
|---:|---:|---:|
| -2.0 | -2.0 | 1.0 |
| -1.0 | -1.0 | 1.0 |
| 0.0 | 0.0 | 1.0 |
| 1.0 | 1.0 | 1.0 |
| 2.0 | 2.0 | 1.0 |

## Analysis

- no local minimum or maximum
- no inflection point
- steepest slope (Lipschitz constant) sup |f′| = 1.0, on (-inf, inf)
- f → -inf as x → −∞ and f → inf as x → +∞

Saturation: none; f is its own asymptote.

## Pros

- No non-linearity: the output layer of regression, and the activation wherever a layer must stay linear (logits handed to a loss that applies softmax or sigmoid itself, linear projections).
- Gradient exactly 1 everywhere, free to compute.

## Cons

- A stack of linear layers is one linear map: as the only activation of a deep network it cannot represent non-linear functions.
- Unbounded output.

## In PyTorch, JAX and Keras

- PyTorch: nn.Identity
- JAX: jax.nn.identity
- Keras: keras.activations.linear

See also: sigmoid, softmax
"""


def test_info_markdown_exact():
    p = run("info", "identity", "--format", "markdown")
    assert (p.returncode, p.stderr) == (0, "")
    assert p.stdout == IDENTITY_MD


def test_info_in_a_pipe_is_markdown_and_aliases_work():
    p = run("info", "LINEAR")
    assert (p.returncode, p.stdout) == (0, IDENTITY_MD)


def test_info_in_chinese():
    p = run("info", "softsign", "--lang", "zh")
    assert p.returncode == 0
    for head in ("## 公式", "## 导数", "## 值域", "## 性质", "## 分析", "## 优点", "## 缺点", "## 常见错误"):
        assert head + "\n" in p.stdout
    assert "1/(1 + |x|)²" in p.stdout and "## Pros" not in p.stdout


def test_info_json():
    p = run("info", "leaky_relu", "--format", "json", "--lang", "zh")
    assert p.returncode == 0
    card = json.loads(p.stdout)
    assert card["name"] == "leaky_relu" and card["lang"] == "zh"
    assert card["parameters"] == [{"name": "alpha", "option": "--alpha", "aliases": ["--negative-slope"], "default": 0.01,
                                   "range": "任意有限数", "doc": "x < 0 时的斜率(PyTorch 的 negative_slope)"}]
    assert card["samples"]["x"] == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert card["samples"]["derivative"] == [0.01, 0.01, 0.01, 1.0, 1.0]
    assert card["kinks"]["points"] == [[0.0, 0.01]]
    assert all(CJK.search(s) for s in card["pros"] + card["cons"] + card["mistakes"])
    assert set(card["equivalents"]) == {"torch", "jax", "keras"}


def test_info_panel_on_a_terminal():
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "xterm"}
    code, text = run_on_terminal(["info", "relu"], env)
    assert code == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "╭─ relu" in out and "╰" in out and "Dying ReLU" in out and "# relu" not in out


def test_info_panel_when_asked_in_a_pipe():
    p = run("info", "swiglu", "--format", "panel")
    assert p.returncode == 0 and "╭─ swiglu" in p.stdout and "Jacobian" in p.stdout


def test_list_plain():
    p = run("list", "--kind", "activation", "--format", "plain")
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert lines[:3] == ["sigmoid\tlogistic function 1/(1+e^-x)", "tanh\thyperbolic tangent", "softsign\tx/(1+|x|)"]
    assert [line.split("\t")[0] for line in lines] == REG.names("activation")
    assert all(line.count("\t") == 1 for line in lines)


def test_list_in_a_pipe_is_plain_and_kinds_split_the_registry():
    assert run("list").stdout.splitlines() == [f"{r.name}\t{r.summary}" for r in RECORDS]
    p = run("list", "--kind", "loss", "--format", "plain")
    assert p.returncode == 0 and [x.split("\t")[0] for x in p.stdout.splitlines()] == REG.names("loss")


def test_list_json():
    p = run("list", "--format", "json")
    items = json.loads(p.stdout)
    assert [i["name"] for i in items] == IDS
    elu = next(i for i in items if i["name"] == "elu")
    assert elu["parameters"] == [{"name": "alpha", "option": "--alpha", "default": 1.0, "range": "any finite number"}]
    assert elu["range"] == cards.range_text(REG.get("elu")) and elu["formula"]["latex"] == REG.get("elu").formula.latex


def test_list_table():
    p = run("list", "--kind", "activation", "--format", "table", env={"COLUMNS": "200"})
    assert p.returncode == 0
    for head in ("name", "aliases", "parameters", "range", "formula"):
        assert head in p.stdout.splitlines()[1]
    assert "alpha=0.01" in p.stdout and "leaky_relu" in p.stdout


@pytest.mark.parametrize("args, needle", [
    (("info", "gelux"), "did you mean 'gelu'"),
    (("info", "softmaks"), "did you mean 'softmax'"),
    (("info", "zzzz"), "actloss list"),
    (("list", "--kind", "activations"), "--kind must be one of activation, loss, got 'activations'"),
    (("list", "--format", "csv"), "--format must be one of table, plain, json, got 'csv'"),
    (("info", "relu", "--lang", "fr"), "--lang must be one of en, zh, got 'fr'"),
    (("info", "relu", "--format", "html"), "--format must be one of panel, markdown, json, got 'html'"),
    (("info",), "NAME"),
])
def test_errors_are_one_line_and_exit_2(args, needle):
    p = run(*args)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("actloss: error: ") and p.stderr.count("\n") == 1, p.stderr
    assert needle in p.stderr


def test_cards_import_neither_numpy_nor_rich():
    code = ("import sys, actloss.cards, actloss.cli.cards; "
            "print(sorted(m for m in ('numpy', 'rich', 'matplotlib') if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "[]", p.stderr


def test_list_loads_neither_numpy_nor_rich(capsys):
    code = ("import sys\nfrom actloss.cli.entry import main\n"
            "try:\n    main(['list', '--format', 'plain'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('numpy', 'rich', 'matplotlib') if m in sys.modules), file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stderr.strip() == "[]"


# ---------------------------------------------------------------------------
# the README table
# ---------------------------------------------------------------------------

def test_readme_function_table_is_in_step_with_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cards.README_START in readme and cards.README_END in readme
    start = readme.index(cards.README_START)
    end = readme.index(cards.README_END) + len(cards.README_END)
    assert readme[start:end] == cards.readme_block(RECORDS), (
        "the README function table is out of date: run 'python tools/readme_table.py'"
    )


def test_readme_table_lists_every_name_and_escapes_pipes():
    table = cards.functions_table(RECORDS)
    rows = table.splitlines()[2:]
    assert [re.match(r"\| `([^`]+)` \|", row).group(1) for row in rows] == IDS
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)
    assert "`softsign(x) = x / (1 + \\|x\\|)`" in table


def test_see_also_names_exist():
    for record in RECORDS:
        for name in cards.see_also(record, REG):
            assert name in REG and name != record.name


# ---------------------------------------------------------------------------
# the Chinese cards
# ---------------------------------------------------------------------------

# what stays as written on a Chinese card: code spans, quoted titles and strings, options,
# calls f(...), dotted API names, keyword=value, identifiers with underscores, "et al."
_KEPT = [
    re.compile(r"`[^`]*`"),
    re.compile(r"'[^']*'"),
    re.compile(r"--[\w-]+(=\S+)?"),
    re.compile(r"\b[\w.]+\([^()]*(\([^()]*\)[^()]*)*\)"),
    re.compile(r"\b\w+(\.\w+)+\b"),
    re.compile(r"\b\w+=\S+"),
    re.compile(r"\b\w*_\w*\b"),
    re.compile(r"\bet al\."),
    re.compile(r"“[^”]*”|《[^》]*》"),  # a term or a title quoted in Chinese
]
# names of functions, their aliases and parameters are API names too
_NAMES = re.compile(r"\b(?:" + "|".join(sorted({re.escape(n) for r in RECORDS for n in (r.name, *r.aliases)}
                                                | {re.escape(p.name) for r in RECORDS for p in r.params}
                                                | {c for r in RECORDS for p in r.params for c in p.choices}
                                                | {"pred", "target", "true", "false", "optax", "torchvision", "actloss",
                                                   "input", "dim", "axis", "class"},
                                                key=len, reverse=True)) + r")\b")
# function names of mathematics, and the spelling of infinity, are formula words, not English
_MATH_WORDS = {"inf", "nan", "log", "exp", "max", "min", "sign", "tanh", "erf", "erfc", "cos", "cosh", "sqrt", "clip"}
_WORD = r"[A-Za-z]{2,}"
# two words in a row, only spaces or ASCII punctuation between them, at least one of them lowercase
_RUN = re.compile(rf"\b({_WORD})[ ,;:/]+({_WORD})\b")


# the lowercase words a Chinese card keeps: terms of the trade written in English in Chinese texts too
_TERMS = {"logits", "one-hot", "nats", "bits", "sup", "dropout"}


def english_prose(line: str, formulas=()) -> str | None:
    """The first English word or run of words in ``line`` outside code, formulas, API names and
    titles, or None: two words in a row (one of them lowercase), or one lowercase word of three or
    more letters that is not a mathematical function or a kept term."""
    for f in formulas:
        line = line.replace(f, "§")
    for rx in _KEPT:
        line = rx.sub("§", line)
    line = _NAMES.sub("§", line)
    for m in _RUN.finditer(line):
        a, b = m.group(1), m.group(2)
        if a in _MATH_WORDS or b in _MATH_WORDS:
            continue
        if a.islower() or b.islower():
            return m.group(0)
    for m in re.finditer(r"(?<![\w-])[a-z]{3,}(?:-[a-z]+)*(?![\w-])", line):
        if m.group(0) not in _MATH_WORDS and m.group(0) not in _TERMS:
            return m.group(0)
    return None


@pytest.mark.parametrize("line, bad", [
    ("0 at x = ±1, the convention of hardtanh in PyTorch", True),
    ("relu′(0) = 0, as PyTorch", True),
    ("any finite number", True),
    ("one of none, tanh", True),
    ("Bergstra, 'Quadratic Polynomials Learn Better Image Features', 2009; compared with tanh by Glorot", True),
    ("- Keras: keras.activations.tanh; on the JAX backend float64 input comes back float32", True),
    ("在 x = ±1 处为 0,沿用 PyTorch 中 hardtanh 的约定", False),
    ("取值之一:none、tanh", False),
    ("- PyTorch: nn.functional.gelu(approximate='none') / nn.GELU", False),
    ("Bergstra, Desjardins, Lamblin, Bengio, 'Quadratic Polynomials Learn Better Image Features', 2009", False),
    ("(-inf, inf)", False),
    ("Howard 等, 'Searching for MobileNetV3', 2019", False),
    ("- PyTorch: torch.relu / nn.ReLU (derivative 0 at x = 0)", True),
    ("- 光滑性: C∞ where ŷ > 0", True),
    ("- 目标为分布(one-hot 或软标签);logits 与 nats", False),
])
def test_the_english_prose_detector(line, bad):
    assert (english_prose(line) is not None) == bad, english_prose(line)


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_chinese_cards_have_no_english_prose(record):
    """Every line of a Chinese card outside code, formulas, API names and titles is Chinese."""
    card = cards.build(record, "zh", REG)
    formulas = sorted({card["formula"]["text"], card["derivative"]["text"]}, key=len, reverse=True)
    found = []
    for line in cards.markdown(card).splitlines():
        if line.startswith("    ") or line.startswith("$$") or line.startswith("|---"):
            continue  # formulas (Unicode and LaTeX)
        hit = english_prose(line, formulas)
        if hit:
            found.append(f"{hit!r} in {line!r}")
    assert not found, "\n".join(found)


def test_every_chinese_translation_is_of_a_current_english_text():
    """A key of cards_zh.ZH that no record holds any more is a translation of changed English:
    the Chinese card shows the new English (and the prose test names it); drop or redo the entry."""
    from actloss import cards_zh

    texts = set()
    for r in RECORDS:
        texts |= {r.summary, r.range, r.kink_note, r.paper, *r.equivalents.values()}
        texts |= {p.doc for p in r.params}
        texts |= {v for v in r.properties.values() if isinstance(v, str)}
    stale = sorted(set(cards_zh.ZH) - texts)
    assert not stale, stale


def test_panel_keeps_square_brackets():
    """Record text on a terminal panel is never read as rich markup."""
    import os as _os

    from terminal import run_on_terminal

    code, out = run_on_terminal(["info", "focal"], {**_os.environ, "COLUMNS": "160", "NO_COLOR": "1"})
    assert code == 0 and "[0, 1] or -1" in out
    code, out = run_on_terminal(["info", "glu"], {**_os.environ, "COLUMNS": "160", "NO_COLOR": "1"})
    assert code == 0 and "glu([a, b])" in out
