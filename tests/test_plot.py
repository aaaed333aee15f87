"""`actloss plot`: real files, byte-identical output, atomic writes, every function, one-line errors."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from actloss import plot as P
from actloss import registry
from actloss.cli import plot as plot_cli
from actloss.cli.entry import main

SVG = "{http://www.w3.org/2000/svg}"
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}


@pytest.fixture(autouse=True)
def _no_freeze(monkeypatch):
    # the command freezes the heap because its process exits next; not so in a test process
    monkeypatch.setattr(plot_cli, "FREEZE_AT_EXIT", False)


def cli(capsys, *args):
    """Run the command in this process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("actloss: error: "), err
    return lines[0]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def item(name: str, **params) -> P.Item:
    rec = registry.get(name)
    return P.Item(rec, rec.bind(params))


def curves_in_svg(path: Path) -> dict[str, int]:
    """Each curve's id (gid 'curve-...') and the number of <path> elements drawing it."""
    root = ET.parse(path).getroot()
    return {g.get("id"): len(g.findall(f".//{SVG}path")) for g in root.iter(f"{SVG}g")
            if (g.get("id") or "").startswith("curve-")}


# ---------------------------------------------------------------------------
# real files
# ---------------------------------------------------------------------------

def test_png_signature_and_pixel_size(tmp_path, capsys):
    out = tmp_path / "gelu.png"
    assert cli(capsys, "plot", "gelu", "-o", str(out), "--size", "4", "3", "--dpi", "50") == (0, "", "")
    assert png_size(out) == (200, 150)


def test_default_png_is_150_dpi(tmp_path):
    out = P.plot([item("relu")], P.Options(points=50), tmp_path / "relu.png")
    w, h = P.DEFAULT_SIZE
    assert png_size(out) == (round(w * 150), round(h * 150))


def test_svg_one_path_per_curve(tmp_path, capsys):
    out = tmp_path / "cmp.svg"
    code, _, err = cli(capsys, "plot", "relu", "gelu", "silu", "mish", "--grad", "--points", "200", "-o", str(out))
    assert (code, err) == (0, "")
    curves = curves_in_svg(out)
    names = ["relu", "gelu", "silu", "mish"]
    expected = [f"curve-{i}-{n}" for i, n in enumerate(names)] + [f"curve-{i}-{n}-grad" for i, n in enumerate(names)]
    assert sorted(curves) == sorted(expected)
    assert set(curves.values()) == {1}


def test_only_grad_draws_only_derivatives(tmp_path):
    out = P.plot([item("elu"), item("selu")], P.Options(only_grad=True, points=100), tmp_path / "g.svg")
    assert sorted(curves_in_svg(out)) == ["curve-0-elu-grad", "curve-1-selu-grad"]


def test_pdf_header(tmp_path, capsys):
    out = tmp_path / "tanh.pdf"
    assert cli(capsys, "plot", "tanh", "--grad", "-o", str(out))[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_default_name_in_current_directory_said_on_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "plot", "relu", "lrelu", "--points", "20", "--dpi", "30")
    assert (code, out) == (0, "")
    assert (tmp_path / "relu-leaky_relu.png").is_file()
    assert err == f"actloss: wrote {tmp_path / 'relu-leaky_relu.png'}\n"
    code, _, err = cli(capsys, "plot", "relu", "--format", "svg", "--points", "20")
    assert code == 0 and (tmp_path / "relu.svg").is_file() and err.endswith("relu.svg\n")


def test_directory_target_takes_the_name(tmp_path, capsys):
    assert cli(capsys, "plot", "sigmoid", "-o", f"{tmp_path}/", "--points", "20", "--dpi", "30")[0] == 0
    assert (tmp_path / "sigmoid.png").is_file()


@pytest.mark.parametrize("ext", ["eps", "svgz", "webp", "jpg"])
def test_other_formats_matplotlib_writes(tmp_path, ext):
    out = P.plot([item("softsign")], P.Options(points=50, dpi=40), tmp_path / f"s.{ext}")
    assert out.stat().st_size > 0


def test_supported_formats_are_matplotlib_s():
    from matplotlib.backend_bases import FigureCanvasBase

    assert set(P.FORMATS) <= set(FigureCanvasBase.get_supported_filetypes())


# ---------------------------------------------------------------------------
# deterministic and atomic
# ---------------------------------------------------------------------------

DETERMINISM = textwrap.dedent("""
    import sys
    from actloss import plot as P, registry
    items = [P.Item(r, r.bind({})) for r in map(registry.get, ("relu", "gelu", "softmax"))]
    for ext in ("png", "svg", "pdf"):
        P.plot(items, P.Options(grad=True, points=300, title="relu, gelu and softmax"), sys.argv[1] + "." + ext)
""")


