"""``actloss list`` and ``actloss info``: the catalogue and the reference card of each function.

Neither numpy nor rich is imported here at import time: ``list`` needs only the
registry, ``info`` loads the kernels for its sample points and rich only for a
panel on a terminal.
"""

from __future__ import annotations

import sys
from typing import Optional

from actloss.cli import term
from actloss.errors import InputError

def _no_numbers(command: str, numbers) -> None:
    if numbers:
        raise InputError(f"{command} takes no numbers, got {numbers[0]!r} (see 'actloss {command} --help')")


# ---------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------

def list_records(kind: Optional[str]):
    from actloss import registry

    reg = registry.load()
    return [r for r in reg if kind is None or r.kind == kind]


def run_list(numbers=(), kind: Optional[str] = None, format: Optional[str] = None) -> None:
    """``actloss list``."""
    _no_numbers("list", numbers)
    fmt = format
    from actloss import cards

    records = list_records(kind)
    fmt = fmt or ("table" if term.stdout_is_terminal() else "plain")
    from actloss import render

    if fmt == "plain":
        render.write(render.plain(([r.name, r.summary] for r in records), sep="\t"))
        return
    if fmt == "json":
        objs = [
            {
                "name": r.name,
                "kind": r.kind,
                "shape": r.shape,
                "aliases": list(r.aliases),
                "parameters": [
                    {"name": p.name, "option": p.option, "default": render.param_json(p.default), "range": p.range_text()}
                    for p in r.params
                ],
                "range": cards.range_text(r),
                "formula": {"text": r.formula.text, "latex": r.formula.latex},
                "summary": r.summary,
            }
            for r in records
        ]
        render.write(render.json(objs))
        return
    rows = ([r.name, ", ".join(r.aliases), cards.params_text(r), cards.range_text(r), r.formula.text] for r in records)
    render.table(None, ("name", "aliases", "parameters", "range", "formula"), rows, numbers=False)


# ---------------------------------------------------------------------------
# info
# ---------------------------------------------------------------------------

def run_info(numbers=(), name: str = "", lang: str = "en", format: Optional[str] = None) -> None:
    """``actloss info``."""
    _no_numbers("info", numbers)
    fmt = format
    from actloss import cards, registry

    reg = registry.load()
    record = reg.get(name)
    card = cards.build(record, lang, reg)
    fmt = fmt or ("panel" if term.stdout_is_terminal() else "markdown")
    if fmt == "markdown":
        from actloss import render

        render.write(cards.markdown(card))
    elif fmt == "json":
        from actloss import render

        render.write(render.json(cards.json_obj(card)))
    else:
        panel(card)


def _text(*cells):
    """Cells as rich Text: record text is never read as markup (brackets stay)."""
    from rich.text import Text

    return [c if isinstance(c, Text) else Text(str(c)) for c in cells]


