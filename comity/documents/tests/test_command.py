"""`comity documents render`: the document from the console, and its refusals."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdf
import pytest

COMITY = Path(sys.executable).with_name("comity")
ROOT = Path(__file__).resolve().parents[3]
SETUP = """
from tests.builders import draft
from tests.personas import make_personas
from comity.cooperation.services import PersonData
people = make_personas()
request = draft(people.requesting_officer, requested_state="IRN",
                persons=[PersonData(role="suspect", name="محمد رضایی")])
print("made", request.reference, request.public_id)
"""


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment["COMITY_DATA_DIR"] = str(data_dir)
    environment["PYTHONPATH"] = str(ROOT)  # the test builders, for the setup step
    return subprocess.run(  # noqa: S603 (our own command)
        [str(COMITY), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """A node's own database with one draft to Iran: (data folder, reference, public id)."""
    data_dir = tmp_path_factory.mktemp("node")
    for step in (["migrate", "-v0"], ["load_reference"]):
        done = run(*step, data_dir=data_dir)
        assert done.returncode == 0, done.stderr
    made = run("shell", "-c", SETUP, data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    line = next(line for line in made.stdout.splitlines() if line.startswith("made "))
    _made, reference, public_id = line.split()
    yield data_dir, reference, public_id


def test_it_writes_a_persian_pdf_and_keeps_the_version(
    node: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, reference, _public_id = node
    output = tmp_path / "request-fa.pdf"
    done = run(
        "documents", "render", "--request", reference, "--lang", "fa", "--format", "pdf",
        "--output", str(output), data_dir=data_dir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = output.read_bytes()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "محمد رضایی" in text
    assert f"sha256 {hashlib.sha256(data).hexdigest()}" in done.stdout
    assert "verification code" in done.stdout
    kept = list((data_dir / "attachments" / "documents").rglob("*.bin"))
    assert any(path.read_bytes() == data for path in kept)


def test_it_writes_a_bilingual_docx_by_public_id(
    node: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, _reference, public_id = node
    output = tmp_path / "request.docx"
    done = run(
        "documents", "render", "--request", public_id, "--lang", "en,fa", "--format", "docx",
        "--output", str(output), "--user", "kaz.officer", data_dir=data_dir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = docx.Document(str(output)).tables[0]
    assert len(table.columns) == 2
    assert "(docx, en+fa)" in done.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--request", "KAZ-1999-999999"], "--request: no request"),
        (["--lang", "kk"], "--lang: Documents cannot be written in kk"),
        (["--lang", "en", "--lang", "ru", "--lang", "fa"], "--lang: "),
        (["--user", "nobody"], "--user: no user 'nobody'"),
        (["--user", "kgz.officer"], "--user kgz.officer: Only the requesting side"),
        (["--output", "/nonexistent-folder/x.pdf"], "--output: no such folder"),
    ],
)
def test_it_refuses_bad_input_on_stderr_without_a_traceback(
    node: tuple[Path, str, str], tmp_path: Path, args: list[str], says: str
) -> None:
    data_dir, reference, _public_id = node
    defaults = {"--request": reference, "--output": str(tmp_path / "x.pdf")}
    given = dict(zip(args[::2], args[1::2], strict=True))
    arguments = [*args]
    for flag, value in defaults.items():
        if flag not in given:
            arguments += [flag, value]
    done = run("documents", "render", *arguments, data_dir=data_dir)
    assert done.returncode != 0
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()
