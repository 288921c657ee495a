"""Dates, State names and addressees as English, French and Spanish write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assist1540.dates import PartialDate

# en_GB writes the day before the month ("4 December 2026"), as UN documents do.
_BABEL_LOCALES = {"en": "en_GB", "fr": "fr", "es": "es"}

# English short names that take "the" in running text, as in "the Permanent
# Mission of the Netherlands".
_ENGLISH_WITH_ARTICLE = frozenset(
    {
        "Bahamas",
        "Comoros",
        "Congo",
        "Gambia",
        "Maldives",
        "Marshall Islands",
        "Netherlands",
        "Niger",
        "Philippines",
        "Solomon Islands",
        "Sudan",
        "United Arab Emirates",
    }
)
_ENGLISH_ARTICLE_PREFIXES = (
    "Bolivarian ",
    "Central African ",
    "Czech ",
    "Democratic ",
    "Dominican Republic",
    "Federated ",
    "Holy See",
    "Islamic ",
    "Kingdom ",
    "Lao People",
    "Plurinational ",
    "Republic ",
    "Russian ",
    "Syrian ",
    "United Kingdom",
    "United Republic",
    "United States",
)

# French names (as CLDR writes them) that take no article, and the plural ones.
_FRENCH_NO_ARTICLE = frozenset(
    {
        "Andorre",
        "Antigua-et-Barbuda",
        "Bahreïn",
        "Brunéi Darussalam",
        "Cabo Verde",
        "Chypre",
        "Cuba",
        "Djibouti",
        "Grenade",
        "Haïti",
        "Israël",
        "Kiribati",
        "Koweït",
        "Madagascar",
        "Malte",
        "Maurice",
        "Monaco",
        "Nauru",
        "Oman",
        "Palaos",
        "Saint-Kitts-et-Nevis",
        "Saint-Marin",
        "Saint-Vincent-et-les-Grenadines",
        "Sainte-Lucie",
        "Samoa",
        "Sao Tomé-et-Principe",
        "Singapour",
        "Sri Lanka",
        "Timor oriental",
        "Tonga",
        "Trinité-et-Tobago",
        "Tuvalu",
        "Vanuatu",
    }
)
_FRENCH_PLURAL = frozenset(
    {
        "Bahamas",
        "Comores",
        "Émirats arabes unis",
        "États-Unis",
        "Fidji",
        "Îles Marshall",
        "Îles Salomon",
        "Maldives",
        "Pays-Bas",
        "Philippines",
        "Seychelles",
    }
)
# Names that end in "e" but are masculine.
_FRENCH_MASCULINE_IN_E = frozenset(
    {
        "Belize",
        "Cambodge",
        "Mexique",
        "Mozambique",
        "Royaume-Uni",
        "Suriname",
        "Zimbabwe",
    }
)

# Spanish names that take an article in UN usage, with that article.
_SPANISH_ARTICLES = {
    "Afganistán": "el",
    "Argentina": "la",
    "Bahamas": "las",
    "Brasil": "el",
    "Camerún": "el",
    "Canadá": "el",
    "Chad": "el",
    "Congo": "el",
    "Ecuador": "el",
    "Emiratos Árabes Unidos": "los",
    "Estados Unidos": "los",
    "Gabón": "el",
    "India": "la",
    "Japón": "el",
    "Líbano": "el",
    "Níger": "el",
    "Pakistán": "el",
    "Países Bajos": "los",
    "Paraguay": "el",
    "Perú": "el",
    "Reino Unido": "el",
    "Senegal": "el",
    "Sudán": "el",
    "Togo": "el",
    "Uruguay": "el",
    "Yemen": "el",
}

_VOWELS = tuple("AEIOUÉÈÊÎÏÔÖÛÜÂÀ")


# English dates are written from CLDR's en_GB patterns here: the long date is
# "d MMMM y" and the month skeleton "yMMMM" is "MMMM y". Babel's first call
# loads the CLDR data, about 20 ms (python -X importtime, 2 cores), which the
# English website and letters then skip, so Babel is imported only for French
# and Spanish. A test compares the English dates with Babel's.
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_day(day: date, language: str) -> str:
    """Write a day in full: 4 December 2026, 4 décembre 2026, 4 de diciembre de 2026."""
    if language == "en":
        return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return format_date(day, format="long", locale=_BABEL_LOCALES[language])


def format_partial_date(value: PartialDate, language: str) -> str:
    """Write a date known to the day, the month or the year in that language."""
    if value.precision == "day":
        return format_day(value.earliest(), language)
    if value.precision == "month":
        return format_month(value.earliest(), language)
    return str(value.year)


def format_month(day: date, language: str) -> str:
    """Write the month and year of a day: December 2026, décembre 2026."""
    if language == "en":
        return f"{_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", day, locale=_BABEL_LOCALES[language])


def dated_phrase(value: PartialDate, language: str) -> str:
    """Write "dated 12 November 2013", or "of 2012" for a date without its day."""
    written = format_partial_date(value, language)
    if value.precision == "day":
        prefix = {"en": "dated", "fr": "en date du", "es": "de fecha"}[language]
    else:
        prefix = {"en": "of", "fr": "de", "es": "de"}[language]
    return f"{prefix} {written}"


def country_name(iso3: str, english_name: str, language: str) -> str:
    """Name a State in a language: the record's English name, else CLDR's name.

    NOTE: CLDR names are the short everyday ones ("Corée du Sud", "Rusia"), which
    can differ from the UN's official short names; the DOCX letter is editable.
    """
    if language == "en":
        return english_name
    # Importing pycountry took about 35 ms (python -X importtime, 2 cores), so
    # only French and Spanish letters load it, for the alpha-2 code CLDR uses.
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return english_name
    from babel import Locale

    territories = Locale.parse(_BABEL_LOCALES[language]).territories
    return str(territories.get(country.alpha_2, english_name))


def of_country(name: str, language: str) -> str:
    """Write "of <State>" with the article and contraction the language needs."""
    if language == "fr":
        return _french_of(name)
    if language == "es":
        article = _SPANISH_ARTICLES.get(name)
        if article == "el":
            return f"del {name}"
        return f"de {article} {name}" if article else f"de {name}"
    if name in _ENGLISH_WITH_ARTICLE or name.startswith(_ENGLISH_ARTICLE_PREFIXES):
        return f"of the {name}"
    return f"of {name}"


def with_article(name: str, language: str) -> str:
    """Write a State's name as a sentence subject: "the Netherlands", "le Mexique"."""
    of_form = of_country(name, language)
    if language == "en":
        return of_form.removeprefix("of ")
    if language == "es":
        if of_form.startswith("del "):
            return "el " + of_form.removeprefix("del ")
        return of_form.removeprefix("de ")
    for of_prefix, article in (("du ", "le "), ("de la ", "la "), ("des ", "les ")):
        if of_form.startswith(of_prefix):
            return article + of_form.removeprefix(of_prefix)
    if of_form.startswith("de l'"):
        return "l'" + of_form.removeprefix("de l'")
    return of_form.removeprefix("de ").removeprefix("d'")


