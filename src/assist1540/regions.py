"""UN M49 regions of countries, and which States a free-text region name covers."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from assist1540.countries import COUNTRIES

__all__ = [
    "UNGROUPED_LABEL",
    "UNMAPPED_CODES",
    "Region",
    "covers",
    "region_label",
    "region_of",
]


@dataclass(frozen=True)
class Region:
    """Place of a country or area in the UN M49 geoscheme."""

    region: str
    subregion: str
    intermediate: str | None = None


# --- M49 table ------------------------------------------------------------------

# The UN Statistics Division's M49 geoscheme ("Standard country or area codes for
# statistical use"). Keys are (region, sub-region, intermediate region) and values
# are ISO 3166-1 alpha-3 codes.
# NOTE: typed in by hand, and checked here only against pycountry's code list, not
# against a copy of the UNSD table.
_M49: dict[tuple[str, str, str | None], str] = {
    ("Africa", "Northern Africa", None): "DZA EGY LBY MAR SDN TUN ESH",
    ("Africa", "Sub-Saharan Africa", "Eastern Africa"): (
        "IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD "
        "UGA TZA ZMB ZWE"
    ),
    ("Africa", "Sub-Saharan Africa", "Middle Africa"): (
        "AGO CMR CAF TCD COG COD GNQ GAB STP"
    ),
    ("Africa", "Sub-Saharan Africa", "Southern Africa"): "BWA SWZ LSO NAM ZAF",
    ("Africa", "Sub-Saharan Africa", "Western Africa"): (
        "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO"
    ),
    ("Americas", "Latin America and the Caribbean", "Caribbean"): (
        "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR "
        "PRI BLM KNA LCA MAF VCT SXM TTO TCA VIR"
    ),
    ("Americas", "Latin America and the Caribbean", "Central America"): (
        "BLZ CRI SLV GTM HND MEX NIC PAN"
    ),
    ("Americas", "Latin America and the Caribbean", "South America"): (
        "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN"
    ),
    ("Americas", "Northern America", None): "BMU CAN GRL SPM USA",
    ("Asia", "Central Asia", None): "KAZ KGZ TJK TKM UZB",
    ("Asia", "Eastern Asia", None): "CHN HKG MAC PRK JPN MNG KOR",
    ("Asia", "South-eastern Asia", None): (
        "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM"
    ),
    ("Asia", "Southern Asia", None): "AFG BGD BTN IND IRN MDV NPL PAK LKA",
    ("Asia", "Western Asia", None): (
        "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM"
    ),
    ("Europe", "Eastern Europe", None): "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR",
    ("Europe", "Northern Europe", None): (
        "ALA DNK EST FRO FIN ISL IRL IMN LVA LTU NOR SJM SWE GBR"
    ),
    ("Europe", "Northern Europe", "Channel Islands"): "GGY JEY",
    ("Europe", "Southern Europe", None): (
        "ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP"
    ),
    ("Europe", "Western Europe", None): "AUT BEL FRA DEU LIE LUX MCO NLD CHE",
    ("Oceania", "Australia and New Zealand", None): "AUS CXR CCK HMD NZL NFK",
    ("Oceania", "Melanesia", None): "FJI NCL PNG SLB VUT",
    ("Oceania", "Micronesia", None): "GUM KIR MHL FSM NRU MNP PLW UMI",
    ("Oceania", "Polynesia", None): "ASM COK PYF NIU PCN WSM TKL TON TUV WLF",
}

# ISO 3166-1 codes that pycountry lists but that have no M49 region.
UNMAPPED_CODES: dict[str, str] = {
    "ATA": "M49 lists Antarctica directly under World, outside any region.",
    "TWN": "M49 does not list Taiwan as a separate country or area.",
}

# Label that `region_label` returns for the codes in UNMAPPED_CODES.
UNGROUPED_LABEL = "Other"


def _build_region_index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for (region, subregion, intermediate), codes in _M49.items():
        for code in codes.split():
            if code in index:
                raise ValueError(f"M49 table lists {code} twice")
            index[code] = Region(region, subregion, intermediate)
    return index


_REGION_BY_CODE = _build_region_index()
_ALL_CODES = frozenset(COUNTRIES)


def _checked_code(iso3: str) -> str:
    code = iso3.strip().upper()
    if code not in _ALL_CODES:
        raise ValueError(
            f"Invalid ISO 3166-1 alpha-3 code {iso3!r}: expected a code that "
            "pycountry lists, such as 'KEN'."
        )
    return code


def region_of(iso3: str) -> Region | None:
    """Look up the M49 region of an alpha-3 code, in any letter case.

    Returns None for the codes in UNMAPPED_CODES and raises ValueError for a code
    that pycountry does not list.
    """
    return _REGION_BY_CODE.get(_checked_code(iso3))


def region_label(iso3: str) -> str:
    """Name the M49 group that a website lists a State under.

    The label is the intermediate region where M49 has one, such as "Caribbean"
    for JAM, and otherwise the sub-region, such as "Western Asia" for JOR. The
    codes in UNMAPPED_CODES get UNGROUPED_LABEL.
    """
    region = region_of(iso3)
    if region is None:
        return UNGROUPED_LABEL
    return region.intermediate or region.subregion


# --- Named groups of States ------------------------------------------------------

# Membership lists change: each comment gives the state of the list it describes.

# Association of Southeast Asian Nations. Timor-Leste joined as the eleventh
# member in October 2025.
_ASEAN = "BRN KHM IDN LAO MYS MMR PHL SGP THA VNM TLS"

# ASEAN Regional Forum: the ASEAN members and 15 other States. The European Union,
# also a participant, has no ISO code.
_ASEAN_REGIONAL_FORUM = (
    _ASEAN + " AUS BGD CAN CHN IND JPN PRK KOR MNG NZL PAK PNG RUS LKA USA"
)

# The 57 participating States of the OSCE.
_OSCE = (
    "ALB AND ARM AUT AZE BLR BEL BIH BGR CAN HRV CYP CZE DNK EST FIN FRA GEO DEU "
    "GRC VAT HUN ISL IRL ITA KAZ KGZ LVA LIE LTU LUX MLT MDA MCO MNG MNE NLD MKD "
    "NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SWE CHE TJK TUR TKM UKR GBR USA UZB"
)

# Intergovernmental Authority on Development.
# NOTE: Eritrea suspended its participation from 2007 to 2023; check its current
# status before relying on the result for ERI.
_IGAD = "DJI ERI ETH KEN SOM SSD SDN UGA"

# Cooperation Council for the Arab States of the Gulf.
_GULF_COOPERATION_COUNCIL = "BHR KWT OMN QAT SAU ARE"

# The 15 full members of the Caribbean Community, without associate members.
_CARICOM = "ATG BHS BRB BLZ DMA GRD GUY HTI JAM MSR KNA LCA VCT SUR TTO"

# Organization of American States: the 35 independent States of the Americas
# less Nicaragua, whose withdrawal took effect in November 2023.
# NOTE: Venezuela gave notice of withdrawal in 2017, but in 2019 the OAS seated a
# representative named by its National Assembly. Its status is disputed, and VEN
# stays in the list.
_OAS = (
    "ATG ARG BHS BRB BLZ BOL BRA CAN CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY "
    "HTI HND JAM MEX PAN PRY PER KNA LCA VCT SUR TTO USA URY VEN"
)

# The 55 members of the African Union, suspended members included. ESH stands for
# the Sahrawi Arab Democratic Republic.
_AFRICAN_UNION = (
    "DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ "
    "ETH GAB GMB GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER "
    "NGA RWA STP SEN SYC SLE SOM ZAF SSD SDN TZA TGO TUN UGA ZMB ZWE ESH"
)

# The 23 African States on the Atlantic coast, as in the Rabat process of African
# Atlantic States. Western Sahara and Saint Helena, territories, are left out.
_AFRICAN_ATLANTIC_FACADE = (
    "MAR MRT SEN GMB GNB GIN SLE LBR CIV GHA TGO BEN NGA CMR GNQ GAB COG COD AGO "
    "NAM ZAF CPV STP"
)

# The 20 sovereign States of the Americas whose main language is Spanish,
# Portuguese or French.
_LATIN_AMERICA = (
    "ARG BOL BRA CHL COL CRI CUB DOM ECU SLV GTM HTI HND MEX NIC PAN PRY PER URY VEN"
)

# Participants of the South-East European Cooperation Process. Kosovo, also a
# participant, has no ISO code.
_SOUTH_EAST_EUROPE = "ALB BIH BGR HRV GRC MDA MNE MKD ROU SRB SVN TUR"

_SOUTHERN_CAUCASUS = "ARM AZE GEO"

_FORMER_SOVIET_REPUBLICS = "ARM AZE BLR EST GEO KAZ KGZ LVA LTU MDA RUS TJK TKM UKR UZB"


@dataclass(frozen=True)
class _Area:
    """States that a region name covers.

    `geographic` marks areas built from M49 groups. For those, a State without an
    M49 region is neither inside nor outside, so `covers` returns None for it.
    """

    members: frozenset[str]
    geographic: bool


def _m49_codes(*names: str) -> frozenset[str]:
    """Collect the codes that lie in any of the named M49 groups, at any level."""
    group_names = set(names)
    return frozenset(
        code
        for code, region in _REGION_BY_CODE.items()
        if group_names & {region.region, region.subregion, region.intermediate}
    )


def _normalize(name: str) -> str:
    """Fold a name to lower-case ASCII words without "the", for lookups.

    Accents are dropped, "&" reads as "and" and any other character that is not a
    letter or digit separates words, so straight and curly apostrophes agree.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.lower().replace("&", " and ")
    tokens = re.split(r"[^a-z0-9]+", ascii_text)
    return " ".join(token for token in tokens if token and token != "the")


