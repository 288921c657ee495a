"""The sandboxed Jinja environments, Markdown escaping and template error positions."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import BuiltinMethodType, MethodType, TracebackType
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from assist1540.errors import Assist1540Error, Problem
from assist1540.rendering.template_cache import bytecode_cache

logger = logging.getLogger(__name__)

# Characters that start Markdown syntax anywhere in a line. Backslash-escaping any
# ASCII punctuation is valid CommonMark, so an escape never changes the text shown.
# Braces and percent signs are escaped too, so Jekyll's Liquid (`{{ }}`,
# `{% %}`) and Hugo's shortcodes (`{{< >}}`) never see their delimiters in a
# value; CommonMark renders each escaped character as itself.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&#{}%])")
_WHITE_SPACE = re.compile(r"\s+")
# Text that starts a block (list item, quote, heading underline) at a line start.
_MARKDOWN_BLOCK_START = re.compile(r"^(?:([-+=>])|([0-9]+)([.)]))")

# Errors that a template expression can raise at run time, besides Jinja's own,
# e.g. `{{ 1 / 0 }}` or `{{ items[9] }}`. They are reported with the template
# line only when a template frame is on the traceback.
_EXPRESSION_ERRORS = (TypeError, ValueError, ArithmeticError, LookupError)


class TemplateError(Assist1540Error):
    """A template that cannot be loaded or rendered, located at its file and line."""


def escape_markdown(value: object) -> str:
    """Write a value as Markdown text that renders as exactly that text.

    Runs of white space, line breaks included, become one space, so a value never
    starts a new paragraph or block.
    """
    if isinstance(value, Markup):
        return str(value)
    text = _WHITE_SPACE.sub(" ", str(value))
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_BLOCK_START.sub(_escape_block_start, text, count=1)


def yaml_string(value: object) -> Markup:
    """Quote a value for YAML front matter; JSON strings are valid YAML."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def _escape_block_start(found: re.Match[str]) -> str:
    if found[1] is not None:
        return "\\" + found[1]
    return f"{found[2]}\\{found[3]}"


