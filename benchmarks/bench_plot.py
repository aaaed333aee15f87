"""`actloss plot gelu -o gelu.png` against the pyplot script a user would write, `--term` against the
same plot as a PNG, and the gallery's time.

    python benchmarks/bench_plot.py [--runs 15] [--gallery-runs 3] [--libraries]

Targets, each measured here in the same run:
- the command is no slower than the few-line pyplot script for the same curve (ratio <= 1.0);
- `actloss plot relu gelu silu --grad --term` takes at most half the time of the same plot written as
  a PNG (ratio <= 0.5).
The gallery (`actloss plot --all -o DIR/`, every function with its derivative, one process) is
reported as its total time. With --libraries, the text renderer alone is timed in this process on
3 curves of 401 points against uniplot and plotille where they are installed (neither is a
dependency: the measurement that chose a renderer of our own).

Timing: the median of interleaved runs (A B A B ...), or hyperfine with --hyperfine (Debian package
`hyperfine`); both report wall time and CPU time (user + system).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PYPLOT_SCRIPT = '''
import math
import numpy as np
import matplotlib.pyplot as plt
x = np.linspace(-4, 4, 1000)
y = x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))
plt.plot(x, y)
plt.savefig("pyplot-gelu.png")
'''


def actloss_cmd() -> str:
    exe = shutil.which("actloss", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return exe or f"{sys.executable} -m actloss"


def timeit(cmds: list[str], runs: int, cwd: str, hyperfine: bool = False) -> list[tuple[float, float]]:
    """(median wall time, mean CPU time: user + system) of each command, in seconds.

    By default the commands run interleaved (A B A B ...), so a machine whose load changes during the
    measurement burdens both alike; hyperfine runs all of A, then all of B. CPU time is the steadier
    number on a busy machine; wall time is what a user waits.
    """
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", out.name,
                 "--style", "none", *cmds],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
            )
            return [(r["median"], r["user"] + r["system"]) for r in json.load(open(out.name))["results"]]
    walls: list[list[float]] = [[] for _ in cmds]
    cpus: list[list[float]] = [[] for _ in cmds]
    for i in range(runs + 2):
        for j, cmd in enumerate(cmds):
            before = os.times()
            t = time.perf_counter()
            subprocess.run(cmd.split(), check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            after = os.times()
            if i >= 2:
                walls[j].append(time.perf_counter() - t)
                cpus[j].append(after.children_user - before.children_user + after.children_system - before.children_system)
    return [(sorted(w)[len(w) // 2], sum(c) / len(c)) for w, c in zip(walls, cpus)]


def renderer_times(repeats: int = 20) -> dict[str, float]:
    """Milliseconds (best of ``repeats``, after the import) to render 3 curves × 401 points as text,
    and each library's import time."""
    import importlib
    import io
    from contextlib import redirect_stdout

    import numpy as np

    x = np.linspace(-4, 4, 401)
    ys = [np.maximum(x, 0.0), x / (1.0 + np.exp(-x)), x * np.tanh(np.log1p(np.exp(x)))]
    names = ["relu", "silu", "mish"]
    out: dict[str, float] = {}

    def best(fn) -> float:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            with redirect_stdout(io.StringIO()):
                fn()
            times.append(time.perf_counter() - t)
        return min(times) * 1000

    import actloss.plot  # noqa: F401  (loaded by the command before the renderer)

    t = time.perf_counter()
    import actloss.textplot as T

    out["actloss.textplot import"] = (time.perf_counter() - t) * 1000
    chart = T.Chart([T.Panel([T.Series(x, y, n, i) for i, (y, n) in enumerate(zip(ys, names))], (-0.5, 4.2))], (-4, 4))
    out["actloss.textplot render"] = best(lambda: T.render(chart, 80, 24, True, "256"))
    for lib in ("uniplot", "plotille"):
        t = time.perf_counter()
        try:
            mod = importlib.import_module(lib)
        except ImportError:
            continue
        out[f"{lib} import"] = (time.perf_counter() - t) * 1000
        if lib == "uniplot":
            out["uniplot render"] = best(lambda: mod.plot(ys, xs=[x] * 3, legend_labels=names, width=70, height=18, color=True))
        else:
            def draw():
                fig = mod.Figure()
                fig.width, fig.height = 70, 18
                for y, n in zip(ys, names):
                    fig.plot(x, y, label=n)
                print(fig.show(legend=True))

            out["plotille render"] = best(draw)
    return out


def gallery_time(runs: int, cwd: str) -> tuple[float, int]:
    best = []
    count = 0
    for i in range(runs):
        out = os.path.join(cwd, f"gallery{i}")
        t = time.perf_counter()
        subprocess.run(actloss_cmd().split() + ["plot", "--all", "-o", out + "/"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best.append(time.perf_counter() - t)
        count = sum(1 for f in os.listdir(out) if f.endswith(".png"))
    return sorted(best)[len(best) // 2], count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--gallery-runs", type=int, default=3)
    ap.add_argument("--hyperfine", action="store_true", help="time with hyperfine (A then B) instead of interleaved runs")
    ap.add_argument("--libraries", action="store_true", help="also time the text renderer against uniplot and plotille in this process")
    args = ap.parse_args()
    from _common import byte_compile

    byte_compile()
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "pyplot_gelu.py")
        with open(script, "w") as fh:
            fh.write(PYPLOT_SCRIPT)
        ours = f"{actloss_cmd()} plot gelu -o gelu.png"
        theirs = f"{sys.executable} {script}"
        (t_ours, c_ours), (t_theirs, c_theirs) = timeit([ours, theirs], args.runs, tmp, args.hyperfine and bool(shutil.which("hyperfine")))
        ratio = t_ours / t_theirs
        print(f"actloss plot gelu -o gelu.png   {t_ours * 1000:7.1f} ms wall (median), {c_ours * 1000:6.1f} ms CPU")
        print(f"pyplot script (same curve)      {t_theirs * 1000:7.1f} ms wall (median), {c_theirs * 1000:6.1f} ms CPU")
        print(f"ratio                           {ratio:7.2f} wall, {c_ours / c_theirs:.2f} CPU"
              f"   (target <= 1.00: {'ok' if ratio <= 1.0 else 'SLOWER'})")
        term = f"{actloss_cmd()} plot relu gelu silu --grad --term"
        png = f"{actloss_cmd()} plot relu gelu silu --grad -o three.png"
        os.environ.setdefault("COLUMNS", "100")
        os.environ.setdefault("LINES", "30")
        (t_term, c_term), (t_png, c_png) = timeit([term, png], args.runs, tmp, args.hyperfine and bool(shutil.which("hyperfine")))
        ratio = t_term / t_png
        print(f"plot relu gelu silu --grad --term {t_term * 1000:7.1f} ms wall (median), {c_term * 1000:6.1f} ms CPU")
        print(f"the same plot as a PNG            {t_png * 1000:7.1f} ms wall (median), {c_png * 1000:6.1f} ms CPU")
        print(f"ratio                           {ratio:7.2f} wall, {c_term / c_png:.2f} CPU"
              f"   (target <= 0.50: {'ok' if ratio <= 0.5 else 'SLOWER'})")
        if args.libraries:
            for what, ms in renderer_times().items():
                print(f"  {what:<28} {ms:7.1f} ms")
        g, n = gallery_time(args.gallery_runs, tmp)
        print(f"gallery: {n} functions           {g:7.2f} s  (median of {args.gallery_runs}; {g / max(n, 1) * 1000:.0f} ms a plot)")


if __name__ == "__main__":
    main()
