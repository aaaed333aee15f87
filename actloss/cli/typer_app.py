"""The command line, declared once: the Typer app.

Every command, argument and option is declared here, and nowhere else. The parameters of the
functions (``--alpha``, ``--logits``, ...) come from the registry: each command takes those of the
kinds of functions it names (hidden from ``--help``, which points at ``actloss info NAME``; the
shell completions offer them per function). Each command's body lives in a module that imports
no typer (named by ``impl``); the fast path of ``actloss.cli.entry`` runs the same bodies from
``table.json``, which ``tools/gen_cli_table.py`` generates from this app (a test keeps it fresh
and checks that both paths give byte-identical output). The shell completions are generated
from this app too (``actloss.cli.completion``).
"""


import inspect
import keyword
from typing import Annotated, Any, Callable, List, Literal, Optional, Tuple

import typer
from typer.core import TyperCommand

from actloss import __version__
from actloss.cli import args as cliargs
from actloss.errors import RegistrationError

HELP = """Exact values, derivatives and plots of neural-network activation and loss functions.

Examples:

  actloss eval gelu -- 0.5

  actloss grad sigmoid -- 40

  seq -5 5 | actloss eval elu --alpha 0.5
"""

EVAL_HELP = """Print f(x) for each input number (or vector) x.

NAME is one or more function names (see 'actloss list'); several compare
functions side by side. Parameters are options (--alpha 0.5, --beta 2, ...):
see 'actloss info NAME'. Numbers come after --, from --input FILE (.txt, .csv,
.npy), or on stdin (whitespace, commas or newlines; one vector per line for
vector functions such as softmax).

Examples:

  actloss eval gelu -- 0.5

  actloss eval relu gelu silu -- -1 0 1

  seq -5 5 | actloss eval elu --alpha 0.5

  actloss eval softmax -- 1 2 3
"""

GRAD_HELP = """Print the derivative f'(x) for each input (the Jacobian for vector functions).

For a loss, print dL/dpred: actloss grad LOSS --pred P --target T. --order 2
prints the second derivative f''(x) of an elementwise activation, or of a loss
with respect to pred (the Hessian diagonal; per-sample Hessians for ce).

Examples:

  actloss grad sigmoid -- 40

  actloss grad --order 2 gelu -- 0 1.4142135623730951

  actloss grad leaky_relu --alpha 0.2 -- -1 0 1

  actloss grad softmax -- 1 2 3
"""

LOSS_HELP = """Print the loss of predictions P against targets T.

NAME is a loss (see 'actloss list'). P and T are each a JSON array (nested for
a batch: [[0.1,0.9],[0.8,0.2]]), numbers separated by commas or spaces with
rows separated by ';' ("0.1,0.9;0.8,0.2"), @FILE (.json, .csv, .txt, .npy), or
'-' for stdin (one of them).

Conventions: ce and bce take probabilities unless --logits is given; ce
targets are class indices (pred's shape without its last axis) or class
probabilities (pred's shape); kl is KL(target || pred). --reduction is mean,
sum or none, with PyTorch's defaults (mean over elements, or over samples for
ce, nll, kl, js and cosine). Loss parameters (--logits, --label-smoothing,
--weight, --delta, ...) are listed by 'actloss info NAME'.

Examples:

  actloss loss mse --pred 0.5,2 --target 1,2

  actloss loss ce --pred "0.1,0.9;0.8,0.2" --target 1,0

  actloss loss ce --logits --pred "[[2,-1,0.5]]" --target 0 --format json

  actloss grad ce --logits --pred "2,-1,0.5" --target 0
"""

LIST_HELP = """List the functions: name, aliases, parameters with defaults, output range, formula.

Examples:

  actloss list

  actloss list --kind loss

  actloss list --format plain | cut -f1
"""

INFO_HELP = """Print the reference card of a function.

Formula and derivative (Unicode and LaTeX), output range, properties,
parameters with defaults and valid ranges, sample points of f and f', for
elementwise activations the computed extrema, inflection points, steepest
slope and saturation points in bfloat16, float16 and float8, pros and cons,
common mistakes, the PyTorch, JAX and Keras names and where their defaults
disagree, and the original paper.

A panel on a terminal, Markdown in a pipe; --lang zh for Chinese.

Examples:

  actloss info gelu

  actloss info relu --lang zh

  actloss info leaky_relu --format json
"""

