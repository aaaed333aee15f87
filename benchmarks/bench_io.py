"""Bounded memory and the cost of each output format, measured in one run.

    python benchmarks/bench_io.py [--numbers 10000000] [--vectors 1000000] [--time-numbers 1000000]

Targets:
  memory   at most 256 MiB peak resident memory for 10,000,000 numbers in every input form (stdin,
           a text file, a CSV file, an .npy file) and every output format (plain, csv, json), and for
           1,000,000 softmax vectors (values and Jacobians);
  formats  csv and json no slower than 1.5x plain on 1,000,000 numbers (`eval sigmoid`).

Peak memory is the child's maximum resident set (resource.getrusage after it exits); times use
hyperfine when it is installed, else the median of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def actloss() -> list[str]:
    exe = shutil.which("actloss")
    return [exe] if exe else [sys.executable, "-m", "actloss"]


def peak_mib(cmd: list[str], stdin_path: str | None = None) -> float:
    """Peak RSS (MiB) of one run, read from a fresh process that runs it and reports its child's usage."""
    code = (
        "import resource, subprocess, sys\n"
        f"cmd = {cmd!r}\n"
        f"stdin = open({stdin_path!r}, 'rb') if {stdin_path!r} else subprocess.DEVNULL\n"
        "p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL)\n"
        "assert p.returncode == 0, p.returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def timed(commands: dict[str, str], runs: int) -> dict[str, float]:
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as fh:
            args = ["hyperfine", "--shell=bash", "--warmup", "1", "--runs", str(runs),
                    "--export-json", fh.name]
            for name, cmd in commands.items():
                args += ["-n", name, cmd]
            subprocess.run(args, check=True, capture_output=True)
            data = json.load(open(fh.name))
        return {r["command"]: r["median"] for r in data["results"]}
    out = {}
    for name, cmd in commands.items():
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(["bash", "-c", cmd], check=True)
            ts.append(time.perf_counter() - t)
        out[name] = sorted(ts)[len(ts) // 2]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--numbers", type=int, default=10_000_000)
    ap.add_argument("--vectors", type=int, default=1_000_000)
    ap.add_argument("--time-numbers", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    from _common import byte_compile

    byte_compile()

    import numpy as np

    exe = actloss()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        x = rng.standard_normal(opts.numbers) * 10
        txt, csv, npy = (os.path.join(tmp, f"x.{e}") for e in ("txt", "csv", "npy"))
        np.save(npy, x)
        with open(txt, "w") as fh:
            for i in range(0, x.size, 1_000_000):
                fh.write("\n".join(map(repr, x[i:i + 1_000_000].tolist())) + "\n")
        with open(csv, "w") as fh, open(txt) as src:
            fh.write("x\n")
            shutil.copyfileobj(src, fh)
        vec = os.path.join(tmp, "v.txt")
        v = rng.standard_normal((opts.vectors, 3))
        np.savetxt(vec, v, fmt="%.17g")

        print(f"== peak memory, {opts.numbers:,} numbers through eval sigmoid (target <= 256 MiB)")
        worst = 0.0
        for form, (args, stdin) in {"stdin": ([], txt), "text file": (["--input", txt], None),
                                    "csv file": (["--input", csv], None), ".npy file": (["--input", npy], None)}.items():
            for fmt in ("plain", "csv", "json"):
                mib = peak_mib(exe + ["eval", "sigmoid", "--format", fmt] + args, stdin)
                worst = max(worst, mib)
                print(f"  {form:10s} -> {fmt:5s} {mib:7.0f} MiB")
        for cmd in ("eval", "grad"):
            for fmt in ("plain", "csv", "json"):
                mib = peak_mib(exe + [cmd, "softmax", "--format", fmt], vec)
                worst = max(worst, mib)
                print(f"  {opts.vectors:,} softmax vectors, {cmd} -> {fmt:5s} {mib:7.0f} MiB")
        print(f"  worst {worst:.0f} MiB")

        small = os.path.join(tmp, "small.txt")
        with open(small, "w") as fh:
            fh.write("\n".join(map(repr, x[:opts.time_numbers].tolist())) + "\n")
        cmds = {fmt: f"{' '.join(exe)} eval sigmoid --format {fmt} < {small} > /dev/null" for fmt in ("plain", "csv", "json")}
        t = timed(cmds, opts.runs)
        print(f"\n== output formats, {opts.time_numbers:,} numbers (target: csv and json <= 1.5x plain)")
        for fmt in ("plain", "csv", "json"):
            print(f"  {fmt:5s} {t[fmt] * 1000:8.1f} ms   ratio {t[fmt] / t['plain']:5.2f}")


if __name__ == "__main__":
    main()
