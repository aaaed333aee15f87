"""Number I/O: parsing every accepted spelling, and output identical to repr(float)."""

from __future__ import annotations

import io as _io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actloss import io, render
from actloss.errors import InputError, ShapeError


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=200))
def test_lines_of_is_repr(values):
    arr = np.array(values, dtype=np.float64)
    assert render.lines_of(arr).decode() == "".join(repr(v) + "\n" for v in arr.tolist())


def test_lines_of_is_repr_over_all_magnitudes():
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2**63, 200_000, dtype=np.uint64) | (rng.integers(0, 2, 200_000, dtype=np.uint64) << np.uint64(63))
    arr = bits.view(np.float64)
    arr = np.concatenate([arr, rng.uniform(-1, 1, 50_000) * 10.0 ** rng.integers(-12, 20, 50_000),
                          [1e-5, 1e-4, 9.999999999999999e-05, 1e16, 1e15, 5e-324, -0.0, math.nan, math.inf, -math.inf]])
    expected = "".join(repr(v) + "\n" for v in arr.tolist())
    assert render.lines_of(arr).decode() == expected


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
    assert render.lines_of(np.array([1 / 3, -7.619853024160525e-23]), 3) == b"0.333\n-7.62e-23\n"
    assert render.json_array(np.array([1.5, math.nan, -math.inf])) == [1.5, "nan", "-inf"]
    assert render.rows_of(np.array([[1.0, 2.0], [3.0, math.nan]])) == b"1.0 2.0\n3.0 nan\n"


# ---------------------------------------------------------------------------
# input that is wrong: one line naming the bad token or file, exit 2
# ---------------------------------------------------------------------------

from cli import invoke  # noqa: E402


def _error(*args, stdin=b""):
    r = invoke(*args, stdin=stdin)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1 and r.err.startswith("actloss: error: "), r
    return r.err


@pytest.mark.parametrize("args, stdin", [
    (["eval", "softmax"], b"1,,3\n"),
    (["eval", "relu"], b"1,2,\n3\n"),
    (["eval", "relu"], b",1\n"),
    (["eval", "relu", "--", "1,,2"], b""),
    (["eval", "softmax", "--", "1,", "2"], b""),
])
def test_empty_fields_are_refused(args, stdin):
    assert "empty field between commas" in _error(*args, stdin=stdin)


@pytest.mark.parametrize("pred, shown", [
    ('["1"]', '"1"'), ("[true]", "true"), ("[1, null]", "null"), ('{"a": 1}', '{"a":1}'), ("[[1, 2], [3]]", None),
])
def test_json_operands_hold_numbers_only(pred, shown):
    err = _error("loss", "mse", "--pred", pred, "--target", "1")
    assert (f"holds {shown}, not a number" in err) if shown else ("rows of different lengths" in err)


def test_json_operands_nested_too_deep():
    assert "--pred" in _error("loss", "mse", "--pred", "[" * 5000 + "]" * 5000, "--target", "1")


def test_json_operands_take_what_actloss_writes():
    r = invoke("loss", "mse", "--reduction", "none", "--pred", '["nan", "inf", "-inf", 1]', "--target", "[0, 0, 0, 1]")
    assert r.code == 0 and r.out.split() == ["nan", "inf", "inf", "0.0"]


@pytest.mark.parametrize("text", [b"null\n", b"true\n", b'"1"\n', b"[1]\n"])
def test_json_words_are_not_numbers_on_stdin(text):
    assert "not a number" in _error("eval", "relu", stdin=text)


def test_a_byte_order_mark_is_ordinary_input(tmp_path):
    bom = b"\xef\xbb\xbf"
    assert invoke("eval", "relu", stdin=bom + b"1\n-2\n").out == "1.0\n0.0\n"
    assert invoke("eval", "softmax", stdin=bom + b"0 0\n").out == "0.5 0.5\n"
    csv = tmp_path / "x.csv"
    csv.write_bytes(bom + b"x\n1\n2\n")
    assert invoke("eval", "relu", "--input", str(csv)).out == "1.0\n2.0\n"
    js = tmp_path / "p.json"
    js.write_bytes(bom + b"[0.5]")
    assert invoke("loss", "mse", "--pred", f"@{js}", "--target", "1").out == "0.25\n"


