"""Assistance conferences: participants, pairings for meetings, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assist1540.catalog import Catalog
from assist1540.conference import (
    MIN_SHARE_OF_BEST,
    check_participants,
    plan_meetings,
)
from assist1540.errors import UsageError
from assist1540.matching import Matcher
from assist1540.models import Event
from conftest import TAXONOMY, commit_all, make_repo, run_cli
from step_helpers import commit_files, head, make_catalog, snapshot, without_schema_line

REQUESTS: dict[str, dict[str, Any]] = {
    "mex-2026": {
        "state": "Mexico",
        "iso3": "MEX",
        "received": "2026-01-05",
        "status": "distributed",
        "items": [
            {
                "summary": "Help drafting a model law against chemical weapons.",
                "areas": ["op2-legislation"],
                "weapons": ["chemical"],
                "types": ["legal-drafting"],
            },
            {
                "summary": "Detection equipment for customs at the border.",
                "areas": ["op3c-border-law-enforcement"],
                "weapons": ["nuclear"],
                "types": ["equipment"],
            },
        ],
    },
    "per-2026": {
        "state": "Peru",
        "iso3": "PER",
        "received": "2026-02-01",
        "status": "received",
        "items": [
            {
                "summary": "Customs training on export controls.",
                "areas": ["op3d-export-control"],
                "types": ["training"],
            }
        ],
    },
    "arm-2020": {
        "state": "Armenia",
        "iso3": "ARM",
        "received": "2020",
        "status": "closed",
        "items": [{"summary": "Model law."}],
    },
}

PROVIDERS: dict[str, dict[str, Any]] = {
    "canada": {
        "name": "Canada",
        "kind": "state",
        "iso3": "CAN",
        "areas": ["op2-legislation"],
        "weapons": ["chemical"],
        "types": ["legal-drafting"],
        "programmes": [
            {
                "name": "Legal drafting help",
                "summary": "Model laws for the chemical weapons convention.",
                "areas": ["op2-legislation"],
                "weapons": ["chemical"],
                "types": ["legal-drafting"],
            }
        ],
    },
    "wco": {
        "name": "World Customs Organization",
        "short_name": "WCO",
        "kind": "international-organization",
        "areas": ["op3c-border-law-enforcement", "op3d-export-control"],
        "types": ["training", "equipment"],
        "programmes": [
            {
                "name": "Border control",
                "summary": "Customs training and detection equipment at the border.",
                "areas": ["op3c-border-law-enforcement"],
                "weapons": ["nuclear"],
                "types": ["equipment", "training"],
            },
            {
                "name": "Strategic trade",
                "summary": "Export control training for customs officers.",
                "areas": ["op3d-export-control"],
                "types": ["training"],
            },
        ],
    },
    "mexico": {
        "name": "Mexico",
        "kind": "state",
        "iso3": "MEX",
        "areas": ["op2-legislation", "op3d-export-control"],
        "weapons": ["chemical"],
        "types": ["training", "legal-drafting"],
        "programmes": [
            {
                "name": "Export control courses",
                "summary": "Export control training for customs.",
                "areas": ["op3d-export-control"],
                "types": ["training"],
            }
        ],
    },
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return make_catalog(requests=REQUESTS, providers=PROVIDERS)


def event(*participants: str) -> Event:
    return Event.model_validate(
        {
            "name": "Regional conference",
            "date": "2026-05",
            "participants": list(participants),
        }
    )


def pairs(catalog: Catalog, *participants: str, top: int = 5) -> list[tuple[str, str]]:
    plan = plan_meetings(catalog, event(*participants), top=top)
    return [(pairing.state, pairing.provider) for pairing in plan.pairings]


# --- Participants -----------------------------------------------------------------


def test_check_participants_normalises_codes(catalog: Catalog) -> None:
    assert check_participants(catalog, ["mex", "PER", "canada", "wco"]) == [
        "MEX",
        "PER",
        "canada",
        "wco",
    ]


@pytest.mark.parametrize(
    ("participants", "message"),
    [
        (
            ["MEX", "unesco"],
            "invalid --participant 'unesco': it is neither a provider id nor an ISO3 "
            "code; use a file name from data/providers, such as canada, or a code "
            "such as MEX",
        ),
        (["MEX", "mex"], "--participant lists the same participant twice"),
    ],
)
def test_check_participants_rejects(
    catalog: Catalog, participants: list[str], message: str
) -> None:
    with pytest.raises(UsageError, match=f"^{re.escape(message)}$"):
        check_participants(catalog, participants)


# --- Pairings ---------------------------------------------------------------------


def test_plan_pairs_items_with_fitting_providers(catalog: Catalog) -> None:
    plan = plan_meetings(catalog, event("MEX", "PER", "canada", "wco"))

    agendas = {
        (pairing.state, pairing.provider): [
            (item.request, item.item) for item in pairing.items
        ]
        for pairing in plan.pairings
    }
    # MEX also stands for the provider `mexico`, which offers Peru its courses.
    assert agendas == {
        ("MEX", "canada"): [("mex-2026", 1)],
        ("MEX", "wco"): [("mex-2026", 2)],
        ("PER", "mexico"): [("per-2026", 1)],
        ("PER", "wco"): [("per-2026", 1)],
    }
    assert plan.left_out == ()


def test_plan_scores_are_item_sums(catalog: Catalog) -> None:
    plan = plan_meetings(catalog, event("MEX", "canada", "wco"))
    matcher = Matcher(catalog)

    for pairing in plan.pairings:
        for item in pairing.items:
            ranking = matcher.rank_item(catalog.requests[item.request], item.item)
            match = next(m for m in ranking.matches if m.provider == pairing.provider)
            assert item.score == match.score
            assert item.reasons == match.reasons
            assert item.programme == match.programme
        assert pairing.score == round(sum(item.score for item in pairing.items), 3)
    scores = [pairing.score for pairing in plan.pairings]
    assert scores == sorted(scores, reverse=True)


def test_plan_keeps_providers_near_best(catalog: Catalog) -> None:
    participants = ("MEX", "PER", "canada", "wco")
    plan = plan_meetings(catalog, event(*participants))
    matcher = Matcher(catalog)
    paired = {
        (item.request, item.item, pairing.provider)
        for pairing in plan.pairings
        for item in pairing.items
    }

    for request_id in ("mex-2026", "per-2026"):
        entry = catalog.requests[request_id]
        for number in range(1, len(entry.record.items) + 1):
            scores = {
                match.provider: match.score
                for match in matcher.rank_item(entry, number).matches
                if match.provider in participants
            }
            best = max(scores.values())
            for provider_id, score in scores.items():
                expected = score > 0 and score >= MIN_SHARE_OF_BEST * best
                assert ((request_id, number, provider_id) in paired) is expected


def test_plan_state_code_counts_as_provider(catalog: Catalog) -> None:
    # MEX requests and, as the provider `mexico`, also offers export control help.
    assert ("PER", "mexico") in pairs(catalog, "MEX", "PER")


def test_plan_never_pairs_state_with_itself(catalog: Catalog) -> None:
    assert ("MEX", "mexico") not in pairs(catalog, "MEX", "mexico", "canada")


def test_plan_leaves_out_closed_and_unknown(catalog: Catalog) -> None:
    plan = plan_meetings(catalog, event("ARM", "FRA", "canada"))

    assert plan.pairings == ()
    assert plan.left_out == (
        ("ARM", "has no open request and is not on the list of providers"),
        ("FRA", "has no open request and is not on the list of providers"),
    )


def test_plan_top_limits_pairs_per_state(catalog: Catalog) -> None:
    everyone = ("MEX", "PER", "canada", "wco", "mexico")

    limited = pairs(catalog, *everyone, top=1)

    assert [state for state, _ in limited] == ["MEX", "PER"]
    assert set(limited) <= set(pairs(catalog, *everyone))


def test_plan_without_providers_is_empty(catalog: Catalog) -> None:
    assert pairs(catalog, "MEX", "PER") == [("PER", "mexico")]
    assert pairs(catalog, "PER") == []


# --- CLI --------------------------------------------------------------------------


def _yaml(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {"data/taxonomy.yaml": TAXONOMY}
    for request_id, values in REQUESTS.items():
        files[f"data/requests/{request_id}.yaml"] = _yaml(values)
    for provider_id, values in PROVIDERS.items():
        files[f"data/providers/{provider_id}.yaml"] = _yaml(values)
    root = make_repo(tmp_path, files)
    commit_all(root)
    return root


ADD_EVENT = [
    "event",
    "add",
    "lima-2026",
    "--name",
    "Regional assistance conference",
    "--date",
    "2026-05-12",
    "--place",
    "Lima",
    "--participant",
    "per",
    "--participant",
    "MEX",
    "--participant",
    "canada",
    "--participant",
    "wco",
]


def test_event_add_writes_record(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(ADD_EVENT, repo)
    commit = head(repo)
    after = snapshot(repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "lima-2026\n"
    text = after.pop("data/events/lima-2026.yaml").decode("utf-8")
    assert without_schema_line(text) == (
        "name: Regional assistance conference\n"
        'date: "2026-05-12"\n'
        "place: Lima\n"
        "participants:\n"
        "  - PER\n"
        "  - MEX\n"
        "  - canada\n"
        "  - wco\n"
    )
    assert after == before
    assert commit.message == "Add event lima-2026\n"
    assert commit_files(commit) == ["data/events/lima-2026.yaml"]
    assert run_cli(["validate"], repo).exit_code == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"--date": "12 May"},
            "invalid --date: invalid date '12 May'; write YYYY-MM-DD, or YYYY-MM or "
            "YYYY when the source gives only the month or the year",
        ),
        ({"--name": ""}, "--name is empty; give the conference's name"),
        (
            {"--participant": "unesco"},
            "invalid --participant 'unesco': it is neither a provider id nor an ISO3 "
            "code; use a file name from data/providers, such as canada, or a code "
            "such as MEX",
        ),
    ],
)
def test_event_add_rejects(repo: Path, changes: dict[str, str], message: str) -> None:
    before = snapshot(repo)
    arguments = list(ADD_EVENT)
    for option, value in changes.items():
        arguments[arguments.index(option) + 1] = value

    result = run_cli(arguments, repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert snapshot(repo) == before


def test_event_add_existing_id(repo: Path) -> None:
    run_cli(ADD_EVENT, repo)
    before = snapshot(repo)

    result = run_cli(ADD_EVENT, repo)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: data/events/lima-2026.yaml exists already; choose another id\n"
    )
    assert snapshot(repo) == before


def test_match_event_json(repo: Path) -> None:
    run_cli(ADD_EVENT, repo)

    result = run_cli(["match", "--event", "lima-2026", "--json"], repo)

    assert result.exit_code == 0, result.stderr
    meetings = json.loads(result.stdout)
    assert {(m["state"], m["provider"]) for m in meetings} == {
        ("MEX", "canada"),
        ("MEX", "wco"),
        ("PER", "mexico"),
        ("PER", "wco"),
    }
    peru = next(m for m in meetings if m["provider"] == "wco" and m["state"] == "PER")
    assert [(item["request"], item["item"]) for item in peru["items"]] == [
        ("per-2026", 1)
    ]
    assert peru["items"][0]["programme"] == "Strategic trade"
    assert peru["items"][0]["summary"] == "Customs training on export controls."
    assert "areas: op3d-export-control" in peru["items"][0]["reasons"]
    assert result.stderr == "4 meetings proposed\n"


def test_match_event_table(repo: Path) -> None:
    arguments = [*ADD_EVENT, "--participant", "ARM"]
    run_cli(arguments, repo)

    result = run_cli(["match", "--event", "lima-2026"], repo)

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "lima-2026: Regional assistance conference"
    assert [cell.strip() for cell in lines[2].split("┃")[1:-1]] == [
        "requesting State",
        "provider",
        "items",
        "score",
        "why",
    ]
    rows = [line.split("│")[1:4] for line in lines if line.startswith("│ ")]
    firsts = [[cell.strip() for cell in row] for row in rows if row[0].strip()]
    assert sorted(row[:2] for row in firsts) == [
        ["Mexico (MEX)", "Canada"],
        ["Mexico (MEX)", "WCO"],
        ["Peru (PER)", "Mexico"],
        ["Peru (PER)", "WCO"],
    ]
    assert all(
        re.fullmatch(r"(mex|per)-2026 #[12] \(\d+\.\d\)", row[2]) for row in firsts
    )
    assert result.stderr == (
        "left out: ARM has no open request and is not on the list of providers\n"
        "4 meetings proposed\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["match", "--event", "lima-2025"],
            "event 'lima-2025' not found in data/events; did you mean lima-2026?",
        ),
        (
            ["match", "mex-2026", "--event", "lima-2026"],
            "--event pairs the event's participants, so it cannot be combined with "
            "request ids, --area, --provider-kind or --suggest-tags",
        ),
    ],
)
def test_match_event_rejects(repo: Path, arguments: list[str], message: str) -> None:
    run_cli(ADD_EVENT, repo)

    result = run_cli(arguments, repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
