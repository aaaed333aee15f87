"""``actloss eval`` and ``actloss grad``: f(x) and f'(x) of one or more functions.

The arguments are declared in ``actloss.cli.typer_app`` and read before these functions run; here the
functions are found, their parameters bound, and the results computed and rendered.
"""

from actloss.cli import term
from actloss.errors import InputError, ParameterError, arg

FORMATS = ("table", "plain", "csv", "json")

_USAGE = "NAME [NAME ...] [OPTIONS] [-- X ...]"


def given(params: dict) -> dict:
    """The function parameters that were given (the declaration passes None for the others)."""
    return {k.rstrip("_"): v for k, v in params.items() if v is not None}  # lambda_: --lambda


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


def run_eval(numbers, names, input=None, format=None, precision=None, pred=None, target=None, dtype=None, saturate=False,
             **params) -> None:
    """``actloss eval``."""
    from actloss import registry

    reg = registry.load()
    if names and names[0] in reg and reg.get(names[0]).kind == "loss":
        raise InputError(f"{reg.get(names[0]).name} is a loss: use 'actloss loss {reg.get(names[0]).name} --pred P --target T'")
    _run(names, numbers, given(params), input, format, precision, derivative=False, pred=pred, target=target,
         dtype=dtype, saturate=saturate)


def run_grad(numbers, names, input=None, format=None, precision=None, pred=None, target=None, order=None,
             dtype=None, saturate=False, **params) -> None:
    """``actloss grad``: of activations, or of one loss (dL/dpred) with --pred and --target;
    ``--order 2`` for second derivatives."""
    from actloss import registry

    order = 1 if order is None else int(order)  # the declaration allows "1" and "2"
    reg = registry.load()
    if names and names[0] in reg and reg.get(names[0]).kind == "loss":
        from actloss.cli import loss as loss_cli

        loss_cli.run(numbers, names, pred=pred, target=target, format=format, precision=precision,
                     input=input, derivative=order, dtype=dtype, saturate=saturate, **params)
        return
    _run(names, numbers, given(params), input, format, precision, derivative=order, pred=pred, target=target,
         dtype=dtype, saturate=saturate)


def number_format(dtype, saturate, input_path, precision):
    """``--dtype``, else the float dtype of an .npy input, else None (float64): an output.LowPrecision or None."""
    if dtype is None and input_path and input_path.lower().endswith(".npy"):
        try:
            import numpy as np

            stored = np.load(input_path, mmap_mode="r").dtype
        except Exception:  # unreadable here: the reader reports it
            stored = None
        if stored is not None and stored.kind == "V" and stored.itemsize in (1, 2):
            raise InputError(
                f"{input_path!r} holds {stored.itemsize}-byte raw values (an ml_dtypes array saved to .npy loses its "
                f"type): give --dtype {'bfloat16' if stored.itemsize == 2 else 'float8_e4m3fn'} (or the format it is) "
                "to read them as that format's bit patterns"
            )
        dtype = stored.name if stored is not None and stored.name in ("float16", "float32") else None
    if dtype is None:
        if saturate:
            raise InputError("--saturate goes with --dtype (e.g. --dtype float8_e4m3fn --saturate)")
        return None
    from actloss import lowp
    from actloss.cli.output import LowPrecision

    return LowPrecision(lowp.get_format(dtype), saturate, precision)


def _run(names, numbers, params, input_path, fmt, precision, derivative: int, pred=None, target=None, dtype=None,
         saturate=False) -> None:
    """derivative: 0 (eval), 1 or 2 (grad, grad --order 2)."""
    from actloss import registry

    command = "grad" if derivative else "eval"
    if not names and params:
        first = next(iter(params)).replace("_", "-")
        raise InputError(f"put the function name before its options: actloss {command} NAME --{first} VALUE ... (see 'actloss {command} --help')")
    if not names:
        raise InputError(f"no function named; usage: actloss {command} {_USAGE} (see 'actloss list')")
    reg = registry.load()
    records = [reg.get(n) for n in names]
    losses = [r for r in records if r.kind == "loss"]
    if losses:
        raise InputError(f"{losses[0].name} is a loss: evaluate it on its own with 'actloss loss {losses[0].name} --pred P --target T'")
    if pred is not None or target is not None:
        option = "--pred" if pred is not None else "--target"
        raise InputError(f"{option} goes with a loss (actloss {'grad' if derivative else 'loss'} LOSS --pred P --target T); "
                         f"give the numbers of {records[0].name} after -- or with --input FILE")
    if precision is not None and not 1 <= precision <= 17:
        raise InputError(f"--precision must be between 1 and 17 significant digits, got {precision}")
    bound = _bind_all(records, params)
    low = number_format(dtype, saturate, input_path, precision)
    if derivative == 2:
        for r in records:
            r.check_order(2)
    shapes = {r.shape for r in records}
    vector = shapes != {"elementwise"}
    if vector and len(records) > 1:
        vec = next(r for r in records if r.shape != "elementwise")
        raise InputError(
            f"{vec.name} takes whole vectors: evaluate it on its own, not together with {', '.join(r.name for r in records if r is not vec)}"
        )
    if numbers and input_path:
        raise InputError("give the numbers either after -- or with --input FILE, not both")
    auto_table = fmt is None and term.stdout_is_terminal()
    fmt = fmt or ("table" if auto_table else "plain")

    from actloss.cli import output

    if not numbers and not input_path and term.stdin_is_terminal():
        raise InputError(
            f"no input numbers: give them after -- (actloss {command} {names[0]} -- 0.5), "
            "with --input FILE, or on stdin"
        )
    output.evaluate(records, bound, numbers, input_path, derivative, fmt, precision, vector, auto_table, low)
