"""Document files: beside the attachments, outside the web root, in a documents/ folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from comity.cooperation import files

FOLDER = "documents"


@dataclass(frozen=True)
class StoredDocument:
    storage_name: str
    size: int
    sha256: str


def store(data: bytes) -> StoredDocument:
    """Write a new file (never over an existing one) and return its name and hash."""
    root = Path(settings.COMITY_ATTACHMENT_DIR) / FOLDER
    name = uuid.uuid4().hex
    target = root / name[:2] / f"{name}.bin"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".doc-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.link(tmp_name, target)  # fails rather than replace a file of the same name
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return StoredDocument(
        storage_name=f"{FOLDER}/{name[:2]}/{name}.bin",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def path_of(storage_name: str) -> Path:
    return files.path_of(storage_name)


def discard(storage_name: str) -> None:
    files.discard(storage_name)
