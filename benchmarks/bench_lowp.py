"""`actloss eval sigmoid --dtype bfloat16` on 1,000,000 numbers against the float64 eval of the same input.

    python benchmarks/bench_lowp.py [--numbers 1000000] [--runs 5]

Target: the correctly rounded bfloat16 eval is no slower than the float64 eval (ratio <= 1).
Both stream the same text file of normals (sd 4) to /dev/null. Timing: the median of runs taken in
turn (float64, bfloat16, float64, ...), so that a load that comes and goes weighs on both alike;
``--hyperfine`` times with hyperfine instead (one command after the other).
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--numbers", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--hyperfine", action="store_true")
    a = ap.parse_args()
    import numpy as np

    from _common import byte_compile

    byte_compile()

    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "x.txt")
    np.savetxt(path, np.random.default_rng(0).standard_normal(a.numbers) * 4)
    exe = [sys.executable, "-m", "actloss"]
    cmds = {
        "float64": " ".join(exe + ["eval", "sigmoid", "--input", path]),
        "bfloat16": " ".join(exe + ["eval", "sigmoid", "--dtype", "bfloat16", "--input", path]),
    }
    times = {}
    if a.hyperfine and shutil.which("hyperfine"):
        out = os.path.join(tmp, "h.json")
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(a.runs), "--output", "null",
                        "--export-json", out, *cmds.values()], check=True, stdout=subprocess.DEVNULL)
        for name, r in zip(cmds, json.load(open(out))["results"]):
            times[name] = r["median"]
    else:
        runs = {name: [] for name in cmds}
        for i in range(a.runs + 1):
            for name, cmd in cmds.items():
                t = time.perf_counter()
                subprocess.run(cmd.split(), stdout=subprocess.DEVNULL, check=True)
                if i:  # the first round warms the caches
                    runs[name].append(time.perf_counter() - t)
        times = {name: sorted(r)[len(r) // 2] for name, r in runs.items()}
    ratio = times["bfloat16"] / times["float64"]
    print(f"float64  {times['float64']:.3f} s\nbfloat16 {times['bfloat16']:.3f} s\nratio    {ratio:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
