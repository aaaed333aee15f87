"""``actloss loss NAME --pred P --target T``, and ``actloss grad LOSS ...`` (dL/dpred): read, evaluate, render.

The arguments are declared in ``actloss.cli.typer_app``; numpy and rich load only inside the command.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from actloss import render
from actloss.cli import term
from actloss.errors import InputError

if TYPE_CHECKING:
    from actloss.evaluation import LossEvaluation

TABLE_ROWS = 1000  # beyond this many rows a terminal gets plain lines unless --format table

_USAGE = "NAME --pred P --target T [OPTIONS]"


def _record(names, command: str):
    from actloss import registry

    if not names:
        raise InputError(f"no loss named; usage: actloss {command} {_USAGE} (see 'actloss list')")
    if len(names) > 1:
        raise InputError(
            f"unexpected argument {names[1]!r}: {command} takes one loss, with pred and target as --pred P --target T"
        )
    name = names[0]
    reg = registry.load()
    if name in reg and reg.get(name).kind != "loss":
        rec = reg.get(name)
        verb = "grad" if command == "grad" else "eval"
        raise InputError(f"{rec.name} is an activation, not a loss: use 'actloss {verb} {rec.name} -- X'")
    return reg.get(name, kind="loss")


def run(numbers, names, pred=None, target=None, format=None, precision=None, input=None, derivative=0, dtype=None,
        saturate=False, **params) -> None:
    """``actloss loss`` (and ``actloss grad LOSS``: derivative 1 for dL/dpred, 2 for second derivatives)."""
    from actloss.cli.evaluate import given

    command = "grad" if derivative else "loss"
    if numbers:
        raise InputError(
            f"unexpected argument {numbers[0]!r}: {command} takes pred and target as --pred P --target T, "
            "not numbers after -- or after the name"
        )
    if input is not None:
        raise InputError(
            f"{command} reads --pred P and --target T (each may be @FILE), not --input; "
            f"e.g. actloss {command} mse --pred @pred.csv --target @target.csv"
        )
    record = _record(names, command)
    if derivative == 2:
        record.check_order(2)
    missing = [o for o, v in (("pred", pred), ("target", target)) if v is None]
    if missing:
        what = " and ".join("--" + m for m in missing)
        raise InputError(f"missing {what}: usage: actloss {command} {record.name} --pred P --target T")
    if pred == "-" and target == "-":
        raise InputError("only one of --pred and --target can read stdin ('-')")
    if precision is not None and not 1 <= precision <= 17:
        raise InputError(f"--precision must be between 1 and 17 significant digits, got {precision}")
    bound = record.bind(given(params))
    from actloss import io

    fmt = format
    stdin_text = None
    if "-" in (pred, target):
        option = "--pred" if pred == "-" else "--target"
        if term.stdin_is_terminal():
            raise InputError(f"{option} - reads stdin, but stdin is a terminal: pipe the numbers in, or give them inline")
        stdin_text = io.read_stdin()

    pred = io.read_operand(pred, "--pred", stdin_text)
    target = io.read_operand(target, "--target", stdin_text)
    pred, target = io.lone_numbers(pred, target, per_sample=record.per == "sample")

    from actloss.evaluation import evaluate_loss

    low = None
    if dtype is not None:
        from actloss import lowp

        low = lowp.get_format(dtype)
    elif saturate:
        raise InputError("--saturate goes with --dtype (e.g. --dtype bfloat16 --saturate)")
    result = evaluate_loss(record, pred, target, bound, derivative, low, saturate)
    result.shown(precision)
    auto_table = fmt is None and term.stdout_is_terminal()
    fmt = fmt or ("table" if auto_table else "plain")
    if auto_table and result.parts.count > TABLE_ROWS:
        fmt = "plain"
    {"table": _table, "plain": _plain, "csv": _csv, "json": _json}[fmt](result, precision)


# ---------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------

def _plain(res: LossEvaluation, precision) -> None:
    if res.blocks:  # one C x C Hessian per sample, a blank line between samples (as Jacobians)
        c = res.grad.shape[-1]
        render.write(b"\n".join(render.rows_of(h, precision) for h in res.grad.reshape(-1, c, c)))
        return
    if res.derivative:
        g = res.grad
        render.write(render.lines_of(g, precision) if g.ndim <= 1 else render.rows_of(g.reshape(-1, g.shape[-1]), precision))
        return
    render.write(render.lines_of(res.value, precision))


def _cells(a, precision) -> list[str]:
    return [render.number(float(v), precision) for v in a.reshape(-1).tolist()]


def _target_cells(res: LossEvaluation, t, precision) -> list[str]:
    if res.indices:
        return [str(int(t))]
    return _cells(t, precision)


def _csv(res: LossEvaluation, precision) -> None:
    """One row per item, numbered from 0 (as numpy and the class indices are), then the reduction."""
    preds, targets = res.item_rows()
    per = res.parts.per
    if res.per_sample:
        c = preds.shape[-1]
        head = [per] + [f"pred_{j}" for j in range(c)]
        head += [f"target_{j}" for j in range(c)] if targets.ndim == 2 else ["target"]
    else:
        head = [per, "pred", "target"]
    if res.blocks:
        head += ["row"] + [f"d2_{j}" for j in range(preds.shape[-1])]
        g = res.grad.reshape(preds.shape + (preds.shape[-1],))
    elif res.derivative:
        word = "grad" if res.derivative == 1 else "d2"
        head += [f"{word}_{j}" for j in range(preds.shape[-1])] if res.per_sample else [word]
        g = res.grad.reshape(preds.shape)
    else:
        head += ["loss"]
        items = res.parts.items.reshape(-1)
    rows = []
    for k in range(res.parts.count):
        cells = [str(k)] + _cells(preds[k], None) + _target_cells(res, targets[k], None)  # inputs as given
        if res.blocks:  # one line per row of the sample's Hessian
            rows += [cells + [str(i)] + _cells(row, precision) for i, row in enumerate(g[k])]
            continue
        cells += _cells(g[k], precision) if res.derivative else [render.number(float(items[k]), precision)]
        rows.append(cells)
    if not res.derivative and res.reduction != "none":
        rows.append([res.reduction] + [""] * (len(head) - 2) + [render.number(float(res.value), precision)])
    render.write(render.csv(head, rows))


def _json(res: LossEvaluation, precision) -> None:
    obj = {
        "loss": res.record.name,
        "parameters": {k: render.param_json(v) for k, v in res.bound.items() if k != "reduction"},
        "reduction": res.reduction,
        "conventions": list(res.parts.conventions),
        "description": res.caption(),
        "per": res.parts.per,
        "count": res.parts.count,
    }
    if res.dtype is not None:
        obj["dtype"] = res.dtype.name
    if res.derivative:
        obj["quantity"] = "gradient" if res.derivative == 1 else ("hessian" if res.blocks else "hessian_diagonal")
    else:
        obj["value"] = render.json_array(res.value, precision)
        obj["values"] = render.json_array(res.parts.items, precision)
    if res.reduction in ("mean", "batchmean"):
        obj["denominator"] = render.json_number(res.parts.denominator)
    obj["pred"] = render.json_array(res.pred)  # inputs as given
    if res.indices:
        obj["target"] = res.target.astype(int).tolist()
    else:
        obj["target"] = render.json_array(res.target)
    if res.derivative:
        obj["gradient" if res.derivative == 1 else "second_derivative"] = render.json_array(res.grad, precision)
    render.write(render.json(obj))


def _table(res: LossEvaluation, precision) -> None:
    preds, targets = res.item_rows()
    join = ", ".join
    items = res.parts.items.reshape(-1)
    g = res.grad.reshape(preds.shape + ((preds.shape[-1],) if res.blocks else ())) if res.derivative else None

    def cell(k):
        if res.blocks:  # the sample's Hessian, its rows separated by ';'
            return "; ".join(join(_cells(row, precision)) for row in g[k])
        return join(_cells(g[k], precision)) if res.derivative else render.number(float(items[k]), precision)

    rows = [
        [str(k), join(_cells(preds[k], None)), join(_target_cells(res, targets[k], None)), cell(k)]
        for k in range(res.parts.count)
    ]
    sections, bold = (), ()
    if not res.derivative and res.reduction != "none":
        rows.append([res.reduction, "", "", render.number(float(res.value), precision)])
        sections, bold = (len(rows) - 2,), (len(rows) - 1,)
    columns = [res.parts.per, "pred", "target", {0: "loss", 1: "∂L/∂pred", 2: "∂²L/∂pred²"}[res.derivative]]
    render.table(res.title(), columns, rows, res.caption(), sections=sections, bold=bold)
