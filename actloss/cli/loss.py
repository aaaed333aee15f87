"""``actloss loss NAME --pred P --target T``, and ``actloss grad LOSS ...`` (dL/dpred).

The arguments are declared in ``actloss.cli.typer_app``; numpy and rich load only inside the command.
"""

import sys
from dataclasses import dataclass

from actloss import render
from actloss.cli import term
from actloss.errors import InputError

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


def run(numbers, names, pred=None, target=None, format=None, precision=None, input=None, derivative=False, **params) -> None:
    """``actloss loss`` (and ``actloss grad LOSS``)."""
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
    pred, target = _lone_numbers(record, pred, target)

    from actloss import _losses

    reduction = bound["reduction"]
    kw = {k: v for k, v in bound.items() if k != "reduction"}
    parts = _losses.parts(record.kernel.partition(":")[2], pred, target, **kw)
    auto_table = fmt is None and term.stdout_is_terminal()
    fmt = fmt or ("table" if auto_table else "plain")
    if auto_table and parts.count > TABLE_ROWS:
        fmt = "plain"
    result = Result(record, bound, pred, target, parts, reduction, derivative)
    {"table": _table, "plain": _plain, "csv": _csv, "json": _json}[fmt](result, precision)


def _lone_numbers(record, pred, target):
    """A single number stands for a batch of one: '--target 1' for pred [[0.2, 0.8]] (never a real broadcast)."""
    import numpy as np

    per_sample = record.per == "sample"
    if target.ndim == 0 and pred.ndim >= 1:
        want = pred.shape[:-1] if per_sample else pred.shape
        if int(np.prod(want)) == 1:
            target = target.reshape(want)
    elif pred.ndim == 0 and target.ndim >= 1 and target.size == 1 and not per_sample:
        pred = pred.reshape(target.shape)
    return pred, target


# ---------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------

@dataclass
class Result:
    record: object
    bound: dict
    pred: object
    target: object
    parts: object
    reduction: str
    derivative: bool

    def __post_init__(self):
        from actloss import _losses

        if self.derivative:
            self.grad = _losses.gradient(self.parts, self.reduction)
        self.value = _losses.reduce(self.parts, self.reduction)

    @property
    def indices(self) -> bool:
        """Targets are class indices (one per sample)."""
        return self.per_sample and self.target.shape != self.pred.shape

    @property
    def per_sample(self) -> bool:
        return self.parts.per == "sample"

    def caption(self) -> str:
        from actloss import _losses

        conventions = list(self.parts.conventions)
        red = _losses.reduction_text(self.parts, self.reduction)
        if self.derivative:
            red = ("gradient of the " + red) if self.reduction != "none" else f"gradient of each {self.parts.per}'s loss"
        return ", ".join(conventions + [red])

    def title(self) -> str:
        defaults = self.record.defaults()
        shown = [f"{k}={render.param_text(v)}" for k, v in self.bound.items() if k != "reduction" and v != defaults.get(k)]
        name = self.record.name
        head = f"∂{name}/∂pred" if self.derivative else name
        return f"{head}(pred, target{'; ' + ', '.join(shown) if shown else ''})"

    def item_rows(self):
        """(pred, target) per item: scalars for elementwise losses, rows for per-sample ones."""
        import numpy as np

        n = self.parts.count
        if not self.per_sample:
            return self.pred.reshape(-1), self.target.reshape(-1)
        c = self.pred.shape[-1]
        p = self.pred.reshape(n, c)
        t = self.target.reshape(n, c) if self.target.shape == self.pred.shape else self.target.reshape(n)
        return p, np.asarray(t)


def _plain(res: Result, precision) -> None:
    if res.derivative:
        g = res.grad
        render.write(render.lines_of(g, precision) if g.ndim <= 1 else render.rows_of(g.reshape(-1, g.shape[-1]), precision))
        return
    render.write(render.lines_of(res.value, precision))


def _cells(a, precision) -> list[str]:
    return [render.number(float(v), precision) for v in a.reshape(-1).tolist()]


def _target_cells(res: Result, t, precision) -> list[str]:
    if res.indices:
        return [str(int(t))]
    return _cells(t, precision)


def _csv(res: Result, precision) -> None:
    """One row per item, numbered from 0 (as numpy and the class indices are), then the reduction."""
    preds, targets = res.item_rows()
    per = res.parts.per
    if res.per_sample:
        c = preds.shape[-1]
        head = [per] + [f"pred_{j}" for j in range(c)]
        head += [f"target_{j}" for j in range(c)] if targets.ndim == 2 else ["target"]
    else:
        head = [per, "pred", "target"]
    if res.derivative:
        head += [f"grad_{j}" for j in range(preds.shape[-1])] if res.per_sample else ["grad"]
        g = res.grad.reshape(preds.shape)
    else:
        head += ["loss"]
        items = res.parts.items.reshape(-1)
    rows = []
    for k in range(res.parts.count):
        cells = [str(k)] + _cells(preds[k], precision) + _target_cells(res, targets[k], precision)
        cells += _cells(g[k], precision) if res.derivative else [render.number(float(items[k]), precision)]
        rows.append(cells)
    if not res.derivative and res.reduction != "none":
        rows.append([res.reduction] + [""] * (len(head) - 2) + [render.number(float(res.value), precision)])
    render.write(render.csv(head, rows))


def _json(res: Result, precision) -> None:
    obj = {
        "loss": res.record.name,
        "parameters": {k: render.param_json(v) for k, v in res.bound.items() if k != "reduction"},
        "reduction": res.reduction,
        "conventions": list(res.parts.conventions),
        "description": res.caption(),
        "per": res.parts.per,
        "count": res.parts.count,
    }
    if res.derivative:
        obj["quantity"] = "gradient"
    else:
        obj["value"] = render.json_array(res.value, precision)
        obj["values"] = render.json_array(res.parts.items, precision)
    if res.reduction in ("mean", "batchmean"):
        obj["denominator"] = render.json_number(res.parts.denominator)
    obj["pred"] = render.json_array(res.pred, precision)
    if res.indices:
        obj["target"] = res.target.astype(int).tolist()
    else:
        obj["target"] = render.json_array(res.target, precision)
    if res.derivative:
        obj["gradient"] = render.json_array(res.grad, precision)
    render.write(render.json(obj))


def _table(res: Result, precision) -> None:
    preds, targets = res.item_rows()
    join = ", ".join
    items = res.parts.items.reshape(-1)
    g = res.grad.reshape(preds.shape) if res.derivative else None
    rows = [
        [str(k), join(_cells(preds[k], precision)), join(_target_cells(res, targets[k], precision)),
         join(_cells(g[k], precision)) if res.derivative else render.number(float(items[k]), precision)]
        for k in range(res.parts.count)
    ]
    sections, bold = (), ()
    if not res.derivative and res.reduction != "none":
        rows.append([res.reduction, "", "", render.number(float(res.value), precision)])
        sections, bold = (len(rows) - 2,), (len(rows) - 1,)
    columns = [res.parts.per, "pred", "target", "∂L/∂pred" if res.derivative else "loss"]
    render.table(res.title(), columns, rows, res.caption(), sections=sections, bold=bold)
