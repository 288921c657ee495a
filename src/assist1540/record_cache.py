"""A cache of loaded records, so that commands skip parsing unchanged files.

Loading a record file means parsing its YAML and validating the values against
the record's model. At 100 times the bundled data that took about 1.7 s of CPU
time, and unpickling the same records about 0.15 s. The cache keeps each
loaded entry (its record and its document) under the digest of its file's
bytes, in one pickle file in `.git/assist1540-cache/`.

An entry is reused only when the file's bytes still have the stored digest and
the cache was written by the same package source, Python and library versions
and taxonomy file. Files with problems are never stored, so their problems are
always found afresh. Pickle files run code when loaded, so only a repository
with its own `.git` folder gets a cache. `.git` is never part of a clone, so
pushing to the data repository cannot plant a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assist1540.reader import MAX_FILE_BYTES
from assist1540.validation_cache import CACHE_FOLDER, tool_digest

if TYPE_CHECKING:
    from assist1540.catalog import Entry

logger = logging.getLogger(__name__)

CACHE_FILE = "records-v1.pickle"


@dataclass
class RecordCache:
    """The stored entries of one repository, and those to store next time."""

    path: Path
    salt: str
    stored: dict[str, tuple[bytes, Entry[Any]]]
    # What the next save writes: entries found unchanged and entries loaded.
    current: dict[str, tuple[bytes, Entry[Any]]] = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)
    changed: bool = False

    def lookup(
        self, display_path: str, path: Path
    ) -> tuple[Entry[Any] | None, bytes | None]:
        """Return the stored entry for a file whose bytes are unchanged.

        On a miss, return the bytes that were hashed instead: the caller must
        load the entry from them, so that a file changing meanwhile can never
        be stored under the digest of other bytes. Both are None for a file
        that cannot be read or is over the size limit.
        """
        raw = _read_bounded(path)
        if raw is None:
            return None, None
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        self.digests[display_path] = digest
        stored = self.stored.get(display_path)
        if stored is None or stored[0] != digest:
            return None, raw
        self.current[display_path] = stored
        return stored[1], None

    def add(self, entry: Entry[Any]) -> None:
        """Keep an entry loaded from the bytes that `lookup` returned for it."""
        digest = self.digests.get(entry.path)
        if digest is not None:
            self.current[entry.path] = (digest, entry)
            self.changed = True

    def save(self) -> None:
        """Write the current entries when they differ from the stored ones.

        The file is replaced whole, so a reader never sees half of it. A
        failure to write only costs the next run the time to parse again.
        """
        if not self.changed and self.current.keys() == self.stored.keys():
            return
        content = {"salt": self.salt, "entries": self.current}
        temporary = self.path.with_name(f".{CACHE_FILE}.{os.getpid()}.tmp")
        written = False
        try:
            self.path.parent.mkdir(exist_ok=True)
            with temporary.open("wb") as stream:
                pickle.dump(content, stream, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.path)
            written = True
        except (OSError, pickle.PicklingError) as error:
            logger.debug("record cache not written: %s", error)
        finally:
            # Also on Ctrl-C or SIGTERM, which the command line turns into
            # KeyboardInterrupt, so no partial pickle of tens of MB is left.
            if not written:
                with contextlib.suppress(OSError):
                    temporary.unlink(missing_ok=True)


def open_cache(root: Path, taxonomy_path: Path) -> RecordCache | None:
    """Open the repository's record cache, or return None when it has none.

    A cache that cannot be read, or was written under another salt, starts
    empty and is replaced on save.
    """
    git_dir = root / ".git"
    if not git_dir.is_dir() or git_dir.is_symlink():
        return None
    taxonomy_digest = _file_digest(taxonomy_path)
    if taxonomy_digest is None:
        return None

    salt = f"{tool_digest()}\0{sys.version}\0{taxonomy_digest.hex()}"
    path = git_dir / CACHE_FOLDER.lstrip(".") / CACHE_FILE
    return RecordCache(path, salt, _read(path, salt))


def _read(path: Path, salt: str) -> dict[str, tuple[bytes, Entry[Any]]]:
    try:
        with path.open("rb") as stream:
            content = pickle.load(stream)
    except FileNotFoundError:
        return {}
    except Exception as error:  # noqa: BLE001 - any damage means no cache
        logger.debug("record cache not read: %s", error)
        return {}
    if not isinstance(content, dict) or content.get("salt") != salt:
        return {}
    entries = content.get("entries")
    return entries if isinstance(entries, dict) else {}


def _read_bounded(path: Path) -> bytes | None:
    """Return a file's bytes, or None when it cannot be a record.

    Files over the reader's size limit are not returned: loading rejects them.
    """
    try:
        with path.open("rb", buffering=0) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    return data


def _file_digest(path: Path) -> bytes | None:
    data = _read_bounded(path)
    if data is None:
        return None
    return hashlib.blake2b(data, digest_size=16).digest()
