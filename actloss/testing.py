"""Grading kernels against the exact answer, the way ``numpy.testing`` is used in pytest.

The reference of each element is actloss's correctly rounded value in the
kernel's format (``actloss.lowp``); the error is the distance in ulps of that
format: the number of representable values between the kernel's output and
the reference (+0 and -0 are one point).

    from actloss.testing import assert_ulp_close
    assert_ulp_close(my_gelu(x), "gelu", x, dtype="bfloat16", max_ulp=1)

Inputs are anything ``np.asarray`` takes. A bfloat16 torch tensor does not
convert to numpy directly: pass ``t.float().numpy()`` (float32 holds every
bfloat16 exactly) with ``dtype="bfloat16"``, or its bit patterns
``t.view(torch.uint16).numpy()`` with ``bits=True``.

Classes of errors counted apart from the ulps (and reported as an error of
``inf`` ulps where no distance exists): ``nan_for_number`` (NaN where the
exact value is a number), ``number_for_nan``, ``wrong_infinity`` (an
infinity where the exact value is finite or the other infinity, or a finite
value where it is infinite), ``wrong_zero_sign`` (a zero of the other sign;
0 ulps) and ``flushed_subnormal`` (zero where the exact value is subnormal).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from actloss import lowp
from actloss.registry import get as _get

__all__ = ["ulp_errors", "assert_ulp_close", "report", "sweep", "merge_reports", "HISTOGRAM_BINS"]

#: histogram bins of the report: (label, lowest, highest) in ulps
HISTOGRAM_BINS = (("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3-4", 3, 4), ("5-16", 5, 16),
                  ("17-256", 17, 256), (">256", 257, np.inf))
CLASSES = ("nan_for_number", "number_for_nan", "wrong_infinity", "wrong_zero_sign", "flushed_subnormal")


def _format_of(actual: np.ndarray, dtype: Any) -> lowp.Format:
    if dtype is not None:
        return lowp.get_format(dtype)
    return lowp.get_format(actual.dtype)


def _rounded(v: np.ndarray, fmt: lowp.Format, exact: bool) -> np.ndarray:
    return v if exact else lowp.round_to(v, fmt)


def _as_values(a: Any, fmt: lowp.Format, bits: bool) -> np.ndarray:
    a = np.asarray(a)
    if bits:
        if a.dtype.kind not in "ui":
            raise TypeError(f"bits=True expects unsigned integers of {fmt.bits} bits, got {a.dtype}")
        with np.errstate(invalid="ignore"):
            return a.astype(fmt.uint).view(fmt.dtype).astype(np.float64)
    return lowp._as_float64(a)


def _ordinal(v: np.ndarray, fmt: lowp.Format) -> np.ndarray:
    """Position of each (representable, finite) value on the format's number line; +0 and -0 are 0."""
    finite = np.where(np.isfinite(v), v, 0.0)
    if fmt.bits == 64:
        code = finite.view(np.int64)
        mag = code & np.int64(2**63 - 1)
        return np.where(code < 0, -mag, mag)
    if fmt.bits == 32:
        code = finite.astype(np.float32).view(np.int32)
        mag = (code & np.int32(2**31 - 1)).astype(np.int64)
        return np.where(code < 0, -mag, mag)
    code = lowp.bits_of(finite, fmt).astype(np.int64)
    sign_bit = np.int64(1) << np.int64(fmt.bits - 1)
    mag = code & (sign_bit - 1)
    return np.where((code & sign_bit) != 0, -mag, mag)


def _exact(name: str, x: np.ndarray, fmt: lowp.Format, grad: bool | int, params: dict) -> np.ndarray:
    """The correctly rounded f (grad False), f' (True or 1) or f'' (2) at x."""
    rec = _get(name)
    return lowp.rounded_result(rec, lowp.quantity(rec, grad), x, params, fmt, representable=True)  # x: rounded by the caller


