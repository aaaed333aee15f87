"""Running actloss with its stdout on a pseudo-terminal, as a person at a terminal would."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

ACTLOSS = [sys.executable, "-m", "actloss"]


def run_on_terminal(args, env, timeout=60, size=None):
    """(exit status, what appeared on the terminal) of ``actloss ARGS`` with stdout on a pty
    (``size``: its (columns, lines), else the pty's own)."""
    leader, follower = pty.openpty()
    if size is not None:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    p = subprocess.Popen(ACTLOSS + list(args), stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other side closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    return p.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")
