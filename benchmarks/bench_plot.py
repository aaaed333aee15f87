"""`actloss plot gelu -o gelu.png` against the pyplot script a user would write, and the gallery's time.

    python benchmarks/bench_plot.py [--runs 15] [--gallery-runs 3]

Target: the command is no slower than the few-line pyplot script for the same curve (ratio <= 1.0),
both measured here in the same run; the gallery (`actloss plot --all -o DIR/`, every function with
its derivative, one process) is reported as its total time.

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
    args = ap.parse_args()
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
        g, n = gallery_time(args.gallery_runs, tmp)
        print(f"gallery: {n} functions           {g:7.2f} s  (median of {args.gallery_runs}; {g / max(n, 1) * 1000:.0f} ms a plot)")


if __name__ == "__main__":
    main()