def _listed(codes: str) -> _Area:
    return _Area(frozenset(codes.split()), geographic=False)


def _geographic(codes: Iterable[str]) -> _Area:
    return _Area(frozenset(codes), geographic=True)


@functools.cache
def _area_index() -> dict[str, _Area]:
    """Map normalized region and group names to their States, built on first use.

    Building the index takes a few milliseconds, which commands that never read
    a provider's regions should not pay at import.
    """
    index: dict[str, _Area] = {}

    # Every M49 region, sub-region and intermediate region under its own name.
    m49_names = {name for key in _M49 for name in key if name is not None}
    for name in m49_names:
        index[_normalize(name)] = _geographic(_m49_codes(name))

    geographic_areas = {
        "North Africa": _m49_codes("Northern Africa"),
        "West Africa": _m49_codes("Western Africa"),
        "East Africa": _m49_codes("Eastern Africa"),
        "Central Africa": _m49_codes("Middle Africa"),
        "Eastern and Central Africa": _m49_codes("Eastern Africa", "Middle Africa"),
        "East and Central Africa": _m49_codes("Eastern Africa", "Middle Africa"),
        "Central and Eastern Africa": _m49_codes("Eastern Africa", "Middle Africa"),
        "Asia-Pacific": _m49_codes("Asia", "Oceania"),
        "Asia and the Pacific": _m49_codes("Asia", "Oceania"),
        "South East Asia": _m49_codes("South-eastern Asia"),
        "Southeast Asia": _m49_codes("South-eastern Asia"),
        "East Asia": _m49_codes("Eastern Asia"),
        "South Asia": _m49_codes("Southern Asia"),
        "West Asia": _m49_codes("Western Asia"),
        # Oceania less the "Australia and New Zealand" sub-region, whose other
        # members (Christmas, Cocos, Heard and McDonald, Norfolk) are Australian
        # territories, three of them in the Indian Ocean.
        "Pacific Islands": _m49_codes("Melanesia", "Micronesia", "Polynesia"),
        "Pacific Island": _m49_codes("Melanesia", "Micronesia", "Polynesia"),
        # Western Asia plus Egypt, Iran and Libya. This follows M49, so Cyprus,
        # Turkey and the South Caucasus States count as Middle East too.
        "Middle East": _m49_codes("Western Asia") | {"EGY", "IRN", "LBY"},
        # M49 Caribbean plus the mainland CARICOM members Belize, Guyana and
        # Suriname, which regional programmes count as Caribbean.
        "Caribbean": _m49_codes("Caribbean") | frozenset(_CARICOM.split()),
    }
    for name, members in geographic_areas.items():
        index[_normalize(name)] = _geographic(members)

    for name in ("global", "worldwide", "world"):
        index[name] = _Area(_ALL_CODES, geographic=False)

    listed_areas = {
        "African Atlantic Façade": _AFRICAN_ATLANTIC_FACADE,
        "African Atlantic States": _AFRICAN_ATLANTIC_FACADE,
        "Latin America": _LATIN_AMERICA,
        "South East Europe": _SOUTH_EAST_EUROPE,
        "Southeast Europe": _SOUTH_EAST_EUROPE,
        "Southern Caucasus": _SOUTHERN_CAUCASUS,
        "South Caucasus": _SOUTHERN_CAUCASUS,
        "former Soviet republics": _FORMER_SOVIET_REPUBLICS,
        "former Soviet Union": _FORMER_SOVIET_REPUBLICS,
        "post-Soviet": _FORMER_SOVIET_REPUBLICS,
        "ASEAN": _ASEAN,
        "Association of Southeast Asian Nations": _ASEAN,
        "ASEAN Regional Forum": _ASEAN_REGIONAL_FORUM,
        "ARF": _ASEAN_REGIONAL_FORUM,
        "OSCE": _OSCE,
        "Organization for Security and Co-operation in Europe": _OSCE,
        "IGAD": _IGAD,
        "Intergovernmental Authority on Development": _IGAD,
        "Gulf Cooperation Council": _GULF_COOPERATION_COUNCIL,
        "GCC": _GULF_COOPERATION_COUNCIL,
        "Cooperation Council for the Arab States of the Gulf": (
            _GULF_COOPERATION_COUNCIL
        ),
        "CARICOM": _CARICOM,
        "Caribbean Community": _CARICOM,
        "OAS": _OAS,
        "Organization of American States": _OAS,
        "African Union": _AFRICAN_UNION,
    }
    for name, codes in listed_areas.items():
        index[_normalize(name)] = _listed(codes)
    return index


