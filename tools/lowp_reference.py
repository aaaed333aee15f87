"""Write tests/data/lowp_reference.npz: correctly rounded activations over every bfloat16 and float16 value.

For every elementwise activation (default parameters), its value and its
derivative at every finite value of bfloat16 and float16, rounded exactly into
that format by ``tests/lowp_reference.py`` from the mpmath definitions in
``tests/reference.py`` (nothing from actloss but the list of names). Stored as
bit patterns, delta-coded (consecutive differences compress well), under keys
``FORMAT/NAME/ORDER``. Run by hand (a few minutes per format on one core):

    python tools/lowp_reference.py [--formats bfloat16,float16] [--names gelu,silu]

tests/test_lowp.py reads the file, recomputes a random sample of it with
mpmath on every run and all of it with ``--runslow``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, ".."))

from lowp_reference import finite_values, reference_bits  # noqa: E402
from reference import REFERENCES  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "data", "lowp_reference.npz")


def elementwise_names() -> list[str]:
    from actloss.registry import load

    return [f.name for f in load() if f.kind == "activation" and f.shape == "elementwise" and f.name in REFERENCES]


def default_params(name: str) -> dict:
    from actloss.registry import get

    return get(name).defaults()


def encode(bits: np.ndarray) -> np.ndarray:
    d = np.diff(bits.astype(np.int32), prepend=0)
    return d.astype(np.int32)


def decode(data: np.ndarray) -> np.ndarray:
    return np.cumsum(data.astype(np.int64)).astype(np.int64)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--formats", default="bfloat16,float16")
    ap.add_argument("--names", default="")
    ap.add_argument("-o", "--output", default=OUT)
    ap.add_argument("--force", action="store_true", help="recompute entries already in the file")
    a = ap.parse_args()
    names = a.names.split(",") if a.names else elementwise_names()
    out = dict(np.load(a.output)) if os.path.exists(a.output) else {}
    for fmt in a.formats.split(","):
        xs = finite_values(fmt)
        for name in names:
            for order in (0, 1):
                key = f"{fmt}/{name}/{order}"
                if key in out and not a.force:
                    continue
                t = time.time()
                out[key] = encode(reference_bits(name, order, fmt, xs, default_params(name)))
                print(f"{fmt} {name} {order}: {time.time() - t:.1f} s", file=sys.stderr, flush=True)
            tmp = a.output + ".tmp.npz"
            np.savez_compressed(tmp, **out)
            os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
