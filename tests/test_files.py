"""File hashes remembered by stat: an edit is always seen, an untouched file is not read again."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sanctuary_kg.files import FileHashes


def test_an_edit_of_the_same_size_with_the_old_modification_time_is_seen(tmp_path: Path):
    path = tmp_path / "article.txt"
    path.write_bytes(b"force of law")
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    first = FileHashes(db).sha256(path)
    before = path.stat()
    path.write_bytes(b"Force of law")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old modification time
    assert FileHashes(db).sha256(path) != first


def test_an_untouched_file_is_not_read_again(tmp_path: Path, monkeypatch):
    path = tmp_path / "article.txt"
    path.write_bytes(b"force of law")
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    hashes = FileHashes(db)
    known = hashes.sha256(path)
    hashes.save()
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read again")))
    assert FileHashes(db).sha256(path) == known
