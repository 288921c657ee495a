"""Tests of letters: every kind in every language, references, DOCX and sandboxing."""

from __future__ import annotations

import io
import shutil
import textwrap
from datetime import date
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import assist1540.commands.render  # noqa: F401  (registers `render` on the app)
from assist1540.catalog import Catalog, load_catalog
from assist1540.commands._app import app
from assist1540.errors import RepositoryError
from assist1540.references import ReferenceNumberError, next_reference
from assist1540.rendering import (
    LETTER_KINDS,
    LetterError,
    RenderedLetter,
    TemplateError,
    render_letter,
)
from assist1540.repository import DataRepository

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LETTER_DAY = date(2026, 12, 4)

TAXONOMY = """\
version: 1
areas:
  - id: op2-legislation
    matrix_ref: "OP2"
    description: Laws against non-State actors' activities.
  - id: op3c-border-law-enforcement
    matrix_ref: "OP3(c)"
    description: Border, customs and police measures.
weapons:
  - id: nuclear
    description: Nuclear weapons.
  - id: chemical
    description: Chemical weapons.
types:
  - id: training
    description: Courses.
"""

RECORDS = {
    "requests/mex-2012.yaml": """\
        state: Mexico
        iso3: MEX
        received: "2012-05-14"
        language: en
        status: acknowledged
        items:
          - summary: Training of customs officers in detecting nuclear material.
            areas: [op3c-border-law-enforcement]
          - summary: Advice on a law criminalising chemical weapons.
            areas: [op2-legislation]
        history:
          - date: "2026-02-01"
            action: acknowledge
            reference: S/AC.44/2026/007
          - date: "2025-03-01"
            action: acknowledge
            reference: S/AC.44/2025/031
        """,
    "requests/bfa-2013.yaml": """\
        state: Burkina Faso
        iso3: BFA
        received: "2013-11"
        language: en
        status: received
        items:
          - summary: Fourniture d'équipements de détection.
        """,
    "requests/ecu-2024.yaml": """\
        state: Ecuador
        iso3: ECU
        received: "2024-12-12"
        language: es
        status: received
        items:
          - summary: Diagnóstico jurídico de la aplicación de la resolución.
        """,
    "offers/norway-mex.yaml": """\
        request: mex-2012
        items: [1]
        provider: norway
        programme: Border Monitoring Programme
        received: "2013-01-20"
        summary: A two-week course for customs officers.
        status: circulated
        history:
          - date: "2026-03-05"
            action: circulate
            reference: S/AC.44/2026/009
        """,
    "offers/iaea-mex.yaml": """\
        request: mex-2012
        provider: iaea
        received: "2013-02"
        summary: A legislative review mission.
        status: completed
        """,
    "providers/norway.yaml": """\
        name: Norway
        kind: state
        iso3: NOR
        last_confirmed: "2024-06-30"
        programmes:
          - name: Border Monitoring Programme
            summary: Courses for border guards and customs officers.
        """,
    "providers/iaea.yaml": """\
        name: International Atomic Energy Agency
        short_name: IAEA
        kind: international-organization
        programmes:
          - name: Legislative Assistance Programme
            summary: Help drafting national nuclear law.
        """,
}

CONFIG = """\
[assist1540]
[assist1540.languages]
BFA = "fr"
"""


