"""The installed ``oewg-cal`` console script, run as a user runs it, with every exit code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "oewg-ict-4th-session.txt"
SCRIPT = shutil.which("oewg-cal", path=str(Path(sys.executable).parent))


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    assert SCRIPT is not None, "the oewg-cal console script is installed next to the interpreter"
    return subprocess.run([SCRIPT, *args], input=stdin, capture_output=True, cwd=cwd, timeout=120)


def test_build_writes_a_feed_that_other_parsers_read(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    result = run("build", str(SEED), "-o", str(out))
    assert result.returncode == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert len(calendar.events) == 10
    assert out.read_bytes() == (ROOT / "examples" / "oewg-ict-4th-session.ics").read_bytes()


def test_build_to_stdout_and_from_stdin() -> None:
    result = run("build", "-", stdin=SEED.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"BEGIN:VCALENDAR\r\n")


def test_build_jcal() -> None:
    result = run("build", str(SEED), "--output-format", "jcal")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data[0] == "vcalendar"
    assert sum(1 for c in data[2] if c[0] == "vevent") == 10


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oewg_cal", "build", str(SEED)], capture_output=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stdout == run("build", str(SEED)).stdout


def test_show_prints_days_meetings_and_series() -> None:
    result = run("show", str(SEED))
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "Thursday 9 March 2023" in text
    assert "15:00–18:00  [informal]" in text
    assert "5(a): Mon 15:00, Tue 10:00" in text


def test_check_accepts_our_feed() -> None:
    result = run("check", str(ROOT / "examples" / "oewg-ict-4th-session.ics"), "--json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["errors"] == 0


def test_bad_input_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "programme.md"
    bad.write_text(
        SEED.read_text(encoding="utf-8").replace("3–6 p.m.", "3– p.m.", 1), encoding="utf-8"
    )
    out = tmp_path / "feed.ics"
    out.write_bytes(b"previous feed")
    result = run("build", str(bad), "-o", str(out))
    assert result.returncode == 1
    message = result.stderr.decode()
    assert (
        f"{bad}:" in message and 'cannot read time "3– p.m."' in message and "expected" in message
    )
    assert out.read_bytes() == b"previous feed", "a failed build leaves the old file alone"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.ics", "programme.md"]


def test_check_rejects_a_broken_feed(tmp_path: Path) -> None:
    feed = tmp_path / "broken.ics"
    feed.write_bytes(
        (ROOT / "examples" / "oewg-ict-4th-session.ics").read_bytes().replace(b"\r\n", b"\n")
    )
    assert run("check", str(feed)).returncode == 1


def test_check_says_a_pdf_is_not_an_icalendar_file_once() -> None:
    pdf = ROOT / "tests" / "data" / "lint" / "not-icalendar.pdf"
    result = run("check", str(pdf))
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        f"{pdf}: error [not-icalendar]: not an iCalendar file: it is a PDF document; expected"
        " a feed beginning with BEGIN:VCALENDAR",
        f"{pdf}: errors found",
    ]
    document = json.loads(run("check", str(pdf), "--json").stdout)
    assert [f["code"] for f in document["findings"]] == ["not-icalendar"]


def test_missing_file_exits_1() -> None:
    result = run("build", "/nonexistent/programme.txt")
    assert result.returncode == 1
    assert b"/nonexistent/programme.txt" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("frobnicate",),
        ("build",),
        ("build", "x", "--input-format", "doc"),
        ("build", "x", "--tz", "Geneva"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert run(*args).returncode == 2


@pytest.mark.parametrize("command", ["build", "show", "check"])
def test_help_explains_each_command_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "example" in text and f"oewg-cal {command} " in text and "exit codes" in text


def test_version_and_usage_errors_load_nothing_heavy() -> None:
    """`--version` and a usage error answer before icalendar, attrs or the readers load."""
    probe = (
        "import sys\n"
        "from oewg_cal.cli import main\n"
        "for argv in (['--version'], ['no-such-command']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('icalendar', 'attrs', 'dateutil', 'oewg_cal.model',"
        " 'oewg_cal.readers.document')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    from oewg_cal import __version__

    assert result.stdout.splitlines() == [f"oewg-cal {__version__}", "[]"]


def test_building_a_local_text_document_loads_no_network_pdf_toml_or_lint_code(
    tmp_path: Path,
) -> None:
    """A build of a text file on disk needs neither the HTTP layer nor PDFium, nor the
    TOML parser, the linter, :mod:`tempfile` or :mod:`html.parser` (each slowed its start)."""
    probe = (
        "import sys\n"
        "from oewg_cal.cli import main\n"
        f"code = main(['build', {str(SEED)!r}, '-o', {str(tmp_path / 'seed.ics')!r}])\n"
        "heavy = ('httpx', 'ssl', 'socket', 'oewg_cal._http', 'oewg_cal.fetch', 'pypdfium2',"
        " 'tomllib', 'tomli', 'oewg_cal.ical.lint', 'tempfile', 'html.parser')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines() == ["0 []"]
    assert (tmp_path / "seed.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("args", "collecting"),
    [
        (["build", str(SEED), "-o", "{tmp}/seed.ics"], False),
        (["show", str(SEED)], False),
        (["refresh", "--help"], True),
        (["page", "--help"], True),
    ],
)
def test_the_script_collects_cycles_only_in_commands_that_may_run_long(
    tmp_path: Path, args: list[str], collecting: bool
) -> None:
    argv = ["oewg-cal", *(a.replace("{tmp}", str(tmp_path)) for a in args)]
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('collecting', gc.isenabled(), file=sys.stderr))\n"
        f"sys.argv = {argv!r}\n"
        "from oewg_cal.cli import console_main\n"
        "console_main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"collecting {collecting}"


def test_every_public_name_resolves() -> None:
    import oewg_cal

    for name in oewg_cal.__all__:
        assert getattr(oewg_cal, name) is not None
        assert name in dir(oewg_cal)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = oewg_cal.no_such_name  # type: ignore[attr-defined]


def test_version() -> None:
    from oewg_cal import __version__

    assert run("--version").stdout.decode().strip() == f"oewg-cal {__version__}"
