"""Start-up, streaming and memory of `actloss eval`, each against its baseline measured in the same run.

    python benchmarks/bench_cli.py [--runs 15] [--numbers 1000000] [--memory-numbers 10000000]

Targets:
  start-up  `actloss eval relu -- 1`, `actloss eval gelu -- 0.5`, `actloss grad gelu -- 0.5`, `actloss --help`
            within 0.8x of a one-command Typer app that parses a float list and applies numpy (the floor);
  streaming 1,000,000 numbers through `actloss eval sigmoid` (round-trip digits) no slower than
            `awk '{print 1/(1+exp(-$1))}'` (6 digits) on the same file; a naive numpy script for reference;
  memory    10,000,000 numbers streamed in at most 256 MiB peak resident memory.

Timing uses hyperfine (Debian package `hyperfine`) when it is installed, else the median of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

FLOOR_APP = '''
import typer, numpy as np
app = typer.Typer()
@app.command()
def main(xs: list[float]):
    print("\\n".join(map(repr, np.maximum(np.array(xs), 0.0).tolist())))
app()
'''

NAIVE_NUMPY = '''
import sys, numpy as np
x = np.array(sys.stdin.buffer.read().split(), dtype=np.float64)
sys.stdout.write("\\n".join(map(repr, (1 / (1 + np.exp(-x))).tolist())) + "\\n")
'''


def actloss_cmd() -> str:
    exe = shutil.which("actloss", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return exe or f"{sys.executable} -m actloss"


def timeit(cmd: str, runs: int) -> float:
    """Median wall time of a shell command, in seconds."""
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                ["hyperfine", "-N" if "<" not in cmd and "|" not in cmd and ">" not in cmd else "-S=bash",
                 "--warmup", "2", "--runs", str(runs), "--export-json", out.name, "--style", "none", cmd],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            return json.load(open(out.name))["results"][0]["median"]
    times = []
    for _ in range(runs + 2):
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL, executable="/bin/bash")
        times.append(time.perf_counter() - t)
    times = sorted(times[2:])
    return times[len(times) // 2]


def peak_rss_mib(cmd: str) -> float:
    """Peak resident memory of the last command of a pipeline, via GNU time."""
    gnu_time = "/usr/bin/time"
    if not os.path.exists(gnu_time):
        return float("nan")
    head, _, last = cmd.rpartition("|")
    p = subprocess.run(
        f"{head}| {gnu_time} -f '%M' {last} > /dev/null", shell=True, check=True,
        capture_output=True, text=True, executable="/bin/bash",
    )
    return int(p.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--numbers", type=int, default=1_000_000)
    ap.add_argument("--memory-numbers", type=int, default=10_000_000)
    args = ap.parse_args()
    from _common import byte_compile

    byte_compile()
    act = actloss_cmd()
    tmp = tempfile.mkdtemp(prefix="actloss-bench-")
    floor = os.path.join(tmp, "floor.py")
    naive = os.path.join(tmp, "naive.py")
    data = os.path.join(tmp, "numbers.txt")
    open(floor, "w").write(FLOOR_APP)
    open(naive, "w").write(NAIVE_NUMPY)
    rnd = random.Random(0)
    with open(data, "w") as fh:
        fh.write("\n".join(repr(rnd.uniform(-10, 10)) for _ in range(args.numbers)) + "\n")

    print(f"timer: {'hyperfine' if shutil.which('hyperfine') else 'median of repeated runs'}; actloss: {act}")
    print("\n== start-up (ratio to the floor: a one-command Typer app parsing floats and applying numpy)")
    t_floor = timeit(f"{sys.executable} {floor} 1", args.runs)
    print(f"  {'floor (typer + numpy)':38s} {t_floor * 1000:7.1f} ms")
    for cmd in ("eval relu -- 1", "eval gelu -- 0.5", "grad gelu -- 0.5", "--help"):
        t = timeit(f"{act} {cmd}", args.runs)
        print(f"  {'actloss ' + cmd:38s} {t * 1000:7.1f} ms   ratio {t / t_floor:5.2f}  (target <= 0.8)")

    print(f"\n== streaming {args.numbers:,} numbers, stdin -> stdout (ratio to awk)")
    runs = max(3, args.runs // 3)
    t_awk = timeit(f"awk '{{print 1/(1+exp(-$1))}}' {data} > /dev/null", runs)
    t_naive = timeit(f"{sys.executable} {naive} < {data} > /dev/null", runs)
    t_act = timeit(f"{act} eval sigmoid < {data} > /dev/null", runs)
    print(f"  {'awk (6 digits)':38s} {t_awk * 1000:7.1f} ms")
    print(f"  {'naive numpy script (repr)':38s} {t_naive * 1000:7.1f} ms   ratio {t_naive / t_awk:5.2f}")
    print(f"  {'actloss eval sigmoid (repr)':38s} {t_act * 1000:7.1f} ms   ratio {t_act / t_awk:5.2f}  (target <= 1.0)")
    t_gelu = timeit(f"{act} eval gelu < {data} > /dev/null", runs)
    print(f"  {'actloss eval gelu (repr)':38s} {t_gelu * 1000:7.1f} ms   ratio {t_gelu / t_awk:5.2f}")

    n = args.memory_numbers
    gen = f"awk 'BEGIN{{for(i=0;i<{n};i++) printf \"%.17g\\n\", (i%20000)/1000-10}}'"
    peak = peak_rss_mib(f"{gen} | {act} eval sigmoid")
    print(f"\n== memory, {n:,} numbers streamed: peak RSS {peak:.0f} MiB  (target <= 256)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
