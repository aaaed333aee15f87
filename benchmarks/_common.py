"""What every benchmark shares."""

from __future__ import annotations

import compileall
import os

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "actloss")


def byte_compile() -> None:
    """Measure actloss as it runs installed: byte-compiled.

    A regular ``pip install`` writes the bytecode; an editable install in an environment with
    PYTHONDONTWRITEBYTECODE set never does, and each command would recompile every module it
    imports (tens of milliseconds that no user of an installed package pays).
    """
    compileall.compile_dir(PACKAGE, quiet=1)
