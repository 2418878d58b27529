from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from comity.config import env
from comity.core.middleware import HttpsRedirectMiddleware, is_loopback_host


def _comity(*args: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(
        DJANGO_SETTINGS_MODULE="comity.config.settings", COMITY_DATA_DIR=str(tmp_path), **extra
    )
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "comity", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_the_deploy_check_has_no_warnings_with_debug_off(tmp_path: Path) -> None:
    result = _comity(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, DEBUG="false"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_setting_fails_loudly(tmp_path: Path) -> None:
    result = _comity("check", tmp_path=tmp_path, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "key"
    secret.write_text("s" * 60 + "\n", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env.env_optional("SECRET_KEY") == "s" * 60


def test_none_turns_a_list_setting_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMITY_OTP_REQUIRED_ROLES", "none")
    assert env.env_list("COMITY_OTP_REQUIRED_ROLES", ["officer"]) == []
    monkeypatch.setenv("COMITY_OTP_REQUIRED_ROLES", "officer, reviewer")
    assert env.env_list("COMITY_OTP_REQUIRED_ROLES", []) == ["officer", "reviewer"]


def _ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@override_settings(COMITY_HTTPS_REDIRECT=True, ALLOWED_HOSTS=["*"])
@pytest.mark.parametrize(
    ("host", "redirected"),
    [
        ("comity.example.org", True),
        ("127.0.0.1:8000", False),
        ("localhost", False),
        ("[::1]:8000", False),
    ],
)
def test_plain_http_is_redirected_to_https_except_on_loopback(host: str, redirected: bool) -> None:
    request = RequestFactory().get("/requests/?box=incoming", HTTP_HOST=host)
    response = HttpsRedirectMiddleware(_ok)(request)
    if redirected:
        assert response.status_code == 301
        assert response["Location"] == f"https://{host}/requests/?box=incoming"
    else:
        assert response.status_code == 200


def test_loopback_names() -> None:
    assert is_loopback_host("127.0.0.1:8000")
    assert is_loopback_host("[::1]")
    assert not is_loopback_host("127.example.org")
