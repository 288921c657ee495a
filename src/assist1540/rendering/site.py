"""The public website: static HTML pages or a Markdown export of the public listing."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assist1540.catalog import Catalog
from assist1540.errors import Assist1540Error
from assist1540.rendering.environment import Templates
from assist1540.rendering.public import PublicListing, build_public_listing
from assist1540.repository import DataRepository

logger = logging.getLogger(__name__)

SiteFormat = Literal["html", "markdown"]
SITE_FORMATS: tuple[SiteFormat, ...] = ("html", "markdown")

# A file that marks a folder as written by `render site`. Only such a folder, or
# an empty one, is replaced, so a mistyped --out cannot delete other files.
SITE_MARKER = ".assist1540-site"
_MARKER_TEXT = (
    "Written by 'assist1540 render site'. The whole folder is replaced at each "
    "render, so do not keep other files here.\n"
)
_ASSETS = "site/assets"


class SiteError(Assist1540Error):
    """The site cannot be rendered or written where asked."""


@dataclass(frozen=True)
class SiteReport:
    """Summary of one render of the site: the folder and its counts."""

    out: Path
    files: int
    requests: int
    providers: int


def render_site(
    repo: DataRepository, catalog: Catalog, out: Path, site_format: SiteFormat = "html"
) -> SiteReport:
    """Render the site and replace the folder `out` with it in one step."""
    check_site_folder(out)
    listing = load_public_listing(catalog)
    written = write_site(render_site_files(repo, listing, site_format), out)
    logger.debug("wrote %d files of the %s site to %s", written, site_format, out)
    return SiteReport(out, written, len(listing.requests), len(listing.providers))


def load_public_listing(catalog: Catalog) -> PublicListing:
    """Build the public listing, refusing a catalog with unreadable records.

    A record that cannot be read would silently drop out of the site, so every
    problem is reported instead.
    """
    errors = [problem for problem in catalog.problems if problem.severity == "error"]
    if errors:
        raise SiteError(
            "cannot render the site while records have problems; fix them "
            "(assist1540 validate lists them) and render again",
            errors,
        )
    return build_public_listing(catalog)


def render_site_files(
    repo: DataRepository, listing: PublicListing, site_format: SiteFormat
) -> Iterator[tuple[str, bytes]]:
    """Render the pages of the site one by one, then read its assets.

    Yields each file's path inside the site folder and its content, so the
    caller can write a page before the next one is rendered.
    """
    templates = Templates(repo.root, repo.templates_dir)
    if site_format == "markdown":
        pages = _pages(listing, "md")
        render = templates.render_markdown
    else:
        pages = _pages(listing, "html")
        render = templates.render_html

    for path, template, context in pages:
        yield path, render(template, context).encode("utf-8")
    if site_format == "html":
        yield from _assets(repo.templates_dir / _ASSETS).items()


def _pages(
    listing: PublicListing, suffix: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """List (output path, template, context) for every page."""
    common = {"listing": listing, "suffix": suffix}
    pages = [
        (
            f"index.{suffix}",
            f"site/index.{suffix}.j2",
            {**common, "root": "", "page": "requests"},
        ),
        (
            f"providers.{suffix}",
            f"site/providers.{suffix}.j2",
            {**common, "root": "", "page": "providers"},
        ),
    ]
    for request in listing.requests:
        pages.append(
            (
                f"requests/{request.id}.{suffix}",
                f"site/request.{suffix}.j2",
                {**common, "root": "../", "page": "requests", "request": request},
            )
        )
    for provider in listing.providers:
        pages.append(
            (
                f"providers/{provider.id}.{suffix}",
                f"site/provider.{suffix}.j2",
                {**common, "root": "../", "page": "providers", "provider": provider},
            )
        )
    return pages


def _assets(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        raise SiteError(
            f"the site's assets folder {folder} is missing; copy templates/site/assets "
            "from the assist1540 source into the data repository"
        )
    return {
        f"assets/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def check_site_folder(out: Path) -> None:
    """Raise SiteError unless `out` is new, empty, or a site written before."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SiteError(f"{out} is a file; give a folder for the site with --out")
    if any(out.iterdir()) and not (out / SITE_MARKER).is_file():
        raise SiteError(
            f"{out} already contains files that 'render site' did not write, and "
            "rendering replaces the whole folder; give a new or empty folder"
        )


def write_site(files: Iterable[tuple[str, bytes]], out: Path) -> int:
    """Write the files into a new folder beside `out`, then swap it for `out`.

    `files` may render each file when it is asked for. An error it raises, like
    any other, removes the new folder and the parent folders made for it, and
    leaves the old folder in place. Pages of a previous render that the new one
    lacks, such as a request whose consent was withdrawn, go with the old
    folder. Returns the number of files written.
    """
    check_site_folder(out)
    out = out.absolute()
    made_parents = _missing_folders(out.parent)
    staging: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent)
        )
        written = _write_files(files, staging)
        (staging / SITE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        # mkdtemp makes the folder readable by its owner only.
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(made_parents)
        raise
    return written


def _write_files(files: Iterable[tuple[str, bytes]], folder: Path) -> int:
    """Write each file under `folder`, making each subfolder once.

    Plain `os` calls skip the buffered file object that `Path.write_bytes` opens
    for each file, and a site of 100 times the bundled data has 4,945 files.
    """
    made_folders = {""}
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    count = 0
    for relative, content in files:
        subfolder = relative.rpartition("/")[0]
        if subfolder not in made_folders:
            (folder / subfolder).mkdir(parents=True, exist_ok=True)
            made_folders.add(subfolder)
        descriptor = os.open(folder / relative, flags, 0o666)
        try:
            # Like write(2), os.write may write fewer bytes than it is given.
            unwritten = memoryview(content)
            while unwritten:
                written = os.write(descriptor, unwritten)
                unwritten = unwritten[written:]
        finally:
            os.close(descriptor)
        count += 1
    return count


def _missing_folders(folder: Path) -> list[Path]:
    """List `folder` and those of its parents that do not exist, deepest first."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old)
