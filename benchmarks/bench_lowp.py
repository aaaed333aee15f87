"""`actloss eval sigmoid --dtype bfloat16` on 1,000,000 numbers against the float64 eval of the same input.

    python benchmarks/bench_lowp.py [--numbers 1000000] [--runs 5]

Target: the correctly rounded bfloat16 eval is no slower than the float64 eval (ratio <= 1).
Both stream the same text file of standard normals to /dev/null; timing by hyperfine when installed,
else the median of repeated runs.
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
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    import numpy as np

    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "x.txt")
    np.savetxt(path, np.random.default_rng(0).standard_normal(a.numbers) * 4)
    exe = [sys.executable, "-m", "actloss"]
    cmds = {
        "float64": " ".join(exe + ["eval", "sigmoid", "--input", path]),
        "bfloat16": " ".join(exe + ["eval", "sigmoid", "--dtype", "bfloat16", "--input", path]),
    }
    times = {}
    if shutil.which("hyperfine"):
        out = os.path.join(tmp, "h.json")
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(a.runs), "--output", "null",
                        "--export-json", out, *cmds.values()], check=True, stdout=subprocess.DEVNULL)
        for name, r in zip(cmds, json.load(open(out))["results"]):
            times[name] = r["median"]
    else:
        for name, cmd in cmds.items():
            runs = []
            for _ in range(a.runs):
                t = time.perf_counter()
                subprocess.run(cmd.split(), stdout=subprocess.DEVNULL, check=True)
                runs.append(time.perf_counter() - t)
            times[name] = sorted(runs)[len(runs) // 2]
    ratio = times["bfloat16"] / times["float64"]
    print(f"float64  {times['float64']:.3f} s\nbfloat16 {times['bfloat16']:.3f} s\nratio    {ratio:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