# Trailing words that records add to a group name, as in "IGAD member States" or
# "Gulf Cooperation Council countries". Longer phrases come first.
_GROUP_QUALIFIERS = (
    "member states",
    "member countries",
    "participating states",
    "members",
    "participants",
    "countries",
    "states",
    "region",
)

# Common short names that pycountry does not list, normalized.
_COUNTRY_ALIASES = {
    "burma": "MMR",
    "cape verde": "CPV",
    "democratic republic of congo": "COD",
    "dprk": "PRK",
    "dr congo": "COD",
    "drc": "COD",
    "east timor": "TLS",
    "great britain": "GBR",
    "ivory coast": "CIV",
    "lao pdr": "LAO",
    "russia": "RUS",
    "swaziland": "SWZ",
    "turkey": "TUR",
    "uk": "GBR",
    "vatican": "VAT",
}


@functools.cache
def _country_index() -> dict[str, str]:
    """Map normalized country names and alpha-3 codes to alpha-3 codes."""
    return build_country_index((code, *names) for code, names in COUNTRIES.items())


def build_country_index(
    countries: Iterable[tuple[str, str, str, str]],
) -> dict[str, str]:
    """Map normalized country names and alpha-3 codes to alpha-3 codes.

    `countries` yields (alpha-3 code, name, official name, common name) with an
    empty string where a name is missing, as `countries.COUNTRIES` lists them.

    Exact pycountry names win. Names derived from them, such as "Bolivia" from
    "Bolivia, Plurinational State of" or "Holy See" from "Holy See (Vatican City
    State)", are added only where exactly one country yields them, so "Korea"
    stays unresolved.
    """
    index: dict[str, str] = {}
    derived: dict[str, set[str]] = {}
    for code, name, official_name, common_name in countries:
        for label in (name, code, official_name, common_name):
            if label:
                index[_normalize(label)] = code
        for derived_name in _derived_names(name):
            derived.setdefault(_normalize(derived_name), set()).add(code)

    for key, codes in derived.items():
        if key not in index and len(codes) == 1:
            index[key] = next(iter(codes))
    index.update(_COUNTRY_ALIASES)
    return index


