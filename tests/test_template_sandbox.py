"""The template sandbox: its fast paths for views and macros keep every check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from assist1540.rendering.environment import TemplateError, Templates


@dataclass(frozen=True)
class Card:
    title: str
    tags: tuple[str, ...]
    _secret: str = "hidden"


@dataclass(frozen=True)
class Formatter:
    pattern: object


# Views are the frozen dataclasses of assist1540.rendering, so these two pose as one.
Card.__module__ = "assist1540.rendering.sandbox_test"
Formatter.__module__ = "assist1540.rendering.sandbox_test"

MACROS = """\
{% macro tag_list(tags, label="Tags") %}
{{ label }}:{% for tag in tags %} {{ tag }}{% endfor %}
{% endmacro %}
{% macro framed() %}[{{ caller() }}]{% endmacro %}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "_macros.j2").write_text(MACROS, encoding="utf-8")
    return tmp_path


def render(folder: Path, text: str, **context: object) -> str:
    (folder / "templates" / "page.html.j2").write_text(text, encoding="utf-8")
    return Templates(folder, folder / "templates").render_html("page.html.j2", context)


def test_view_attributes_escaped(folder: Path) -> None:
    card = Card("<b>Fish</b>", ("a&b",))

    page = render(folder, "{{ card.title }} {{ card.tags | join(',') }}", card=card)

    assert page == "&lt;b&gt;Fish&lt;/b&gt; a&amp;b"


def test_view_missing_attribute(folder: Path) -> None:
    with pytest.raises(TemplateError) as raised:
        render(folder, "line\n{{ card.titel }}", card=Card("Fish", ()))

    assert raised.value.problems[0].line == 2
    assert "has no attribute 'titel'" in str(raised.value)


def test_view_private_attribute_blocked(folder: Path) -> None:
    with pytest.raises(TemplateError) as raised:
        render(folder, "{{ card._secret }}", card=Card("Fish", ()))

    assert "blocked by the template sandbox" in str(raised.value)
    assert "'_secret'" in str(raised.value)


def test_view_format_method_sandboxed(folder: Path) -> None:
    # A method stored in a view takes the general path, which wraps str.format
    # so that a format string cannot reach Python internals.
    view = Formatter("{0.__class__}".format)

    with pytest.raises(TemplateError) as raised:
        render(folder, "{{ view.pattern('x') }}", view=view)

    assert "blocked by the template sandbox" in str(raised.value)


def test_imported_macro_calls(folder: Path) -> None:
    text = (
        '{% import "_macros.j2" as show %}'
        "{% for card in cards %}{{ show.tag_list(card.tags) }}{% endfor %}"
        '{{ show.tag_list(("x",), label="Kinds") }}'
        "{% call show.framed() %}inside{% endcall %}"
    )
    cards = (Card("One", ("a", "<b>")), Card("Two", ()))

    page = render(folder, text, cards=cards)

    assert page == "Tags: a &lt;b&gt;Tags:Kinds: x[inside]"


def test_imported_macro_bad_argument(folder: Path) -> None:
    text = '{% import "_macros.j2" as show %}\n{{ show.tag_list((), colour=1) }}'

    with pytest.raises(TemplateError) as raised:
        render(folder, text)

    assert raised.value.problems[0].line == 2
    assert "takes no keyword argument 'colour'" in str(raised.value)


def test_imported_module_private_blocked(folder: Path) -> None:
    text = '{% import "_macros.j2" as show %}{{ show._body_stream }}'

    with pytest.raises(TemplateError) as raised:
        render(folder, text)

    assert "blocked by the template sandbox" in str(raised.value)


def test_unsafe_callable_still_checked(folder: Path) -> None:
    # Other callables keep the call checks that macros skip.
    with pytest.raises(TemplateError) as raised:
        render(folder, "{{ items.append(1) }}", items=[])

    assert "blocked by the template sandbox" in str(raised.value)
