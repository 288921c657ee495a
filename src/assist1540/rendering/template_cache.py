"""A cache of compiled templates, so a run skips Jinja's compiler when it can.

Compiling the website's templates took about 25 ms of each `render site` on
the bundled data (2 cores), and every letter compiles its template too. Jinja
stores the compiled code with a checksum of the template's source, so an edited
template is compiled again.

The cache lives only inside the repository's `.git` folder. Loading it runs the
stored code, and `.git` is never part of a clone, so only someone who can
already run commands through git hooks can write it. A data repository without
its own `.git` folder gets no cache.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

logger = logging.getLogger(__name__)

CACHE_FOLDER = "assist1540-cache"


class _TolerantBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A file cache whose failures only cost the run a compile."""

    def load_bytecode(self, bucket: Bucket) -> None:
        # A truncated or damaged file raises from pickle or marshal; compile
        # the template again, and the next dump replaces the file.
        try:
            super().load_bytecode(bucket)
        except Exception as error:  # noqa: BLE001 - any damage means a compile
            logger.debug("failed to load a compiled template: %s", error)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            logger.debug("failed to store a compiled template: %s", error)


def bytecode_cache(root: Path, settings: str) -> jinja2.BytecodeCache | None:
    """Return the cache for templates compiled with `settings`, or None.

    Jinja's key covers only the template's name, path and source, so the folder
    is named after everything else the compiled code depends on: `settings`
    (the environment's options), the Jinja version and the Python version.
    Returns None when `root` has no `.git` folder or the folder cannot be made.
    """
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return None
    identity = "\0".join([settings, jinja2.__version__, sys.implementation.cache_tag])
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    folder = git_dir / CACHE_FOLDER / f"templates-{digest}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logger.debug("template cache disabled, failed to create %s: %s", folder, error)
        return None
    return _TolerantBytecodeCache(str(folder))
