"""`comity legal-basis`: the finder's answer on the command line, and its refusals."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comity.cli import command_line

pytestmark = pytest.mark.usefixtures("english")

COMITY = Path(sys.executable).with_name("comity")
ARGS = ["--from", "KAZ", "--to", "KGZ", "--measure", "extradition", "--offence", "0601"]


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment["COMITY_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603 (our own command)
        [str(COMITY), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A node's own database, migrated and loaded, as an operator's console would see it."""
    data_dir = tmp_path_factory.mktemp("node")
    for step in (["migrate", "-v0"], ["load_reference"]):
        done = run(*step, data_dir=data_dir)
        assert done.returncode == 0, done.stderr
    yield data_dir


def test_the_console_takes_the_hyphenated_name() -> None:
    assert command_line(["comity", "legal-basis", "--json"]) == ["comity", "legal_basis", "--json"]
    assert command_line(["comity", "help", "legal-basis"]) == ["comity", "help", "legal_basis"]
    assert command_line(["comity", "migrate"]) == ["comity", "migrate"]
    assert command_line(["comity"]) == ["comity"]


def test_it_prints_json_on_stdout_and_exits_zero(node: Path) -> None:
    done = run("legal-basis", *ARGS, "--date", "2026-11-28", "--json", data_dir=node)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["instruments"][0]["code"] == "BIL_EXT_KAZ_KGZ_1997"
    assert answer["query"]["date"] == "2026-11-28"
    assert {"code", "title", "articles", "caveats", "confidence"} <= set(answer["instruments"][0])
    assert "fallback" in answer
    assert "notes" in answer


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "KAZ", "--to", "XXX", "--measure", "mla", "--offence", "0601"], "--to"),
        (["--from", "KAZ", "--to", "KGZ", "--measure", "nope", "--offence", "0601"], "--measure"),
        (["--from", "KAZ", "--to", "KGZ", "--measure", "mla", "--offence", "0999"], "--offence"),
        ([*ARGS, "--date", "2026-13-01"], "--date"),
    ],
)
def test_it_refuses_bad_input_on_stderr_without_a_traceback(
    node: Path, args: list[str], says: str
) -> None:
    done = run("legal-basis", *args, "--json", data_dir=node)
    assert done.returncode != 0
    assert done.stdout == ""
    assert f"CommandError: {says}:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_argument_is_refused_by_the_parser(node: Path) -> None:
    done = run("legal-basis", "--from", "KAZ", data_dir=node)
    assert done.returncode != 0
    assert "--to" in done.stderr
    assert "Traceback" not in done.stderr


def answer_text(*args: str) -> str:
    out = io.StringIO()
    call_command("legal_basis", *args, stdout=out)
    return out.getvalue()


def test_without_json_it_prints_a_readable_answer(treaty_data: None) -> None:
    text = answer_text(*ARGS, "--date", "2026-11-28")
    assert text.startswith("Legal basis: KAZ -> KGZ, extradition, offence 0601, on 2026-11-28")
    assert "1. KAZ–KGZ extradition agreement 1997" in text
    assert "CIS_MINSK_1993: Replaced by Chisinau Convention 2002" in text
    assert "does not extradite its own nationals" in text


def test_when_nothing_applies_the_text_explains_reciprocity(treaty_data: None) -> None:
    text = answer_text(*ARGS, "--date", "1950-01-01")
    assert "No instrument applies." in text
    assert "reciprocity" in text


def test_it_answers_in_the_language_asked_for(treaty_data: None) -> None:
    text = answer_text(*ARGS, "--json", "--language", "ru")
    titles = [item["title"] for item in json.loads(text)["instruments"]]
    assert (
        "Конвенция Организации Объединенных Наций против транснациональной организованной "
        "преступности"
    ) in titles


def test_call_command_raises_a_command_error_naming_the_field(treaty_data: None) -> None:
    with pytest.raises(CommandError, match=r"^--from: Unknown state ZZZ"):
        answer_text("--from", "ZZZ", "--to", "KGZ", "--measure", "mla", "--offence", "0601")
