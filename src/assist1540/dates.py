"""Dates known to the day, the month or only the year, as the sources give them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MINYEAR, date
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from assist1540.errors import describe_value

Precision = Literal["day", "month", "year"]

# ASCII digits only: `\d` would also take Arabic-Indic and full-width digits.
_PARTIAL_DATE = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?"
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date whose month and day may be unknown; nothing is invented."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, raising ValueError otherwise."""
        found = _PARTIAL_DATE.fullmatch(text.strip())
        if found is None:
            raise ValueError(
                f"invalid date {text!r}; write YYYY-MM-DD, or YYYY-MM or YYYY when "
                "the source gives only the month or the year"
            )

        year = int(found["year"])
        month = int(found["month"]) if found["month"] else None
        day = int(found["day"]) if found["day"] else None

        if year < MINYEAR:
            raise ValueError(f"invalid date {text!r}: there is no year 0000")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"invalid date {text!r}: there is no month {month}")
        if month is not None and day is not None:
            try:
                date(year, month, day)
            except ValueError:
                raise ValueError(
                    f"invalid date {text!r}: day {day} does not exist in "
                    f"{year}-{month:02d}"
                ) from None
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def earliest(self) -> date:
        """Return the first day the date can mean, for sorting and timers."""
        return date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate_partial_date,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.str_schema(
                pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
            ),
        )


def _validate_partial_date(value: object) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate.from_date(value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_type",
            "must be a date written as YYYY-MM-DD, YYYY-MM or YYYY, got {value}",
            {"value": describe_value(value)},
        )
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise PydanticCustomError("date_value", str(error)) from None


def parse_day(value: object) -> date:
    """Parse a full `YYYY-MM-DD` date for fields that need the day."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_type",
            "must be a date written as YYYY-MM-DD, got {value}",
            {"value": describe_value(value)},
        )
    try:
        partial = PartialDate.parse(value)
    except ValueError as error:
        raise PydanticCustomError("date_value", str(error)) from None
    if partial.precision != "day":
        raise PydanticCustomError(
            "date_precision",
            "date '{value}' needs a day: write YYYY-MM-DD",
            {"value": value},
        )
    return partial.earliest()
