"""Write docs/oracle.md: PyTorch's CPU kernels graded by actloss.testing (outputs from tools/torch_kernels.py).

    python tools/oracle_report.py OUT_DIR        # OUT_DIR written by tools/torch_kernels.py

Every table is computed here from the kernel outputs; the one full `actloss check` table is the command's
own output (run on the files, NO_COLOR, 100 columns).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from actloss import testing

FUNCTIONS = ("gelu", "silu", "tanh", "softplus", "sigmoid")
DTYPES = ("bfloat16", "float16", "float32")
DOC = Path(__file__).resolve().parent.parent / "docs" / "oracle.md"


def main() -> None:
    out = Path(sys.argv[1])
    version = (out / "VERSION").read_text().strip()
    rows = []
    for d in DTYPES:
        x = np.load(out / f"x_{d}.npy")
        for f in FUNCTIONS:
            for kind in ("value", "grad"):
                y = np.load(out / f"{f}_{d}_{kind}.npy")
                r = testing.report(y, f, x, dtype=d, grad=kind == "grad", bits=True, max_ulp=1, worst=1)
                classes = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r["classes"].items() if v) or "-"
                w = r["worst"][0] if r["worst"] else None
                worst = f"x = {w['x']!r}: {w['got']!r} for {w['exact']!r}" if w else "-"
                h = r["histogram"]
                rows.append(f"| {f}{chr(8242) if kind == 'grad' else ''} | {d} | {r['count']} | {h['0']} | {h['1']} | "
                            f"{r['mismatches']} | {r['max_ulp']} | {classes} | {worst} |")
                print(d, f, kind, r["max_ulp"], file=sys.stderr)
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    cmd = ["actloss", "check", "gelu", "--dtype", "bfloat16", "--x", str(out / "x_bfloat16.npy"),
           "--y", str(out / "gelu_bfloat16_value.npy"), "--format", "table"]
    table = subprocess.run([sys.executable, "-m", "actloss", *cmd[1:]], capture_output=True, text=True, env=env).stdout
    text = f"""# PyTorch's CPU kernels, graded by actloss

`actloss check` and `actloss.testing` grade a kernel's outputs in ulps of their format against the exact
value correctly rounded into that format. Here they grade {version}'s own CPU kernels (forward, and the
backward of autograd with a gradient of ones) over **every** bfloat16 and float16 value, and over a float32
sample (1,000,000 normals times 4 and the points from -100 to 100 by 0.25). The outputs were made by
`tools/torch_kernels.py` in a scratch environment with torch (never a dependency of actloss) and graded by
`tools/oracle_report.py`, which wrote this page.

Columns: elements graded (finite inputs, then inf, -inf and NaN), exact (0 ulp), 1 ulp off, past 1 ulp, the
largest error, the classes of error (NaN for a number, a wrong infinity, a zero of the wrong sign, a subnormal
flushed to zero) and the worst element.

| function | dtype | count | exact | 1 ulp | > 1 ulp | max ulp | classes | worst |
|---|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

The full report of one of them, as `actloss check` prints it on a terminal:

```console
$ actloss check gelu --dtype bfloat16 --x x_bfloat16.npy --y gelu_bfloat16_value.npy
{table.rstrip()}
```

Run it on a kernel of your own: `actloss check NAME --dtype bfloat16 --write-inputs all.npy` writes every
input, and `actloss check NAME --dtype bfloat16 --x all.npy --y yours.npy` grades the outputs (exit 1 when an
element is past `--max-ulp`, 1 by default).
"""
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
