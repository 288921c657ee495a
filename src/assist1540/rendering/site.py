"""The public website: static HTML pages or a Markdown export of the public listing."""

from __future__ import annotations

import logging
import shutil
import tempfile
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
    files = render_site_files(repo, listing, site_format)
    write_site(files, out)
    logger.debug("wrote %d files of the %s site to %s", len(files), site_format, out)
    return SiteReport(out, len(files), len(listing.requests), len(listing.providers))


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
) -> dict[str, bytes]:
    """Render every page of the site, keyed by its path inside the site folder."""
    templates = Templates(repo.root, repo.templates_dir)
    if site_format == "markdown":
        pages = _pages(listing, "md")
        render = templates.render_markdown
    else:
        pages = _pages(listing, "html")
        render = templates.render_html

    files: dict[str, bytes] = {}
    for path, template, context in pages:
        files[path] = render(template, context).encode("utf-8")
    if site_format == "html":
        files.update(_assets(repo.templates_dir / _ASSETS))
    return dict(sorted(files.items()))


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


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write the files into a new folder beside `out`, then swap it for `out`.

    Pages of a previous render that the new one lacks, such as a request whose
    consent was withdrawn, go with the old folder. A failure leaves the old
    folder in place.
    """
    check_site_folder(out)
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent)
    )
    try:
        for relative, content in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        (staging / SITE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        # mkdtemp makes the folder readable by its owner only.
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
