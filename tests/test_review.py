"""`assist1540 review`: what a change does to the records, flagged for reviewers."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from assist1540.review import review_changes
from assist1540.review_output import review_json, review_markdown
from conftest import OFFER, PROVIDER, REQUEST, VALID_RECORDS, make_repo, run_cli
from git_helpers import commit, git, write

REQUEST_PATH = "data/requests/mex-2006.yaml"
PUBLIC_REQUEST = REQUEST + textwrap.dedent(
    """\
    status: distributed
    consent:
      status: granted
    published: true
    """
)
PRIVATE_REQUEST = REQUEST + "status: received\n"


def _snapshot(files: dict[str, str]) -> dict[str, bytes]:
    return {path: textwrap.dedent(text).encode("utf-8") for path, text in files.items()}


def _messages(base: dict[str, str], head: dict[str, str]) -> list[tuple[str, str]]:
    review = review_changes(_snapshot(base), _snapshot(head))
    return [(flag.level, flag.message) for flag in review.flags]


def test_rename_is_error() -> None:
    flags = _messages(
        {REQUEST_PATH: PUBLIC_REQUEST},
        {"data/requests/mex-2006-1.yaml": PUBLIC_REQUEST},
    )

    assert flags == [
        (
            "error",
            "request 'mex-2006' is renamed to 'mex-2006-1' "
            "(data/requests/mex-2006.yaml → data/requests/mex-2006-1.yaml). Record "
            "ids never change once published, because letters, offers and the "
            "website refer to them; keep the file name data/requests/mex-2006.yaml. "
            "It was published on the website.",
        )
    ]


def test_rename_with_edit_found() -> None:
    edited = PRIVATE_REQUEST.replace("Money to buy", "Funds to buy")
    review = review_changes(
        _snapshot({REQUEST_PATH: PRIVATE_REQUEST}),
        _snapshot({"data/requests/mex-2006-a.yaml": edited}),
    )

    assert [(old.id, new.id) for old, new in review.renamed] == [
        ("mex-2006", "mex-2006-a")
    ]
    assert [c.label for c in review.changed[0].changes] == ["item 2 summary"]
    assert (review.added, review.removed) == ([], [])


def test_unlike_records_not_renamed() -> None:
    review = review_changes(
        _snapshot({REQUEST_PATH: PRIVATE_REQUEST}),
        _snapshot({"data/providers/canada.yaml": PROVIDER}),
    )

    assert review.renamed == []
    assert [r.id for r in review.removed] == ["mex-2006"]
    assert [r.id for r in review.added] == ["canada"]


def test_deletion_is_warning() -> None:
    flags = _messages({REQUEST_PATH: PUBLIC_REQUEST}, {})

    assert flags == [
        (
            "warning",
            "request 'mex-2006' is deleted (data/requests/mex-2006.yaml); offers, "
            "letters and the website may still refer to it, and it was public on "
            "the website",
        )
    ]


PUBLIC_CHANGES = [
    (
        "consent granted and published",
        PRIVATE_REQUEST.replace("status: received", "status: distributed")
        + "consent:\n  status: unknown\n",
        PUBLIC_REQUEST,
        [
            "consent of request 'mex-2006' changes: unknown → granted",
            "published changes for request 'mex-2006': null → true",
            "request 'mex-2006' becomes public on the website (authenticated, consent "
            "granted, published)",
        ],
    ),
    (
        "consent withdrawn",
        PUBLIC_REQUEST,
        PUBLIC_REQUEST.replace("status: granted", "status: withdrawn").replace(
            "published: true", "published: false"
        ),
        [
            "consent of request 'mex-2006' changes: granted → withdrawn",
            "published changes for request 'mex-2006': true → false",
            "request 'mex-2006' is no longer public on the website: published is not "
            "true, consent is withdrawn",
        ],
    ),
    (
        "public field edited",
        PUBLIC_REQUEST,
        PUBLIC_REQUEST.replace("Money to buy", "Funds to buy"),
        ["the website's page of published request 'mex-2006' changes: items"],
    ),
    (
        "internal field edited",
        PUBLIC_REQUEST,
        PUBLIC_REQUEST + "internal_notes: The Mission called.\n",
        [],
    ),
]


@pytest.mark.parametrize(
    ("base", "head", "expected"),
    [case[1:] for case in PUBLIC_CHANGES],
    ids=[case[0] for case in PUBLIC_CHANGES],
)
def test_public_changes_flagged(base: str, head: str, expected: list[str]) -> None:
    flags = _messages({REQUEST_PATH: base}, {REQUEST_PATH: head})

    assert flags == [("warning", message) for message in expected]


def test_status_without_history_flagged() -> None:
    flags = _messages(
        {REQUEST_PATH: PRIVATE_REQUEST},
        {REQUEST_PATH: PRIVATE_REQUEST.replace("received\n", "authenticated\n")},
    )

    assert flags == [
        (
            "warning",
            "status of request 'mex-2006' changes from received to authenticated with "
            "no history entry; record steps with the assist1540 step commands so "
            "that the history shows them",
        )
    ]


def test_steps_from_history() -> None:
    stepped = PRIVATE_REQUEST.replace(
        "received\n", "authenticated\n"
    ) + textwrap.dedent(
        """\
        history:
          - date: "2026-03-02"
            action: authenticate
            actor: A. Expert
            reference: S/AC.44/2026/001
        """
    )
    review = review_changes(
        _snapshot({REQUEST_PATH: PRIVATE_REQUEST}), _snapshot({REQUEST_PATH: stepped})
    )

    assert review.flags == []
    assert [step.description for step in review.steps] == [
        "authenticate on 2026-03-02 by A. Expert, reference S/AC.44/2026/001"
    ]
    assert [(c.label, c.description) for c in review.changed[0].changes] == [
        ("status", '"received" → "authenticated"')
    ]


def test_offer_added_listed() -> None:
    review = review_changes(
        _snapshot(VALID_RECORDS | {"data/offers/can-mex-2006.yaml": ""}) | {},
        _snapshot(VALID_RECORDS),
    )
    added = review_changes(
        _snapshot({}), _snapshot({"data/offers/can-mex-2006.yaml": OFFER})
    ).offers

    assert review.offers == []
    assert [(o.request, o.items, o.provider, o.programme) for o in added] == [
        ("mex-2006", ("1",), "canada", "Counter-Terrorism Capacity Building Program")
    ]


def test_internal_values_not_shown() -> None:
    head = (
        PRIVATE_REQUEST + "contacts:\n  - name: A. Diplomat\n    email: a@mfa.example\n"
    )
    review = review_changes(
        _snapshot({REQUEST_PATH: PRIVATE_REQUEST}), _snapshot({REQUEST_PATH: head})
    )
    text = review_markdown(review, "main", "working tree")

    assert "a@mfa.example" not in text
    assert "  - contacts: changed (internal field; the values are not shown here)" in (
        text
    )


def test_unreadable_record_flagged() -> None:
    flags = _messages({REQUEST_PATH: REQUEST}, {REQUEST_PATH: "state: [Mexico\n"})

    assert flags[0][0] == "error"
    assert flags[0][1].startswith("cannot be read: data/requests/mex-2006.yaml:2:1: ")


def test_no_change_markdown() -> None:
    review = review_changes(_snapshot(VALID_RECORDS), _snapshot(VALID_RECORDS))

    assert review_markdown(review, "main", "HEAD") == (
        "## assist1540 review: main → HEAD\n\nNo record changes.\n"
    )


def test_markdown_sections() -> None:
    base = {REQUEST_PATH: PRIVATE_REQUEST, "data/providers/canada.yaml": PROVIDER}
    head = {
        REQUEST_PATH: PRIVATE_REQUEST.replace("Money to buy", "Funds to buy"),
        "data/offers/can-mex-2006.yaml": OFFER,
    }
    review = review_changes(_snapshot(base), _snapshot(head))

    assert review_markdown(review, "main", "working tree") == textwrap.dedent(
        """\
        ## assist1540 review: main → working tree

        ### Needs attention

        - **warning**: provider 'canada' is deleted (data/providers/canada.yaml); offers, letters and the website may still refer to it

        ### New records (1)

        - offer `can-mex-2006` (canada for mex-2006)

        ### Removed records (1)

        - provider `canada` (Canada)

        ### Offers added (1)

        | offer | request | items | provider | programme | summary |
        | --- | --- | --- | --- | --- | --- |
        | `can-mex-2006` | `mex-2006` | 1 | `canada` | Counter-Terrorism Capacity Building Program | A customs training course in Ottawa. |

        ### Changed records (1)

        - request `mex-2006`
          - item 2 summary: "Money to buy detection equipment." → "Funds to buy detection equipment."
        """  # noqa: E501
    )


def test_programme_changes_by_name() -> None:
    head = PROVIDER.replace(
        "    types: [legal-drafting, training]\n", "    types: [legal-drafting]\n"
    )
    review = review_changes(
        _snapshot({"data/providers/canada.yaml": PROVIDER}),
        _snapshot({"data/providers/canada.yaml": head}),
    )

    assert [(c.field, c.label, c.description) for c in review.changed[0].changes] == [
        (
            "programmes['Counter-Terrorism Capacity Building Program'].types",
            "programme 'Counter-Terrorism Capacity Building Program' assistance types",
            'removed "training"',
        )
    ]


# --- The command on real git repositories ------------------------------------------


@pytest.fixture
def branch_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, {**VALID_RECORDS, REQUEST_PATH: PRIVATE_REQUEST})
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root, "Add records")
    git(root, "switch", "--quiet", "--create", "pr")
    return root


def test_review_default_base(branch_repo: Path) -> None:
    write(branch_repo, "data/offers/can-mex-2006-2.yaml", OFFER)

    result = run_cli(["review", "--json"], repo=branch_repo)
    data = json.loads(result.stdout)

    assert result.exit_code == 0
    assert data["head"] == "working tree"
    assert data["base"].startswith("main (merge base ")
    assert [offer["id"] for offer in data["offers"]] == ["can-mex-2006-2"]


def test_review_range_uses_merge_base(branch_repo: Path) -> None:
    write(branch_repo, "data/offers/iaea-mex-2006.yaml", OFFER)
    commit(branch_repo, "Add an offer")
    git(branch_repo, "switch", "--quiet", "main")
    git(branch_repo, "rm", "--quiet", "data/providers/canada.yaml")
    commit(branch_repo, "Remove a provider on main")

    result = run_cli(["review", "main..pr", "--json"], repo=branch_repo)
    data = json.loads(result.stdout)

    assert result.exit_code == 0
    assert data["head"] == "pr"
    assert data["removed"] == []
    assert [record["id"] for record in data["added"]] == ["iaea-mex-2006"]


def test_review_after_merging_main(branch_repo: Path) -> None:
    write(branch_repo, "data/offers/iaea-mex-2006.yaml", OFFER)
    commit(branch_repo, "Add an offer")
    git(branch_repo, "switch", "--quiet", "main")
    write(branch_repo, "data/events/lima.yaml", "name: Lima\ndate: 2026-05\n")
    commit(branch_repo, "Add an event on main")
    git(branch_repo, "switch", "--quiet", "pr")
    git(branch_repo, "merge", "--quiet", "--no-edit", "main")

    result = run_cli(["review", "main..HEAD", "--json"], repo=branch_repo)

    assert [r["id"] for r in json.loads(result.stdout)["added"]] == ["iaea-mex-2006"]


def test_review_rename_exits_one(branch_repo: Path) -> None:
    git(branch_repo, "mv", REQUEST_PATH, "data/requests/mex-2006-x.yaml")
    commit(branch_repo, "Rename a request")

    result = run_cli(["review", "main..pr"], repo=branch_repo)

    assert result.exit_code == 1
    assert "- **error**: request 'mex-2006' is renamed to 'mex-2006-x'" in result.stdout
    assert result.stderr == "1 flag, 1 error\n"


def test_review_without_main_branch(tmp_path: Path) -> None:
    root = make_repo(tmp_path, VALID_RECORDS)
    git(root, "init", "--quiet", "--initial-branch=trunk")
    commit(root, "Add records")

    result = run_cli(["review"], repo=root)

    assert (result.exit_code, result.stderr) == (
        2,
        "error: review: found no main or master branch to compare with; give the "
        "range, e.g. assist1540 review origin/develop..HEAD\n",
    )


def test_review_shallow_clone_error(branch_repo: Path, tmp_path: Path) -> None:
    write(branch_repo, "data/offers/iaea-mex-2006.yaml", OFFER)
    commit(branch_repo, "Add an offer")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "--quiet",
        "--depth=1",
        "--branch=pr",
        f"file://{branch_repo}",
        str(clone),
    )

    result = run_cli(["review", "origin/main..HEAD"], repo=clone)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: this clone is shallow and does not contain 'origin/main'; fetch it, "
        "or clone with the full history (actions/checkout: fetch-depth: 0)\n"
    )


def test_review_json_shape(branch_repo: Path) -> None:
    (branch_repo / REQUEST_PATH).write_text(PUBLIC_REQUEST, encoding="utf-8")

    result = run_cli(["review", "main", "--json"], repo=branch_repo)
    data = json.loads(result.stdout)

    assert set(data) == {
        "base",
        "head",
        "flags",
        "added",
        "removed",
        "renamed",
        "steps",
        "offers",
        "changed",
    }
    assert [flag["level"] for flag in data["flags"]] == ["warning"] * 4
    assert data["flags"][0] == {
        "level": "warning",
        "kind": "request",
        "id": "mex-2006",
        "path": REQUEST_PATH,
        "message": "consent of request 'mex-2006' changes: unknown → granted",
    }


def test_review_json_matches_function() -> None:
    review = review_changes(_snapshot({}), _snapshot(VALID_RECORDS))

    data = review_json(review, "a", "b")

    assert sorted(record["id"] for record in data["added"]) == [
        "can-mex-2006",
        "canada",
        "mex-2006",
    ]


def test_public_statuses_match_site() -> None:
    from assist1540.rendering.public import PUBLIC_REQUEST_STATUSES
    from assist1540.review import AUTHENTICATED_STATUSES

    assert set(PUBLIC_REQUEST_STATUSES) == AUTHENTICATED_STATUSES