CHECK_HELP = """Grade a kernel's outputs against the correctly rounded value.

--x FILE holds the inputs, --y FILE the kernel's outputs (.npy of float16,
float32 or float64; .npy of unsigned integers or raw values holding bit
patterns, with --dtype; text or CSV). The format is --dtype, else --y's
dtype. Each element's error is its distance in ulps of the format from the
exact value correctly rounded (+0 and -0 one point); NaN, infinity,
zero-sign and flushed-subnormal errors are counted apart. --grad grades a
derivative (backward) kernel. Vector functions (softmax, glu, ...) take one
vector per line of text or per row of an .npy, and their outputs as eval
prints them (one Jacobian per vector with --grad). Exit 0 when every element is within --max-ulp
(default 1), 1 when not, 2 for bad usage or input. A table on a terminal,
JSON otherwise.

Examples:

  actloss check gelu --dtype bfloat16 --x x.npy --y y.npy

  actloss check sigmoid --grad --x x.npy --y dy.npy --max-ulp 2 --format json

  actloss check gelu --dtype bfloat16 --write-inputs all.npy

  actloss check silu --order 2 --dtype float16 --x x.npy --y d2y.npy
"""

PLOT_HELP = """Plot functions and their derivatives as PNG, SVG, PDF, ... or as text.

NAME is one or more function names (see 'actloss list'); several share
one axes. Function parameters are options (--alpha 0.5, ...); each
applies to the named functions that take it. A comma list sweeps one
parameter: one curve per value (--alpha 0.5,1,2). Without -o the file is
NAME.png in the current directory (several names joined by -); -o -
writes the image to stdout (--format png, svg or pdf) for a pipe;
--term draws it as text on stdout, sized to the terminal.

Softmax-family functions plot component 0 against logit x0 with the
other logits fixed (--others, default 0: one other logit, so 2-class
softmax is the sigmoid); GLU-family functions plot against the gate b
with the value a fixed (--value, default 1). Losses plot against the
predicted probability of the true class, the residual or the margin,
for a fixed target.

Examples:

  actloss plot gelu

  actloss plot relu gelu silu mish --grad -o compare.svg

  actloss plot elu --alpha 0.5 --range -3 3 -o elu.pdf

  actloss plot elu --alpha 0.5,1,2 --term

  actloss plot gelu --grad -o - | display

  actloss plot softmax --others 1,2 --grad

  actloss plot --all -o gallery/
"""

COMPLETION_HELP = """Print the completion script of a shell: bash, zsh or fish.

The script completes commands, options and their choices, function names
and their parameters, and file paths; it is static (a TAB runs no Python).
Where to install it: see completions/README.md in the source tree.

Examples:

  actloss completion bash > ~/.local/share/bash-completion/completions/actloss

  actloss completion zsh > ~/.zfunc/_actloss

  actloss completion fish > ~/.config/fish/completions/actloss.fish
"""

FORMATS = ("table", "plain", "csv", "json")
SHELLS = ("bash", "zsh", "fish")

#: kinds of the function names each command takes (read by the shell completions)
COMPLETE_NAMES = {"eval": ("activation",), "grad": ("activation", "loss"), "loss": ("loss",),
                  "plot": ("activation", "loss"), "info": ("activation", "loss")}

#: options that a family of functions takes besides its records' parameters, per command
FAMILY_OPTIONS = {"plot": {"others": "vector", "value": "glu"}}