def organisation_with_article(name: str, language: str) -> str:
    """Write an organisation's name as the subject of a sentence."""
    if language == "fr":
        return f"l'organisation « {name} »"
    if language == "es":
        return f"la organización «{name}»"
    return f"the {name}"


def organisation_of(name: str, language: str) -> str:
    """Write "of the <organisation>" in the language of the letter."""
    if language == "fr":
        return f"de l'organisation « {name} »"
    if language == "es":
        return f"de la organización «{name}»"
    return f"of the {name}"


def _french_of(name: str) -> str:
    # Gender follows the first word of a compound name: "la Corée du Sud",
    # "la Guinée-Bissau". Names starting with H take no elision ("la Hongrie",
    # "du Honduras") except Haïti, which is in the no-article list.
    starts_with_vowel = name.startswith(_VOWELS)
    if name in _FRENCH_PLURAL:
        return f"des {name}"
    if name in _FRENCH_NO_ARTICLE:
        return (
            f"d'{name}" if starts_with_vowel or name.startswith("H") else f"de {name}"
        )
    if starts_with_vowel:
        return f"de l'{name}"
    first_word = re.split(r"[ -]", name, maxsplit=1)[0]
    if first_word.endswith("e") and name not in _FRENCH_MASCULINE_IN_E:
        return f"de la {name}"
    return f"du {name}"


