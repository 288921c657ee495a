"""Dates written without Babel read exactly as Babel's CLDR patterns write them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date, format_skeleton

from assist1540.dates import PartialDate
from assist1540.rendering.localize import (
    format_day,
    format_month,
    format_partial_date,
)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    count = (date(year + 1, 1, 1) - first).days
    return [first + timedelta(days=offset) for offset in range(count)]


@pytest.mark.parametrize("year", [2024, 2026])
def test_english_day_equals_babel(year: int) -> None:
    for day in days_of(year):
        assert format_day(day, "en") == format_date(day, "long", locale="en_GB")


@pytest.mark.parametrize("year", [1, 999, 2008, 9999])
def test_english_month_equals_babel(year: int) -> None:
    for month in range(1, 13):
        day = date(year, month, 1)
        expected = format_skeleton("yMMMM", day, locale="en_GB")

        assert format_month(day, "en") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 December 2026"),
        ("fr", "4 décembre 2026"),
        ("es", "4 de diciembre de 2026"),
    ],
)
def test_day_in_each_language(language: str, expected: str) -> None:
    assert format_day(date(2026, 12, 4), language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2008-04-30", "30 April 2008"), ("2008-04", "April 2008"), ("2008", "2008")],
)
def test_partial_date_in_english(text: str, expected: str) -> None:
    assert format_partial_date(PartialDate.parse(text), "en") == expected


def test_month_in_spanish() -> None:
    assert format_month(date(2008, 4, 1), "es") == "abril de 2008"
