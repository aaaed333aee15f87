"""`actloss plot`: real files, byte-identical output, atomic writes, every function, one-line errors."""

from __future__ import annotations

import hashlib
import math
import os
import re
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
from actloss import textplot as T
from actloss.errors import InputError
from actloss.cli import plot as plot_cli
from actloss.cli.entry import main
from terminal import run_on_terminal

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


# ---------------------------------------------------------------------------
# text plots: --term
# ---------------------------------------------------------------------------

ESC = "\x1b["
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


def _text_env(**more):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "LC_ALL", "LC_CTYPE", "COLORTERM")}
    env.update(LANG="C.UTF-8", TERM="xterm-256color")
    env.update(more)
    return env


def test_term_on_a_terminal_fills_it_with_braille_colour_and_a_legend():
    code, screen = run_on_terminal(["plot", "relu", "gelu", "silu", "--grad", "--term"], _text_env(), size=(90, 30))
    assert code == 0
    lines = screen.replace("\r\n", "\n").rstrip("\n").split("\n")
    plain = [T.strip_ansi(line) for line in lines]
    assert 25 <= len(lines) <= 29  # the terminal's height, less a line for the prompt
    assert max(len(line) for line in plain) <= 90
    assert max(len(line) for line in plain) >= 85  # and its width
    assert ESC in screen  # colour, one per curve
    colours = set(re.findall(r"\x1b\[38;5;(\d+)m", screen))
    assert len(colours) == 3
    assert BRAILLE & set(screen)
    legend = "\n".join(plain[-3:])
    for name in ("relu", "gelu", "silu", "relu′", "gelu′", "silu′"):
        assert name in legend
    # round tick labels, evenly spaced, on the x axis of the default range -5..5
    ticks = [float(v) for v in plain[next(i for i, s in enumerate(plain) if "└" in s) + 1].split() if v != "x"]
    assert len(ticks) >= 5 and ticks[0] >= -5 and ticks[-1] <= 5 and all(t == round(t) for t in ticks)
    assert len({b - a for a, b in zip(ticks, ticks[1:])}) == 1


def test_term_with_no_color_on_a_terminal_has_no_escape_codes():
    code, screen = run_on_terminal(["plot", "relu", "gelu", "--term"], _text_env(NO_COLOR="1"), size=(80, 24))
    assert code == 0 and ESC not in screen
    # without colour the curves are told apart by characters of their own, named in the legend
    assert "•• relu" in screen and "×× gelu" in screen


def test_term_in_a_pipe_is_sized_by_columns_and_lines_without_colour():
    p = subprocess.run([sys.executable, "-m", "actloss", "plot", "sigmoid", "--term"], capture_output=True,
                       text=True, env=_text_env(COLUMNS="60", LINES="20"), timeout=60)
    assert (p.returncode, p.stderr) == (0, "")
    lines = p.stdout.rstrip("\n").split("\n")
    assert ESC not in p.stdout
    assert len(lines) == 19 and max(map(len, lines)) <= 60 and max(map(len, lines)) >= 55
    assert BRAILLE & set(p.stdout)  # one curve: braille, no need of characters to tell curves apart
    assert "━━ sigmoid" in p.stdout


def test_term_outside_a_utf8_locale_is_ascii():
    p = subprocess.run([sys.executable, "-m", "actloss", "plot", "bce", "ce", "--logits", "--grad", "--term"],
                       capture_output=True, env=_text_env(LANG="C", COLUMNS="80", LINES="30"), timeout=60)
    assert p.returncode == 0, p.stderr
    p.stdout.decode("ascii")  # nothing else
    text = p.stdout.decode()
    assert "bce'" in text and "sigma(z)" in text and "identical to bce" in text


