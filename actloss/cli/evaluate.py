"""``actloss eval`` and ``actloss grad``: f(x) and f'(x) of one or more functions.

Arguments are read by our own small parser (``parse_call``), so that function
parameters come from the registry (``--alpha``, ``--beta``, ...), negative
numbers need no quoting after ``--``, and adding a function needs no change here.
"""

from dataclasses import dataclass, field
from typing import Optional

from actloss.cli import term
from actloss.errors import InputError, ParameterError, arg

FORMATS = ("table", "plain", "csv", "json")

_CTX = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": ["-h", "--help"]}

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

For a loss, print dL/dpred: actloss grad LOSS --pred P --target T.

Examples:

  actloss grad sigmoid -- 40

  actloss grad leaky_relu --alpha 0.2 -- -1 0 1

  actloss grad softmax -- 1 2 3
"""

_USAGE = "NAME [NAME ...] [OPTIONS] [-- X ...]"


#: the command's own options (declared to typer for --help; read here on the fast path)
OWN_OPTIONS = ("input", "format", "precision")

#: kinds of the function names each command takes (read by the shell completion scripts)
COMPLETE_NAMES = {"eval": ("activation",), "grad": ("activation", "loss")}


@dataclass
class Call:
    names: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)


def _is_number(tok: str) -> bool:
    try:
        float(tok)
        return True
    except ValueError:
        return False


def _looks_numeric(tok: str) -> bool:
    return bool(tok) and (tok[0].isdigit() or tok[0] in "+-." and len(tok) > 1 and (tok[1].isdigit() or tok[1] == "."))


def parse_call(args: list[str]) -> Call:
    """Split the free arguments into names, --param values and numbers."""
    call = Call()
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            call.numbers.extend(args[i + 1 :])
            break
        if tok.startswith("--") and len(tok) > 2 and not _is_number(tok):
            key, eq, value = tok[2:].partition("=")
            if not eq:
                if i + 1 >= len(args):
                    raise ParameterError(f"--{key} needs a value")
                i += 1
                value = args[i]
            if key in OWN_OPTIONS:
                call.options[key] = value
            else:
                call.params[key] = value
        elif tok == "-" and not call.numbers:
            raise InputError("'-' is not a number; to read stdin, give no numbers and pipe them in")
        elif call.numbers or _is_number(tok) or _looks_numeric(tok):
            call.numbers.append(tok)
        else:
            call.names.append(tok)
        i += 1
    return call


def _bind_all(records, params: dict[str, str]):
    """Each record's parameters from the options; an option none of them takes is an error."""
    given: dict = {r.name: {} for r in records}
    for key, value in params.items():
        takers = [r for r in records if r.param(key) is not None]
        if not takers:
            if len(records) == 1:
                raise ParameterError(records[0].unknown_param_message(key))
            takes = "; ".join(f"{r.name} {r.takes()}" for r in records)
            raise ParameterError(f"none of {', '.join(r.name for r in records)} takes {arg(key.replace('-', '_'))} ({takes})")
        for r in takers:
            given[r.name][key] = value
    return [r.bind(given[r.name]) for r in records]


def _loss_dispatch(args: list[str], derivative: bool) -> bool:
    """'actloss grad LOSS --pred P --target T': the loss command owns loss arguments."""
    from actloss import registry

    reg = registry.load()
    # the first registered name that is not the value of a preceding '--option'
    first = next(
        (a for i, a in enumerate(args) if a in reg and not (i and args[i - 1].startswith("--") and "=" not in args[i - 1])),
        None,
    )
    if first is None:
        return False
    record = registry.get(first)
    if record.kind != "loss":
        return False
    if not derivative:
        raise InputError(f"{record.name} is a loss: use 'actloss loss {record.name} --pred P --target T'")
    from actloss.cli import loss as loss_cli

    loss_cli.grad_from_args(record, args)
    return True