@dataclass(frozen=True)
class Addressee:
    """Who a letter goes to, in the forms the letter's sentences need.

    `title` heads the letter ("Permanent Mission of Mexico to the United
    Nations"). `opening` and `closing` follow the verb of the formal opening and
    closing, with the preposition fused as the language requires: "to the
    Permanent Mission of Mexico to the United Nations", "aux membres du Comité",
    "a la Misión Permanente de México".
    """

    title: str
    opening: str
    closing: str


def mission_addressee(state_name: str, language: str) -> Addressee:
    """Address the Permanent Mission of a State to the United Nations."""
    of_state = of_country(state_name, language)
    if language == "fr":
        mission = f"Mission permanente {of_state}"
        title = f"{mission} auprès de l'Organisation des Nations Unies"
        return Addressee(title, f"à la {title}", f"à la {mission}")
    if language == "es":
        mission = f"Misión Permanente {of_state}"
        title = f"{mission} ante las Naciones Unidas"
        return Addressee(title, f"a la {title}", f"a la {mission}")
    mission = f"Permanent Mission {of_state}"
    title = f"{mission} to the United Nations"
    return Addressee(title, f"to the {title}", f"to the {mission}")


def organisation_addressee(name: str, language: str) -> Addressee:
    """Address an international or regional organisation, or another provider.

    NOTE: records give organisation names in English only, so French and Spanish
    letters name the organisation in English, in quotation marks.
    """
    if language == "fr":
        return Addressee(name, f"à l'organisation « {name} »", "à l'organisation")
    if language == "es":
        return Addressee(name, f"a la organización «{name}»", "a la organización")
    return Addressee(name, f"to the {name}", f"to the {name}")


def committee_addressee(language: str) -> Addressee:
    """Address the members of the 1540 Committee."""
    if language == "fr":
        title = (
            "Membres du Comité du Conseil de sécurité créé par la résolution "
            "1540 (2004)"
        )
        return Addressee(title, "aux membres du Comité", "aux membres du Comité")
    if language == "es":
        title = (
            "Miembros del Comité del Consejo de Seguridad establecido en virtud de "
            "la resolución 1540 (2004)"
        )
        return Addressee(
            title, "a los miembros del Comité", "a los miembros del Comité"
        )
    title = (
        "Members of the Security Council Committee established pursuant to "
        "resolution 1540 (2004)"
    )
    return Addressee(
        title, "to the members of the Committee", "to the members of the Committee"
    )


def providers_addressee(language: str) -> Addressee:
    """Address the potential providers a request is distributed to."""
    if language == "fr":
        title = (
            "Missions permanentes des États Membres de l'Organisation des Nations "
            "Unies et organisations internationales, régionales et sous-régionales "
            "inscrites sur la liste des prestataires d'assistance du Comité"
        )
        return Addressee(
            title,
            "aux missions permanentes des États Membres de l'Organisation des "
            "Nations Unies et aux organisations internationales, régionales et "
            "sous-régionales inscrites sur la liste des prestataires d'assistance "
            "du Comité",
            "aux missions permanentes et aux organisations",
        )
    if language == "es":
        title = (
            "Misiones Permanentes de los Estados Miembros de las Naciones Unidas y "
            "organizaciones internacionales, regionales y subregionales que figuran "
            "en la lista de proveedores de asistencia del Comité"
        )
        return Addressee(
            title,
            "a las Misiones Permanentes de los Estados Miembros de las Naciones "
            "Unidas y a las organizaciones internacionales, regionales y "
            "subregionales que figuran en la lista de proveedores de asistencia "
            "del Comité",
            "a las Misiones Permanentes y a las organizaciones",
        )
    title = (
        "Permanent Missions of the States Members of the United Nations, and "
        "international, regional and subregional organisations on the Committee's "
        "list of assistance providers"
    )
    return Addressee(
        title,
        "to the Permanent Missions of the States Members of the United Nations and "
        "to the international, regional and subregional organisations on the "
        "Committee's list of assistance providers",
        "to the Permanent Missions and the organisations",
    )
