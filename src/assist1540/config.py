"""The data repository's configuration file, `assist1540.toml`."""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assist1540.errors import Problem, RepositoryError

CONFIG_FILE = "assist1540.toml"


class Timers(BaseModel):
    """Periods the procedure sets, in days unless the name says otherwise."""

    model_config = ConfigDict(extra="forbid", strict=True)

    objection_working_days: int = Field(
        default=5,
        ge=0,
        description="Working days after acknowledgement in which the State may "
        "object to distribution and posting.",
    )
    distribution_days: int = Field(
        default=7, ge=0, description="Days from receipt by which to distribute."
    )
    follow_up_days: int = Field(
        default=365,
        ge=1,
        description="Days after a request when the Chair asks whether it was met.",
    )
    briefing_days: int = Field(
        default=61, ge=1, description="Days between briefings of the Committee."
    )
    provider_confirmation_days: int = Field(
        default=365,
        ge=1,
        description="Days after which a provider's information counts as stale.",
    )
    report_request_days: int = Field(
        default=180,
        ge=1,
        description="Days without a report on an offer taken up after which the "
        "Committee asks for a progress report.",
    )
    answer_days: int = Field(
        default=30,
        ge=1,
        description="Days the requesting State has to say whether it takes up an "
        "offer it was informed of, before a reminder.",
    )


# Letters are numbered in the Committee's document series: S/AC.44 is the
# symbol of the 1540 Committee, followed by the year and a serial number that
# starts again at 1 each year.
DEFAULT_REFERENCE_PATTERN = "S/AC.44/{year}/{serial:03d}"


class Letters(BaseModel):
    """Settings of letters and notes verbales: numbering, place and the Chair."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reference_pattern: str = Field(
        default=DEFAULT_REFERENCE_PATTERN,
        description="Python format string for reference numbers. {serial} is "
        "required and may carry a format such as {serial:03d}; {year} is optional, "
        "and when present the serial starts again at 1 each year.",
    )
    place: str = Field(
        default="New York", description="Place written above the date line."
    )
    chair: Literal["feminine", "masculine"] = Field(
        default="masculine",
        description="Grammatical gender of the Chair in the formal opening and "
        "closing: the Chair presents her or his compliments, Le Président or La "
        "Présidente, El Presidente or La Presidenta.",
    )

    @field_validator("reference_pattern")
    @classmethod
    def _check_reference_pattern(cls, pattern: str) -> str:
        example = "e.g. S/AC.44/{year}/{serial:03d}"
        try:
            fields = [
                (name, spec)
                for _, name, spec, _ in string.Formatter().parse(pattern)
                if name is not None
            ]
        except ValueError as error:
            raise ValueError(
                f"invalid reference pattern {pattern!r}: {error}; {example}"
            ) from None
        names = [name for name, _ in fields]
        unknown = sorted(set(names) - {"year", "serial"})
        if unknown:
            raise ValueError(
                f"invalid reference pattern {pattern!r}: unknown field "
                f"{{{unknown[0]}}}; use only {{year}} and {{serial}}, {example}"
            )
        if names.count("serial") != 1 or names.count("year") > 1:
            raise ValueError(
                f"invalid reference pattern {pattern!r}: it needs {{serial}} exactly "
                f"once and {{year}} at most once, {example}"
            )
        if any(spec for name, spec in fields if name == "year"):
            raise ValueError(
                f"invalid reference pattern {pattern!r}: write {{year}} without a "
                "format, since it always has four digits"
            )
        try:
            pattern.format(year=2026, serial=1)
        except ValueError as error:
            raise ValueError(
                f"invalid reference pattern {pattern!r}: {error}; {example}"
            ) from None
        return pattern


class Config(BaseModel):
    """The `[assist1540]` table of `assist1540.toml`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    data: str = Field(default="data", description="Folder of the records.")
    templates: str = Field(default="templates", description="Folder of the templates.")
    timers: Timers = Field(default_factory=Timers)
    languages: dict[str, str] = Field(
        default_factory=dict,
        description="Letter language per State, as ISO3 code = en, fr or es.",
    )
    letters: Letters = Field(default_factory=Letters)


def load_config(root: Path) -> Config:
    """Read `assist1540.toml` at `root`; every key is optional."""
    path = root / CONFIG_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RepositoryError(
            f"{CONFIG_FILE}: invalid TOML: {error}; fix the line it names"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RepositoryError(f"{CONFIG_FILE}: cannot read the file: {error}") from None

    try:
        return Config.model_validate(table.get("assist1540", {}))
    except ValidationError as error:
        text = path.read_text(encoding="utf-8")
        problems = [_config_problem(text, detail) for detail in error.errors()]
        raise RepositoryError(f"{CONFIG_FILE} is invalid", problems) from None


def _config_problem(text: str, detail: Any) -> Problem:
    loc = [str(part) for part in detail["loc"]]
    key = loc[-1] if loc else ""
    line = _line_of_key(text, key)
    if detail["type"] == "extra_forbidden":
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(key, known, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"the keys are {', '.join(known)}"
        )
        message = f"unknown key '{key}'; {hint}"
    else:
        message = f"{detail['msg']}, got {detail.get('input')!r}; fix the value"
    return Problem(
        CONFIG_FILE, line, 1 if line else 0, "assist1540." + ".".join(loc), message
    )


def _line_of_key(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0


def _known_keys(loc: list[str]) -> list[str]:
    model: type[BaseModel] = Config
    for part in loc:
        annotation = model.model_fields[part].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)
