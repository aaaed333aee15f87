"""The Python API: every function by name and alias, keyword-only parameters, numpy in and out,
typed errors worded in Python terms, docstrings generated from the records (their examples run
as doctests), and results identical to the command line's."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys

import numpy as np
import pytest

import actloss as al
from actloss import cards
from actloss.registry import load
from cli import invoke

RECORDS = list(load())
NAMES = [r.name for r in RECORDS]


def test_import_is_cheap():
    code = (
        "import sys, actloss as al; f = al.gelu; al.get('swish'); al.list_functions(); help_text = al.ce.__doc__; "
        "print([m for m in ('numpy', 'typer', 'click', 'rich', 'matplotlib', 'orjson', 'mpmath') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_function_by_name_and_alias():
    assert al.list_functions() == NAMES
    assert al.list_functions(kind="loss") == [r.name for r in RECORDS if r.kind == "loss"]
    assert set(NAMES) <= set(al.__all__) and set(NAMES) <= set(dir(al))
    for r in RECORDS:
        op = getattr(al, r.name)
        assert op is al.get(r.name) is al.get(r.name.upper().replace("_", "-"))
        assert op.name == r.name and op.kind == r.kind and op.defaults == r.defaults()
        for alias in r.aliases:
            assert al.get(alias) is op
    namespace: dict = {}
    exec("from actloss import *", namespace)
    assert all(name in namespace for name in NAMES) and "ActlossError" in namespace


def test_unknown_names():
    with pytest.raises(AttributeError, match="list_functions"):
        al.no_such_function  # noqa: B018
    with pytest.raises(al.UnknownFunctionError, match="did you mean .*'gelu'"):
        al.get("gleu")
    with pytest.raises(LookupError):
        al.get("nothing_like_it")
    with pytest.raises(al.ParameterError, match="kind must be one of activation, loss"):
        al.list_functions(kind="losses")


def test_numpy_in_and_out():
    assert isinstance(al.gelu(0.5), np.float64) and al.gelu(0.5) == 0.34573123063700656
    y = al.gelu(np.zeros((2, 3, 4)))
    assert y.shape == (2, 3, 4) and y.dtype == np.float64
    assert al.relu([[-1, 2]]).tolist() == [[0.0, 2.0]]  # integers in, float64 out
    assert al.softmax(np.ones((2, 5, 3)), temperature=2.0).shape == (2, 5, 3)
    assert al.softmax.grad(np.ones((2, 3))).shape == (2, 3, 3)
    assert al.glu.grad(np.ones((4, 6))).shape == (4, 3, 6)
    g = al.ce.grad([[1.0, 2.0, 3.0]], [2], logits=True)
    assert g.shape == (1, 3)
    assert al.ce([[0.1, 0.9], [0.8, 0.2]], [1, 0]) == pytest.approx(0.164252033486018, rel=1e-15)


def test_parameters_are_keyword_only_and_checked():
    assert al.gelu(1.0, approximate="tanh") != al.gelu(1.0)
    assert al.leaky_relu(-1.0, negative_slope=0.2) == al.leaky_relu(-1.0, alpha=0.2) == -0.2
    with pytest.raises(al.ArgumentError, match=r"gelu\(\) takes 1 positional argument \(x\), got 2; parameters are keyword-only, e.g. gelu\(x, approximate='tanh'\)"):
        al.gelu(1.0, "tanh")
    with pytest.raises(TypeError):  # also a TypeError, as Python's own calls
        al.mse([1.0])
    with pytest.raises(al.ParameterError) as info:
        al.gelu(1.0, alpha=2)
    assert str(info.value) == "gelu does not take alpha; it takes approximate"
    with pytest.raises(ValueError, match=r"^alpha must be in \(0, inf\), got 0$"):
        al.celu(1.0, alpha=0)
    with pytest.raises(al.InputError) as info:
        al.ce([[0.1, 0.7]], [1])
    assert str(info.value).endswith("pass logits=True if these are raw scores")
    with pytest.raises(al.ShapeError, match=r"\(3,\).*\(2,\)"):
        al.mse([1.0, 2.0, 3.0], [1.0, 2.0])
    for error in (al.ParameterError, al.InputError, al.ShapeError, al.UnknownFunctionError, al.ArgumentError):
        assert issubclass(error, al.ActlossError) and issubclass(error, ValueError)


def test_info_is_the_json_card():
    r = invoke("info", "gelu", "--format", "json", "--lang", "zh")
    assert r.code == 0
    assert al.info("gelu", lang="zh") == json.loads(r.out)
    with pytest.raises(al.ParameterError, match="lang must be one of en, zh"):
        al.info("gelu", lang="fr")


@pytest.mark.parametrize("name", NAMES)
def test_docstring(name):
    op = getattr(al, name)
    doc = op.__doc__
    r = load().get(name)
    assert doc.startswith(f"{name}(") and r.formula.text in doc and r.derivative_formula.text in doc
    assert f"Range: {cards.range_text(r)}." in doc and "{min" not in doc and "{lim" not in doc
    for p in r.params:
        assert f"    {p.name}: {p.doc}; default {p.default!r}" in doc
    if r.kink_note:
        assert r.kink_note in doc
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder().find(op.__doc__ and _Holder(op), name, globs={})
    assert sum(len(t.examples) for t in tests) == 3  # the import, the value, the derivative
    for t in tests:
        runner.run(t)
    assert runner.failures == 0


class _Holder:
    """doctest finds docstrings on objects of a module; this holds one function's."""

    def __init__(self, op):
        self.__doc__ = op.__doc__
        self.__module__ = "actloss"


def test_module_doctest():
    failures, tried = doctest.testmod(al, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 5 and failures == 0


def test_examples_are_fresh():
    sys.path.insert(0, "tools")
    try:
        import gen_examples
    finally:
        sys.path.pop(0)
    with open(gen_examples.TARGET, encoding="utf-8") as fh:
        assert fh.read() == gen_examples.render(), "run python tools/gen_examples.py"


def _cli_lines(y) -> list[str]:
    return [repr(float(v)) for v in np.asarray(y).reshape(-1)]


@pytest.mark.parametrize("name", NAMES)
def test_api_equals_cli(name):
    """Digit for digit: what the API returns is what the command line prints."""
    r = load().get(name)
    op = getattr(al, name)
    if r.kind == "loss":
        pred, target = cards.loss_sample(r)
        if r.per == "sample" and target.ndim < pred.ndim:
            target = target.astype(int)
        args = ["--pred", json.dumps(pred.tolist()), "--target", json.dumps(target.tolist()), "--format", "plain"]
        for reduction in ("mean", "none"):
            value = invoke("loss", name, *args, "--reduction", reduction)
            assert value.code == 0, value.err
            assert value.out.split() == _cli_lines(op(pred, target, reduction=reduction))
        grad = invoke("grad", name, *args)
        assert grad.code == 0, grad.err
        assert grad.out.split() == _cli_lines(op.grad(pred, target))
        return
    if r.shape == "elementwise":
        x = np.array([-40.0, -2.5, -1.0, -1e-300, 0.0, 0.5, 3.0, 700.0])
    else:
        x = np.array([cards.SAMPLE_GLU if r.shape == "glu" else cards.SAMPLE_VECTOR])
    numbers = ["--"] + [repr(v) for v in x.reshape(-1).tolist()]
    for command, fn in (("eval", op), ("grad", op.grad)):
        res = invoke(command, name, "--format", "plain", *numbers)
        assert res.code == 0, res.err
        assert res.out.split() == _cli_lines(fn(x))