app = typer.Typer(
    name="actloss",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are plain: brackets such as [default: ...] stay as written
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Command(TyperCommand):
    """A command whose arguments first pass :func:`actloss.cli.args.prepare` (numbers, switches)."""

    impl = ""

    def parse_args(self, ctx, args):
        entry = cliargs.table_of(self, self.impl)
        words, numbers = cliargs.prepare(list(args), entry)
        ctx.meta["actloss.numbers"] = numbers
        return super().parse_args(ctx, words)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actloss {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Exact values, derivatives and plots of neural-network activation and loss functions."""


# ---------------------------------------------------------------------------
# the parameters of the functions, from the registry
# ---------------------------------------------------------------------------

def function_options(kinds: tuple[str, ...], own: set[str]) -> list[inspect.Parameter]:
    """One option per parameter name or alias of the functions of ``kinds`` (a switch stays a switch)."""
    from actloss.registry import load

    uses: dict[str, list[tuple[str, bool]]] = {}
    for r in load():
        if r.kind not in kinds:
            continue
        for p in r.params:
            for n in (p.name,) + tuple(p.aliases):
                uses.setdefault(n, []).append((r.name, p.flag))
    out = []
    for n in sorted(uses):
        if n in own:
            continue
        flags = {flag for _, flag in uses[n]}
        if len(flags) > 1:
            raise RegistrationError(f"parameter {n!r} is a switch of one function and takes a value in another")
        takers = ", ".join(sorted({name for name, _ in uses[n]}))
        option = "--" + n.replace("_", "-")
        if flags == {True}:
            default = typer.Option(None, f"{option}/--no-{option[2:]}", hidden=True, help=f"A switch of {takers}.")
            annotation: Any = Optional[bool]
        else:
            default = typer.Option(None, option, metavar="VALUE", hidden=True, help=f"A parameter of {takers}.")
            annotation = Optional[str]
        dest = n + "_" if keyword.iskeyword(n) else n  # --lambda arrives as lambda_
        out.append(inspect.Parameter(dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
    return out


def command(name: str, impl: str, help: str, kinds: tuple[str, ...] = (), usage: str | None = None) -> Callable:
    """Declare a command: the decorated function's parameters, then the functions' parameters of ``kinds``.

    The decorated function is the declaration only; its body is never run. The command runs
    ``impl`` (``module:function``, a module that imports no typer) with every parameter by name and
    ``numbers``, the numbers of the command line.
    """

    def declare(fn: Callable) -> Callable:
        own = list(inspect.signature(fn).parameters.values())
        params = own + function_options(kinds, {p.name for p in own})

        def run(ctx: typer.Context, **kwargs: Any) -> None:
            import importlib

            entry = cliargs.table_of(ctx.command, impl)
            module, _, attr = impl.partition(":")
            getattr(importlib.import_module(module), attr)(
                numbers=ctx.meta.get("actloss.numbers", []), **cliargs.normalize(kwargs, entry))

        ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
        run.__signature__ = inspect.Signature([ctx_param] + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params])
        run.__name__ = fn.__name__
        run.__doc__ = help
        cls = type(f"{name.title()}Command", (Command,), {"impl": impl})
        app.command(name, help=help, cls=cls, options_metavar=usage or "[OPTIONS]")(run)
        return fn

    return declare


Format = Literal["table", "plain", "csv", "json"]
_FORMAT_HELP = "table, plain, csv or json (default: table on a terminal, plain otherwise)."
_PRECISION_HELP = "Print N significant digits instead of the shortest round-trip form."
_NAMES_HELP = "Function names or aliases (see 'actloss list')."
_DTYPE_HELP = ("Number format: float64 (default), float32, float16, bfloat16, float8_e4m3fn, float8_e5m2 (or bf16, fp16, "
               "e4m3, ...): inputs rounded to it, results correctly rounded into it.")
_SATURATE_HELP = "With --dtype: overflow gives the largest finite value instead of inf (or NaN)."

# options that several commands take, declared once
Names = Annotated[Optional[List[str]], typer.Argument(metavar="NAME...", help=_NAMES_HELP, show_default=False)]
InputFile = Annotated[Optional[str], typer.Option("--input", metavar="FILE", help="Read numbers from FILE (.txt, .csv, .npy).")]
OutputFormat = Annotated[Optional[Format], typer.Option("--format", metavar="FORMAT", help=_FORMAT_HELP)]
Precision = Annotated[Optional[int], typer.Option("--precision", metavar="N", help=_PRECISION_HELP)]
Dtype = Annotated[Optional[str], typer.Option("--dtype", metavar="DTYPE", help=_DTYPE_HELP)]
Saturate = Annotated[bool, typer.Option("--saturate", help=_SATURATE_HELP)]


@command("eval", "actloss.cli.evaluate:run_eval", EVAL_HELP, ("activation",), "NAME [NAME ...] [OPTIONS] [-- X ...]")
def _eval(
    names: Names = None,
    input: InputFile = None,
    format: OutputFormat = None,
    precision: Precision = None,
    dtype: Dtype = None,
    saturate: Saturate = False,
    pred: Optional[str] = typer.Option(None, "--pred", hidden=True),
    target: Optional[str] = typer.Option(None, "--target", hidden=True),
) -> None: ...


@command("grad", "actloss.cli.evaluate:run_grad", GRAD_HELP, ("activation", "loss"), "NAME [NAME ...] [OPTIONS] [-- X ...]")
def _grad(
    names: Names = None,
    input: InputFile = None,
    format: OutputFormat = None,
    precision: Precision = None,
    dtype: Dtype = None,
    saturate: Saturate = False,
    pred: Optional[str] = typer.Option(None, "--pred", metavar="P", hidden=True, help="A loss's predictions (see 'actloss loss --help')."),
    target: Optional[str] = typer.Option(None, "--target", metavar="T", hidden=True, help="A loss's targets (see 'actloss loss --help')."),
    order: Optional[Literal["1", "2"]] = typer.Option(None, "--order", metavar="N", help="1 for the derivative (the default), 2 for the second derivative."),
) -> None: ...


@command("loss", "actloss.cli.loss:run", LOSS_HELP, ("loss",), "NAME --pred P --target T [OPTIONS]")
def _loss(
    names: Optional[List[str]] = typer.Argument(None, metavar="NAME", help="A loss (see 'actloss list --kind loss').", show_default=False),
    pred: Optional[str] = typer.Option(None, "--pred", metavar="P", help="Predictions: numbers, JSON, @FILE or - (stdin)."),
    target: Optional[str] = typer.Option(None, "--target", metavar="T", help="Targets: numbers, JSON, @FILE or - (stdin)."),
    format: OutputFormat = None,
    precision: Precision = None,
    dtype: Dtype = None,
    saturate: Saturate = False,
    input: Optional[str] = typer.Option(None, "--input", hidden=True),
) -> None: ...


@command("list", "actloss.cli.cards:run_list", LIST_HELP)
def _list(
    kind: Optional[Literal["activation", "loss"]] = typer.Option(None, "--kind", metavar="KIND", help="Only activations or only losses: activation or loss."),
    format: Optional[Literal["table", "plain", "json"]] = typer.Option(None, "--format", metavar="FORMAT", help="table, plain (name<TAB>summary) or json (default: table on a terminal, plain otherwise)."),
) -> None: ...


@command("info", "actloss.cli.cards:run_info", INFO_HELP)
def _info(
    name: str = typer.Argument(..., metavar="NAME", help="A function name or alias (see 'actloss list')."),
    lang: Literal["en", "zh"] = typer.Option("en", "--lang", metavar="LANG", help="Language of the card: en or zh."),
    format: Optional[Literal["panel", "markdown", "json"]] = typer.Option(None, "--format", metavar="FORMAT", help="panel, markdown or json (default: panel on a terminal, markdown otherwise)."),
) -> None: ...


def _plot_formats() -> tuple[str, ...]:
    from actloss.plot import FORMATS as PLOT_FORMATS

    return PLOT_FORMATS


@command("check", "actloss.cli.check:run", CHECK_HELP, ("activation",), "NAME --x X --y Y [OPTIONS]")
def _check(
    names: Optional[List[str]] = typer.Argument(None, metavar="NAME", help="An activation (see 'actloss list').", show_default=False),
    x: Optional[str] = typer.Option(None, "--x", metavar="FILE", help="The inputs the kernel was run on."),
    y: Optional[str] = typer.Option(None, "--y", metavar="FILE", help="The kernel's outputs, one per input (a vector per row)."),
    dtype: Optional[str] = typer.Option(None, "--dtype", metavar="DTYPE", help="The format of the outputs (default: --y's dtype)."),
    grad: bool = typer.Option(False, "--grad", help="Grade a derivative kernel against f'."),
    order: Optional[Literal["1", "2"]] = typer.Option(None, "--order", metavar="N", help="Which derivative: 1 (as --grad) or 2, a second-derivative kernel against f''."),
    max_ulp: Optional[float] = typer.Option(None, "--max-ulp", metavar="N", help="Largest error accepted, in ulps (default 1)."),
    format: Optional[Literal["table", "json"]] = typer.Option(None, "--format", metavar="FORMAT", help="table or json (default: table on a terminal, json otherwise)."),
    write_inputs: Optional[str] = typer.Option(None, "--write-inputs", metavar="FILE", help="Write every value of the --dtype (8 or 16 bits) as bit patterns to FILE (.npy): finite values, then inf, -inf, NaN."),
) -> None: ...


@command("plot", "actloss.cli.plot:run", PLOT_HELP, ("activation", "loss"), "NAME [NAME ...] [OPTIONS]")
def _plot(
    names: Optional[List[str]] = typer.Argument(None, metavar="NAME...", help=_NAMES_HELP, show_default=False),
    output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE", help="Output file; the extension picks the format (.png, .svg, .pdf, ...). A directory (DIR/) takes NAME.png inside it; - writes the image to stdout (not to a terminal). Default: NAME.png here."),
    x_range: Optional[Tuple[float, float]] = typer.Option(None, "--range", metavar="XMIN XMAX", help="x range (default: the function's own, e.g. -5 5; relu6 -3 9)."),
    points: int = typer.Option(1000, "--points", metavar="N", show_default=False, help="Evenly spaced points (default 1000; 2 to 1,000,000), plus each kink exactly."),
    grad: bool = typer.Option(False, "--grad/--no-grad", help="Add the derivative (dashed, same colour; losses and --term: in a panel below)."),
    only_grad: bool = typer.Option(False, "--only-grad/--no-only-grad", help="Plot only the derivative."),
    grad2: bool = typer.Option(False, "--grad2/--no-grad2", help="Add the second derivative f'' (dotted, with f'; elementwise activations)."),
    ylim: Optional[Tuple[float, float]] = typer.Option(None, "--ylim", metavar="YMIN YMAX", help="y range (default: fit the curves)."),
    title: Optional[str] = typer.Option(None, "--title", metavar="T", help="Title above the plot."),
    size: Optional[Tuple[float, float]] = typer.Option(None, "--size", metavar="W H", help="Figure size in inches (default 6.4 4.2; 7.2 4.8 for several functions)."),
    dpi: float = typer.Option(150.0, "--dpi", metavar="D", show_default=False, help="Resolution of raster formats (default 150)."),
    all_: bool = typer.Option(False, "--all/--no-all", help="Plot every function (value and derivative) into -o DIR/, with an index.md."),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="EXT", autocompletion=_plot_formats, help="Format when -o gives no file name or is - (png, svg, pdf, ...); the gallery's format."),
    dtype: Optional[str] = typer.Option(None, "--dtype", metavar="DTYPE", help="Draw f in a low-precision format: x rounded to it, f correctly rounded in it (bfloat16, float16, ...): the staircase."),
    term: bool = typer.Option(False, "--term/--no-term", help="Draw the plot as text on stdout, sized to the terminal (COLUMNS and LINES elsewhere): braille, or ASCII outside a UTF-8 locale; colour on a terminal only, none with NO_COLOR."),
    others: Optional[str] = typer.Option(None, "--others", metavar="X1,X2,...", hidden=True, help="Softmax family: the other logits, fixed (default 0)."),
    value: Optional[str] = typer.Option(None, "--value", metavar="A", hidden=True, help="GLU family: the value half a, fixed (default 1); threshold: its value."),
) -> None: ...


@command("completion", "actloss.cli.completion:run", COMPLETION_HELP)
def _completion(
    shell: Literal["bash", "zsh", "fish"] = typer.Argument(..., metavar="SHELL", help="bash, zsh or fish."),
) -> None: ...

