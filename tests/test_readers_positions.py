"""Where a value stands in a TOML or JSON text: lines as editors count them.

Every expected line and column here is counted by hand on the small text above it.
"""

from __future__ import annotations

import pytest

from oewg_cal.errors import ConfigError, DocumentError
from oewg_cal.readers.positions import (
    MAX_NESTING,
    json_lines,
    line_of,
    load_json,
    load_toml,
    split_lines,
    toml_lines,
    toml_string_lines,
)

WHAT = "a test file"


# ---------------------------------------------------------------- split_lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb", ["a", "b"]),
        ("a\r\nb", ["a", "b"]),
        ("a\rb", ["a", "b"]),
        ("a\r\n\r\nb\n", ["a", "", "b", ""]),
        ("a\n\rb", ["a", "", "b"]),  # LF then CR: two line ends
        # what str.splitlines also splits at, and editors do not
        ("a\x0cb\nc", ["a\x0cb", "c"]),  # form feed
        ("a\x0bb", ["a\x0bb"]),  # vertical tab
        ("a\x1cb\x1db\x1eb", ["a\x1cb\x1db\x1eb"]),  # file, group, record separators
        ("a\x85b", ["a\x85b"]),  # NEL
        ("a\u2028b\u2029c", ["a\u2028b\u2029c"]),  # line and paragraph separators
    ],
)
def test_split_lines_counts_only_lf_crlf_and_cr(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


# ---------------------------------------------------------------- toml_lines

TOML = """\
a = 1
[t]
b = 2
[[arr]]
c = 3
[[arr]]
c = 4
[arr.sub]
d = 5
"quoted key" = 6
x.y = 7
'literal' = 8
"""


def test_toml_lines_by_hand() -> None:
    assert toml_lines(TOML) == {
        ("a",): 1,
        ("t",): 2,
        ("t", "b"): 3,
        ("arr",): 4,  # an array of tables is where its first table is
        ("arr", 0): 4,
        ("arr", 0, "c"): 5,
        ("arr", 1): 6,
        ("arr", 1, "c"): 7,
        ("arr", 1, "sub"): 8,  # a sub-table of the latest element of the array
        ("arr", 1, "sub", "d"): 9,
        ("arr", 1, "sub", "quoted key"): 10,
        ("arr", 1, "sub", "x", "y"): 11,  # a dotted key
        ("arr", 1, "sub", "literal"): 12,
    }


def test_toml_lines_of_a_programme_file() -> None:
    text = (
        "format = 1\n"  # 1
        "\n"  # 2
        "[body]\n"  # 3
        'name = "A"\n'  # 4
        "\n"  # 5
        "[[meetings]]  # Monday\n"  # 6
        "start = 10:00\n"  # 7
        "  [[meetings.entries]]\n"  # 8
        "  item = 3\n"  # 9
        "  [[meetings.entries]]\n"  # 10
        "  item = 4\n"  # 11
        "[[meetings]]\n"  # 12
        "  [[meetings.entries]]\n"  # 13
        "  segment = 'closure'\n"  # 14
    )
    assert toml_lines(text) == {
        ("format",): 1,
        ("body",): 3,
        ("body", "name"): 4,
        ("meetings",): 6,
        ("meetings", 0): 6,
        ("meetings", 0, "start"): 7,
        ("meetings", 0, "entries"): 8,
        ("meetings", 0, "entries", 0): 8,
        ("meetings", 0, "entries", 0, "item"): 9,
        ("meetings", 0, "entries", 1): 10,
        ("meetings", 0, "entries", 1, "item"): 11,
        ("meetings", 1): 12,
        ("meetings", 1, "entries"): 13,
        ("meetings", 1, "entries", 0): 13,
        ("meetings", 1, "entries", 0, "segment"): 14,
    }


@pytest.mark.parametrize(
    ("end", "name"),
    [("\r\n", "CRLF"), ("\r", "lone CR"), ("\n", "LF")],
)
def test_toml_lines_with_any_line_end(end: str, name: str) -> None:
    text = end.join(["a = 1", "", "[t]", "b = 2", ""])
    assert toml_lines(text) == {("a",): 1, ("t",): 3, ("t", "b"): 4}, name


@pytest.mark.parametrize("inside", ["\x0c", "\x0b", "\x85", "\u2028", "\u2029", "\x1c"])
def test_toml_lines_a_separator_inside_a_line_is_no_line_break(inside: str) -> None:
    text = f'a = "x{inside}y"\nb = 2 #{inside} note\nc = 3\n'
    assert toml_lines(text) == {("a",): 1, ("b",): 2, ("c",): 3}


def test_toml_lines_skips_multi_line_strings() -> None:
    text = (
        's = """\n'  # 1
        "k = 1\n"  # 2: inside the string, not a key
        '"""\n'  # 3
        "t = '''one\n"  # 4
        "[not_a_table]\n"  # 5: inside the literal string
        "two'''\n"  # 6
        'u = """on one line"""\n'  # 7
        "after = 2\n"  # 8
    )
    assert toml_lines(text) == {("s",): 1, ("t",): 4, ("u",): 7, ("after",): 8}


def test_toml_lines_keeps_the_first_line_of_a_path_given_twice() -> None:
    assert toml_lines("a = 1\na = 2\n") == {("a",): 1}


# ---------------------------------------------------------------- json_lines

JSON = """\
{
  "a": 1,
  "b": [
    10,
    {"c": 2}
  ],
  "d": {
    "e": "x, y: [z]"
  },
  "f": "\\"quoted\\"", "g": null
}
"""


def test_json_lines_by_hand() -> None:
    assert json_lines(JSON) == {
        (): 1,
        ("a",): 2,
        ("b",): 3,
        ("b", 0): 4,
        ("b", 1): 5,
        ("b", 1, "c"): 5,
        ("d",): 7,
        ("d", "e"): 8,  # the brackets and comma inside the string are text
        ("f",): 10,
        ("g",): 10,
    }


def test_json_lines_where_each_value_starts() -> None:
    text = '{"a":\n\n  [1,\n   2],\n "b": {\n}}'
    assert json_lines(text) == {(): 1, ("a",): 3, ("a", 0): 3, ("a", 1): 4, ("b",): 5}


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"])
def test_json_lines_with_any_line_end(end: str) -> None:
    text = end.join(["{", '"a": 1,', "", '"b": [true]', "}"])
    assert json_lines(text) == {(): 1, ("a",): 2, ("b",): 4, ("b", 0): 4}


@pytest.mark.parametrize("inside", ["\x0c", "\x85", "\u2028", "\u2029"])
def test_json_lines_a_separator_inside_a_line_is_no_line_break(inside: str) -> None:
    text = f'{{"a": "x{inside}y",\n"b": 1}}'
    assert json_lines(text) == {(): 1, ("a",): 1, ("b",): 2}


# ---------------------------------------------------------------- line_of


def test_line_of_the_nearest_enclosing_value() -> None:
    lines = {("meetings", 0): 13, ("meetings", 0, "start"): 15, ("body",): 9}
    assert line_of(lines, ("meetings", 0, "start")) == 15
    assert line_of(lines, ("meetings", 0, "entries", 2, "item")) == 13
    assert line_of(lines, ("meetings", 0)) == 13
    assert line_of(lines, ("body", "name")) == 9
    assert line_of(lines, ("session",)) is None
    assert line_of(lines, ()) is None
    assert line_of({(): 1}, ("anything", 3)) == 1


# ---------------------------------------------------------------- load_toml and load_json


def test_load_toml_and_load_json_return_the_data() -> None:
    assert load_toml("a = 1\n", source="p", error=DocumentError, what=WHAT) == {"a": 1}
    assert load_json('{"a": [1]}', source="p", error=DocumentError, what=WHAT) == {"a": [1]}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # "b = " has no value: the error is at the end of line 2, after "b = "
        ("a = 1\nb = \n", 2, 5),
        ("a = 1\r\nb = \r\n", 2, 5),
        # a lone CR is no TOML line end: the error is at the CR itself, column 6
        ("a = 1\rb = 2\n", 1, 6),
        # nor is a form feed, which is no line end for editors either
        ("a = 1\x0cb = 2\n", 1, 6),
        ("a = 1\n\nc = 3\nc = 4\n", 4, 6),  # a key given twice: at the end of its value
        # a line separator inside a string before the error does not move it
        ('a = "x\u2028y"\nb = \n', 2, 5),
    ],
)
def test_load_toml_names_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(ConfigError) as info:
        load_toml(text, source="feeds.toml", error=ConfigError, what=WHAT)
    error = info.value
    assert type(error) is ConfigError
    assert (error.source, error.line, error.column) == ("feeds.toml", line, column)
    assert error.message.startswith("not valid TOML: ")
    assert error.message.endswith(f"(expected {WHAT})")
    assert "(at line" not in error.message  # tomllib's own position is not repeated