def _errors_and_classes(got: np.ndarray, exact: np.ndarray, fmt: lowp.Format,
                        got_in_format: bool = False) -> tuple[np.ndarray, dict]:
    got_r = _rounded(got, fmt, got_in_format)  # an output finer than the format is graded at its nearest value
    gn, en = np.isnan(got_r), np.isnan(exact)
    gi, ei = np.isinf(got_r), np.isinf(exact)
    classes = {
        "nan_for_number": gn & ~en,
        "number_for_nan": ~gn & en,
        "wrong_infinity": ~gn & ~en & (gi | ei) & (got_r != exact),
        "wrong_zero_sign": (got_r == 0) & (exact == 0) & (np.signbit(got_r) != np.signbit(exact)),
        "flushed_subnormal": (got_r == 0) & (exact != 0) & (np.abs(exact) < fmt.smallest_normal),
    }
    err = np.abs(_ordinal(got_r, fmt) - _ordinal(exact, fmt)).astype(np.float64)
    err[gn & en] = 0.0
    err[classes["nan_for_number"] | classes["number_for_nan"] | classes["wrong_infinity"]] = np.inf
    err[gi & ei & (got_r == exact)] = 0.0
    return err, classes


def ulp_errors(actual: Any, name: str, x: Any, *, dtype: Any = None, grad: bool = False, bits: bool = False,
               **params: Any) -> np.ndarray:
    """Error of each element of ``actual`` in ulps of the format (inf for NaN and infinity errors).

    ``dtype``: the format (default: ``actual``'s dtype). ``x`` is rounded to the
    format first, as the kernel's input tensor holds it. ``grad``: grade f'
    (a backward kernel) instead of f. ``bits``: ``actual`` and ``x`` hold bit
    patterns (unsigned integers of the format's width).
    """
    a = np.asarray(actual)
    fmt = _format_of(a, dtype)
    got = _as_values(a, fmt, bits)
    xs = lowp.round_to(_as_values(x, fmt, bits), fmt)
    if got.shape != xs.shape and _get(name).shape == "elementwise":
        raise ValueError(f"actual has shape {got.shape}, x has shape {xs.shape}: they must match")
    err, _ = _errors_and_classes(got, _exact(name, xs, fmt, grad, params), fmt)
    return err


def report(actual: Any, name: str, x: Any, *, dtype: Any = None, grad: bool = False, max_ulp: float = 1,
           worst: int = 10, bits: bool = False, chunk: int = 2**20, **params: Any) -> dict:
    """The grading as a dict (what ``actloss check`` prints): counts, histogram, classes, worst elements.

    Elementwise functions are graded ``chunk`` elements at a time (memory bounded for any length;
    ``actual`` and ``x`` may be memory-mapped arrays).
    """
    a = np.asarray(actual)
    fmt = _format_of(a, dtype)
    if _get(name).shape == "elementwise" and a.size > chunk:
        xa = np.asarray(x)
        if xa.shape != a.shape:
            raise ValueError(f"actual has shape {a.shape}, x has shape {xa.shape}: they must match")
        af, xf = a.reshape(-1), xa.reshape(-1)
        total: dict | None = None
        for start in range(0, af.size, chunk):
            r = report(af[start:start + chunk], name, xf[start:start + chunk], dtype=fmt, grad=grad,
                       max_ulp=max_ulp, worst=worst, bits=bits, chunk=chunk, **params)
            total = r if total is None else _merge(total, r, worst)
        return total
    got = _as_values(a, fmt, bits)
    xs = _rounded(_as_values(x, fmt, bits), fmt, bits or lowp.of_format(x, fmt))
    exact = _exact(name, xs, fmt, grad, params)
    err, classes = _errors_and_classes(got, exact, fmt, bits or lowp.of_format(a, fmt))
    return _report(name, _get(name).bind(params), fmt, xs, got, exact, err, classes, max_ulp, worst)


def _report(name, params, fmt, xs, got, exact, err, classes, max_ulp, worst) -> dict:
    flat = err.reshape(-1)
    hist = {label: int(np.count_nonzero((flat >= lo) & (flat <= hi))) for label, lo, hi in HISTOGRAM_BINS}
    bad = flat > max_ulp
    order = _worst(flat, worst)
    xf = xs.reshape(-1) if xs.size == flat.size else None  # vector functions: no one x per element
    mx = float(flat.max()) if flat.size else 0.0
    return {
        "function": _get(name).name,
        "parameters": dict(params),
        "dtype": fmt.name,
        "count": int(flat.size),
        "max_ulp": "inf" if mx == np.inf else int(mx),
        "mismatches": int(np.count_nonzero(bad)),
        "histogram": hist,
        "classes": {k: int(np.count_nonzero(v)) for k, v in classes.items()},
        "worst": [{"x": float(xf[i]) if xf is not None else None, "got": float(got.reshape(-1)[i]),
                   "exact": float(exact.reshape(-1)[i]), "ulp": "inf" if flat[i] == np.inf else int(flat[i])}
                  for i in order],
        "passed": not bad.any(),
    }