class _RecordSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a fast path for this package's view objects.

    The site and letter templates get frozen dataclasses built by
    `assist1540.rendering` (views of plain text, numbers and tuples). Their
    public attributes are safe, so they skip the sandbox's general checks, which
    took most of the render time of a large site. So do the macros of an
    imported template. Every other object, any attribute starting with `_`, and
    any method value get those checks.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if not attribute.startswith("_") and _is_view_type(type(obj)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                # The general path wraps `str.format` methods, so every method
                # takes it.
                if not isinstance(value, _METHOD_TYPES):
                    return value
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not attr.startswith("_") and _is_view_type(type(obj)):
            return True
        return bool(super().is_safe_attribute(obj, attr, value))

    # The parameters start with `__`, as in Jinja, so that no keyword argument of
    # the template's call can clash with them.
    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # A Macro never carries the `unsafe_callable` or `alters_data` marks that
        # `is_safe_callable` looks for, nor takes the context, so the call skips
        # those checks.
        if type(__obj) is not Macro:
            return super().call(__context, __obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.undefined(
                "value was undefined because a callable raised a"
                " StopIteration exception"
            )


_METHOD_TYPES = (MethodType, BuiltinMethodType)
# Imported templates: their public attributes are the template's macros and
# top-level variables.
_VIEW_TYPES: dict[type, bool] = {TemplateModule: True}


def _is_view_type(cls: type) -> bool:
    known = _VIEW_TYPES.get(cls)
    if known is None:
        params = getattr(cls, "__dataclass_params__", None)
        known = (
            params is not None
            and bool(params.frozen)
            and cls.__module__.startswith("assist1540.rendering.")
        )
        _VIEW_TYPES[cls] = known
    return known


@dataclass
class Templates:
    """The templates folder of a repository, with one environment per output.

    Both environments are sandboxed, immutable (a template cannot change the
    lists it is given) and strict: printing or testing an undefined name is an
    error. The HTML environment escapes every value for HTML. The Markdown
    environment escapes every printed value with `escape_markdown`, so Markdown
    templates show what they print with `include` or `extends`, never by printing
    a macro call, whose output would be escaped a second time.
    """

    root: Path
    directory: Path
    html: jinja2.Environment = field(init=False)
    markdown: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.html = self._environment(autoescape=True, finalize=None)
        self.markdown = self._environment(autoescape=False, finalize=escape_markdown)
        self.markdown.filters["yaml_string"] = yaml_string

    def _environment(
        self, autoescape: bool, finalize: Callable[[Any], Any] | None
    ) -> jinja2.Environment:
        options: dict[str, Any] = {
            "autoescape": autoescape,
            "finalize": finalize,
            "keep_trailing_newline": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
        }
        # The compiled code depends on these options and on the sandbox class,
        # so they name the cache folder.
        settings = repr(
            sorted(
                (name, getattr(value, "__qualname__", value))
                for name, value in options.items()
            )
        )
        return _RecordSandbox(
            loader=jinja2.FileSystemLoader(self.directory),
            undefined=jinja2.StrictUndefined,
            bytecode_cache=bytecode_cache(
                self.root, f"{_RecordSandbox.__qualname__} {settings}"
            ),
            # Each site, letter or report makes its own Templates object, so
            # it reads each template file once and skips the check for changes.
            auto_reload=False,
            **options,
        )

    def render_html(self, name: str, context: Mapping[str, Any]) -> str:
        """Render an HTML template, escaping every value it prints."""
        return self._render(self.html, name, context)

    def render_markdown(self, name: str, context: Mapping[str, Any]) -> str:
        """Render a Markdown template, escaping every value it prints."""
        return self._render(self.markdown, name, context)

    def display_path(self, name: str | None) -> str:
        """Name a template file relative to the repository root."""
        if not name:
            return self.directory.as_posix()
        path = Path(name)
        if not path.is_absolute():
            path = self.directory / name
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def _render(
        self, environment: jinja2.Environment, name: str, context: Mapping[str, Any]
    ) -> str:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("rendering template %s", self.display_path(name))
        try:
            return environment.get_template(name).render(context)
        except jinja2.TemplateNotFound as error:
            raise self._not_found(name, error) from None
        except jinja2.TemplateSyntaxError as error:
            raise self._error(
                error.filename or name,
                error.lineno,
                f"invalid template syntax: {error.message}; fix the tag on that line",
            ) from None
        except SecurityError as error:
            raise self._error(
                *_template_position(error.__traceback__, name),
                f"blocked by the template sandbox: {str(error).rstrip('.')}; "
                "templates may use only "
                "the values they are given, not Python internals",
            ) from None
        except jinja2.UndefinedError as error:
            raise self._error(
                *_template_position(error.__traceback__, name),
                f"undefined value: {error.message}; check the spelling against the "
                "variables listed in templates/README.md",
            ) from None
        except jinja2.TemplateError as error:
            raise self._error(
                *_template_position(error.__traceback__, name),
                f"template error: {error}",
            ) from None
        except _EXPRESSION_ERRORS as error:
            position = _find_template_frame(error.__traceback__)
            if position is None:
                raise
            raise self._error(
                *position,
                f"template expression failed: {type(error).__name__}: {error}",
            ) from None

    def _not_found(self, name: str, error: jinja2.TemplateNotFound) -> TemplateError:
        missing = error.name if isinstance(error.name, str) else name
        return TemplateError(
            f"template {self.display_path(missing)} not found; copy the templates "
            "folder of the assist1540 source into the data repository, or set "
            "'templates' in assist1540.toml to the folder that has it"
        )

    def _error(self, filename: str, line: int | None, message: str) -> TemplateError:
        problem = Problem(self.display_path(filename), line or 0, 1, message=message)
        return TemplateError(message, [problem])


def _find_template_frame(
    traceback: TracebackType | None,
) -> tuple[str, int] | None:
    """Find the innermost traceback frame that runs template code.

    Jinja rewrites tracebacks so that frames of compiled templates carry the
    template's file name and line, and those names are not Python files.
    """
    position = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            position = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return position


def _template_position(
    traceback: TracebackType | None, name: str
) -> tuple[str, int | None]:
    return _find_template_frame(traceback) or (name, None)