@pytest.mark.parametrize("array, word", [
    (np.array([1 + 2j]), "complex128"),
    (np.array([True, False]), "bool"),
    (np.array(["1"]), "<U1"),
])
def test_npy_of_anything_but_real_numbers_is_refused(tmp_path, array, word):
    path = tmp_path / "x.npy"
    np.save(path, array)
    for args in (["eval", "relu", "--input", str(path)], ["loss", "mse", "--pred", f"@{path}", "--target", "1"]):
        err = _error(*args)
        assert word in err and "expected real numbers" in err


def test_npy_pickled_or_truncated(tmp_path):
    pickled = tmp_path / "o.npy"
    np.save(pickled, np.array([1, "a"], dtype=object), allow_pickle=True)
    assert "cannot read" in _error("eval", "relu", "--input", str(pickled))
    good = tmp_path / "t.npy"
    np.save(good, np.arange(100.0))
    truncated = tmp_path / "cut.npy"
    truncated.write_bytes(good.read_bytes()[:200])
    assert "cannot read" in _error("eval", "relu", "--input", str(truncated))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(2, 6), st.data())
def test_rows_of_is_repr(n, m, data):
    values = data.draw(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n * m, max_size=n * m))
    table = np.array(values, dtype=np.float64).reshape(n, m)
    expected = "".join(" ".join(repr(v) for v in row) + "\n" for row in table.tolist()).encode()
    assert render.rows_of(table) == expected
    assert render.rows_of(table, sep=",") == expected.replace(b" ", b",")


def test_vectors_stream_in_blocks_like_one_read(tmp_path):
    rng = np.random.default_rng(3)
    v = rng.standard_normal((40_000, 3))  # several chunks of text
    text = "\n".join(" ".join(repr(c) for c in row) for row in v.tolist()) + "\n"
    path = tmp_path / "v.txt"
    path.write_text(text)
    np.save(tmp_path / "v.npy", v)
    from actloss.registry import get

    expected = "".join(" ".join(repr(c) for c in row) + "\n" for row in get("softmax").value(v).tolist())
    for args, stdin in ((["eval", "softmax"], text), (["eval", "softmax", "--input", str(path)], ""),
                        (["eval", "softmax", "--input", str(tmp_path / "v.npy")], "")):
        r = invoke(*args, stdin=stdin)
        assert r.code == 0 and r.out == expected, r.err
    csv = invoke("grad", "softmax", "--format", "csv", "--input", str(tmp_path / "v.npy"))
    lines = csv.out.splitlines()
    assert lines[0] == "vector,row,d_x0,d_x1,d_x2" and len(lines) == 1 + 3 * 40_000
    assert lines[-1].startswith("39999,2,")


def test_json_streams_the_same_document(tmp_path):
    """The JSON written block by block is the document orjson writes for the whole arrays."""
    import json as _json

    rng = np.random.default_rng(4)
    x = rng.standard_normal(300_000) * 10
    np.save(tmp_path / "x.npy", x)
    r = invoke("eval", "gelu", "silu", "--format", "json", "--input", str(tmp_path / "x.npy"))
    assert r.code == 0
    from actloss.registry import get

    doc = [{"function": n, "parameters": p, "quantity": "value", "x": x.tolist(), "y": get(n).value(x).tolist()}
           for n, p in (("gelu", {"approximate": "none"}), ("silu", {"beta": 1.0}))]
    assert r.out.encode() == render.dumps_json(doc)
    assert _json.loads(r.out)[1]["y"][:3] == get("silu").value(x[:3]).tolist()


def test_a_jacobian_too_large_is_refused_before_anything_is_allocated():
    r = invoke("grad", "softmax", "--", *["0"] * 100_000)
    assert r.code == 2 and "has 1e+10 entries (75 GiB)" in r.err