def test_locale_detection():
    assert T.locale_is_utf8({"LANG": "en_US.UTF-8"})
    assert T.locale_is_utf8({"LC_ALL": "de_DE.utf8", "LANG": "C"})
    assert not T.locale_is_utf8({"LC_ALL": "C", "LANG": "en_US.UTF-8"})
    assert not T.locale_is_utf8({})
    # Python's coercion of the C locale sets LC_CTYPE=C.UTF-8: the terminal is still a C locale one
    assert not T.locale_is_utf8({"LC_CTYPE": "C.UTF-8", "LANG": "C"})
    assert T.locale_is_utf8({"LC_CTYPE": "C.UTF-8", "LANG": "en_GB.UTF-8"})


def test_term_shows_the_same_curves_as_the_image():
    items = [item("bce"), item("focal")]
    opts = P.Options(grad=True)
    chart = P.chart(items, opts)
    groups, xr = P.panels(items, opts)
    assert chart.xlim == xr == P.default_range(items)
    assert [len(p.series) for p in chart.panels] == [len(g) for g in groups] == [2, 2]
    for panel, group in zip(chart.panels, groups):
        for s, c in zip(panel.series, group):
            np.testing.assert_array_equal(s.y, c.y)
    # activations: f′ in a panel of its own as text, overlaid (dashed) in the image
    assert [len(p.series) for p in P.chart([item("gelu")], opts).panels] == [1, 1]
    assert len(P.panels([item("gelu")], opts)[0]) == 1