def _worst(flat: np.ndarray, k: int) -> list[int]:
    """Indices of the k largest positive errors, largest first, ties in input order (no full sort)."""
    cand = np.flatnonzero(flat > 0)  # NaN compares false: never among the worst
    if cand.size > k:
        # the k-th largest by stepping down the distinct values from the top: errors are whole ulps
        # taking few values, where a partition of millions of equal numbers is slow
        vals = flat[cand]
        kth = vals.max()
        while np.count_nonzero(vals >= kth) < k:
            kth = vals[vals < kth].max()
        above = cand[vals > kth]
        ties = cand[vals == kth][: k - above.size]
        cand = np.concatenate([above, ties])
    return [int(i) for i in cand[np.argsort(-flat[cand], kind="stable")][:k]]


def assert_ulp_close(actual: Any, name: str, x: Any, *, dtype: Any = None, max_ulp: float = 1, grad: bool = False,
                     bits: bool = False, **params: Any) -> None:
    """Raise AssertionError unless every element is within ``max_ulp`` ulps of the correctly rounded value."""
    r = report(actual, name, x, dtype=dtype, grad=grad, max_ulp=max_ulp, worst=3, bits=bits, **params)
    if r["passed"]:
        return
    what = r["function"] + ("'" if grad else "")
    shown = "; ".join(f"x={w['x']!r}: got {w['got']!r}, exact {w['exact']!r} ({w['ulp']} ulp)" for w in r["worst"])
    classes = ", ".join(f"{k} {v}" for k, v in r["classes"].items() if v)
    raise AssertionError(
        f"{what} in {r['dtype']}: {r['mismatches']} of {r['count']} elements more than {max_ulp} ulp off "
        f"(max {r['max_ulp']} ulp{'; ' + classes if classes else ''}); worst: {shown}"
    )


def every_value(dtype: Any) -> np.ndarray:
    """Every value of an 8- or 16-bit format as float64: finite values in bit-pattern order, then ±inf and NaN."""
    v = lowp.all_values(dtype)
    fin = v[np.isfinite(v)]
    fmt = lowp.get_format(dtype)
    tail = ([np.inf, -np.inf] if fmt.has_inf else []) + ([np.nan] if fmt.has_nan else [])
    return np.concatenate([fin, np.array(tail)])


