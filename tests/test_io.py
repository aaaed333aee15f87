"""Number I/O: parsing every accepted spelling, and output identical to repr(float)."""

from __future__ import annotations

import io as _io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actloss import io
from actloss.errors import InputError, ShapeError


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=200))
def test_lines_of_is_repr(values):
    arr = np.array(values, dtype=np.float64)
    assert io.lines_of(arr).decode() == "".join(repr(v) + "\n" for v in arr.tolist())


def test_lines_of_is_repr_over_all_magnitudes():
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2**63, 200_000, dtype=np.uint64) | (rng.integers(0, 2, 200_000, dtype=np.uint64) << np.uint64(63))
    arr = bits.view(np.float64)
    arr = np.concatenate([arr, rng.uniform(-1, 1, 50_000) * 10.0 ** rng.integers(-12, 20, 50_000),
                          [1e-5, 1e-4, 9.999999999999999e-05, 1e16, 1e15, 5e-324, -0.0, math.nan, math.inf, -math.inf]])
    expected = "".join(repr(v) + "\n" for v in arr.tolist())
    assert io.lines_of(arr).decode() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=True), min_size=1, max_size=100),
       st.sampled_from(["\n", " ", ",", "\t", ", ", "\r\n"]))
def test_parse_flat_round_trips(values, sep):
    text = sep.join(repr(v) for v in values).encode()
    assert io.parse_flat(text).tolist() == values


@pytest.mark.parametrize(
    "text, expected",
    [(b"1\n2\n3\n", [1, 2, 3]), (b"+1 .5 5. -0", [1, 0.5, 5, -0.0]), (b"1e3,2E-2", [1000, 0.02]),
     (b"nan inf -inf", [math.nan, math.inf, -math.inf]), (b"1" + b"0" * 400, [math.inf]),
     (b"  7  \n\n", [7]), (b"", [])],
)
def test_parse_flat_spellings(text, expected):
    got = io.parse_flat(text).tolist()
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (math.isnan(g) and math.isnan(e)) or (g == e and math.copysign(1, g) == math.copysign(1, e))


def test_parse_flat_names_the_bad_token_and_line():
    with pytest.raises(InputError, match=r"not a number: '0x1F' \(stdin, line 3\)"):
        io.parse_flat(b"1\n2\n3 0x1F\n", 0, "stdin")
    with pytest.raises(InputError, match=r"line 12"):
        io.parse_flat(b"1\nfoo\n", 10, "stdin")


def test_chunks_split_between_numbers():
    text = b"\n".join(repr(float(i) / 7).encode() for i in range(50_000)) + b"\n"
    chunks = list(io.iter_chunks(_io.BytesIO(text), size=4096))
    assert len(chunks) > 10
    joined = np.concatenate([io.parse_flat(c) for c, _ in chunks])
    assert joined.tolist() == [float(i) / 7 for i in range(50_000)]
    lines = [n for _, n in chunks]
    assert lines == sorted(lines) and lines[0] == 0
    # one long line without newlines is cut at spaces
    flat = b" ".join(b"%d" % i for i in range(20_000))
    assert np.concatenate([io.parse_flat(c) for c, _ in io.iter_chunks(_io.BytesIO(flat), size=1000)]).size == 20_000


def test_parse_rows_checks_the_width():
    assert io.parse_rows(b"1 2\n\n3,4\n").tolist() == [[1, 2], [3, 4]]
    with pytest.raises(ShapeError, match="line 2 of stdin has 1 numbers, expected 2"):
        io.parse_rows(b"1 2\n3\n")


def test_precision_and_json_numbers():
    assert io.lines_of(np.array([1 / 3, -7.619853024160525e-23]), 3) == b"0.333\n-7.62e-23\n"
    assert io.json_array(np.array([1.5, math.nan, -math.inf])) == [1.5, "nan", "-inf"]
    assert io.rows_of(np.array([[1.0, 2.0], [3.0, math.nan]])) == b"1.0 2.0\n3.0 nan\n"
