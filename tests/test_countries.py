"""The built-in country table matches pycountry, which it replaces at run time."""

from __future__ import annotations

import pycountry

from assist1540.countries import COUNTRIES


def test_country_codes_match_pycountry() -> None:
    assert set(COUNTRIES) == {country.alpha_3 for country in pycountry.countries}


def test_country_names_match_pycountry() -> None:
    for country in pycountry.countries:
        expected = (
            country.name,
            getattr(country, "official_name", "") or "",
            getattr(country, "common_name", "") or "",
        )
        assert COUNTRIES[country.alpha_3] == expected, country.alpha_3
