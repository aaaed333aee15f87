"""Run PyTorch's own CPU kernels over every bfloat16 and float16 value (and a float32 sample) for docs/oracle.md.

Run by hand with a torch venv outside the repository (torch is not a dependency of actloss):

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchvenv/bin/python tools/torch_kernels.py OUT_DIR
    python tools/oracle_report.py OUT_DIR          # with actloss installed: grades them, writes docs/oracle.md

For gelu, silu, tanh, softplus and sigmoid: the forward value and the autograd derivative (backward with
a gradient of ones) in the input's dtype. Inputs are written as bit patterns in the order of
`actloss check --write-inputs` (finite values by bit pattern, then inf, -inf, NaN); float32 takes 1,000,000
normals times 4 and the tails from -100 to 100 by 0.25. Outputs are bit patterns (.npy of uint16/uint32).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

FUNCTIONS = {"gelu": F.gelu, "silu": F.silu, "tanh": torch.tanh, "softplus": F.softplus, "sigmoid": torch.sigmoid}
DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}
INT = {"bfloat16": (np.uint16, torch.int16), "float16": (np.uint16, torch.int16), "float32": (np.uint32, torch.int32)}


def every_value(name: str) -> np.ndarray:
    codes = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    t = torch.from_numpy(codes.view(np.int16).copy()).view(DTYPES[name]).float().numpy()
    fin = codes[np.isfinite(t)]
    specials = torch.tensor([float("inf"), float("-inf"), float("nan")], dtype=DTYPES[name]).view(torch.int16).numpy()
    return np.concatenate([fin, specials.view(np.uint16)])


def float32_sample() -> np.ndarray:
    rng = np.random.default_rng(0)
    x = np.concatenate([(rng.standard_normal(1_000_000) * 4), np.arange(-100, 100.25, 0.25)]).astype(np.float32)
    return x.view(np.uint32)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    for dname, dtype in DTYPES.items():
        bits = every_value(dname) if dname != "float32" else float32_sample()
        np.save(out / f"x_{dname}.npy", bits)
        uint, sint = INT[dname]
        x = torch.from_numpy(bits.view(uint).astype(uint).view(np.int16 if uint is np.uint16 else np.int32).copy()).view(dtype)
        for fname, fn in FUNCTIONS.items():
            t = x.clone().requires_grad_(True)
            y = fn(t)
            y.backward(torch.ones_like(y))
            for kind, v in (("value", y.detach()), ("grad", t.grad)):
                np.save(out / f"{fname}_{dname}_{kind}.npy", v.view(sint).numpy().view(uint))
            print(dname, fname, file=sys.stderr)
    (out / "VERSION").write_text(f"torch {torch.__version__}\n")


if __name__ == "__main__":
    main()