def test_byte_identical_across_runs(tmp_path):
    """Two processes (different hash seeds, different times) write the same bytes."""
    digests = []
    for run, seed in (("a", "1"), ("b", "2")):
        subprocess.run([sys.executable, "-c", DETERMINISM, str(tmp_path / run)], check=True, timeout=120,
                       env={**ENV, "PYTHONHASHSEED": seed})
        digests.append({ext: hashlib.sha256((tmp_path / f"{run}.{ext}").read_bytes()).hexdigest()
                        for ext in ("png", "svg", "pdf")})
    assert digests[0] == digests[1]
    text = (tmp_path / "a.svg").read_text() + (tmp_path / "a.pdf").read_bytes().decode("latin-1")
    import matplotlib

    assert matplotlib.__version__ not in text
    assert b"Matplotlib" not in (tmp_path / "a.png").read_bytes()


def test_byte_identical_in_one_process(tmp_path):
    for ext in ("png", "svg", "pdf"):
        a = P.plot([item("hardswish")], P.Options(grad=True, points=100), tmp_path / f"a.{ext}").read_bytes()
        b = P.plot([item("hardswish")], P.Options(grad=True, points=100), tmp_path / f"b.{ext}").read_bytes()
        assert a == b, ext


def _failing_savefig(fig, fh, fmt, dpi):
    fh.write(b"partial")
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize("existing", [True, False])
def test_failure_leaves_target_untouched_and_no_temporary(tmp_path, monkeypatch, existing):
    target = tmp_path / "plot.png"
    if existing:
        target.write_bytes(b"old picture")
    monkeypatch.setattr(P, "_savefig", _failing_savefig)
    with pytest.raises(RuntimeError, match="disk on fire"):
        P.plot([item("relu")], P.Options(points=20), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["plot.png"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old picture"


def test_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "p.png"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    P.plot([item("relu")], P.Options(points=20, dpi=30), target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_bytes()[:4] == b"\x89PNG"


# ---------------------------------------------------------------------------
# the curves
# ---------------------------------------------------------------------------

def test_kinks_are_exact_and_jumps_break_the_line():
    fn = P._function(item("relu"))
    x, y = P.curve(fn, -5.0, 5.0, 1000, derivative=False)
    assert 0.0 in x and y[x == 0.0][0] == 0.0
    assert not np.isnan(y).any()  # relu is continuous: one unbroken line
    x, dy = P.curve(fn, -5.0, 5.0, 1000, derivative=True)
    gap = np.flatnonzero(np.isnan(dy))
    assert gap.size == 1  # relu′ jumps from 0 to 1 at 0
    assert x[gap[0] - 1] == 0.0 and dy[gap[0] - 1] == 0.0 and dy[gap[0] + 1] == 1.0


def test_hardshrink_jumps_at_lambda():
    fn = P._function(item("hardshrink", lambd=0.7))
    x, y = P.curve(fn, -3.0, 3.0, 101, derivative=False)
    assert 0.7 in x and -0.7 in x
    assert np.isnan(y).sum() == 2


def test_corners_of_vector_functions_are_found():
    fn = P._function(item("sparsemax"))  # component 0 of sparsemax([x, 0]): corners at x = ±1
    x, _ = P.curve(fn, -3.0, 3.0, 100, derivative=False)
    for corner in (-1.0, 1.0):
        assert np.min(np.abs(x[np.isfinite(x)] - corner)) <= 4e-16


def test_relu6_default_range_shows_6():
    lo, hi = P.default_range([item("relu6")])
    assert lo < 0 < 6 < hi


def test_two_class_softmax_is_the_sigmoid():
    soft = P._function(item("softmax"))
    sig = P._function(item("sigmoid"))
    x = np.linspace(-6, 6, 101)
    np.testing.assert_allclose(soft.f(x), sig.f(x), rtol=1e-15, atol=0)
    np.testing.assert_allclose(soft.df(x), sig.df(x), rtol=1e-14, atol=0)


def test_glu_plots_against_the_gate_with_the_value_fixed():
    fn = P._function(P.Item(registry.get("glu"), {}, value=2.0))
    sig = P._function(item("sigmoid"))
    x = np.linspace(-6, 6, 11)
    np.testing.assert_allclose(fn.f(x), 2.0 * sig.f(x), rtol=1e-15)
    np.testing.assert_allclose(fn.df(x), 2.0 * sig.df(x), rtol=1e-15)
    assert "a = 2" in fn.label


def test_parameter_applies_to_the_functions_that_take_it():
    items = plot_cli.items_from([registry.get(n) for n in ("elu", "celu", "relu")], {"alpha": "0.5"})
    assert [dict(it.params) for it in items] == [{"alpha": 0.5}, {"alpha": 0.5}, {}]
    # --value: threshold's own parameter and the GLU family's fixed value half
    items = plot_cli.items_from([registry.get("threshold"), registry.get("glu")], {"value": "2"})
    assert items[0].params["value"] == 2.0 and items[1].value == 2.0


def test_plot_options_do_not_shadow_function_parameters():
    from actloss.cli.args import load_table

    declared = load_table()["commands"]["plot"]["params"]
    own = {p["dest"] for p in declared[:declared.index(next(p for p in declared if p["dest"] == "value")) + 1]}
    own -= set(plot_cli.FAMILY_OPTIONS)  # --value is threshold's parameter and the GLU family's fixed value
    for rec in registry.load():
        for p in rec.params:
            assert not ({p.name, *p.aliases} & own), (rec.name, p.name)


# ---------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------

LOSSES = registry.load().names("loss")


@pytest.mark.skipif(not LOSSES, reason="no losses registered")
def test_loss_derivative_is_the_slope_of_the_plotted_curve():
    for name in LOSSES:
        rec = registry.get(name)
        fn = P._function(item(name))
        lo, hi = P.default_range([P.Item(rec)])
        t = np.linspace(lo, hi, 41)[1:-1] + 1e-3 * (hi - lo)  # off the grid of the usual kinks
        h = 1e-6 * (hi - lo)
        slope = (fn.f(t + h) - fn.f(t - h)) / (2 * h)
        np.testing.assert_allclose(fn.df(t), slope, rtol=1e-4, atol=1e-6, err_msg=name)


@pytest.mark.skipif(not {"mse", "l1", "huber", "log_cosh"} <= set(LOSSES), reason="regression losses missing")
def test_loss_comparison_figure(tmp_path, capsys):
    out = tmp_path / "regression.svg"
    code, _, err = cli(capsys, "plot", "mse", "l1", "huber", "log_cosh", "--grad", "-o", str(out), "--points", "200")
    assert (code, err) == (0, "")
    assert len(curves_in_svg(out)) == 8


@pytest.mark.skipif(not {"bce", "mse"} <= set(LOSSES), reason="losses missing")
def test_losses_with_different_axes_are_refused(capsys, tmp_path):
    code, _, err = cli(capsys, "plot", "bce", "mse", "-o", str(tmp_path / "x.png"))
    assert code == 2 and "different x axes" in one_error_line(err)
    code, _, err = cli(capsys, "plot", "bce", "relu", "-o", str(tmp_path / "x.png"))
    assert code == 2 and "plot them separately" in one_error_line(err)
    code, _, err = cli(capsys, "plot", "bce", "--range", "-1", "1", "-o", str(tmp_path / "x.png"))
    assert code == 2 and "within [0, 1]" in one_error_line(err)


# ---------------------------------------------------------------------------
# every function, and the gallery
# ---------------------------------------------------------------------------

def test_gallery_every_function_without_warnings(tmp_path, capsys):
    """One file per registered function and an index linking each; warnings are errors."""
    out = tmp_path / "gallery"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, stdout, err = cli(capsys, "plot", "--all", "-o", f"{out}/", "--points", "60", "--dpi", "25")
    assert (code, stdout) == (0, "")
    names = registry.load().names()
    assert err == f"actloss: wrote {len(names)} plots and index.md to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.png" for n in names] + ["index.md"])
    index = (out / "index.md").read_text(encoding="utf-8")
    for n in names:
        assert f"]({n}.png)" in index
        assert png_size(out / f"{n}.png") == (round(P.DEFAULT_SIZE[0] * 25), round(P.DEFAULT_SIZE[1] * 25))


def test_every_formula_is_valid_mathtext():
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    for rec in registry.load():
        for latex in (rec.formula.latex, rec.derivative_formula.latex):
            parser.parse(f"${latex}$")


def test_gallery_refuses_a_file_name(capsys, tmp_path):
    code, _, err = cli(capsys, "plot", "--all", "-o", str(tmp_path / "all.png"))
    assert code == 2 and "-o DIR/" in one_error_line(err)


# ---------------------------------------------------------------------------
# errors: one line, exit 2 (usage) or 1 (cannot write)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["relx"], "unknown function 'relx'; did you mean 'relu'"),
    (["relu", "--range", "1", "1"], "--range needs MIN < MAX, got 1 1"),
    (["relu", "--range", "2", "-2"], "--range needs MIN < MAX, got 2 -2"),
    (["relu", "--range", "-inf", "0"], "--range bounds must be finite numbers"),
    (["relu", "--range", "0", "nan"], "--range bounds must be finite numbers"),
    (["relu", "--ylim", "1", "0"], "--ylim needs MIN < MAX"),
    (["relu", "--points", "1"], "--points must be between 2 and 1,000,000, got 1"),
    (["relu", "--points", "1000001"], "--points must be between 2 and 1,000,000, got 1000001"),
    (["relu", "--points", "many"], "invalid value for '--points': not a whole number"),
    (["relu", "--range", "1"], "--range needs 2 values"),
    (["relu", "--alpha", "0.5"], "relu does not take --alpha; it takes no parameters"),
    (["relu", "gelu", "--alpha", "0.5"], "none of relu, gelu takes --alpha"),
    (["elu", "--alpha", "x"], "--alpha expects a number"),
    (["relu", "--value", "2"], "relu does not take --value"),
    (["softmax", "--others", "1,x"], "--others expects numbers"),
    (["relu", "-o", "relu.bmp"], "unsupported format 'bmp'; supported: png, svg, pdf"),
    (["relu", "-o", "relu"], "has no extension"),
    (["relu", "-o", "relu.png", "--format", "svg"], "ends in .png but --format is svg"),
    (["relu", "--", "1"], "plot takes no input numbers"),
    (["relu", "--range", "-1e308", "1e308"], "--range is too wide to draw"),
    ([], "no function named"),
])
def test_usage_errors_exit_2(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "plot", *args)
    assert (code, out) == (2, "")
    assert message in one_error_line(err)
    assert list(tmp_path.iterdir()) == []  # nothing drawn, nothing written