def run_fast(args: list[str], derivative: bool) -> None:
    """The whole command from raw arguments, without building the typer app (start-up cost)."""
    if _loss_dispatch(args, derivative):
        return
    call = parse_call(args)
    precision = call.options.get("precision")
    if precision is not None:
        try:
            precision = int(precision)
        except ValueError:
            raise InputError(f"--precision expects a whole number of significant digits, got {precision!r}") from None
    _run(call, args, call.options.get("input"), call.options.get("format"), precision, derivative)


def run(args: list[str], input_path: Optional[str], fmt: Optional[str], precision: Optional[int], derivative: bool) -> None:
    own = [f"--{k}={v}" for k, v in (("input", input_path), ("format", fmt), ("precision", precision)) if v is not None]
    if _loss_dispatch(own + args, derivative):
        return
    _run(parse_call(args), args, input_path, fmt, precision, derivative)


def _run(call: Call, args: list[str], input_path: Optional[str], fmt: Optional[str], precision: Optional[int], derivative: bool) -> None:
    from actloss import registry

    command = "grad" if derivative else "eval"
    if not call.names and call.params:
        first = next(iter(call.params))
        raise InputError(f"put the function name before its options: actloss {command} NAME --{first} VALUE ... (see 'actloss {command} --help')")
    if not call.names:
        raise InputError(f"no function named; usage: actloss {command} {_USAGE} (see 'actloss list')")
    reg = registry.load()
    records = [reg.get(n) for n in call.names]
    losses = [r for r in records if r.kind == "loss"]
    if losses:
        raise InputError(f"{losses[0].name} is a loss: evaluate it on its own with 'actloss loss {losses[0].name} --pred P --target T'")
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if precision is not None and not 1 <= precision <= 17:
        raise InputError(f"--precision must be between 1 and 17 significant digits, got {precision}")
    bound = _bind_all(records, call.params)
    shapes = {r.shape for r in records}
    vector = shapes != {"elementwise"}
    if vector and len(records) > 1:
        vec = next(r for r in records if r.shape != "elementwise")
        raise InputError(
            f"{vec.name} takes whole vectors: evaluate it on its own, not together with {', '.join(r.name for r in records if r is not vec)}"
        )
    if call.numbers and input_path:
        raise InputError("give the numbers either after -- or with --input FILE, not both")
    auto_table = fmt is None and term.stdout_is_terminal()
    fmt = fmt or ("table" if auto_table else "plain")

    from actloss.cli import output

    if not call.numbers and not input_path and term.stdin_is_terminal():
        raise InputError(
            f"no input numbers: give them after -- (actloss {command} {call.names[0]} -- 0.5), "
            "with --input FILE, or on stdin"
        )
    streamable = not call.numbers and not (input_path or "").lower().endswith(".npy")
    if streamable and not vector and fmt in ("plain", "csv"):
        return output.stream_elementwise(records, bound, derivative, fmt, precision, input_path)
    output.evaluate_all(records, bound, call, input_path, derivative, fmt, precision, vector, auto_table)


def _command(derivative: bool):
    import typer

    def command(
        ctx: typer.Context,
        input: Optional[str] = typer.Option(None, "--input", metavar="FILE", help="Read numbers from FILE (.txt, .csv, .npy)."),
        format: Optional[str] = typer.Option(None, "--format", metavar="FORMAT", autocompletion=lambda: FORMATS, help="table, plain, csv or json (default: table on a terminal, plain otherwise)."),
        precision: Optional[int] = typer.Option(None, "--precision", metavar="N", help="Print N significant digits instead of the shortest round-trip form."),
    ) -> None:
        run(list(ctx.args), input, format, precision, derivative=derivative)

    return command


def register(app) -> None:

    app.command("eval", help=EVAL_HELP, context_settings=_CTX, options_metavar=f"{_USAGE}")(_command(False))
    app.command("grad", help=GRAD_HELP, context_settings=_CTX, options_metavar=f"{_USAGE}")(_command(True))