def panel(card) -> None:
    """The card as a rich panel (terminal output)."""
    from rich.console import Group
    from rich.markup import escape
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from actloss import cards

    lang = card["lang"]
    t = cards.TEXT[lang]
    parts: list = []

    def heading(s: str) -> None:
        parts.append(Text(""))
        parts.append(Text(s, style="bold cyan"))

    def bullets(items, style: str) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style=style)
        grid.add_column(overflow="fold")
        for item in items:
            grid.add_row(*_text("•", item))
        parts.append(grid)

    kind = cards.kind_text(card)
    parts.append(Text(card["summary"], style="bold"))
    parts.append(Text(f"{t['kind']}: {kind}", style="dim"))
    if card["aliases"]:
        parts.append(Text(f"{t['aliases']}: {', '.join(card['aliases'])}", style="dim"))

    loss = card["kind"] == "loss"
    for key, title in (("formula", t["formula"]), ("derivative", t["derivative_loss"] if loss else t["derivative"])):
        heading(title)
        parts.append(Text("  " + card[key]["text"]))
        parts.append(Text("  LaTeX: " + card[key]["latex"], style="dim"))
    if card["kinks"]["note"] or card["kinks"]["points"]:
        pts = ", ".join(f"{card['name']}′({cards.num(x)}) = {cards.num(d)}" for x, d in card["kinks"]["points"])
        parts.append(Text("  " + t["kinks"] + ": " + "; ".join(p for p in (pts, card["kinks"]["note"]) if p), style="italic"))

    heading(t["range"])
    parts.append(Text("  " + card["range"]))
    heading(t["properties"])
    props = Table.grid(padding=(0, 2))
    props.add_column(style="dim")
    props.add_column()
    for k, v in card["properties"].items():
        props.add_row(*_text("  " + cards.property_name(k, lang), cards.property_value(v, lang)))
    parts.append(props)

    heading(t["parameters"])
    if card["parameters"]:
        ptable = Table(show_edge=False, box=None, padding=(0, 2), header_style="dim")
        for col in ("option", "default", "valid", "meaning"):
            ptable.add_column(t[col], overflow="fold")
        for p in card["parameters"]:
            ptable.add_row(*_text(", ".join([p["option"]] + p["aliases"]), cards.default_text(p["default"]), p["range"], p["doc"]))
        parts.append(ptable)
    else:
        parts.append(Text("  " + t["no_parameters"]))

    heading(t["samples"] + (f" ({t['samples_params']})" if card["parameters"] else ""))
    s = card["samples"]
    if loss:
        parts.append(Text(f"  pred = {cards.vec(s['pred'])}, target = {cards.vec(s['target'])}"))
        parts.append(Text(f"  {card['name']} = {cards.vec(s['value'])}"))
        parts.append(Text(f"  ∂{card['name']}/∂pred = {cards.vec(s['derivative'])}"))
    elif card["shape"] == "elementwise":
        stable = Table(show_edge=False, box=None, padding=(0, 2), header_style="dim")
        for col in ("x", f"{card['name']}(x)", f"{card['name']}′(x)"):
            stable.add_column(col, justify="right", overflow="fold")
        for x, y, d in zip(s["x"], s["value"], s["derivative"]):
            stable.add_row(*_text(cards.num(x), cards.num(y), cards.num(d)))
        parts.append(stable)
    else:
        parts.append(Text(f"  x = {cards.vec(s['x'])}"))
        parts.append(Text(f"  {card['name']}(x) = {cards.vec(s['value'])}"))
        parts.append(Text(f"  {t['jacobian']}:"))
        for row in s["derivative"]:
            parts.append(Text("    " + "  ".join(cards.num(v) for v in row)))

    if card.get("analysis"):
        heading(t["analysis"] + (f" ({t['analysis_params']})" if card["parameters"] else ""))
        bullets(cards.analysis_lines(card), "cyan")
        rows = cards.saturation_rows(card)
        if rows:
            parts.append(Padding(Text(cards.saturation_intro(lang), overflow="fold"), (0, 0, 0, 2)))
            sat = Table(show_edge=False, box=None, padding=(0, 2), header_style="dim")
            for i, col in enumerate(rows[0]):
                sat.add_column(col, justify="left" if i == 0 else "right", overflow="fold")
            for row in rows[1:]:
                sat.add_row(*_text(*row))
            parts.append(sat)
        else:
            parts.append(Text("  " + cards.own_asymptote_text(lang)))

    for key, style in (("pros", "green"), ("cons", "red"), ("mistakes", "yellow")):
        if card[key]:
            heading(t[key])
            bullets(card[key], style)

    heading(t["equivalents"])
    eq = Table.grid(padding=(0, 2))
    eq.add_column(style="bold")
    eq.add_column(overflow="fold")
    for key, label in cards.FRAMEWORKS:
        eq.add_row(*_text("  " + label, card["equivalents"][key]))
    parts.append(eq)
    if card["paper"]:
        heading(t["paper"])
        parts.append(Text("  " + card["paper"]))
    if card["see_also"]:
        parts.append(Text(""))
        parts.append(Text(f"{t['see_also']}: {', '.join(card['see_also'])}", style="dim"))

    term.console().print(Panel(Group(*parts), title=f"[bold]{escape(card['name'])}[/bold]", title_align="left"))