def _derived_names(name: str) -> list[str]:
    """Return the shorter forms of an ISO name that people write in running text."""
    forms = []
    without_brackets = re.sub(r"\s*\([^)]*\)", "", name)
    if without_brackets != name:
        forms.append(without_brackets)
    head, comma, tail = without_brackets.partition(", ")
    if comma:
        forms.append(head)
        # "Moldova, Republic of" reads "Republic of Moldova" in running text.
        if tail.endswith((" of", " of the")):
            forms.append(f"{tail} {head}")
    return forms


def _find_area(key: str) -> _Area | None:
    area = _area_index().get(key)
    if area is not None:
        return area
    for qualifier in _GROUP_QUALIFIERS:
        if key.endswith(" " + qualifier):
            return _area_index().get(key.removesuffix(" " + qualifier))
    return None


def covers(area_name: str, iso3: str) -> bool | None:
    """Tell whether a region name from a provider or programme record includes a State.

    `area_name` may be an M49 region, sub-region or intermediate region, a common
    region name such as "Middle East", a group such as "OSCE participating States",
    "global", or a country name or alpha-3 code. Matching ignores letter case,
    accents, punctuation and the word "the".

    Returns True when the name includes the State and False when it does not. It
    returns None when the name is not recognised, and for a State without an M49
    region (see UNMAPPED_CODES) under a name defined by M49 regions. Raises
    ValueError when `iso3` is not an alpha-3 code that pycountry lists.
    """
    code = _checked_code(iso3)
    key = _normalize(area_name)

    area = _find_area(key)
    if area is not None:
        if code in area.members:
            return True
        if area.geographic and code not in _REGION_BY_CODE:
            return None
        return False

    country = _country_index().get(key)
    if country is not None:
        return country == code
    return None
