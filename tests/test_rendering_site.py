"""Tests of the public site: what it lists, the privacy gate, determinism, escaping."""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import assist1540.commands.render  # noqa: F401  (registers `render` on the app)
from assist1540.catalog import load_catalog
from assist1540.commands._app import app
from assist1540.rendering.environment import TemplateError
from assist1540.rendering.public import (
    PublicItem,
    PublicProgramme,
    PublicProvider,
    PublicRequest,
    PublicTerm,
    _Terms,
    build_public_listing,
)
from assist1540.rendering.site import SITE_MARKER, SiteError, render_site
from assist1540.repository import DataRepository

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

TAXONOMY = """\
version: 1
areas:
  - id: op2-legislation
    matrix_ref: "OP2"
    description: Laws against non-State actors' activities.
  - id: op3c-border-law-enforcement
    matrix_ref: "OP3(c)"
    description: Border, customs and police measures.
  - id: laboratory-capacity
    matrix_ref: cross-cutting
    description: Laboratories and their staff.
weapons:
  - id: nuclear
    description: Nuclear weapons.
  - id: chemical
    description: Chemical weapons.
  - id: biological
    description: Biological weapons.
types:
  - id: training
    description: Courses.
  - id: equipment
    description: Equipment.
"""


def request_yaml(
    state: str,
    iso3: str,
    received: str,
    summary: str,
    *,
    areas: str = "[]",
    weapons: str = "[]",
    status: str = "distributed",
    consent: str = "granted",
    published: str = "true",
    source: str = "https://example.org/source",
    extra: str = "",
) -> str:
    """Write a request record; `extra` adds fields at the top level."""
    return (
        f"state: {state}\n"
        f"iso3: {iso3}\n"
        f'received: "{received}"\n'
        f"status: {status}\n"
        f"consent:\n  status: {consent}\n"
        f"published: {published}\n"
        "items:\n"
        f"  - summary: {summary}\n"
        f"    areas: {areas}\n"
        f"    weapons: {weapons}\n"
        "    types: [training]\n"
        "sources:\n"
        f"  - {source}\n"
        f"{textwrap.dedent(extra)}"
    )


# Public requests in three regions and three years, with different areas and
# weapon categories, for the listing and the browser's filters.
PUBLIC_REQUESTS = {
    "arm-2015": request_yaml(
        "Armenia",
        "ARM",
        "2015-03-25",
        "Training for chemical laboratory staff.",
        areas="[laboratory-capacity]",
        weapons="[chemical]",
    ),
    "arm-2009": request_yaml(
        "Armenia",
        "ARM",
        "2009-02",
        "Help drafting a law on nuclear terrorism.",
        areas="[op2-legislation]",
        weapons="[nuclear]",
    ),
    "ago-2008": request_yaml(
        "Angola",
        "AGO",
        "2008-04-30",
        "Detection kit for customs.",
        areas="[op3c-border-law-enforcement]",
        weapons="[nuclear, chemical, biological]",
        status="matched",
    ),
    "per-2017": request_yaml(
        "Peru",
        "PER",
        "2017",
        "Customs training on biological agents.",
        areas="[op3c-border-law-enforcement]",
        weapons="[biological]",
        status="closed",
    ),
}

PROVIDERS = {
    "norway": """\
        name: Norway
        kind: state
        iso3: NOR
        regions: [global]
        areas: [op3c-border-law-enforcement]
        weapons: [nuclear]
        programmes:
          - name: Border Monitoring Programme
            summary: Courses for customs officers.
            areas: [op3c-border-law-enforcement]
            weapons: [nuclear, biological]
        """,
    "opcw": """\
        name: Organisation for the Prohibition of Chemical Weapons
        short_name: OPCW
        kind: international-organization
        areas: [laboratory-capacity]
        weapons: [chemical]
        programmes:
          - name: Laboratory Twinning
            summary: Pairs laboratories for training.
            areas: [laboratory-capacity]
            weapons: [chemical]
        """,
}