def write_repo(
    root: Path,
    records: dict[str, str] | None = None,
    config: str = CONFIG,
) -> DataRepository:
    """Write a data repository with the project's templates and the given records."""
    (root / "assist1540.toml").write_text(config, encoding="utf-8")
    data = root / "data"
    for kind in ("requests", "offers", "providers", "events"):
        (data / kind).mkdir(parents=True, exist_ok=True)
    (data / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    for relative, text in (RECORDS if records is None else records).items():
        (data / relative).write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copytree(TEMPLATES, root / "templates")
    return DataRepository.find(root)


@pytest.fixture
def repo(tmp_path: Path) -> DataRepository:
    return write_repo(tmp_path)


@pytest.fixture
def catalog(repo: DataRepository) -> Catalog:
    loaded = load_catalog(repo)
    assert loaded.problems == []
    return loaded


def docx_text(letter: RenderedLetter) -> str:
    document = docx.Document(io.BytesIO(letter.docx_bytes()))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


# --- Every kind in every language -------------------------------------------------

DATES = {
    "en": "4 December 2026",
    "fr": "4 décembre 2026",
    "es": "4 de diciembre de 2026",
}

# (kind, record id, addressee heading per language, text the letter must quote)
LETTER_CASES = [
    (
        "acknowledgement",
        "mex-2012",
        {
            "en": "Permanent Mission of Mexico to the United Nations",
            "fr": "Mission permanente du Mexique auprès de l'Organisation des "
            "Nations Unies",
            "es": "Misión Permanente de México ante las Naciones Unidas",
        },
        ["Training of customs officers", "Advice on a law criminalising"],
    ),
    (
        "distribution",
        "mex-2012",
        {
            "en": "Permanent Missions of the States Members of the United Nations",
            "fr": "Missions permanentes des États Membres",
            "es": "Misiones Permanentes de los Estados Miembros",
        },
        ["Training of customs officers", "Advice on a law criminalising"],
    ),
    (
        "circulation",
        "norway-mex",
        {
            "en": "Members of the Security Council Committee",
            "fr": "Membres du Comité du Conseil de sécurité",
            "es": "Miembros del Comité del Consejo de Seguridad",
        },
        ["A two-week course for customs officers", "Training of customs officers"],
    ),
    (
        "offer-information",
        "mex-2012",
        {
            "en": "Permanent Mission of Mexico to the United Nations",
            "fr": "Mission permanente du Mexique",
            "es": "Misión Permanente de México",
        },
        ["A two-week course for customs officers", "Training of customs officers"],
    ),
    (
        "report-request",
        "norway-mex",
        {
            "en": "Permanent Mission of Norway to the United Nations",
            "fr": "Mission permanente de la Norvège",
            "es": "Misión Permanente de Noruega",
        },
        ["A two-week course for customs officers", "Training of customs officers"],
    ),
    (
        "feedback-request",
        "iaea-mex",
        {
            "en": "Permanent Mission of Mexico to the United Nations",
            "fr": "Mission permanente du Mexique",
            "es": "Misión Permanente de México",
        },
        ["Training of customs officers", "Advice on a law criminalising"],
    ),
    (
        "follow-up",
        "mex-2012",
        {
            "en": "Permanent Mission of Mexico to the United Nations",
            "fr": "Mission permanente du Mexique",
            "es": "Misión Permanente de México",
        },
        ["Training of customs officers", "A legislative review mission"],
    ),
    (
        "provider-confirmation",
        "iaea",
        {
            "en": "International Atomic Energy Agency",
            "fr": "International Atomic Energy Agency",
            "es": "International Atomic Energy Agency",
        },
        ["Legislative Assistance Programme", "Help drafting national nuclear law"],
    ),
]

OPENINGS = {
    "en": "The Chair of the Security Council Committee established pursuant to "
    "resolution 1540 (2004) presents his compliments",
    "fr": "Le Président du Comité du Conseil de sécurité créé par la résolution "
    "1540 (2004) présente ses compliments",
    "es": "El Presidente del Comité del Consejo de Seguridad establecido en virtud "
    "de la resolución 1540 (2004) saluda atentamente",
}
CLOSINGS = {
    "en": "the assurances of his highest consideration",
    "fr": "les assurances de sa très haute considération",
    "es": "las seguridades de su consideración más distinguida",
}
PLACE_LINES = {
    "en": "New York, 4 December 2026",
    "fr": "New York, le 4 décembre 2026",
    "es": "New York, 4 de diciembre de 2026",
}


def test_letter_cases_cover_every_kind() -> None:
    assert sorted(case[0] for case in LETTER_CASES) == sorted(LETTER_KINDS)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(
    ("kind", "record_id", "addressees", "quoted"),
    LETTER_CASES,
    ids=[case[0] for case in LETTER_CASES],
)
def test_letter_in_language(
    repo: DataRepository,
    catalog: Catalog,
    kind: str,
    record_id: str,
    addressees: dict[str, str],
    quoted: list[str],
    language: str,
) -> None:
    letter = render_letter(
        repo, catalog, kind, record_id, on=LETTER_DAY, language=language
    )
    docx_lines = docx_text(letter)

    assert letter.language == language
    assert letter.reference == "S/AC.44/2026/010"
    for text in (letter.markdown, letter.html, docx_lines):
        assert "S/AC.44/2026/010" in text
        assert DATES[language] in text
        assert addressees[language] in text.replace("&#39;", "'")
        for quote in quoted:
            assert quote in text
    assert OPENINGS[language] in letter.markdown
    assert CLOSINGS[language] in letter.markdown
    assert letter.markdown.rstrip().endswith(PLACE_LINES[language])
    assert letter.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in letter.html


def test_letter_language_from_config(repo: DataRepository, catalog: Catalog) -> None:
    letter = render_letter(repo, catalog, "acknowledgement", "bfa-2013", on=LETTER_DAY)

    assert letter.language == "fr"
    assert "Mission permanente du Burkina Faso" in letter.markdown
    assert "de novembre 2013" in letter.markdown


def test_letter_language_from_request(repo: DataRepository, catalog: Catalog) -> None:
    letter = render_letter(repo, catalog, "acknowledgement", "ecu-2024", on=LETTER_DAY)

    assert letter.language == "es"
    assert "Misión Permanente del Ecuador" in letter.markdown
    assert "de fecha 12 de diciembre de 2024" in letter.markdown


def test_letter_language_option_wins(repo: DataRepository, catalog: Catalog) -> None:
    letter = render_letter(
        repo, catalog, "acknowledgement", "bfa-2013", on=LETTER_DAY, language="en"
    )

    assert letter.language == "en"
    assert "Permanent Mission of Burkina Faso" in letter.markdown


def test_letter_chair_feminine(tmp_path: Path) -> None:
    config = CONFIG + '[assist1540.letters]\nchair = "feminine"\nplace = "Geneva"\n'
    repo = write_repo(tmp_path, config=config)
    catalog = load_catalog(repo)

    english = render_letter(repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY)
    spanish = render_letter(
        repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY, language="es"
    )

    assert "presents her compliments" in english.markdown
    assert "avails herself" in english.markdown
    assert "Geneva, 4 December 2026" in english.markdown
    assert "La Presidenta del Comité" in spanish.markdown


def test_offer_information_counts_offers(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["offers/iaea-mex.yaml"] = RECORDS["offers/iaea-mex.yaml"].replace(
        "status: completed", "status: received"
    )
    repo = write_repo(tmp_path, records)

    letter = render_letter(
        repo, load_catalog(repo), "offer-information", "mex-2012", on=LETTER_DAY
    )

    assert "the following offers of assistance" in letter.markdown
    assert "1. **International Atomic Energy Agency**" in letter.markdown
    assert "(needs addressed: 1, 2)" in letter.markdown
    assert "2. **Norway**, under the programme" in letter.markdown
    assert "(needs addressed: 1)" in letter.markdown


def test_offer_information_without_offers(
    repo: DataRepository, catalog: Catalog
) -> None:
    with pytest.raises(LetterError, match="request 'ecu-2024' has no offer"):
        render_letter(repo, catalog, "offer-information", "ecu-2024", on=LETTER_DAY)


@pytest.mark.parametrize(
    ("kind", "record_id", "message"),
    [
        ("thanks", "mex-2012", "unknown letter kind 'thanks'; use one of "),
        ("acknowledgement", "norway-mex", "no request 'norway-mex' in data/requests"),
        ("circulation", "mex-2012", "no offer 'mex-2012' in data/offers"),
    ],
)
def test_letter_for_wrong_record(
    repo: DataRepository, catalog: Catalog, kind: str, record_id: str, message: str
) -> None:
    with pytest.raises(Exception, match=message):
        render_letter(repo, catalog, kind, record_id, on=LETTER_DAY)


def test_letter_given_reference(repo: DataRepository, catalog: Catalog) -> None:
    letter = render_letter(
        repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY, reference="X/1"
    )

    assert letter.reference == "X/1"
    assert letter.markdown.startswith("X/1\n")


def test_docx_same_bytes(repo: DataRepository, catalog: Catalog) -> None:
    first = render_letter(repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY)
    second = render_letter(repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY)

    assert first.docx_bytes() == second.docx_bytes()
    assert first.html == second.html


def test_docx_lists_and_properties(repo: DataRepository, catalog: Catalog) -> None:
    letter = render_letter(repo, catalog, "acknowledgement", "mex-2012", on=LETTER_DAY)
    document = docx.Document(io.BytesIO(letter.docx_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]

    assert "1.\tTraining of customs officers in detecting nuclear material." in texts
    assert "2.\tAdvice on a law criminalising chemical weapons." in texts
    assert document.core_properties.title == "S/AC.44/2026/010"
    assert document.core_properties.created is not None
    assert document.core_properties.created.date() == LETTER_DAY


# --- Reference numbers ------------------------------------------------------------


def test_next_reference_after_highest(catalog: Catalog) -> None:
    assert next_reference(catalog, LETTER_DAY) == "S/AC.44/2026/010"


def test_next_reference_new_year(catalog: Catalog) -> None:
    assert next_reference(catalog, date(2027, 1, 2)) == "S/AC.44/2027/001"


def test_next_reference_past_year(catalog: Catalog) -> None:
    assert next_reference(catalog, date(2025, 6, 1)) == "S/AC.44/2025/032"


def test_next_reference_without_year(catalog: Catalog) -> None:
    assert next_reference(catalog, LETTER_DAY, "NV-{serial}") == "NV-1"


def test_next_reference_counts_unpadded(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["providers/iaea.yaml"] = textwrap.dedent(RECORDS["providers/iaea.yaml"])
    records["providers/iaea.yaml"] += textwrap.dedent(
        """\
        history:
          - date: "2026-04-01"
            action: request-confirmation
            reference: S/AC.44/2026/12
        """
    )
    repo = write_repo(tmp_path, records)

    assert next_reference(load_catalog(repo), LETTER_DAY) == "S/AC.44/2026/013"


def test_next_reference_unreadable_record(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["requests/broken.yaml"] = "state: [unclosed\n"
    repo = write_repo(tmp_path, records)

    with pytest.raises(ReferenceNumberError, match="data/requests/broken.yaml"):
        next_reference(load_catalog(repo), LETTER_DAY)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("S/AC.44/{year}", "it needs {serial} exactly once"),
        ("S/{year}/{serial}/{serial}", "it needs {serial} exactly once"),
        ("S/{month}/{serial}", "unknown field {month}"),
        ("S/{year:02d}/{serial}", "write {year} without a format"),
        ("S/{serial:x!}", "invalid reference pattern"),
        ("S/{}/{serial}", "unknown field {}"),
    ],
)
def test_reference_pattern_invalid(tmp_path: Path, pattern: str, message: str) -> None:
    config = f'[assist1540]\n[assist1540.letters]\nreference_pattern = "{pattern}"\n'

    with pytest.raises(RepositoryError) as raised:
        write_repo(tmp_path, config=config)

    assert message in str(raised.value)


# --- Hostile input and template errors --------------------------------------------


def test_letter_escapes_record_text(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["requests/mex-2012.yaml"] = RECORDS["requests/mex-2012.yaml"].replace(
        "Training of customs officers in detecting nuclear material.",
        "'<script>alert(1)</script> {{ 7*7 }} **bold** [link](http://x.test)'",
    )
    repo = write_repo(tmp_path, records)

    letter = render_letter(
        repo, load_catalog(repo), "acknowledgement", "mex-2012", on=LETTER_DAY
    )

    assert "<script>" not in letter.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in letter.html
    assert "**bold** [link](http://x.test)" in letter.html
    assert "49" not in letter.markdown
    assert "<strong>bold</strong>" not in letter.html
    assert "<script>alert(1)</script> {{ 7*7 }}" in docx_text(letter)


def _replace_template(repo: DataRepository, name: str, text: str) -> None:
    (repo.templates_dir / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("template_text", "message"),
    [
        (
            "{{ reference }}\n{{ request.stat }}\n",
            "templates/letters/en/acknowledgement.md.j2:2:1: error: undefined "
            "value: 'assist1540.rendering.letter_context.LetterRequest object' has no "
            "attribute 'stat'",
        ),
        (
            "line one\n\n{{ refrence }}\n",
            "templates/letters/en/acknowledgement.md.j2:3:1: error: undefined "
            "value: 'refrence' is undefined",
        ),
        (
            "{{ ''.__class__.__mro__ }}\n",
            "templates/letters/en/acknowledgement.md.j2:1:1: error: blocked by the "
            "template sandbox: access to attribute '__class__' of 'str' object is "
            "unsafe; templates may use only the values they are given",
        ),
        (
            "{{ request.__class__.__init__.__globals__ }}\n",
            "templates/letters/en/acknowledgement.md.j2:1:1: error: blocked by the "
            "template sandbox: access to attribute",
        ),
        (
            "ok\n{% if %}\n",
            "templates/letters/en/acknowledgement.md.j2:2:1: error: invalid template "
            "syntax",
        ),
    ],
)
def test_template_error_position(
    repo: DataRepository, catalog: Catalog, template_text: str, message: str
) -> None:
    _replace_template(repo, "letters/en/acknowledgement.md.j2", template_text)

    with pytest.raises(TemplateError) as raised:
        render_letter(repo, catalog, "acknowledgement", "mex-2012", on=LETTER_DAY)

    assert str(raised.value).startswith(message)


def test_template_missing(repo: DataRepository, catalog: Catalog) -> None:
    (repo.templates_dir / "letters/es/follow-up.md.j2").unlink()

    with pytest.raises(TemplateError, match="letters/es/follow-up.md.j2 not found"):
        render_letter(
            repo, catalog, "follow-up", "mex-2012", on=LETTER_DAY, language="es"
        )


# --- Command line -----------------------------------------------------------------


def run_render(repo: DataRepository, *arguments: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["--repo", str(repo.root), "render", *arguments],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_cli_letter_docx_file(repo: DataRepository, tmp_path: Path) -> None:
    out = tmp_path / "letters" / "ack.docx"

    code, stdout, stderr = run_render(
        repo,
        "letter",
        "acknowledgement",
        "bfa-2013",
        "--out",
        str(out),
        "--date",
        "2026-12-04",
    )

    assert code == 0
    assert stdout == ""
    assert stderr == (
        f"Wrote {out} (acknowledgement, fr, reference S/AC.44/2026/010)\n"
    )
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Mission permanente du Burkina Faso" in text
    assert list(out.parent.iterdir()) == [out]


def test_cli_letter_stdout(repo: DataRepository) -> None:
    code, stdout, stderr = run_render(
        repo,
        "letter",
        "follow-up",
        "ecu-2024",
        "--stdout",
        "--date",
        "2026-12-04",
        "--reference",
        "S/AC.44/2026/007",
    )

    assert code == 0
    assert stdout.startswith("S/AC.44/2026/007\n\n**Misión Permanente del Ecuador")
    assert stdout.endswith("New York, 4 de diciembre de 2026\n")
    assert stderr == (
        "warning: reference S/AC.44/2026/007 is already recorded in "
        "data/requests/mex-2012.yaml; reuse it only to print that letter again\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["follow-up", "mex-2012", "--stdout", "--format", "docx"],
            "error: a docx letter is binary and cannot go to stdout; write it with "
            "--out PATH instead\n",
        ),
        (
            ["follow-up", "mex-2012", "--stdout", "--out", "x.md"],
            "error: --out and --stdout cannot be combined; choose one\n",
        ),
        (
            ["follow-up", "mex-2012", "--format", "pdf"],
            "error: invalid --format 'pdf'; use md, html or docx\n",
        ),
        (
            ["follow-up", "mex-2012", "--date", "4/12/2026"],
            "error: invalid --date '4/12/2026'; write the day as YYYY-MM-DD, e.g. "
            "2026-12-04\n",
        ),
        (
            ["follow-up", "mex-2012", "--language", "de", "--stdout"],
            "error: invalid language 'de'; use one of en, fr, es\n",
        ),
    ],
)
def test_cli_letter_usage_errors(
    repo: DataRepository, arguments: list[str], message: str
) -> None:
    code, stdout, stderr = run_render(repo, "letter", *arguments)

    assert code == 2
    assert stdout == ""
    assert stderr == message


def test_cli_letter_template_error(repo: DataRepository) -> None:
    _replace_template(
        repo, "letters/en/_note_verbale.md.j2", "{{ reference }}\n{{ addresee }}\n"
    )

    code, stdout, stderr = run_render(
        repo, "letter", "follow-up", "mex-2012", "--stdout"
    )

    assert code == 1
    assert stdout == ""
    assert stderr.startswith(
        "templates/letters/en/_note_verbale.md.j2:2:1: error: undefined value: "
        "'addresee' is undefined"
    )
    assert "Traceback" not in stderr
