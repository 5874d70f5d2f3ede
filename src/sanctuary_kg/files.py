"""Where the project's files are, writing them without leaving half a file behind, and their hashes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

_PACKAGE = Path(__file__).resolve().parent


def resources() -> Path:
    """The folder holding ``ontology/``, ``shapes/``, ``queries/`` and ``seeds/``.

    In a checkout that is the project root; in an installed wheel, the
    package's ``data`` folder.
    """
    checkout = _PACKAGE.parent.parent
    if (checkout / "ontology").is_dir() and (checkout / "queries").is_dir():
        return checkout
    return _PACKAGE / "data"


@dataclass(frozen=True)
class Layout:
    """The folders one run reads and writes."""

    seeds: Path
    build: Path
    ontology: Path
    shapes: Path
    queries: Path

    @classmethod
    def default(cls, seeds: Path | None = None, build: Path | None = None) -> Layout:
        root = resources()
        here = Path.cwd()
        return cls(
            seeds=seeds or (here / "seeds" if (here / "seeds" / "entities.yaml").exists() else root / "seeds"),
            build=build or here / "build",
            ontology=root / "ontology",
            shapes=root / "shapes",
            queries=root / "queries",
        )

    @property
    def dataset(self) -> Path:
        return self.build / "sanctuary-kg.nq"

    @property
    def store(self) -> Path:
        return self.build / "store"


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Works for files and folders. On any error the temporary is removed and
    ``target`` is left as it was. A target that cannot be written is a
    :class:`~sanctuary_kg.errors.UsageError` naming it.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise unwritable(target, error) from None
    os.close(fd)
    os.unlink(name)
    temporary = Path(name)
    try:
        yield temporary
        if target.is_dir() and not target.is_symlink():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except OSError as error:
        if error.filename in (str(temporary), str(target)) or error.errno in _FULL:
            raise unwritable(target, error) from None
        raise
    finally:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        elif temporary.exists():
            temporary.unlink()


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def unwritable(target: Path, error: OSError) -> UsageError:
    """The one-line error for a file or folder that cannot be written, naming it and why."""
    blocker = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        why = f"{blocker} is a file, not a folder"
    else:
        why = error.strerror or type(error).__name__
    return UsageError(f"cannot write {target}: {why}; give a path in a folder you can write")


class FileHashes:
    """SHA-256 of files, remembered in a cache database by path with the file's size, modification
    and change times and inode: a file whose stat is unchanged is not read again (as git's index
    does). ``ctime`` changes on every write and cannot be set back, so an edit is always seen.

    >>> import sqlite3, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.txt").write_bytes(b"abc") and None
    >>> hashes = FileHashes(sqlite3.connect(":memory:"))
    >>> hashes.sha256(folder / "a.txt")[:12], hashes.sha256(folder / "missing.txt")
    ('ba7816bf8f01', None)
    """

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        db.execute("CREATE TABLE IF NOT EXISTS file (path TEXT PRIMARY KEY, stat TEXT NOT NULL, sha256 TEXT NOT NULL)")
        self.known = {path: (stat, sha) for path, stat, sha in db.execute("SELECT path, stat, sha256 FROM file")}
        self.fresh: dict[str, tuple[str, str]] = {}

    def sha256(self, path: Path) -> str | None:
        """The file's hash, or None if there is no such file."""
        try:
            s = path.stat()
        except OSError:
            return None
        stat = f"{s.st_size} {s.st_mtime_ns} {s.st_ctime_ns} {s.st_ino}"
        key = str(path)
        known = self.known.get(key)
        if known is not None and known[0] == stat:
            return known[1]
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        self.known[key] = self.fresh[key] = (stat, sha)
        return sha

    def save(self) -> None:
        """Remember the hashes worked out since the last save."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO file VALUES (?, ?, ?)",
                                ((path, stat, sha) for path, (stat, sha) in self.fresh.items()))
        self.fresh = {}