def write_site_repo(
    root: Path,
    requests: dict[str, str] | None = None,
    providers: dict[str, str] | None = None,
    offers: dict[str, str] | None = None,
) -> DataRepository:
    """Write a data repository with the project's templates and the given records."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "assist1540.toml").write_text("[assist1540]\n", encoding="utf-8")
    data = root / "data"
    for kind in ("requests", "offers", "providers", "events"):
        (data / kind).mkdir(parents=True, exist_ok=True)
    (data / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    records = {
        "requests": PUBLIC_REQUESTS if requests is None else requests,
        "providers": PROVIDERS if providers is None else providers,
        "offers": offers or {},
    }
    for kind, texts in records.items():
        for record_id, text in texts.items():
            path = data / kind / f"{record_id}.yaml"
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copytree(TEMPLATES, root / "templates")
    return DataRepository.find(root)


def render(repo: DataRepository, out: Path, site_format: str = "html") -> Path:
    catalog = load_catalog(repo)
    assert catalog.problems == []
    render_site(repo, catalog, out, site_format)  # type: ignore[arg-type]
    return out


def read_tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- What the site lists ----------------------------------------------------------


def test_site_files(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")

    site = render(repo, tmp_path / "site")

    assert sorted(read_tree(site)) == [
        SITE_MARKER,
        "assets/filter.js",
        "assets/site.css",
        "index.html",
        "providers.html",
        "providers/norway.html",
        "providers/opcw.html",
        "requests/ago-2008.html",
        "requests/arm-2009.html",
        "requests/arm-2015.html",
        "requests/per-2017.html",
    ]


def test_site_groups_regions_states(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")

    listing = build_public_listing(load_catalog(repo))

    assert [
        (region.label, [state.name for state in region.states])
        for region in listing.regions
    ] == [
        ("Middle Africa", ["Angola"]),
        ("South America", ["Peru"]),
        ("Western Asia", ["Armenia"]),
    ]
    armenia = listing.regions[2].states[0]
    assert [request.id for request in armenia.requests] == ["arm-2015", "arm-2009"]


def test_site_index_order_and_tags(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")

    index = (render(repo, tmp_path / "site") / "index.html").read_text()

    assert index.index("Middle Africa") < index.index("South America")
    assert index.index("South America") < index.index("Western Asia")
    assert index.index("Request of 25 March 2015") < index.index(
        "Request of February 2009"
    )
    assert "Status: <strong>Matched with offers</strong>" in index
    assert "Border law enforcement (OP3(c))" in index
    assert '<li title="Laboratories and their staff.">Laboratory capacity</li>' in index
    assert 'data-areas="op3c-border-law-enforcement"' in index
    assert 'data-weapons="biological chemical nuclear"' in index
    assert 'data-region="western-asia" data-year="2009"' in index
    assert '<label for="filter-year">Year</label>' in index


def test_site_provider_pages(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")

    directory = (site / "providers.html").read_text()
    page = (site / "providers/opcw.html").read_text()

    assert '<a href="providers/opcw.html">Organisation for the Prohibition of' in (
        directory
    )
    assert 'data-weapons="biological nuclear" data-kind="state"' in directory
    assert '<h3 id="programme-1">Laboratory Twinning</h3>' in page
    assert "Pairs laboratories for training." in page


def test_terms_unknown_id_and_kind(tmp_path: Path) -> None:
    terms = _Terms(load_catalog(write_site_repo(tmp_path / "repo")).taxonomy)

    areas = terms.get("areas", ["laboratory-capacity", "op9-unknown"])
    again = terms.get("areas", ("laboratory-capacity", "op9-unknown"))
    weapons = terms.get("weapons", ["laboratory-capacity"])

    assert areas == again
    assert areas[0].label == "Laboratory capacity"
    assert areas[0].description == "Laboratories and their staff."
    assert areas[1] == PublicTerm("op9-unknown", "op9-unknown", "")
    # A term id of one kind is unknown under another.
    assert weapons == (PublicTerm("laboratory-capacity", "laboratory-capacity", ""),)


def test_site_no_external_resources(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")

    for relative, content in read_tree(site).items():
        text = content.decode("utf-8")
        for attribute in ("src=", "@import", "url("):
            for found in text.split(attribute)[1:]:
                assert not found.lstrip("\"'( ").startswith(("http", "//")), relative
        assert '<link rel="stylesheet" href="http' not in text


@pytest.mark.parametrize(
    ("status", "consent", "published"),
    [
        ("received", "granted", "true"),
        ("informal", "granted", "true"),
        ("distributed", "refused", "false"),
        ("distributed", "withdrawn", "false"),
        ("distributed", "not-asked", "false"),
        ("distributed", "unknown", "false"),
        ("distributed", "granted", "false"),
    ],
)
def test_site_leaves_out_request(
    tmp_path: Path, status: str, consent: str, published: str
) -> None:
    requests = dict(PUBLIC_REQUESTS)
    requests["mex-2012"] = request_yaml(
        "Mexico",
        "MEX",
        "2012",
        "LEFT-OUT-SUMMARY",
        status=status,
        consent=consent,
        published=published,
    )
    repo = write_site_repo(tmp_path / "repo", requests)

    for site_format in ("html", "markdown"):
        site = render(repo, tmp_path / site_format, site_format)
        files = read_tree(site)

        assert not any("mex-2012" in name for name in files)
        assert not any(b"LEFT-OUT-SUMMARY" in content for content in files.values())
        assert not any(b"Mexico" in content for content in files.values())


# --- Privacy gate -----------------------------------------------------------------

# Every internal field, and every field of a request that must not be published,
# holds its own marker. None may appear in any public file.
PRIVATE_MARKERS = {
    "request-contact-name": "PRIV-RQ-CONTACT-NAME",
    "request-contact-role": "PRIV-RQ-CONTACT-ROLE",
    "request-contact-email": "priv-rq-contact@mission.example",
    "request-contact-phone": "+1 555 0101 PRIV",
    "request-internal-notes": "PRIV-RQ-INTERNAL-NOTES",
    "request-authentication-method": "PRIV-RQ-AUTH-METHOD",
    "request-authentication-reference": "PRIV-RQ-AUTH-REFERENCE",
    "request-authentication-note": "PRIV-RQ-AUTH-NOTE",
    "request-history-note": "PRIV-RQ-HISTORY-NOTE",
    "request-history-actor": "PRIV-RQ-HISTORY-ACTOR",
    "request-history-reference": "PRIV-RQ-HISTORY-REFERENCE",
    "request-channel-detail": "PRIV-RQ-CHANNEL-DETAIL",
    "unconsented-state": "Privatestan",
    "unconsented-summary": "PRIV-UNCONSENTED-SUMMARY",
    "unconsented-notes": "PRIV-UNCONSENTED-NOTES",
    "withdrawn-summary": "PRIV-WITHDRAWN-SUMMARY",
    "offer-summary": "PRIV-OFFER-SUMMARY",
    "offer-internal-notes": "PRIV-OFFER-INTERNAL-NOTES",
    "offer-contact": "PRIV-OFFER-CONTACT",
    "provider-contact-name": "PRIV-PROVIDER-CONTACT-NAME",
    "provider-contact-email": "priv-provider@agency.example",
    "provider-internal-notes": "PRIV-PROVIDER-INTERNAL-NOTES",
    "provider-history-note": "PRIV-PROVIDER-HISTORY-NOTE",
}


def private_repo(root: Path) -> DataRepository:
    marker = PRIVATE_MARKERS
    requests = dict(PUBLIC_REQUESTS)
    requests["arm-2015"] += textwrap.dedent(
        f"""\
        channel_detail: {marker["request-channel-detail"]}
        contacts:
          - name: {marker["request-contact-name"]}
            role: {marker["request-contact-role"]}
            email: {marker["request-contact-email"]}
            phone: "{marker["request-contact-phone"]}"
        internal_notes: {marker["request-internal-notes"]}
        authentication:
          date: "2015-03-26"
          method: {marker["request-authentication-method"]}
          reference: {marker["request-authentication-reference"]}
          note: {marker["request-authentication-note"]}
        history:
          - date: "2015-03-27"
            action: acknowledge
            actor: {marker["request-history-actor"]}
            reference: {marker["request-history-reference"]}
            note: {marker["request-history-note"]}
        """
    )
    requests["mex-2012"] = request_yaml(
        marker["unconsented-state"],
        "MEX",
        "2012",
        marker["unconsented-summary"],
        consent="refused",
        published="false",
        extra=f"notes: {marker['unconsented-notes']}\n",
    )
    requests["per-2020"] = request_yaml(
        "Peru",
        "PER",
        "2020",
        marker["withdrawn-summary"],
        consent="withdrawn",
        published="false",
    )
    providers = dict(PROVIDERS)
    providers["norway"] = textwrap.dedent(PROVIDERS["norway"]) + textwrap.dedent(
        f"""\
        contacts:
          - name: {marker["provider-contact-name"]}
            email: {marker["provider-contact-email"]}
        internal_notes: {marker["provider-internal-notes"]}
        history:
          - date: "2024-01-01"
            action: confirm
            note: {marker["provider-history-note"]}
        """
    )
    offers = {
        "norway-arm": f"""\
            request: arm-2015
            provider: norway
            received: "2016"
            summary: {marker["offer-summary"]}
            status: taken-up
            internal_notes: {marker["offer-internal-notes"]}
            contacts:
              - name: {marker["offer-contact"]}
            """
    }
    return write_site_repo(root, requests, providers, offers)


@pytest.mark.parametrize("site_format", ["html", "markdown"])
def test_privacy_markers_absent(tmp_path: Path, site_format: str) -> None:
    repo = private_repo(tmp_path / "repo")

    files = read_tree(render(repo, tmp_path / "site", site_format))
    everything = b"\n".join(files.values()).decode("utf-8")

    # The request that carries the markers is itself public, so its page exists.
    assert any("arm-2015" in name for name in files)
    assert "Training for chemical laboratory staff." in everything
    for field, marker in PRIVATE_MARKERS.items():
        assert marker not in everything, field
        assert marker.lower() not in everything.lower(), field


def test_privacy_allow_list() -> None:
    # The public views are the allow-list: a new field must be added here on
    # purpose, after checking that it may be published.
    def names(view: type) -> set[str]:
        return {field.name for field in dataclasses.fields(view)}

    assert names(PublicRequest) == {
        "id", "state", "iso3", "region", "region_slug", "received", "received_text",
        "year", "status", "status_label", "items", "notes", "sources", "area_ids",
        "weapon_ids",
    }  # fmt: skip
    assert names(PublicItem) == {"number", "summary", "areas", "weapons", "types"}
    assert names(PublicProvider) == {
        "id", "name", "short_name", "kind", "kind_label", "regions", "areas",
        "weapons", "types", "notes", "sources", "last_confirmed", "programmes",
        "area_ids", "weapon_ids",
    }  # fmt: skip
    assert names(PublicProgramme) == {
        "name", "summary", "regions", "areas", "weapons", "types", "last_confirmed"
    }  # fmt: skip


def test_withdrawn_consent_removes_page(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")
    assert (site / "requests/arm-2015.html").is_file()

    record = repo.data_dir / "requests/arm-2015.yaml"
    text = record.read_text()
    text = text.replace("status: granted", "status: withdrawn")
    record.write_text(text.replace("published: true", "published: false"))
    render(repo, site)

    files = read_tree(site)
    assert "requests/arm-2015.html" not in files
    assert "requests/arm-2009.html" in files
    assert b"Training for chemical laboratory staff." not in files["index.html"]
    # Neither the new folder nor the old one is left beside the site.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo", "site"]


def test_site_refuses_foreign_folder(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_text("keep me")

    with pytest.raises(SiteError, match="already contains files that 'render site'"):
        render(repo, out)

    assert (out / "thesis.txt").read_text() == "keep me"


def test_site_refuses_broken_record(tmp_path: Path) -> None:
    requests = dict(PUBLIC_REQUESTS)
    requests["bad"] = "state: Peru\niso3: PER\n"
    repo = write_site_repo(tmp_path / "repo", requests)

    with pytest.raises(SiteError) as raised:
        render_site(repo, load_catalog(repo), tmp_path / "site")

    assert "data/requests/bad.yaml" in str(raised.value)
    assert not (tmp_path / "site").exists()


def test_template_error_keeps_old_site(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")
    before = read_tree(site)
    # Pages are written as they are rendered, and the provider pages come after
    # the request pages, so this error stops a render halfway.
    (repo.templates_dir / "site/provider.html.j2").write_text(
        "{{ provider.nam }}\n", encoding="utf-8"
    )

    with pytest.raises(TemplateError) as raised:
        render(repo, site)

    assert "templates/site/provider.html.j2:1:1" in str(raised.value)
    assert read_tree(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo", "site"]


def test_template_error_makes_no_folders(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    (repo.templates_dir / "site/provider.html.j2").write_text(
        "{{ provider.nam }}\n", encoding="utf-8"
    )

    with pytest.raises(TemplateError):
        render(repo, tmp_path / "public" / "www" / "site")

    assert not (tmp_path / "public").exists()


def test_missing_assets_keeps_old_site(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")
    before = read_tree(site)
    shutil.rmtree(repo.templates_dir / "site/assets")

    with pytest.raises(SiteError, match="assets folder .* is missing"):
        render(repo, site)

    assert read_tree(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo", "site"]


# --- Determinism and hostile text --------------------------------------------------


@pytest.mark.parametrize("site_format", ["html", "markdown"])
def test_site_same_bytes(tmp_path: Path, site_format: str) -> None:
    repo = private_repo(tmp_path / "repo")

    first = read_tree(render(repo, tmp_path / "first", site_format))
    second = read_tree(render(repo, tmp_path / "second", site_format))
    again = read_tree(render(repo, tmp_path / "first", site_format))

    assert first == second
    assert first == again


def hostile_repo(root: Path) -> DataRepository:
    requests = dict(PUBLIC_REQUESTS)
    requests["arm-2015"] = request_yaml(
        "Armenia",
        "ARM",
        "2015-03-25",
        "'<script>alert(1)</script> {{ 7*7 }} {% raw %} **bold** [x](javascript:y)'",
        source="javascript:alert(1)",
        extra="notes: \"<img src=x onerror=alert(1)> & {{ ''.__class__ }}\"\n",
    )
    return write_site_repo(root, requests)


def test_site_escapes_html(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site")

    page = (site / "requests/arm-2015.html").read_text()
    index = (site / "index.html").read_text()

    for html in (page, index):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}" in html
        assert "49" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; {{ &#39;&#39;.__class__ }}" in page
    assert 'href="javascript:' not in page
    assert "<li>javascript:alert(1)</li>" in page


def test_site_escapes_markdown(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo")
    site = render(repo, tmp_path / "site", "markdown")

    page = (site / "requests/arm-2015.md").read_text()

    assert (
        "1. \\<script\\>alert(1)\\</script\\> \\{\\{ 7\\*7 \\}\\} \\{\\% raw \\%\\} "
        "\\*\\*bold\\*\\* "
        "\\[x\\](javascript:y)\n"
    ) in page
    assert "](<javascript" not in page
    assert page.startswith('---\ntitle: "Request of Armenia, 25 March 2015"\n---\n')


def test_site_markdown_pages(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")

    files = read_tree(render(repo, tmp_path / "site", "markdown"))
    index = files["index.md"].decode("utf-8")

    assert sorted(files) == [
        SITE_MARKER,
        "index.md",
        "providers.md",
        "providers/norway.md",
        "providers/opcw.md",
        "requests/ago-2008.md",
        "requests/arm-2009.md",
        "requests/arm-2015.md",
        "requests/per-2017.md",
    ]
    assert "## Western Asia\n\n### Armenia\n\n- [Request of 25 March 2015]" in index
    assert "(requests/arm-2015.md). Status: Distributed to providers." in index


# --- Command line -----------------------------------------------------------------


def test_cli_site(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")
    out = tmp_path / "public"

    result = CliRunner().invoke(
        app, ["--repo", str(repo.root), "render", "site", "--out", str(out)]
    )

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        f"Wrote 10 files to {out}: 4 published requests, 2 providers\n"
    )
    assert (out / "index.html").is_file()


def test_cli_site_bad_format(tmp_path: Path) -> None:
    repo = write_site_repo(tmp_path / "repo")

    result = CliRunner().invoke(
        app,
        ["--repo", str(repo.root), "render", "site", "--out", "x", "--format", "pdf"],
    )

    assert result.exit_code == 2
    assert result.stderr == "error: invalid --format 'pdf'; use html or markdown\n"


def test_markdown_site_hides_template_delimiters() -> None:
    from assist1540.rendering.environment import escape_markdown

    text = escape_markdown("{{ 7*7 }} {% raw %} {{< shortcode >}} 100%")

    for delimiter in ("{{", "}}", "{%", "%}", "{{<"):
        assert delimiter not in text
    assert text == r"\{\{ 7\*7 \}\} \{\% raw \%\} \{\{\< shortcode \>\}\} 100\%"
