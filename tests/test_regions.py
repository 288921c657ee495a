"""M49 regions of countries and the region names of provider records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from assist1540.countries import COUNTRIES
from assist1540.regions import (
    UNGROUPED_LABEL,
    UNMAPPED_CODES,
    Region,
    build_country_index,
    covers,
    region_label,
    region_of,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ALL_CODES = sorted(country.alpha_3 for country in pycountry.countries)

# --- M49 table -------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_mapped_or_excepted(code: str) -> None:
    assert region_of(code) is not None or code in UNMAPPED_CODES


@pytest.mark.parametrize("code", sorted(UNMAPPED_CODES))
def test_excepted_codes_have_no_region(code: str) -> None:
    assert region_of(code) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("KEN", Region("Africa", "Sub-Saharan Africa", "Eastern Africa")),
        ("NGA", Region("Africa", "Sub-Saharan Africa", "Western Africa")),
        ("EGY", Region("Africa", "Northern Africa", None)),
        ("JAM", Region("Americas", "Latin America and the Caribbean", "Caribbean")),
        (
            "MEX",
            Region("Americas", "Latin America and the Caribbean", "Central America"),
        ),
        ("CHL", Region("Americas", "Latin America and the Caribbean", "South America")),
        ("CAN", Region("Americas", "Northern America", None)),
        ("KAZ", Region("Asia", "Central Asia", None)),
        ("JOR", Region("Asia", "Western Asia", None)),
        ("PHL", Region("Asia", "South-eastern Asia", None)),
        ("UKR", Region("Europe", "Eastern Europe", None)),
        ("JEY", Region("Europe", "Northern Europe", "Channel Islands")),
        ("PNG", Region("Oceania", "Melanesia", None)),
        ("NZL", Region("Oceania", "Australia and New Zealand", None)),
    ],
)
def test_region_of_known_code(code: str, expected: Region) -> None:
    assert region_of(code) == expected


def test_region_of_ignores_case() -> None:
    assert region_of("ken") == region_of("KEN")


@pytest.mark.parametrize("code", ["XXX", "KE", "", "Kenya"])
def test_region_of_rejects_invalid_code(code: str) -> None:
    with pytest.raises(ValueError, match="Invalid ISO 3166-1 alpha-3 code"):
        region_of(code)


def test_region_is_frozen() -> None:
    region = Region("Asia", "Central Asia")
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.region = "Europe"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("JAM", "Caribbean"),
        ("BRA", "South America"),
        ("GTM", "Central America"),
        ("SEN", "Western Africa"),
        ("COD", "Middle Africa"),
        ("ZAF", "Southern Africa"),
        ("EGY", "Northern Africa"),
        ("USA", "Northern America"),
        ("JOR", "Western Asia"),
        ("GGY", "Channel Islands"),
        ("FJI", "Melanesia"),
        ("TWN", UNGROUPED_LABEL),
        ("ATA", UNGROUPED_LABEL),
    ],
)
def test_region_label_by_code(code: str, expected: str) -> None:
    assert region_label(code) == expected


# --- covers ----------------------------------------------------------------------

GEOGRAPHIC_CASES = [
    ("global", "KEN", True),
    ("Global", "TWN", True),
    ("worldwide", "ATA", True),
    ("Africa", "NGA", True),
    ("Africa", "FRA", False),
    ("North Africa", "EGY", True),
    ("North Africa", "SDN", True),
    ("North Africa", "NGA", False),
    ("Eastern and Central Africa", "KEN", True),
    ("Eastern and Central Africa", "CMR", True),
    ("Eastern and Central Africa", "NGA", False),
    ("Eastern and Central Africa", "EGY", False),
    ("African Atlantic Façade", "SEN", True),
    ("African Atlantic Façade", "AGO", True),
    ("African Atlantic Façade", "CPV", True),
    ("African Atlantic Facade", "MAR", True),
    ("African Atlantic Façade", "KEN", False),
    ("African Atlantic Façade", "ESH", False),
    ("Americas", "CAN", True),
    ("Americas", "ESP", False),
    ("Latin America", "BRA", True),
    ("Latin America", "MEX", True),
    ("Latin America", "HTI", True),
    ("Latin America", "JAM", False),
    ("Latin America", "USA", False),
    ("Latin America and the Caribbean", "JAM", True),
    ("Latin America and the Caribbean", "PER", True),
    ("Latin America & Caribbean", "CUB", True),
    ("Latin America and the Caribbean", "USA", False),
    ("Caribbean", "JAM", True),
    ("Caribbean", "DOM", True),
    ("Caribbean", "GUY", True),
    ("Caribbean", "BRA", False),
    ("Asia", "CHN", True),
    ("Asia", "AUS", False),
    ("Asia-Pacific", "FJI", True),
    ("Asia-Pacific", "JPN", True),
    ("Asia Pacific", "AUS", True),
    ("Asia-Pacific", "USA", False),
    ("Central Asia", "KAZ", True),
    ("Central Asia", "AFG", False),
    ("South East Asia", "VNM", True),
    ("South-East Asia", "IDN", True),
    ("Southeast Asia", "THA", True),
    ("South East Asia", "CHN", False),
    ("Middle East", "SAU", True),
    ("Middle East", "ISR", True),
    ("Middle East", "EGY", True),
    ("Middle East", "IRN", True),
    ("Middle East", "LBY", True),
    ("Middle East", "ARM", True),
    ("Middle East", "PAK", False),
    ("Middle East", "TUN", False),
    ("Europe", "FRA", True),
    ("Europe", "RUS", True),
    ("Europe", "TUR", False),
    ("South East Europe", "SRB", True),
    ("South East Europe", "MDA", True),
    ("South East Europe", "FRA", False),
    ("Southern Caucasus", "ARM", True),
    ("Southern Caucasus", "AZE", True),
    ("Southern Caucasus", "GEO", True),
    ("Southern Caucasus", "TUR", False),
    ("Pacific Islands", "FJI", True),
    ("Pacific Islands", "WSM", True),
    ("Pacific Islands", "PLW", True),
    ("Pacific Islands", "AUS", False),
    ("Pacific Islands", "NZL", False),
    ("Pacific Islands", "CCK", False),
    ("former Soviet republics", "UKR", True),
    ("former Soviet republics", "EST", True),
    ("former Soviet republics", "MNG", False),
]

MEMBERSHIP_CASES = [
    ("ASEAN", "LAO", True),
    ("ASEAN", "TLS", True),
    ("ASEAN", "CHN", False),
    ("ASEAN Regional Forum participants", "USA", True),
    ("ASEAN Regional Forum participants", "PRK", True),
    ("ASEAN Regional Forum participants", "KHM", True),
    ("ASEAN Regional Forum participants", "FRA", False),
    ("OSCE participating States", "MNG", True),
    ("OSCE participating States", "USA", True),
    ("OSCE participating States", "VAT", True),
    ("OSCE participating States", "CHN", False),
    ("IGAD member States", "KEN", True),
    ("IGAD member States", "SDN", True),
    ("IGAD member States", "TZA", False),
    ("Gulf Cooperation Council countries", "QAT", True),
    ("GCC", "ARE", True),
    ("Gulf Cooperation Council countries", "IRN", False),
    ("CARICOM members", "HTI", True),
    ("CARICOM members", "SUR", True),
    ("CARICOM members", "DOM", False),
    ("CARICOM members", "AIA", False),
    ("OAS members", "USA", True),
    ("OAS members", "JAM", True),
    ("OAS members", "NIC", False),
    ("OAS members", "FRA", False),
    ("African Union members", "MAR", True),
    ("African Union members", "ESH", True),
    ("African Union members", "REU", False),
    ("African Union members", "FRA", False),
]

COUNTRY_CASES = [
    ("Côte d'Ivoire", "CIV", True),
    ("Côte d’Ivoire", "CIV", True),
    ("Cote d'Ivoire", "CIV", True),
    ("Côte d'Ivoire", "GHA", False),
    ("Lao PDR", "LAO", True),
    ("Lao PDR", "VNM", False),
    ("Moldova", "MDA", True),
    ("Republic of Moldova", "MDA", True),
    ("Moldova", "ROU", False),
    ("Russian Federation", "RUS", True),
    ("Russia", "RUS", True),
    ("Russian Federation", "UKR", False),
    ("the Philippines", "PHL", True),
    ("Türkiye", "TUR", True),
    ("Turkiye", "TUR", True),
    ("United States", "USA", True),
    ("Democratic Republic of the Congo", "COD", True),
    ("Congo", "COG", True),
    ("Congo", "COD", False),
    ("Bolivia", "BOL", True),
    ("Holy See", "VAT", True),
    ("FRA", "FRA", True),
]

UNRECOGNISED_CASES = [
    ("Narnia", "KEN", None),
    ("", "KEN", None),
    ("Korea", "KOR", None),
    ("North America", "USA", None),
]

NORMALIZATION_CASES = [
    ("AFRICA", "KEN", True),
    ("  latin   america ", "BRA", True),
    ("The Caribbean", "JAM", True),
    ("SOUTH-EAST ASIA", "MYS", True),
    ("african atlantic FAÇADE", "GHA", True),
    ("Côte d\u2019Ivoire", "CIV", True),
    ("Co\u0302te d'Ivoire", "CIV", True),
    ("Cote D`Ivoire", "CIV", True),
]


@pytest.mark.parametrize(("name", "code", "expected"), GEOGRAPHIC_CASES)
def test_covers_geographic_name(name: str, code: str, expected: bool) -> None:
    assert covers(name, code) is expected


@pytest.mark.parametrize(("name", "code", "expected"), MEMBERSHIP_CASES)
def test_covers_membership_name(name: str, code: str, expected: bool) -> None:
    assert covers(name, code) is expected


@pytest.mark.parametrize(("name", "code", "expected"), COUNTRY_CASES)
def test_covers_country_name(name: str, code: str, expected: bool) -> None:
    assert covers(name, code) is expected


@pytest.mark.parametrize(("name", "code", "expected"), UNRECOGNISED_CASES)
def test_covers_unrecognised_name(name: str, code: str, expected: None) -> None:
    assert covers(name, code) is expected


@pytest.mark.parametrize(("name", "code", "expected"), NORMALIZATION_CASES)
def test_covers_folds_case_and_accents(name: str, code: str, expected: bool) -> None:
    assert covers(name, code) is expected


@pytest.mark.parametrize("name", ["Asia", "Middle East", "Asia-Pacific"])
def test_covers_unmapped_state_geographic(name: str) -> None:
    assert covers(name, "TWN") is None


@pytest.mark.parametrize("name", ["ASEAN", "OSCE participating States"])
def test_covers_unmapped_state_membership(name: str) -> None:
    assert covers(name, "TWN") is False


def test_covers_rejects_invalid_code() -> None:
    with pytest.raises(ValueError, match="'XYZ'"):
        covers("Africa", "XYZ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ASEAN", 11),
        ("ASEAN Regional Forum participants", 26),
        ("OSCE participating States", 57),
        ("IGAD member States", 8),
        ("Gulf Cooperation Council countries", 6),
        ("CARICOM members", 15),
        ("OAS members", 34),
        ("African Union members", 55),
        ("African Atlantic Façade", 23),
        ("Latin America", 20),
        ("South East Europe", 12),
        ("Southern Caucasus", 3),
        ("former Soviet republics", 15),
    ],
)
def test_membership_list_size(name: str, expected: int) -> None:
    assert sum(covers(name, code) is True for code in ALL_CODES) == expected


# --- Bundled data ----------------------------------------------------------------


def _region_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "regions" and isinstance(value, list):
                yield from (name for name in value if isinstance(name, str))
            else:
                yield from _region_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _region_names(item)


def _bundled_region_names() -> list[str]:
    names: set[str] = set()
    for path in sorted((PROJECT_ROOT / "data").rglob("*.yaml")):
        names.update(_region_names(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return sorted(names)


@pytest.mark.parametrize("name", _bundled_region_names())
def test_bundled_region_name_recognised(name: str) -> None:
    assert any(covers(name, code) is not None for code in ALL_CODES)


def test_country_index_matches_pycountry() -> None:
    pycountry_rows = [
        (
            country.alpha_3,
            country.name,
            getattr(country, "official_name", "") or "",
            getattr(country, "common_name", "") or "",
        )
        for country in pycountry.countries
    ]
    table_rows = [(code, *names) for code, names in COUNTRIES.items()]

    assert build_country_index(table_rows) == build_country_index(pycountry_rows)