def sweep(fn: Callable[[np.ndarray], Any], name: str, dtype: Any, *, grad: bool = False, chunk: int = 2**22,
          max_ulp: float = 1, worst: int = 10, codes: range | None = None, processes: int = 1,
          **params: Any) -> dict:
    """Run ``fn`` on every value of the format and grade it; the report of :func:`report`.

    ``fn`` takes a float64 array of inputs (values of the format) and returns
    its outputs. 8- and 16-bit formats in one call; float32 in chunks of
    ``chunk`` values (all 2**32 patterns, bounded memory).

    ``processes`` (float32): share the patterns among that many forked
    processes (each runs ``fn`` on its part; on a 2-core machine 2 halves the
    time). ``fn`` must be safe to call in a forked child (numpy is; so is a
    CPU torch function called first in the child).

    ``codes`` (float32): a range of bit patterns to cover instead of all of
    them, to share a sweep among machines; the reports of the parts combine
    with :func:`merge_reports`::

        from concurrent.futures import ProcessPoolExecutor
        from actloss.testing import merge_reports, sweep

        def half(codes):
            return sweep(my_gelu, "gelu", "float32", codes=codes)

        with ProcessPoolExecutor(2) as pool:
            r = merge_reports(*pool.map(half, [range(0, 2**31), range(2**31, 2**32)]))
    """
    fmt = lowp.get_format(dtype)
    if fmt.bits <= 16:
        if codes is not None:
            raise ValueError(f"codes selects float32 bit patterns; a sweep of {fmt.name} takes all of its values at once")
        x = every_value(fmt)
        return report(np.asarray(fn(x)), name, x, dtype=fmt, grad=grad, max_ulp=max_ulp, worst=worst, **params)
    if fmt.name != "float32":
        raise ValueError("sweep covers formats of at most 32 bits")
    codes = range(0, 2**32) if codes is None else codes
    if not isinstance(codes, range) or codes.step != 1 or not 0 <= codes.start <= codes.stop <= 2**32:
        raise ValueError(f"codes must be a range of float32 bit patterns within range(0, 2**32), got {codes!r}")
    if processes > 1 and len(codes) > chunk:
        return _forked(lambda part: sweep(fn, name, fmt, grad=grad, chunk=chunk, max_ulp=max_ulp, worst=worst,
                                          codes=part, **params), codes, processes, chunk, worst)
    totals: dict | None = None
    for start in range(codes.start, codes.stop, chunk):
        x32 = np.arange(start, min(start + chunk, codes.stop), dtype=np.uint64).astype(np.uint32).view(np.float32)
        with np.errstate(invalid="ignore"):  # the signalling NaN patterns widen to NaN
            x = x32.astype(np.float64)
        r = report(np.asarray(fn(x)), name, x32, dtype=fmt, grad=grad, max_ulp=max_ulp, worst=worst, **params)
        totals = r if totals is None else _merge(totals, r, worst)
    if totals is None:
        raise ValueError("codes is an empty range: nothing to sweep")
    return totals


def _forked(run: Callable[[range], dict], codes: range, processes: int, chunk: int, worst: int) -> dict:
    """``run`` on ``processes`` contiguous parts of ``codes`` (whole chunks each), in forked children."""
    import os
    import pickle

    n = -(-len(codes) // chunk)  # chunks
    bounds = [codes.start + min(len(codes), (n * i // processes) * chunk) for i in range(processes + 1)]
    children = []
    for lo, hi in zip(bounds, bounds[1:]):
        if lo == hi:
            continue
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its part, its report down the pipe, and out without cleanup
            os.close(r)
            try:
                data = pickle.dumps(("ok", run(range(lo, hi))))
            except BaseException as exc:  # noqa: BLE001 - reported by the parent
                data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            with os.fdopen(w, "wb") as out:
                out.write(data)
            os._exit(0)
        os.close(w)
        children.append((pid, r))
    reports, errors = [], []
    for pid, r in children:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        kind, value = pickle.loads(data) if data else ("error", "a sweep process ended without a report")
        (reports if kind == "ok" else errors).append(value)
    if errors:
        raise RuntimeError(f"sweep: {errors[0]}")
    return merge_reports(*reports, worst=worst)


def merge_reports(*reports: dict, worst: int = 10) -> dict:
    """One report of several parts of a grading (the same function, parameters and format)."""
    if not reports:
        raise ValueError("merge_reports needs at least one report")
    keys = {(r["function"], repr(r["parameters"]), r["dtype"]) for r in reports}
    if len(keys) > 1:
        raise ValueError(f"reports of different gradings cannot be merged: {sorted(keys)}")
    total = reports[0]
    for r in reports[1:]:
        total = _merge(total, r, worst)
    return total


def _merge(a: dict, b: dict, worst: int) -> dict:
    out = dict(a)
    out["count"] = a["count"] + b["count"]
    rank = lambda v: float("inf") if v == "inf" else v  # noqa: E731
    out["max_ulp"] = max(a["max_ulp"], b["max_ulp"], key=rank)
    out["mismatches"] = a["mismatches"] + b["mismatches"]
    out["histogram"] = {k: a["histogram"][k] + b["histogram"][k] for k in a["histogram"]}
    out["classes"] = {k: a["classes"][k] + b["classes"][k] for k in a["classes"]}
    out["worst"] = sorted(a["worst"] + b["worst"], key=lambda w: -rank(w["ulp"]))[:worst]
    out["passed"] = a["passed"] and b["passed"]
    return out
