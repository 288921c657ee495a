"""`status`, `list`, `due` and `briefing record` through the CLI."""

# The expected tables are as wide as the 100-column terminal the tests set.
# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from conftest import PROVIDER, REQUEST, commit_all, make_repo, run_cli
from step_helpers import commit_files, head, snapshot

OFFER = """\
request: mex-2006
items: [1]
provider: canada
programme: Counter-Terrorism Capacity Building Program
received: 2007-03-01
summary: A customs training course in Ottawa.
status: taken-up
history:
  - date: "2007-04-02"
    action: take-up
    actor: Expert One
    reference: MEX/2007/12
  - date: "2007-03-05"
    action: circulate
    actor: Expert One
"""

PERU_REQUEST = """\
state: Peru
iso3: PER
received: "2017-03-07"
status: distributed
consent:
  status: granted
  date: "2017-03-10"
published: true
items:
  - summary: Help drafting a law on chemical weapons.
    areas: [op2-legislation]
    weapons: [chemical]
    types: [legal-drafting]
history:
  - date: "2017-03-20"
    action: distribute
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2006.yaml": REQUEST,
            "data/requests/per-2017-03-07.yaml": PERU_REQUEST,
            "data/providers/canada.yaml": PROVIDER.replace(
                "iso3: CAN\n", "iso3: CAN\nlast_confirmed: 2025-06-01\n"
            ),
            "data/offers/canada-mex-2006.yaml": OFFER,
        },
    )
    commit_all(root)
    return root


# --- status -----------------------------------------------------------------------


def test_status_request_fields_and_tables(repo: Path) -> None:
    result = run_cli(["status", "mex-2006"], repo)

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:10] == [
        "request mex-2006 (data/requests/mex-2006.yaml)",
        "  state      Mexico (MEX)",
        "  received   2006",
        "  channel    not-stated",
        "  language   en",
        "  formal     yes",
        "  status     received",
        "  consent    unknown",
        "  published  no",
        "items",
    ]
    assert "history: none" in lines
    assert lines[lines.index("offers") + 4] == (
        "│ canada-mex-2006 │ Canada   │ Counter-Terrorism Capacity Building Program "
        "│ 1     │ taken-up │"
    )
    assert "│ 2 │ Money to buy detection │ op3c-border-law-enforc │" in result.stdout


def test_status_request_with_consent(repo: Path) -> None:
    result = run_cli(["status", "per-2017-03-07"], repo)

    assert result.exit_code == 0, result.stderr
    assert "  consent    granted on 2017-03-10\n" in result.stdout
    assert "  published  yes\n" in result.stdout
    assert "│ 2017-03-20 │ distribute │" in result.stdout
    assert "offers: none\n" in result.stdout


def test_status_offer_history_in_order(repo: Path) -> None:
    result = run_cli(["status", "canada-mex-2006"], repo)

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:8] == [
        "offer canada-mex-2006 (data/offers/canada-mex-2006.yaml)",
        "  request    mex-2006 (Mexico, received)",
        "  provider   Canada (canada)",
        "  programme  Counter-Terrorism Capacity Building Program",
        "  items      1",
        "  received   2007-03-01",
        "  summary    A customs training course in Ottawa.",
        "  status     taken-up",
    ]
    assert "│ 1 │ Train customs officers to spot weapons-related materials. │" in lines
    assert "reports: none" in lines
    assert "feedback: none" in lines
    history = lines[lines.index("history") :]
    assert history[4] == "│ 2007-03-05 │ circulate │ Expert One │             │      │"
    assert history[5] == "│ 2007-04-02 │ take-up   │ Expert One │ MEX/2007/12 │      │"


def test_status_request_json(repo: Path) -> None:
    result = run_cli(["status", "mex-2006", "--json"], repo)

    assert result.exit_code == 0, result.stderr
    story = json.loads(result.stdout)
    assert story["kind"] == "request"
    assert story["id"] == "mex-2006"
    assert story["path"] == "data/requests/mex-2006.yaml"
    assert story["record"]["received"] == "2006"
    assert story["record"]["items"][0]["areas"] == ["op3c-border-law-enforcement"]
    assert story["record"]["consent"] == {
        "status": "unknown",
        "date": None,
        "source": None,
    }
    assert story["offers"] == [
        {
            "id": "canada-mex-2006",
            "provider": "canada",
            "programme": "Counter-Terrorism Capacity Building Program",
            "items": [1],
            "received": "2007-03-01",
            "status": "taken-up",
        }
    ]


def test_status_offer_json(repo: Path) -> None:
    result = run_cli(["status", "canada-mex-2006", "--json"], repo)

    assert result.exit_code == 0, result.stderr
    story = json.loads(result.stdout)
    assert story["kind"] == "offer"
    assert story["request"] == {
        "id": "mex-2006",
        "state": "Mexico",
        "status": "received",
    }
    assert [step["action"] for step in story["record"]["history"]] == [
        "circulate",
        "take-up",
    ]
    assert story["record"]["reports"] == []
    assert story["record"]["feedback"] == []


@pytest.mark.parametrize(
    ("record_id", "code", "message"),
    [
        (
            "mex-2007",
            2,
            "no request or offer has the id 'mex-2007'; did you mean mex-2006, "
            "canada-mex-2006?",
        ),
        ("zzz", 2, "no request or offer has the id 'zzz'"),
    ],
)
def test_status_unknown_id(repo: Path, record_id: str, code: int, message: str) -> None:
    result = run_cli(["status", record_id], repo)

    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_status_rejects_path_as_id(repo: Path) -> None:
    result = run_cli(["status", "../mex-2006"], repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: invalid record id '../mex-2006'")


def test_status_invalid_record(repo: Path) -> None:
    path = repo / "data" / "requests" / "mex-2006.yaml"
    path.write_text("state: Mexico\n", encoding="utf-8")

    result = run_cli(["status", "mex-2006"], repo)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: data/requests/mex-2006.yaml has errors, so it cannot be shown; run "
        "'assist1540 validate' and fix them\n"
    )


# --- list -------------------------------------------------------------------------


LIST_TABLE = """\
requests
┏━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ request        ┃ state  ┃ received   ┃ status      ┃ items ┃ offers                     ┃
┡━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ mex-2006       │ Mexico │ 2006       │ received    │     2 │ canada-mex-2006 (taken-up) │
│ per-2017-03-07 │ Peru   │ 2017-03-07 │ distributed │     1 │                            │
└────────────────┴────────┴────────────┴─────────────┴───────┴────────────────────────────┘
"""


def test_list_table(repo: Path) -> None:
    result = run_cli(["list"], repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == LIST_TABLE
    assert result.stderr == "2 requests\n"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["mex-2006", "per-2017-03-07"]),
        (["--state", "per"], ["per-2017-03-07"]),
        (["--state", "MEX"], ["mex-2006"]),
        (["--state", "ARM"], []),
        (["--status", "distributed"], ["per-2017-03-07"]),
        (["--area", "op2-legislation"], ["per-2017-03-07"]),
        (["--area", "op3d-export-control"], []),
        (["--year", "2006"], ["mex-2006"]),
        (["--year", "2017"], ["per-2017-03-07"]),
        (["--provider", "canada"], ["mex-2006"]),
        (["--state", "MEX", "--status", "distributed"], []),
    ],
)
def test_list_filters(repo: Path, options: list[str], expected: list[str]) -> None:
    result = run_cli(["list", *options, "--json"], repo)

    assert result.exit_code == 0, result.stderr
    assert [request["id"] for request in json.loads(result.stdout)] == expected


def test_list_json_shape(repo: Path) -> None:
    result = run_cli(["list", "--state", "PER", "--json"], repo)

    assert json.loads(result.stdout) == [
        {
            "id": "per-2017-03-07",
            "state": "Peru",
            "iso3": "PER",
            "received": "2017-03-07",
            "status": "distributed",
            "published": True,
            "items": [
                {
                    "number": 1,
                    "summary": "Help drafting a law on chemical weapons.",
                    "areas": ["op2-legislation"],
                    "weapons": ["chemical"],
                    "types": ["legal-drafting"],
                }
            ],
            "offers": [],
        }
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--state", "XX"],
            "invalid --state 'XX'; use an ISO 3166-1 alpha-3 code, e.g. MEX",
        ),
        (
            ["--status", "open"],
            "invalid --status 'open'; use one of received, informal, authenticated, "
            "acknowledged, distributed, matched, closed",
        ),
        (
            ["--area", "op2-legislaton"],
            "unknown --area 'op2-legislaton'; did you mean 'op2-legislation'?",
        ),
        (["--area", "zzz"], "unknown --area 'zzz'; use a known area id"),
        (["--year", "26"], "invalid --year 26; give four digits, e.g. 2006"),
        (
            ["--provider", "canda"],
            "unknown --provider 'canda'; did you mean 'canada'?",
        ),
    ],
)
def test_list_rejects_filter(repo: Path, options: list[str], message: str) -> None:
    result = run_cli(["list", *options], repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


# --- due --------------------------------------------------------------------------


DUE_TABLE = """\
due on 2026-07-01
┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┓
┃ due        ┃ overdue ┃ record                 ┃ step                     ┃ letter                ┃
┡━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━┩
│ -          │       - │ Committee              │ brief the Committee (no  │                       │
│            │         │                        │ briefing recorded)       │                       │
│ 2006-01-08 │    7479 │ request mex-2006       │ distribute to potential  │ distribution          │
│            │         │                        │ providers                │                       │
│ 2007-01-01 │    7121 │ request mex-2006       │ ask the State whether    │ follow-up             │
│            │         │                        │ the request was met      │                       │
│ 2007-09-29 │    6850 │ offer canada-mex-2006  │ ask for a progress       │ report-request        │
│            │         │                        │ report (none since       │                       │
│            │         │                        │ 2007-04-02)              │                       │
│ 2018-03-07 │    3038 │ request per-2017-03-07 │ ask the State whether    │ follow-up             │
│            │         │                        │ the request was met      │                       │
│ 2026-06-01 │      30 │ provider canada        │ ask the provider to      │ provider-confirmation │
│            │         │                        │ confirm its information  │                       │
│            │         │                        │ (confirmed 2025-06-01)   │                       │
└────────────┴─────────┴────────────────────────┴──────────────────────────┴───────────────────────┘
"""


def test_due_table(repo: Path) -> None:
    result = run_cli(["due", "--on", "2026-07-01"], repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == DUE_TABLE
    assert result.stderr == "6 steps due\n"


def test_due_json(repo: Path) -> None:
    run_cli(["briefing", "record", "--date", "2026-06-01"], repo)

    result = run_cli(["due", "--on", "2026-07-01", "--json"], repo)

    assert result.exit_code == 0, result.stderr
    steps = json.loads(result.stdout)
    assert [step["step"] for step in steps] == [
        "distribute",
        "follow-up",
        "report-request",
        "follow-up",
        "confirm-provider",
    ]
    assert steps[2] == {
        "kind": "offer",
        "record": "canada-mex-2006",
        "programme": None,
        "step": "report-request",
        "description": "ask for a progress report (none since 2007-04-02)",
        "due": "2007-09-29",
        "days_overdue": 6850,
        "letter": "report-request",
        "information": False,
    }


def test_due_uses_configured_timers(repo: Path) -> None:
    config = repo / "assist1540.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "\n[assist1540.timers]\nprovider_confirmation_days = 400\n",
        encoding="utf-8",
    )

    result = run_cli(["due", "--on", "2026-07-01", "--json"], repo)

    assert "confirm-provider" not in [
        step["step"] for step in json.loads(result.stdout)
    ]


def test_due_warns_about_invalid_files(repo: Path) -> None:
    (repo / "data" / "requests" / "bad.yaml").write_text("state: X\n", "utf-8")

    result = run_cli(["due", "--on", "2026-07-01", "--json"], repo)

    assert result.exit_code == 0, result.stderr
    # The log handler pads the line, so the message is matched inside it.
    assert (
        "warning: 1 file has errors and is left out; run 'assist1540 validate' to "
        "see them"
    ) in result.stderr
    assert len(json.loads(result.stdout)) == 6


def test_due_rejects_bad_day(repo: Path) -> None:
    result = run_cli(["due", "--on", "1 July"], repo)

    assert result.exit_code == 2
    assert (
        result.stderr == "error: invalid --on '1 July'; write the day as YYYY-MM-DD\n"
    )


def test_due_rejects_invalid_briefings_file(repo: Path) -> None:
    (repo / "data" / "briefings.yaml").write_text(
        "briefings: [2026-13-01]\n", encoding="utf-8"
    )

    result = run_cli(["due"], repo)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "data/briefings.yaml:1:13: error: briefings[0]: invalid date "
        "'2026-13-01': there is no month 13\n"
    )


# --- briefing record --------------------------------------------------------------


BRIEFINGS_HEADER = (
    "# Days the experts briefed the 1540 Committee, oldest first.\n"
    "# Add one with: assist1540 briefing record --date YYYY-MM-DD\n"
)


def test_briefing_record_creates_then_sorts(repo: Path) -> None:
    first = run_cli(["briefing", "record", "--date", "2026-05-04"], repo)
    first_commit = head(repo)
    second = run_cli(["briefing", "record", "--date", "2026-03-02"], repo)
    second_commit = head(repo)
    path = repo / "data" / "briefings.yaml"

    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    assert path.read_text(encoding="utf-8") == (
        BRIEFINGS_HEADER + 'briefings: ["2026-03-02", "2026-05-04"]\n'
    )
    assert commit_files(first_commit) == ["data/briefings.yaml"]
    assert first_commit.message == (
        "Record briefing of the Committee on 2026-05-04\n\n- briefings: 2026-05-04\n"
    )
    assert second_commit.message == (
        "Record briefing of the Committee on 2026-03-02\n\n"
        "- briefings: 2026-03-02, 2026-05-04\n"
    )
    assert first.stderr == (
        f"Record briefing of the Committee on 2026-05-04 ({first_commit.hexsha[:7]}): "
        "data/briefings.yaml\n"
    )


def test_briefing_record_keeps_comments(repo: Path) -> None:
    path = repo / "data" / "briefings.yaml"
    path.write_text(
        "# Kept by the experts.\nbriefings:\n  - 2026-01-05   # first of the year\n",
        encoding="utf-8",
    )
    commit_all(repo, "Add briefings")

    result = run_cli(["briefing", "record", "--date", "2026-03-09"], repo)

    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == (
        "# Kept by the experts.\nbriefings:\n  - 2026-01-05   # first of the year\n"
        '  - "2026-03-09"\n'
    )


def test_briefing_record_rejects_same_day(repo: Path) -> None:
    run_cli(["briefing", "record", "--date", "2026-03-02"], repo)
    before = snapshot(repo)
    commit = head(repo).hexsha

    result = run_cli(["briefing", "record", "--date", "2026-03-02"], repo)

    assert result.exit_code == 1
    assert result.stderr == (
        "error: a briefing on 2026-03-02 is already recorded; give the day of "
        "another briefing with --date\n"
    )
    assert snapshot(repo) == before
    assert head(repo).hexsha == commit


def test_briefing_record_dry_run(repo: Path) -> None:
    before = snapshot(repo)

    result = run_cli(["briefing", "record", "--date", "2026-03-02", "--dry-run"], repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "--- a/data/briefings.yaml\n"
        "+++ b/data/briefings.yaml\n"
        "@@ -0,0 +1,3 @@\n"
        "+# Days the experts briefed the 1540 Committee, oldest first.\n"
        "+# Add one with: assist1540 briefing record --date YYYY-MM-DD\n"
        '+briefings: ["2026-03-02"]\n'
    )
    assert snapshot(repo) == before


def test_briefing_record_no_commit(repo: Path) -> None:
    commit = head(repo).hexsha

    result = run_cli(["briefing", "record", "--no-commit"], repo)

    assert result.exit_code == 0, result.stderr
    assert head(repo).hexsha == commit
    assert git.Repo(repo).git.diff("--cached", "--name-only") == "data/briefings.yaml"
