"""Offer commands through the CLI, on real git repositories and real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from conftest import PROVIDER, REQUEST, commit_all, make_repo, run_cli
from step_helpers import commit_files, head, snapshot, without_schema_line

OFFER_ID = "canada-mex-2006"
PROJECT_ROOT = Path(__file__).resolve().parents[1]

COMMENTED_OFFER = """\
# Offer received by note verbale; keep this comment.
request: mex-2006
items: [1]
provider: canada   # through the Mission in New York
programme: Counter-Terrorism Capacity Building Program
received: '2007-03-01'
summary: A customs training course in Ottawa.
status: received
history: []
notes: |
  Offered at the 2007 conference.
"""

DISTRIBUTED_REQUEST = """\
# Distributed in 2026; keep this comment.
state: Mexico
iso3: MEX
received: "2006"
status: distributed   # sent to providers
items:
  - summary: Train customs officers.
    areas: [op3c-border-law-enforcement]
  - summary: Detection equipment.
history:
  - date: "2026-03-09"
    action: distribute
"""

STEP_HISTORY = """\
history:
  - date: "2026-03-02"
    action: {action}
    actor: Test Author
"""


def _repo(
    tmp_path: Path,
    offer_status: str = "received",
    request: str = DISTRIBUTED_REQUEST,
    offer: str = COMMENTED_OFFER,
) -> Path:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2006.yaml": request,
            "data/providers/canada.yaml": PROVIDER,
            f"data/offers/{OFFER_ID}.yaml": offer.replace(
                "status: received", f"status: {offer_status}"
            ),
        },
    )
    commit_all(root)
    return root


def _offer(root: Path, offer_id: str = OFFER_ID) -> Path:
    return root / "data" / "offers" / f"{offer_id}.yaml"


def _request(root: Path) -> Path:
    return root / "data" / "requests" / "mex-2006.yaml"


# --- Steps on an existing offer ---------------------------------------------------


@pytest.mark.parametrize(
    ("command", "before", "after", "subject"),
    [
        (["offer", "circulate"], "received", "circulated", "Circulate offer"),
        (
            ["offer", "inform"],
            "circulated",
            "informed",
            "Inform the requesting State of offer",
        ),
        (["offer", "take-up"], "informed", "taken-up", "Take up offer"),
        (["offer", "take-up"], "no-answer", "taken-up", "Take up offer"),
        (["offer", "decline"], "circulated", "declined", "Decline offer"),
        (["offer", "no-answer"], "informed", "no-answer", "Record no answer on offer"),
    ],
)
def test_offer_step_changes_only_its_lines(
    tmp_path: Path, command: list[str], before: str, after: str, subject: str
) -> None:
    root = _repo(tmp_path, before)
    files_before = snapshot(root)
    text_before = _offer(root).read_text(encoding="utf-8")

    # Letters are tested on their own below; this test is about the record.
    no_letter = ["--no-letter"] if command[-1] in ("circulate", "inform") else []
    result = run_cli([*command, OFFER_ID, "--date", "2026-03-02", *no_letter], root)
    text_after = _offer(root).read_text(encoding="utf-8")
    commit = head(root)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    action = command[-1]
    expected = text_before.replace(f"status: {before}", f"status: {after}")
    expected = expected.replace("history: []\n", STEP_HISTORY.format(action=action))
    assert text_after == expected
    files_after = snapshot(root)
    del files_after[f"data/offers/{OFFER_ID}.yaml"]
    del files_before[f"data/offers/{OFFER_ID}.yaml"]
    assert files_after == files_before
    assert commit.summary == f"{subject} {OFFER_ID}"
    assert commit.message == (
        f"{subject} {OFFER_ID}\n\n- status: {after}\n- history: {action} on "
        "2026-03-02\n"
    )
    assert commit_files(commit) == [f"data/offers/{OFFER_ID}.yaml"]
    assert result.stderr == (
        f"{subject} {OFFER_ID} ({commit.hexsha[:7]}): data/offers/{OFFER_ID}.yaml\n"
    )


def test_offer_step_keeps_reference_and_note(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    result = run_cli(
        [
            "offer",
            "circulate",
            OFFER_ID,
            "--date",
            "2026-03-02",
            "--actor",
            "Expert One",
            "--reference",
            "S/AC.44/2026/012",
            "--note",
            "by e-mail",
            "--no-letter",
        ],
        root,
    )
    text = _offer(root).read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert (
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: circulate\n"
        "    actor: Expert One\n"
        "    reference: S/AC.44/2026/012\n"
        "    note: by e-mail\n"
    ) in text
    assert "- reference: S/AC.44/2026/012" in str(head(root).message)


@pytest.mark.parametrize(
    ("command", "status", "message"),
    [
        (
            ["offer", "inform"],
            "received",
            "cannot inform offer canada-mex-2006: it is 'received'; allowed now: "
            "circulate, decline",
        ),
        (
            ["offer", "circulate"],
            "declined",
            "cannot circulate offer canada-mex-2006: it is 'declined'; allowed now: "
            "nothing, the offer was declined",
        ),
        (
            ["offer", "take-up"],
            "circulated",
            "cannot take-up offer canada-mex-2006: it is 'circulated'; allowed now: "
            "inform, decline",
        ),
        (
            ["offer", "report", "--kind", "progress", "--by", "state"],
            "informed",
            "cannot report offer canada-mex-2006: it is 'informed'; allowed now: "
            "take-up, decline, no-answer",
        ),
        (
            [
                "feedback",
                "--from",
                "state",
                "--activities",
                "a",
                "--achievements",
                "b",
                "--opportunities",
                "c",
            ],
            "in-progress",
            "cannot feedback offer canada-mex-2006: it is 'in-progress'; allowed "
            "now: report",
        ),
    ],
)
def test_offer_step_out_of_turn(
    tmp_path: Path, command: list[str], status: str, message: str
) -> None:
    root = _repo(tmp_path, status)
    before = snapshot(root)
    commit = head(root).hexsha

    arguments = [*command[:2], OFFER_ID, *command[2:]]
    if command[0] == "feedback":
        arguments = [command[0], OFFER_ID, *command[1:]]
    result = run_cli(arguments, root)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert snapshot(root) == before
    assert head(root).hexsha == commit


def test_offer_step_before_receipt(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)

    result = run_cli(
        ["offer", "circulate", OFFER_ID, "--date", "2007-02-28", "--no-letter"], root
    )

    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot circulate offer canada-mex-2006 on 2007-02-28: that is "
        "before it was received (2007-03-01); check --date\n"
    )
    assert snapshot(root) == before


def test_offer_step_unknown_offer(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)

    result = run_cli(["offer", "circulate", "canada-mex-2007"], root)

    assert result.exit_code == 2
    assert result.stderr == (
        "error: offer 'canada-mex-2007' not found in data/offers; did you mean "
        "canada-mex-2006?\n"
    )
    assert snapshot(root) == before


def test_offer_step_dry_run(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)
    commit = head(root).hexsha

    result = run_cli(
        [
            "offer",
            "circulate",
            OFFER_ID,
            "--date",
            "2026-03-02",
            "--dry-run",
            "--no-letter",
        ],
        root,
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"--- a/data/offers/{OFFER_ID}.yaml\n"
        f"+++ b/data/offers/{OFFER_ID}.yaml\n"
        "@@ -5,7 +5,10 @@\n"
        " programme: Counter-Terrorism Capacity Building Program\n"
        " received: '2007-03-01'\n"
        " summary: A customs training course in Ottawa.\n"
        "-status: received\n"
        "-history: []\n"
        "+status: circulated\n"
        "+history:\n"
        '+  - date: "2026-03-02"\n'
        "+    action: circulate\n"
        "+    actor: Test Author\n"
        " notes: |\n"
        "   Offered at the 2007 conference.\n"
    )
    assert result.stderr == "dry run: nothing was written\n"
    assert snapshot(root) == before
    assert head(root).hexsha == commit


def test_offer_step_no_commit(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    commit = head(root).hexsha

    result = run_cli(
        ["offer", "circulate", OFFER_ID, "--no-commit", "--no-letter"], root
    )
    repo = git.Repo(root)

    assert result.exit_code == 0, result.stderr
    assert repo.head.commit.hexsha == commit
    assert repo.git.diff("--cached", "--name-only") == f"data/offers/{OFFER_ID}.yaml"
    assert result.stderr == f"updated data/offers/{OFFER_ID}.yaml (not committed)\n"


def test_offer_step_rejects_uncommitted_offer(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    record = _offer(root)
    record.write_text(record.read_text(encoding="utf-8") + "# edit\n", "utf-8")
    before = snapshot(root)

    result = run_cli(["offer", "circulate", OFFER_ID, "--no-letter"], root)

    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: data/offers/{OFFER_ID}.yaml has uncommitted changes; commit or "
        "discard them first"
    )
    assert snapshot(root) == before


# --- Reports and feedback ---------------------------------------------------------


def test_report_progress_then_completion(tmp_path: Path) -> None:
    root = _repo(tmp_path, "taken-up")
    text_before = _offer(root).read_text(encoding="utf-8")

    first = run_cli(
        [
            "offer",
            "report",
            OFFER_ID,
            "--kind",
            "progress",
            "--by",
            "provider",
            "--summary",
            "First course held",
            "--date",
            "2026-03-02",
        ],
        root,
    )
    first_commit = head(root)
    second = run_cli(
        [
            "offer",
            "report",
            OFFER_ID,
            "--kind",
            "completion",
            "--by",
            "state",
            "--date",
            "2026-06-30",
        ],
        root,
    )
    second_commit = head(root)
    text_after = _offer(root).read_text(encoding="utf-8")

    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    expected = text_before.replace(
        "status: taken-up\n",
        (
            "status: completed\n"
            "reports:\n"
            '  - date: "2026-03-02"\n'
            "    kind: progress\n"
            "    by: provider\n"
            "    summary: First course held\n"
            '  - date: "2026-06-30"\n'
            "    kind: completion\n"
            "    by: state\n"
        ),
    )
    expected = expected.replace(
        "history: []\n",
        "history:\n"
        '  - date: "2026-03-02"\n'
        "    action: report\n"
        "    actor: Test Author\n"
        "    note: progress report by the provider\n"
        '  - date: "2026-06-30"\n'
        "    action: report\n"
        "    actor: Test Author\n"
        "    note: completion report by the requesting State\n",
    )
    assert text_after == expected
    assert first_commit.message == (
        f"Record progress report on offer {OFFER_ID}\n\n"
        "- status: in-progress\n"
        "- reports: date 2026-03-02, kind progress, by provider, summary First "
        "course held\n"
        "- history: report on 2026-03-02\n"
    )
    assert second_commit.message == (
        f"Record completion report on offer {OFFER_ID}\n\n"
        "- status: completed\n"
        "- reports[1]: date 2026-06-30, kind completion, by state\n"
        "- history: report on 2026-06-30\n"
    )
    assert run_cli(["validate"], root).exit_code == 0


def test_feedback_recorded(tmp_path: Path) -> None:
    root = _repo(tmp_path, "completed")
    text_before = _offer(root).read_text(encoding="utf-8")

    result = run_cli(
        [
            "feedback",
            OFFER_ID,
            "--from",
            "state",
            "--activities",
            "Two courses in Ottawa",
            "--achievements",
            "40 officers trained",
            "--opportunities",
            "A refresher in 2027",
            "--date",
            "2026-03-02",
        ],
        root,
    )

    assert result.exit_code == 0, result.stderr
    expected = text_before.replace(
        "status: completed\n",
        (
            "status: feedback-received\n"
            "feedback:\n"
            '  - date: "2026-03-02"\n'
            "    by: state\n"
            "    activities: Two courses in Ottawa\n"
            "    achievements: 40 officers trained\n"
            "    opportunities: A refresher in 2027\n"
        ),
    )
    expected = expected.replace("history: []\n", STEP_HISTORY.format(action="feedback"))
    assert _offer(root).read_text(encoding="utf-8") == expected
    assert head(root).summary == (
        f"Record feedback from the requesting State on offer {OFFER_ID}"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["offer", "report", OFFER_ID, "--kind", "final", "--by", "state"],
            "invalid --kind 'final'; use progress or completion",
        ),
        (
            ["offer", "report", OFFER_ID, "--kind", "progress", "--by", "donor"],
            "invalid --by 'donor'; use state or provider",
        ),
        (
            [
                "feedback",
                OFFER_ID,
                "--from",
                "mission",
                "--activities",
                "a",
                "--achievements",
                "b",
                "--opportunities",
                "c",
            ],
            "invalid --from 'mission'; use state or provider",
        ),
        (
            ["offer", "circulate", OFFER_ID, "--dry-run", "--no-commit"],
            "--dry-run writes nothing, so it cannot be combined with --no-commit",
        ),
        (
            ["offer", "circulate", OFFER_ID, "--date", "2026-3-2"],
            "invalid --date '2026-3-2'; write the day as YYYY-MM-DD",
        ),
    ],
)
def test_offer_step_bad_options(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    root = _repo(tmp_path, "taken-up")
    before = snapshot(root)

    result = run_cli(arguments, root)

    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert snapshot(root) == before


# --- offer add --------------------------------------------------------------------


ADD = [
    "offer",
    "add",
    "--request",
    "mex-2006",
    "--provider",
    "canada",
    "--item",
    "2",
    "--summary",
    "Detectors for the northern border",
    "--date",
    "2026-03-10",
]

NEW_OFFER = """\
request: mex-2006
items: [2]
provider: canada
received: "2026-03-10"
summary: Detectors for the northern border
status: received
history:
  - date: "2026-03-10"
    action: record
    actor: Test Author