@pytest.mark.parametrize("lo, hi, ticks", [
    (-5.3, 5.3, [-4, -2, 0, 2, 4]),
    (0.001, 0.999, [0.2, 0.4, 0.6, 0.8]),
    (-0.06, 1.06, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    (0.999, 1.0, [0.999, 0.9992, 0.9994, 0.9996, 0.9998, 1]),
])
def test_round_ticks(lo, hi, ticks):
    t = T.nice_ticks(lo, hi, 5)
    np.testing.assert_allclose(t, ticks, rtol=0, atol=1e-12)
    labels = [T.tick_label(v, t) for v in t]
    assert labels == [format(v, "g") if v else "0" for v in ticks]


def test_term_refuses_an_output_file(capsys):
    code, out, err = cli(capsys, "plot", "relu", "--term", "-o", "x.png")
    assert (code, out) == (2, "") and "--term draws on stdout" in one_error_line(err)


# ---------------------------------------------------------------------------
# -o -: the image on stdout
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml"), ("pdf", b"%PDF-")])
def test_stdout_bytes_are_the_file_s_bytes(tmp_path, fmt, magic):
    args = [sys.executable, "-m", "actloss", "plot", "gelu", "--grad", "--points", "200"]
    p = subprocess.run(args + ["-o", "-"] + (["--format", fmt] if fmt != "png" else []), capture_output=True,
                       env=ENV, timeout=60)
    assert (p.returncode, p.stderr) == (0, b"")
    assert p.stdout.startswith(magic)
    subprocess.run(args + ["-o", str(tmp_path / f"g.{fmt}")], check=True, env=ENV, timeout=60)
    assert p.stdout == (tmp_path / f"g.{fmt}").read_bytes()


def test_stdout_refuses_a_terminal():
    code, screen = run_on_terminal(["plot", "gelu", "-o", "-"], _text_env(), size=(80, 24))
    assert code == 2 and screen == ""


# ---------------------------------------------------------------------------
# parameter sweeps
# ---------------------------------------------------------------------------

def test_sweep_one_line_per_value_in_the_svg(tmp_path, capsys):
    out = tmp_path / "elu.svg"
    code, _, err = cli(capsys, "plot", "elu", "--alpha", "0.5,1,2", "-o", str(out), "--points", "100")
    assert (code, err) == (0, "")
    assert sorted(curves_in_svg(out)) == ["curve-0-elu", "curve-1-elu", "curve-2-elu"]
    assert set(curves_in_svg(out).values()) == {1}


def test_sweep_values_are_bound_and_named():
    items = plot_cli.items_from([registry.get("focal")], {"gamma": "0,1,2,5"})
    assert [it.params["gamma"] for it in items] == [0.0, 1.0, 2.0, 5.0]
    assert [it.params["alpha"] for it in items] == [0.25] * 4
    names = [c.name for c in P.curves(items, P.Options(points=50))[0]]
    assert names == ["focal (gamma=0)", "focal (gamma=1)", "focal (gamma=2)", "focal (gamma=5)"]
    # the curves differ: each value is drawn
    ys = [c.y for c in P.curves(items, P.Options(points=50))[0]]
    assert all(not np.allclose(a, b) for a, b in zip(ys, ys[1:]))
    chart = P.chart(items, P.Options(points=50))
    assert [s.label for s in chart.panels[0].series] == names


def test_sweep_in_the_terminal_names_each_value():
    text = P.terminal_text(plot_cli.items_from([registry.get("huber")], {"delta": "0.5,1,2"}), P.Options(),
                           environ={"COLUMNS": "100", "LINES": "24", "LANG": "C.UTF-8"})
    for v in ("0.5", "1", "2"):
        assert f"huber (delta={v})" in text


def test_two_swept_parameters_are_refused(capsys):
    code, _, err = cli(capsys, "plot", "focal", "--gamma", "0,1", "--alpha", "0.25,0.5", "--term")
    assert code == 2 and "sweep one parameter per plot" in one_error_line(err)


def test_a_vector_parameter_is_not_a_sweep():
    assert P.sweep([registry.get("ce")], {"weight": "1,2"}) is None


# ---------------------------------------------------------------------------
# what the figures show
# ---------------------------------------------------------------------------

def test_logits_plot_against_the_logit(capsys, tmp_path):
    probs = P.curves([item("bce"), item("ce")], P.Options(grad=True, points=101))[0]
    logits = P.curves([item("bce", logits=True), item("ce", logits=True)], P.Options(grad=True, points=101))[0]
    assert probs[0].x.min() > 0 and logits[0].x.min() < -1  # a different x axis
    for c in logits:  # ℓ = softplus(−z) and ℓ′ = σ(z) − 1 for the true class, by the reference formulas
        z = c.x[np.isfinite(c.x)]
        y = c.y[np.isfinite(c.x)]
        if c.order == 0:
            expected = [math.log1p(math.exp(-v)) if v > -30 else -v for v in z]
        else:
            expected = [1.0 / (1.0 + math.exp(-v)) - 1.0 for v in z]
        np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-15, err_msg=c.name)
    # the command line: --logits alone is the switch
    code, _, err = cli(capsys, "plot", "bce", "ce", "--logits", "--grad", "-o", str(tmp_path / "l.svg"), "--points", "50")
    assert (code, err) == (0, "")


def test_identical_curves_are_named_and_different_ones_are_not():
    cs = P.curves([item("bce"), item("ce")], P.Options(grad=True, points=200))[0]
    assert [c.same_as for c in cs] == ["", "", "bce", "bce′"]
    cs = P.curves([item("huber"), item("smooth_l1"), item("mse")], P.Options(points=200))[0]
    assert [c.same_as for c in cs] == ["", "huber", ""]
    cs = P.curves([item("relu"), item("threshold", threshold=0.0, value=0.0), item("gelu")], P.Options(points=200))[0]
    assert [c.same_as for c in cs] == ["", "relu", ""]
    cs = P.curves([item("huber"), item("smooth_l1", beta=0.5)], P.Options(points=200))[0]
    assert [c.same_as for c in cs] == ["", ""]


def test_identical_curve_drawn_dashed_over_the_other():
    fig = P.draw([item("huber"), item("smooth_l1")], P.Options(points=100))
    lines = fig.axes[0].get_lines()
    curves = [ln for ln in lines if (ln.get_gid() or "").startswith("curve-")]
    assert curves[0].get_linestyle() == "-" and curves[1].get_linestyle() == "--"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["huber", "smooth_l1 (identical to huber)"]


