"""The data repository's configuration file, `assist1540.toml`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
        problems = [
            Problem(
                CONFIG_FILE,
                field="assist1540." + ".".join(str(part) for part in detail["loc"]),
                message=detail["msg"],
            )
            for detail in error.errors()
        ]
        raise RepositoryError(f"{CONFIG_FILE} is invalid", problems) from None
