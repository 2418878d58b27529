"""Attachment storage: outside the web root, named by a random id, type sniffed from content."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings

# What may be attached: the formats evidence and court documents travel in.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/zip": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
    "text/csv": "csv",
}
_OOXML_BY_EXTENSION = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}


class FileRejected(ValueError):
    """The upload is too large or of a type that is not accepted."""


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    size: int
    sha256: str
    content_type: str


# Openings a browser sniffs as HTML (WHATWG MIME Sniffing, "identifying a resource with an
# unknown MIME type"), plus XML and SVG, which can carry scripts too.
_HTML_OPENINGS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font",
    b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--",
)  # fmt: skip
_MARKUP_OPENINGS = (b"<?xml", b"<svg")


def _is_markup(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\t\n\x0c\r ").lower()
    if text.startswith(_MARKUP_OPENINGS):
        return True
    return any(
        text.startswith(opening) and text[len(opening) : len(opening) + 1] in (b" ", b">")
        for opening in _HTML_OPENINGS
    )


def sniff(head: bytes, filename: str) -> str | None:
    """The content type the bytes really have; the file name only refines zip containers."""
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
        if mime == "application/zip" or mime in _OOXML_BY_EXTENSION.values():
            return _OOXML_BY_EXTENSION.get(Path(filename).suffix.lower(), "application/zip")
        return mime
    if b"\x00" in head:
        return None
    if _is_markup(head):
        return "text/html"  # never accepted: it would run as a page if opened in a browser
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample.
        if exc.start < len(head) - 4:
            return None
    return "text/csv" if filename.lower().endswith(".csv") else "text/plain"


def store(chunks: Iterable[bytes], *, filename: str, max_bytes: int | None = None) -> StoredFile:
    """Write the upload to the attachment folder, hashing as it goes. Raises FileRejected."""
    limit = max_bytes if max_bytes is not None else settings.COMITY_ATTACHMENT_MAX_BYTES
    root = Path(settings.COMITY_ATTACHMENT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise FileRejected("too_large")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FileRejected("empty")
        content_type = sniff(head, filename)
        if content_type is None or content_type not in ALLOWED_TYPES:
            raise FileRejected("type")
        name = f"{uuid.uuid4().hex}.bin"
        target = root / name[:2] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return StoredFile(
        storage_name=f"{name[:2]}/{name}",
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type,
    )


def path_of(storage_name: str) -> Path:
    root = Path(settings.COMITY_ATTACHMENT_DIR).resolve()
    path = (root / storage_name).resolve()
    if root not in path.parents:
        raise FileNotFoundError(storage_name)
    return path


def discard(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)
