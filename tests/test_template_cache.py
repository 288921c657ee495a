"""Compiled templates kept under .git, reused only for unchanged templates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assist1540.rendering.environment import TemplateError, Templates
from assist1540.rendering.template_cache import CACHE_FOLDER


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "page.html.j2").write_text(
        "<p>{{ name }}</p>\n", encoding="utf-8"
    )
    (folder / "templates" / "page.md.j2").write_text("{{ name }}\n", encoding="utf-8")
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    return folder


def templates_of(root: Path) -> Templates:
    return Templates(root, root / "templates")


def cached_files(root: Path) -> list[Path]:
    return sorted((root / ".git" / CACHE_FOLDER).rglob("*.cache"))


def is_cached(templates: Templates, name: str) -> bool:
    """Tell whether the HTML environment's cache has code for the template as it is."""
    environment = templates.html
    cache = environment.bytecode_cache
    assert cache is not None
    path = templates.directory / name
    source = path.read_text(encoding="utf-8")
    bucket = cache.get_bucket(environment, name, str(path), source)
    return bucket.code is not None


def test_render_stores_compiled_template(root: Path) -> None:
    html = templates_of(root).render_html("page.html.j2", {"name": "<b>"})

    assert html == "<p>&lt;b&gt;</p>\n"
    assert len(cached_files(root)) == 1
    assert is_cached(templates_of(root), "page.html.j2")


def test_cached_render_equals_first(root: Path) -> None:
    first = templates_of(root).render_html("page.html.j2", {"name": "a & b"})
    second = templates_of(root).render_html("page.html.j2", {"name": "a & b"})

    assert second == first


def test_markdown_escaping_survives_cache(root: Path) -> None:
    first = templates_of(root).render_markdown("page.md.j2", {"name": "*x*"})
    second = templates_of(root).render_markdown("page.md.j2", {"name": "*x*"})

    assert first == "\\*x\\*\n"
    assert second == first


def test_environments_use_separate_folders(root: Path) -> None:
    templates = templates_of(root)
    templates.render_html("page.html.j2", {"name": "a"})
    templates.render_markdown("page.md.j2", {"name": "a"})

    folders = {path.parent for path in cached_files(root)}

    assert len(folders) == 2


def test_edited_template_compiles_again(root: Path) -> None:
    templates_of(root).render_html("page.html.j2", {"name": "a"})
    page = root / "templates" / "page.html.j2"
    page.write_text("<h1>{{ name }}</h1>\n", encoding="utf-8")

    assert not is_cached(templates_of(root), "page.html.j2")
    html = templates_of(root).render_html("page.html.j2", {"name": "a"})

    assert html == "<h1>a</h1>\n"
    assert is_cached(templates_of(root), "page.html.j2")


def test_no_cache_without_git(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html.j2").write_text("{{ name }}", "utf-8")
    templates = templates_of(tmp_path)

    assert templates.html.bytecode_cache is None
    assert templates.render_html("page.html.j2", {"name": "a"}) == "a"
    assert not (tmp_path / ".git").exists()


def test_unusable_cache_folder(root: Path) -> None:
    (root / ".git" / CACHE_FOLDER).write_text("not a folder", encoding="utf-8")
    templates = templates_of(root)

    assert templates.html.bytecode_cache is None
    assert templates.render_html("page.html.j2", {"name": "a"}) == "<p>a</p>\n"


def test_cached_template_error_keeps_line(root: Path) -> None:
    page = root / "templates" / "broken.html.j2"
    page.write_text("<p>first</p>\n{{ missing.value }}\n", encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(TemplateError) as raised:
            templates_of(root).render_html("broken.html.j2", {})
        messages.append(raised.value.problems[0].format())

    assert messages[0].startswith("templates/broken.html.j2:2:1: error:")
    assert messages[1] == messages[0]


@pytest.mark.parametrize("size", [0, 4, 30], ids=["empty", "magic-cut", "checksum-cut"])
def test_truncated_cache_compiles_again(root: Path, size: int) -> None:
    templates_of(root).render_html("page.html.j2", {"name": "x"})
    for path in cached_files(root):
        with path.open("r+b") as stream:
            stream.truncate(size)

    html = templates_of(root).render_html("page.html.j2", {"name": "y"})

    assert html == "<p>y</p>\n"
    assert is_cached(templates_of(root), "page.html.j2")
