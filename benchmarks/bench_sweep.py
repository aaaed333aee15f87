"""`actloss.testing.sweep` of a numpy float32 GELU (tanh form) over float32 bit patterns: opt-in, slow.

    python benchmarks/bench_sweep.py                  # an even sample of 1/64 of the patterns, extrapolated
    python benchmarks/bench_sweep.py --fraction 1     # all 2**32 patterns (minutes)
    python benchmarks/bench_sweep.py --processes 2    # sweep(..., processes=2): both cores

Aim: all 2**32 float32 inputs in under 10 minutes on a 2-core machine. Baseline in the same run: the
kernel under test alone on the same inputs (what any sweep costs at least), so the ratio says what the
grading adds. The sample is spread over the whole range (every binade, both signs, NaN and inf).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from actloss.testing import merge_reports, sweep  # noqa: E402

CHUNK = 2**22
TOTAL = 2**32


def gelu32(x):
    """A float32 kernel as people write it: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))."""
    c = np.float32(np.sqrt(2 / np.pi))
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.asarray(x, dtype=np.float32)
        return np.float32(0.5) * x * (np.float32(1) + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))


def _part(codes: range, processes: int = 1):
    return sweep(gelu32, "gelu", "float32", codes=codes, approximate="tanh", chunk=CHUNK, processes=processes)


def _kernel_only(codes: range) -> None:
    for start in range(codes.start, codes.stop, CHUNK):
        x = np.arange(start, min(start + CHUNK, codes.stop), dtype=np.uint64).astype(np.uint32).view(np.float32)
        with np.errstate(invalid="ignore"):
            gelu32(x.astype(np.float64))


def _ranges(fraction: float, processes: int) -> list[range]:
    """Parts spread evenly over the patterns: every k-th run of ``processes`` chunks of CHUNK patterns."""
    size = CHUNK * processes
    step = max(1, round(1 / fraction))
    return [range(i * size, (i + 1) * size) for i in range(0, TOTAL // size, step)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fraction", type=float, default=1 / 64)
    ap.add_argument("--processes", type=int, default=1)
    a = ap.parse_args()
    parts = _ranges(a.fraction, a.processes)
    covered = sum(len(r) for r in parts)
    scale = TOTAL / covered

    t = time.perf_counter()
    for r in parts:
        _kernel_only(r)
    kernel = time.perf_counter() - t

    t = time.perf_counter()
    reports = [_part(r, a.processes) for r in parts]
    total = merge_reports(*reports)
    swept = time.perf_counter() - t

    print(f"patterns     {covered:,} of {TOTAL:,} ({covered / TOTAL:.4f}), {a.processes} process(es)")
    print(f"kernel only  {kernel:.1f} s   (all patterns: {kernel * scale / 60:.1f} min)")
    print(f"sweep        {swept:.1f} s   (all patterns: {swept * scale / 60:.1f} min; aim < 10)")
    print(f"ratio        {swept / kernel:.1f} (sweep / kernel alone)")
    print(f"report       max {total['max_ulp']} ulp, {total['mismatches']:,} past 1 ulp of {total['count']:,}")


if __name__ == "__main__":
    main()