"""


def test_offer_add_matches_distributed_request(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)

    result = run_cli(ADD, root)
    commit = head(root)
    after = snapshot(root)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "canada-mex-2006-2\n"
    new_file = after.pop("data/offers/canada-mex-2006-2.yaml").decode("utf-8")
    assert without_schema_line(new_file) == NEW_OFFER
    request_text = after.pop("data/requests/mex-2006.yaml").decode("utf-8")
    assert request_text == DISTRIBUTED_REQUEST.replace(
        "status: distributed   #", "status: matched       #"
    ) + (
        '  - date: "2026-03-10"\n'
        "    action: match\n"
        "    actor: Test Author\n"
        "    note: offer canada-mex-2006-2\n"
    )
    del before["data/requests/mex-2006.yaml"]
    assert after == before
    assert commit_files(commit) == [
        "data/offers/canada-mex-2006-2.yaml",
        "data/requests/mex-2006.yaml",
    ]
    assert commit.message == (
        "Record offer canada-mex-2006-2\n\n"
        "data/requests/mex-2006.yaml:\n"
        "- status: matched\n"
        "- history: match on 2026-03-10\n"
        "- request mex-2006 is now matched\n"
    )
    assert result.stderr == (
        "wrote data/requests/mex-2006.yaml\n"
        "request mex-2006 is now matched\n"
        f"Record offer canada-mex-2006-2 ({commit.hexsha[:7]}): "
        "data/offers/canada-mex-2006-2.yaml\n"
    )
    assert run_cli(["validate"], root).exit_code == 0


def test_offer_add_leaves_other_request(tmp_path: Path) -> None:
    root = _repo(tmp_path, request=REQUEST)
    request_before = _request(root).read_bytes()

    result = run_cli(
        [
            *ADD,
            "--programme",
            "Counter-Terrorism Capacity Building Program",
            "--received",
            "2026-02",
        ],
        root,
    )
    commit = head(root)
    text = _offer(root, "canada-mex-2006-2").read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert _request(root).read_bytes() == request_before
    assert commit_files(commit) == ["data/offers/canada-mex-2006-2.yaml"]
    assert commit.message == "Record offer canada-mex-2006-2\n"
    assert "programme: Counter-Terrorism Capacity Building Program\n" in text
    assert 'received: "2026-02"\n' in text


def test_offer_add_first_id_has_no_suffix(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2006.yaml": DISTRIBUTED_REQUEST,
            "data/providers/canada.yaml": PROVIDER,
        },
    )
    commit_all(root)

    result = run_cli([*ADD[:6], "--summary", "All of it", "--date", "2026-03-10"], root)
    text = _offer(root).read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "canada-mex-2006\n"
    assert "items: []\n" in text


def test_offer_add_dry_run(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)
    commit = head(root).hexsha

    result = run_cli([*ADD, "--dry-run"], root)

    assert result.exit_code == 0, result.stderr
    assert "+++ b/data/offers/canada-mex-2006-2.yaml\n" in result.stdout
    assert "-status: distributed   # sent to providers\n" in result.stdout
    assert "+status: matched       # sent to providers\n" in result.stdout
    assert result.stderr == "dry run: nothing was written\n"
    assert snapshot(root) == before
    assert head(root).hexsha == commit


def test_offer_add_no_commit_stages_both(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    commit = head(root).hexsha

    result = run_cli([*ADD, "--no-commit"], root)
    repo = git.Repo(root)

    assert result.exit_code == 0, result.stderr
    assert repo.head.commit.hexsha == commit
    assert repo.git.diff("--cached", "--name-only").splitlines() == [
        "data/offers/canada-mex-2006-2.yaml",
        "data/requests/mex-2006.yaml",
    ]


def test_offer_add_rejects_uncommitted_request(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    request = _request(root)
    request.write_text(request.read_text(encoding="utf-8") + "# edit\n", "utf-8")
    before = snapshot(root)

    result = run_cli(ADD, root)

    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: data/requests/mex-2006.yaml has uncommitted changes; commit or "
        "discard them first"
    )
    assert snapshot(root) == before


def test_offer_add_ignores_uncommitted_untouched_request(tmp_path: Path) -> None:
    root = _repo(tmp_path, request=REQUEST)
    request = _request(root)
    request.write_text(request.read_text(encoding="utf-8") + "# edit\n", "utf-8")

    result = run_cli(ADD, root)

    assert result.exit_code == 0, result.stderr
    assert commit_files(head(root)) == ["data/offers/canada-mex-2006-2.yaml"]
    assert git.Repo(root).git.status("--porcelain") == " M data/requests/mex-2006.yaml"


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"--request": "mex-2007"},
            2,
            "request 'mex-2007' not found in data/requests; did you mean mex-2006?",
        ),
        (
            {"--provider": "canda"},
            2,
            "provider 'canda' not found in data/providers; did you mean canada?",
        ),
        (
            {"--item": "3"},
            2,
            "invalid --item 3: request mex-2006 has items 1 to 2; 'assist1540 "
            "status mex-2006' lists them",
        ),
        (
            {"--programme": "Customs"},
            2,
            "provider 'canada' has no programme named 'Customs'; its programmes: "
            "'Counter-Terrorism Capacity Building Program'. Give one of them, or "
            "leave --programme out",
        ),
        (
            {"--summary": " "},
            2,
            "--summary is empty; say in a sentence what is offered",
        ),
        (
            {"--received": "2026-13"},
            2,
            "invalid --received: invalid date '2026-13': there is no month 13",
        ),
    ],
)
def test_offer_add_rejects(
    tmp_path: Path, changes: dict[str, str], code: int, message: str
) -> None:
    root = _repo(tmp_path)
    before = snapshot(root)
    arguments = list(ADD)
    for option, value in changes.items():
        if option in arguments:
            arguments[arguments.index(option) + 1] = value
        else:
            arguments += [option, value]

    result = run_cli(arguments, root)

    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            "closed",
            "request mex-2006 is 'closed', so it takes no offer; record the offer "
            "against an open request ('assist1540 list' shows them)",
        ),
        (
            "informal",
            "request mex-2006 is 'informal', so it takes no offer until the State "
            "formalises it; record that with 'assist1540 formalise mex-2006' first",
        ),
    ],
)
def test_offer_add_rejects_request_status(
    tmp_path: Path, status: str, message: str
) -> None:
    request = DISTRIBUTED_REQUEST.replace("status: distributed", f"status: {status}")
    if status == "informal":
        request = request.replace("iso3: MEX\n", "iso3: MEX\nformal: false\n")
    root = _repo(tmp_path, request=request)
    before = snapshot(root)

    result = run_cli(ADD, root)

    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert snapshot(root) == before


# --- The whole procedure ----------------------------------------------------------


def _repo_with_templates(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2006.yaml": DISTRIBUTED_REQUEST,
            "data/providers/canada.yaml": PROVIDER,
        },
    )
    shutil.copytree(PROJECT_ROOT / "templates", root / "templates")
    commit_all(root)
    return root


def test_offer_circulate_commits_its_letter(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    run_cli(ADD[:6] + ["--summary", "Courses", "--date", "2026-03-10"], root)

    result = run_cli(["offer", "circulate", OFFER_ID, "--date", "2026-03-11"], root)
    commit = head(root)

    assert result.exit_code == 0, result.stderr
    letters = [name for name in commit_files(commit) if name.startswith("letters/")]
    assert [Path(name).suffix for name in letters] == [".docx", ".md"]
    assert commit_files(commit) == sorted([f"data/offers/{OFFER_ID}.yaml", *letters])
    assert "reference: S/AC.44/2026/001" in _offer(root).read_text(encoding="utf-8")
    assert (root / letters[1]).read_text(encoding="utf-8").count("S/AC.44/2026/001")


def test_full_offer_procedure(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    steps = [
        ADD,
        ["offer", "circulate", OFFER_ID, "--date", "2026-03-11"],
        ["offer", "inform", OFFER_ID, "--date", "2026-03-12"],
        ["offer", "take-up", OFFER_ID, "--date", "2026-04-01"],
        [
            "offer",
            "report",
            OFFER_ID,
            "--kind",
            "progress",
            "--by",
            "provider",
            "--date",
            "2026-06-01",
        ],
        [
            "offer",
            "report",
            OFFER_ID,
            "--kind",
            "completion",
            "--by",
            "state",
            "--date",
            "2026-09-01",
        ],
        [
            "feedback",
            OFFER_ID,
            "--from",
            "state",
            "--activities",
            "a",
            "--achievements",
            "b",
            "--opportunities",
            "c",
            "--date",
            "2026-09-15",
        ],
        [
            "feedback",
            OFFER_ID,
            "--from",
            "provider",
            "--activities",
            "d",
            "--achievements",
            "e",
            "--opportunities",
            "f",
            "--date",
            "2026-09-20",
        ],
    ]
    for step in steps:
        result = run_cli(step, root)
        assert result.exit_code == 0, (step, result.stderr)

    subjects = [commit.summary for commit in git.Repo(root).iter_commits()]
    text = _offer(root).read_text(encoding="utf-8")

    assert subjects[:8] == [
        f"Record feedback from the provider on offer {OFFER_ID}",
        f"Record feedback from the requesting State on offer {OFFER_ID}",
        f"Record completion report on offer {OFFER_ID}",
        f"Record progress report on offer {OFFER_ID}",
        f"Take up offer {OFFER_ID}",
        f"Inform the requesting State of offer {OFFER_ID}",
        f"Circulate offer {OFFER_ID}",
        f"Record offer {OFFER_ID}",
    ]
    assert "status: feedback-received\n" in text
    assert "status: matched" in _request(root).read_text(encoding="utf-8")
    assert run_cli(["validate"], root).exit_code == 0
    assert git.Repo(root).git.status("--porcelain") == ""


@pytest.mark.parametrize("kind", ["progress", "completion"])
def test_report_shortcut_matches_offer_report(tmp_path: Path, kind: str) -> None:
    shortcut_root = _repo(tmp_path / "shortcut", "taken-up")
    long_root = _repo(tmp_path / "long", "taken-up")
    common = ["--by", "provider", "--date", "2026-03-02"]

    shortcut = run_cli(["report", kind, OFFER_ID, *common], shortcut_root)
    long_form = run_cli(
        ["offer", "report", OFFER_ID, "--kind", kind, *common], long_root
    )

    assert shortcut.exit_code == 0, shortcut.stderr
    assert long_form.exit_code == 0, long_form.stderr
    assert _offer(shortcut_root).read_bytes() == _offer(long_root).read_bytes()
    assert head(shortcut_root).summary == head(long_root).summary