def test_loss_with_its_derivative_gets_a_panel_below():
    fig = P.draw([item("bce")], P.Options(grad=True, points=200))
    top, bottom = fig.axes
    lo, hi = top.get_ylim()
    fn = P._function(item("bce"))
    x = np.linspace(0.001, 0.999, 200)
    assert lo < 0 and hi >= float(np.max(fn.f(x))) * 0.9  # the loss fills its panel
    assert hi - lo < 10  # not stretched by −1/p
    assert bottom.get_ylim()[0] < -50
    assert len(P.draw([item("gelu")], P.Options(grad=True, points=50)).axes) == 1


def test_tick_labels_sit_on_the_frame_not_on_the_axes_through_the_origin():
    fig = P.draw([item("gelu")], P.Options(points=50))
    ax = fig.axes[0]
    assert ax.spines["left"].get_position() == ("outward", 0.0)
    assert ax.spines["bottom"].get_position() == ("outward", 0.0)
    # the axes through the origin are thin lines, without labels
    gray = [ln for ln in ax.get_lines() if not (ln.get_gid() or "").startswith("curve-")]
    assert len(gray) == 2


def test_cosine_derivative_is_minus_one_without_spikes_or_offset():
    for lo, hi in ((-1.0, 1.0), (0.999, 1.0)):
        c = P.curves([item("cosine")], P.Options(only_grad=True, x_range=(lo, hi), points=500))[0][0]
        y = c.y[np.isfinite(c.y)]
        assert y.size == 500
        np.testing.assert_allclose(y, -1.0, rtol=0, atol=1e-12)
    fig = P.draw([item("cosine")], P.Options(only_grad=True, x_range=(0.999, 1.0), points=200))
    ax = fig.axes[0]
    fig.canvas.draw()
    lo, hi = ax.get_ylim()
    assert hi - lo > 0.1  # a constant is not a zoom into its last bits
    assert ax.xaxis.get_offset_text().get_text() == "" and ax.yaxis.get_offset_text().get_text() == ""


def test_legends_write_l_and_var():
    cs = P.curves([item("mse"), item("bce")][:1], P.Options(grad=True, points=20))[0]
    assert cs[0].latex.startswith(r"\ell =") and r"\partial \ell" in cs[1].latex
    g = P.curves([item("gaussian_nll")], P.Options(points=20))[0][0]
    assert r"\mathrm{var}" in g.latex and r"\sigma" not in g.latex


def test_several_functions_legend_below_the_axes():
    fig = P.draw([item(n) for n in ("relu", "gelu", "silu", "mish")], P.Options(grad=True, points=50))
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    ax = fig.axes[0].get_window_extent()
    assert legend.y1 <= ax.y0 + 1.0  # below the axes, not beside them
    assert legend.width <= ax.width


def test_cjk_title_without_warnings(tmp_path, capsys):
    out = tmp_path / "t.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, stdout, err = cli(capsys, "plot", "gelu", "--title", "高斯误差线性单元", "-o", str(out), "--points", "50")
    assert (code, stdout) == (0, "")
    family, hint = P.title_font("高斯误差线性单元")
    if family is None:
        assert err == f"actloss: {P.CJK_FONT_HINT}\n" and "fonts-noto-cjk" in err
    else:
        assert err == ""
        fig = P.draw([item("gelu")], P.Options(points=20, title="高斯"))
        assert fig.axes[0].title.get_fontfamily()[0] == family[0]
    assert P.title_font("plain") == (None, None)