def test_load_toml_at_the_end_of_the_document() -> None:
    with pytest.raises(DocumentError) as info:
        load_toml("a = [\n1,\n", source="p", error=DocumentError, what=WHAT)
    # the document ends on line 3 (the empty line after the last line end)
    assert (info.value.line, info.value.column) == (3, None)
    assert info.value.message == f"not valid TOML: Invalid value (expected {WHAT})"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{"a": 1,\n"b": }', 2, 6, "Expecting value"),
        ('{\r\n"a": 1,\r\n"b": }', 3, 6, "Expecting value"),
        ('{\r"a": }', 2, 6, "Expecting value"),
        # a form feed is neither JSON whitespace nor a line end: the error is at it
        ('{"a": 1,\n "b"\x0c: 2}', 2, 5, "Expecting ':' delimiter"),
        ('{"a": "x\u2028y",\n"b": }', 2, 6, "Expecting value"),
        ('{"a": 1}\n\n[]', 3, 1, "Extra data"),
    ],
)
def test_load_json_names_line_and_column(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        load_json(text, source="p.json", error=DocumentError, what=WHAT)
    error = info.value
    assert (error.source, error.line, error.column) == ("p.json", line, column)
    assert error.message == f"not valid JSON: {message} (expected {WHAT})"


# ---------------------------------------------------------------- nesting


def test_max_nesting() -> None:
    assert MAX_NESTING == 64


def test_nesting_up_to_the_limit_is_read() -> None:
    deep = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert load_toml(f"a = 1\nb = {deep}\n", source="p", error=DocumentError, what=WHAT)["a"] == 1
    assert load_json(f'{{"a":\n{deep[1:-1]}\n}}', source="p", error=DocumentError, what=WHAT)


@pytest.mark.parametrize("loader", [load_toml, load_json])
def test_deeper_nesting_is_refused_at_its_line(loader: object) -> None:
    assert callable(loader)
    # 65 brackets on line 2 after "b = ": the 65th is at column 4 + 65 = 69
    text = "a = 1\nb = " + "[" * 65 + "]" * 65 + "\n"
    if loader is load_json:
        # the object is the first level: the 65th is the 64th "[", at column 5 + 64
        text = '{"a": 1,\n"bb":' + "[" * 64 + "]" * 64 + "}"
    with pytest.raises(DocumentError) as info:
        loader(text, source="p", error=DocumentError, what=WHAT)
    error = info.value
    assert (error.line, error.column) == (2, 69)
    assert error.message == "nested more than 64 levels deep (expected a flat file)"


def test_nesting_counts_tables_and_arrays_together() -> None:
    text = "x = 0\r\ny = 0\r\nz = " + "{ a = [" * 33 + "1" + "] }" * 33 + "\r\n"
    with pytest.raises(ConfigError) as info:
        load_toml(text, source="p", error=ConfigError, what=WHAT)
    # the 65th opening bracket is the "{" of the 33rd "{ a = [": column 4 + 32 * 7 + 1
    assert (info.value.line, info.value.column) == (3, 229)


def test_brackets_in_strings_are_not_nesting() -> None:
    brackets = "[" * 100
    text = f'a = "{brackets}"\nb = \'{brackets}\'\nc = "\\"{brackets}"\n'
    assert load_toml(text, source="p", error=DocumentError, what=WHAT)["b"] == brackets
    data = load_json(
        f'{{"a": "{brackets}", "b": "\\"{brackets}"}}', source="p", error=DocumentError, what=WHAT
    )
    assert data["a"] == brackets


def test_brackets_in_comments_are_not_nesting() -> None:
    brackets = "[" * 100
    text = f"# {brackets}\na = 1  # {brackets}\nb = [[1]]\n"
    assert load_toml(text, source="p", error=DocumentError, what=WHAT) == {"a": 1, "b": [[1]]}


def test_toml_string_lines_are_those_inside_multi_line_strings() -> None:
    text = (
        'a = """first\n'  # 1 opens
        "start = 10:00\n"  # 2 inside
        'last"""\n'  # 3 inside, closes
        '# a comment with """ in it\n'  # 4 a comment opens nothing
        "b = '''\n"  # 5 opens
        "[table]\n"  # 6 inside
        "'''\n"  # 7 inside, closes
        'c = """one line"""\n'  # 8 opens and closes
        "d = 1\n"  # 9
    )
    assert toml_string_lines(text) == {2, 3, 6, 7}
    assert set(toml_lines(text)) == {("a",), ("b",), ("c",), ("d",)}
