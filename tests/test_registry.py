"""The registry: lookup, aliases, suggestions, duplicate refusal, parameter checks, cheap imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from actloss import registry
from actloss.errors import ParameterError, RegistrationError, UnknownFunctionError
from actloss.registry import Formula, Function, Param, Registry


def _record(name, aliases=()):
    return Function(
        name=name, kind="activation", shape="elementwise", summary="s", kernel="actloss._kernels:relu",
        formula=Formula("f", "f"), derivative_formula=Formula("g", "g"), range="(0, 1)", aliases=aliases,
    )


@pytest.mark.parametrize(
    "alias, canonical",
    [("swish", "silu"), ("SiLU", "silu"), ("logsigmoid", "log_sigmoid"), ("hard_swish", "hardswish"),
     ("hardswish", "hardswish"), ("logistic", "sigmoid"), ("Leaky-ReLU", "leaky_relu"), ("GELU", "gelu")],
)
def test_aliases_resolve_case_insensitively(alias, canonical):
    assert registry.get(alias).name == canonical


def test_unknown_name_quotes_it_and_suggests():
    with pytest.raises(UnknownFunctionError) as info:
        registry.get("sigmod")
    assert "'sigmod'" in str(info.value) and "'sigmoid'" in str(info.value)
    with pytest.raises(UnknownFunctionError) as info:
        registry.get("zzzzzz")
    assert "actloss list" in str(info.value)


def test_duplicates_are_refused():
    reg = Registry()
    reg.register(_record("alpha", aliases=("a1",)))
    with pytest.raises(RegistrationError):
        reg.register(_record("Alpha"))
    with pytest.raises(RegistrationError):
        reg.register(_record("beta", aliases=("A1",)))
    with pytest.raises(RegistrationError):
        reg.register(_record("gamma", aliases=("gamma",)))
    assert reg.names() == ["alpha"]


def test_the_real_registry_has_no_clashes():
    reg = registry.load()
    keys = [registry.normalize(n) for n in reg.all_names()]
    assert len(keys) == len(set(keys))


def test_parameter_checks():
    celu = registry.get("celu")
    with pytest.raises(ParameterError, match="^alpha must be in") as info:
        celu.bind({"alpha": 0})
    assert info.value.cli_message().startswith("--alpha must be in")
    with pytest.raises(ParameterError, match="must be finite"):
        celu.bind({"alpha": "inf"})
    with pytest.raises(ParameterError, match="expects a number"):
        celu.bind({"alpha": "two"})
    assert registry.get("leaky_relu").bind({"negative_slope": "0.2"}) == {"alpha": 0.2}
    with pytest.raises(ParameterError, match="relu does not take alpha; it takes no parameters") as info:
        registry.get("relu").bind({"alpha": 1})
    assert info.value.cli_message() == "relu does not take --alpha; it takes no parameters"
    with pytest.raises(ParameterError) as info:
        registry.get("hardtanh").bind({"min_val": 2})
    assert str(info.value) == "min_val must be less than max_val, got 2.0 and 1.0"
    assert info.value.cli_message() == "--min-val must be less than --max-val, got 2.0 and 1.0"


def test_param_range_text():
    assert Param("b", 4.0, "", low=0.0, low_open=True).range_text() == "(0, inf)"
    assert Param("l", 0.5, "", low=0.0).range_text() == "[0, inf)"
    assert Param("a", "none", "", choices=("none", "tanh")).range_text() == "one of none, tanh"


def test_every_record_is_complete():
    for rec in registry.load():
        assert rec.summary and rec.formula.text and rec.formula.latex and rec.range, rec.name
        assert rec.derivative_formula.text and rec.derivative_formula.latex, rec.name
        lo, hi = rec.plot_range
        assert lo < hi, rec.name
        for p in rec.params:
            assert p.doc, (rec.name, p.name)
            p.convert(p.default)  # the default passes its own check


def test_reading_the_registry_imports_no_numpy_typer_rich_or_matplotlib():
    code = (
        "import sys; from actloss import registry; registry.load(); "
        "bad = [m for m in ('numpy', 'typer', 'rich', 'matplotlib') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_core_kernels_import_without_cli_libraries():
    code = (
        "import sys; import actloss._kernels, actloss._vector, actloss.io; "
        "print(','.join(m for m in ('typer', 'rich', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