def test_unsupported_extension_is_refused_before_drawing(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(P, "draw", lambda *a, **k: pytest.fail("drew before checking the extension"))
    code, _, err = cli(capsys, "plot", "relu", "-o", str(tmp_path / "x.doc"))
    assert code == 2 and "supported: png, svg, pdf" in one_error_line(err)


def test_unwritable_directory_exit_1_naming_the_path(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    target = blocker / "relu.png"
    code, _, err = cli(capsys, "plot", "relu", "-o", str(target), "--points", "20")
    assert code == 1 and str(target) in one_error_line(err)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_directory_exit_1(capsys, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        code, _, err = cli(capsys, "plot", "relu", "-o", str(ro / "relu.png"), "--points", "20")
    finally:
        ro.chmod(0o700)
    assert code == 1 and str(ro / "relu.png") in one_error_line(err)
    assert list(ro.iterdir()) == []


def test_gallery_into_a_path_under_a_file_exit_1(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = cli(capsys, "plot", "--all", "-o", f"{blocker}/sub/")
    assert code == 1 and str(blocker / "sub") in one_error_line(err)


def test_console_command_and_lazy_imports(tmp_path):
    """The installed command works end to end, and the CLI module loads no matplotlib or numpy."""
    p = subprocess.run([sys.executable, "-m", "actloss", "plot", "relu6", "--grad", "-o", str(tmp_path / "r.svg")],
                       capture_output=True, text=True, env=ENV, timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")
    ET.parse(tmp_path / "r.svg")
    p = subprocess.run([sys.executable, "-c", "import sys, actloss.cli.typer_app, actloss.cli.plot, actloss.plot; "
                        "print(sorted(m for m in ('matplotlib', 'numpy', 'rich') if m in sys.modules))"],
                       capture_output=True, text=True, env=ENV, timeout=60)
    assert p.stdout.strip() == "[]", p.stderr


def test_help_lists_the_options(capsys):
    code, out, _ = cli(capsys, "plot", "--help")
    assert code == 0
    for option in ("--output", "--range", "--points", "--grad", "--only-grad", "--ylim", "--title", "--size",
                   "--dpi", "--all", "--format", "--others", "--value"):
        assert option in out, option


def test_typer_command_path_matches_the_fast_path(tmp_path):
    """The command as registered with typer (used by --help, completion, tests) draws the same file."""
    from typer.testing import CliRunner

    from actloss.cli.typer_app import app

    fast = tmp_path / "fast.svg"
    with pytest.raises(SystemExit) as exc:
        main(["plot", "elu", "--alpha", "0.5", "--range", "-3", "3", "--grad", "-o", str(fast)])
    assert exc.value.code == 0
    slow = tmp_path / "slow.svg"
    result = CliRunner().invoke(app, ["plot", "elu", "--alpha", "0.5", "--range", "-3", "3", "--grad", "-o", str(slow)])
    assert result.exit_code == 0, result.output
    assert slow.read_bytes() == fast.read_bytes()


@pytest.mark.parametrize("title, drawn", [
    ("plain words", "plain words"),
    (r"$\alpha = 0.5$ sweep", r"$\alpha = 0.5$ sweep"),  # mathtext when it parses
    ("price in $", r"price in \$"),  # a lone dollar is a dollar
    (r"$\frac{1}{$", r"\$\frac{1}{\$"),  # so is math that does not parse
])
def test_title(title, drawn):
    fig = P.draw([item("relu")], P.Options(points=20, title=title))
    assert fig.axes[0].get_title() == drawn