def test_cjk_title_without_a_cjk_font_one_line_and_no_warnings(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(P, "CJK_FONTS", ("No Such CJK Font",))
    monkeypatch.setattr(P, "_add_new_cjk_fonts", lambda fm: False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, stdout, err = cli(capsys, "plot", "gelu", "--title", "高斯误差线性单元", "-o", str(tmp_path / "t.png"),
                                "--points", "50")
    assert (code, stdout) == (0, "")
    assert err == f"actloss: {P.CJK_FONT_HINT}\n" and "apt install fonts-noto-cjk" in err


def test_readme_text_plot_is_the_command_s_output():
    """The README's text plot is what `actloss plot gelu --grad --term` prints at 80 × 24."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_docs_images", Path(__file__).parent.parent / "tools" / "make_docs_images.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = tool.text_plot()
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 23 and max(map(len, lines)) <= 80 and "━━ gelu′" in text
    assert tool.README.read_text(encoding="utf-8") == tool.readme_with(text), "run python tools/make_docs_images.py"


class _WithSecond:
    """gelu as a record that also gives f″ = φ(x)(2 − x²) through derivative(x, order=2)."""

    def __init__(self):
        self._rec = registry.get("gelu")
        self.second_derivative_formula = registry.Formula("gelu″(x) = φ(x)(2 − x²)", r"\phi(x)\,(2 - x^{2})")

    def __getattr__(self, name):
        return getattr(self._rec, name)

    def derivative(self, x, order=1, **params):
        if order == 2:
            x = np.asarray(x, dtype=np.float64)
            return np.exp(-x * x / 2) / math.sqrt(2 * math.pi) * (2 - x * x)
        return self._rec.derivative(x, **params)


def test_second_derivative_is_one_more_curve_dotted():
    rec = _WithSecond()
    it = P.Item(rec, rec.bind({}))
    opts = P.Options(grad=True, second=True, points=200)
    cs = P.curves([it], opts)[0]
    assert [c.order for c in cs] == [0, 1, 2] and cs[2].name == "gelu″" and cs[2].gid.endswith("-grad2")
    np.testing.assert_allclose(cs[2].y[cs[2].x == 0.0], 2 / math.sqrt(2 * math.pi), rtol=1e-15)
    fig = P.draw([it], opts)
    styles = [ln.get_linestyle() for ln in fig.axes[0].get_lines() if (ln.get_gid() or "").startswith("curve-")]
    assert styles == ["-", "--", ":"]
    chart = P.chart([it], opts)
    assert [[s.style for s in p.series] for p in chart.panels] == [["solid"], ["solid", "dotted"]]
    assert "┄┄ gelu″" in T.strip_ansi(T.render(chart, 80, 24, color="256"))
    assert "×× gelu″" in T.render(chart, 80, 24)  # without colour, a character per curve


def test_truecolor_terminals_get_the_palette_exactly():
    assert T.color_mode(_Tty(), {"COLORTERM": "truecolor"}) == "truecolor"
    assert T.color_mode(_Tty(), {}) == "256"
    assert T.color_mode(_Tty(), {"NO_COLOR": ""}) is None  # set, even empty (no-color.org)
    assert T.color_mode(_Tty(), {"TERM": "dumb"}) is None
    assert T.color_mode(None, {}) is None
    r, g, b = (int(T.TERM_PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
    assert T._ansi(0, "truecolor")[0] == f"\x1b[38;2;{r};{g};{b}m"


class _Tty:
    def isatty(self):
        return True


def test_second_derivative_only_where_the_record_has_one():
    opts = P.Options(grad=True, second=True, points=50)
    with pytest.raises(InputError, match="softmax has no second derivative"):
        P.check_items([item("softmax")], opts)
    rec = _WithSecond()
    P.check_items([P.Item(rec, rec.bind({}))], opts)  # no error


def test_shared_cells_show_every_curve_s_colour_in_turn():
    x = np.linspace(0.0, 1.0, 200)
    chart = T.Chart([T.Panel([T.Series(x, x, "a", 0), T.Series(x, x.copy(), "b", 1)], (0.0, 1.0))], (0.0, 1.0))
    text = T.render(chart, 60, 20, color="256")
    first, second = (T._ansi(i, "256")[0] for i in (0, 1))
    body = text.split("\n")[:-3]  # above the axis and the legend
    assert sum(line.count(first) for line in body) > 10 and sum(line.count(second) for line in body) > 10
    plain = T.render(chart, 60, 20)  # no colour: the shared cells say so
    assert "#" in plain and "## several" in plain


@pytest.mark.parametrize("lang", ["C.UTF-8", "C"])
def test_narrow_terminals_get_no_line_wider_than_they_are(lang):
    env = {"COLUMNS": "40", "LINES": "14", "LANG": lang}
    for names in (["kl"], ["geglu"], ["focal"], ["relu", "gelu", "silu", "mish"]):
        opts = P.Options(grad=True, title="高斯误差线性单元 " * 4)
        text = P.terminal_text([item(n) for n in names], opts, environ=env)
        assert max(T._width(line) for line in text.rstrip("\n").split("\n")) <= 40, names


def test_grad2_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "g.svg"
    code, _, err = cli(capsys, "plot", "gelu", "elu", "--grad", "--grad2", "-o", str(out), "--points", "101")
    assert (code, err) == (0, "")
    assert sorted(curves_in_svg(out)) == sorted(f"curve-{i}-{n}{s}" for i, n in enumerate(("gelu", "elu"))
                                                 for s in ("", "-grad", "-grad2"))
    c = next(c for c in P.curves([item("gelu")], P.Options(second=True, points=101))[0] if c.order == 2)
    x = c.x[np.isfinite(c.x)]
    expected = [math.exp(-v * v / 2) / math.sqrt(2 * math.pi) * (2 - v * v) for v in x]
    np.testing.assert_allclose(c.y[np.isfinite(c.x)], expected, rtol=1e-13, atol=1e-300)
    code, _, err = cli(capsys, "plot", "softmax", "--grad2", "-o", str(tmp_path / "s.svg"))
    assert code == 2 and "softmax has no second derivative" in one_error_line(err)


def test_grad2_in_the_terminal_and_the_gallery(tmp_path):
    text = P.terminal_text([item("elu")], P.Options(grad=True, second=True),
                           environ={"COLUMNS": "80", "LINES": "24", "LANG": "C.UTF-8"})
    assert "elu″" in text.split("\n")[-2]
    P.gallery([item("gelu"), item("softmax"), item("mse")], P.Options(second=True, points=40, dpi=20), tmp_path, "svg")
    assert "curve-0-gelu-grad2" in curves_in_svg(tmp_path / "gelu.svg")
    assert not any(k.endswith("grad2") for k in curves_in_svg(tmp_path / "softmax.svg"))


def test_dtype_draws_the_correctly_rounded_staircase():
    """plot --dtype: x as a tensor of the format holds it, f correctly rounded in the format."""
    import numpy as np

    from actloss import lowp
    from actloss.cli.plot import items_from

    (it,) = items_from([registry.get("gelu")], {}, "bfloat16")
    fn = P._function(it)
    x = np.linspace(-6, -5, 2001)
    y = fn.f(x)
    expected = np.asarray(registry.get("gelu").value(lowp.round_to(x, "bfloat16"), dtype="bfloat16"), dtype=np.float64)
    assert np.array_equal(y, expected)
    assert 10 < np.unique(y).size < 100  # steps, not a smooth curve
    assert "bfloat16" in fn.label


def test_dtype_takes_elementwise_functions(capsys, tmp_path):
    code, _, err = cli(capsys, "plot", "softmax", "--dtype", "bf16", "-o", str(tmp_path / "s.png"))
    assert code == 2 and "plot --dtype takes elementwise activations; softmax is not one" in one_error_line(err)
    code, _, err = cli(capsys, "plot", "gelu", "--dtype", "bf16", "--range", "-6", "-5", "-o", str(tmp_path / "g.svg"))
    assert code == 0 and (tmp_path / "g.svg").stat().st_size > 1000
