"""Request steps through the CLI, on real git repositories and real files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import git
import pytest

from conftest import PROVIDER, commit_all, make_repo, run_cli

PROJECT_ROOT = Path(__file__).resolve().parents[1]

COMMENTED_REQUEST = """\
# Request received by note verbale; keep this comment.
state: Mexico   # as the Mission writes it
iso3: 'MEX'
received: "2026-03-01"
channel: note-verbale
status: received
consent:
    status: unknown   # not asked yet
published: false
items:
-   summary: Train customs officers.
    areas: [op3c-border-law-enforcement]
    weapons: [nuclear]
history: []
notes: |
    Full text held by the Secretariat.
"""


def _repo(
    tmp_path: Path, text: str = COMMENTED_REQUEST, name: str = "mex-2026"
) -> Path:
    root = make_repo(tmp_path, {f"data/requests/{name}.yaml": text})
    commit_all(root)
    return root


def _record(root: Path, name: str = "mex-2026") -> Path:
    return root / "data" / "requests" / f"{name}.yaml"


def _head(root: Path) -> git.Commit:
    return git.Repo(root).head.commit


def test_authenticate_changes_only_its_lines(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _record(root).read_text(encoding="utf-8")

    result = run_cli(["authenticate", "mex-2026", "--date", "2026-03-02"], root)
    after = _record(root).read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    expected = before.replace("status: received", "status: authenticated")
    expected = expected.replace(
        "history: []\n",
        'history:\n-   date: "2026-03-02"\n    action: authenticate\n'
        "    actor: Test Author\n",
    )
    expected = expected.replace(
        "published: false\n",
        "published: false\n",
    )
    assert 'authentication:\n    date: "2026-03-02"\n' in after
    assert after.replace('authentication:\n    date: "2026-03-02"\n', "") == expected


def test_step_commit_subject_and_body(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    run_cli(["authenticate", "mex-2026", "--date", "2026-03-02"], root)
    commit = _head(root)

    assert commit.summary == "Authenticate request mex-2026"
    assert "- status: authenticated" in str(commit.message)
    assert "- history: authenticate on 2026-03-02" in str(commit.message)
    assert list(commit.stats.files) == ["data/requests/mex-2026.yaml"]
    assert commit.author.name == "Test Author"


def test_step_leaves_other_staged_files(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    other = root / "notes.txt"
    other.write_text("draft\n", encoding="utf-8")
    git.Repo(root).git.add("notes.txt")

    result = run_cli(["authenticate", "mex-2026"], root)
    repo = git.Repo(root)

    assert result.exit_code == 0, result.stderr
    assert list(repo.head.commit.stats.files) == ["data/requests/mex-2026.yaml"]
    assert repo.git.diff("--cached", "--name-only") == "notes.txt"


def test_step_rejects_uncommitted_record(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    record = _record(root)
    record.write_text(record.read_text(encoding="utf-8") + "# edit\n", encoding="utf-8")
    edited = record.read_bytes()

    result = run_cli(["authenticate", "mex-2026"], root)

    assert result.exit_code == 2
    assert "data/requests/mex-2026.yaml has uncommitted changes" in result.stderr
    assert record.read_bytes() == edited


def test_step_without_identity_fails_cleanly(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _record(root).read_bytes()
    env = {
        "GIT_AUTHOR_NAME": None,
        "GIT_AUTHOR_EMAIL": None,
        "GIT_COMMITTER_NAME": None,
        "GIT_COMMITTER_EMAIL": None,
    }

    result = run_cli(["authenticate", "mex-2026"], root, env=env)

    assert result.exit_code == 2
    assert "git has no user name and e-mail configured" in result.stderr
    assert _record(root).read_bytes() == before


def test_step_no_commit_stages_only(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    head = _head(root).hexsha

    result = run_cli(["authenticate", "mex-2026", "--no-commit"], root)
    repo = git.Repo(root)

    assert result.exit_code == 0, result.stderr
    assert repo.head.commit.hexsha == head
    assert repo.git.diff("--cached", "--name-only") == "data/requests/mex-2026.yaml"


def test_step_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _record(root).read_bytes()

    result = run_cli(
        ["authenticate", "mex-2026", "--dry-run", "--date", "2026-03-02"], root
    )

    assert result.exit_code == 0, result.stderr
    assert "-status: received\n+status: authenticated" in result.stdout
    assert _record(root).read_bytes() == before
    assert _head(root).summary == "Add test records"


def test_step_from_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path)
    monkeypatch.chdir(root / "data" / "requests")

    result = run_cli(["authenticate", "mex-2026"])

    assert result.exit_code == 0, result.stderr
    assert _head(root).summary == "Authenticate request mex-2026"


def test_step_on_detached_head_warns(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    repo = git.Repo(root)
    repo.git.checkout("--detach")

    result = run_cli(["authenticate", "mex-2026"], root)

    assert result.exit_code == 0, result.stderr
    assert "HEAD is detached" in result.stderr


def test_step_out_of_turn_message(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    result = run_cli(["acknowledge", "mex-2026"], root)

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: cannot acknowledge request mex-2026: it is 'received'; "
        "allowed now: authenticate, consent, close"
    )


def test_step_unknown_request_suggests(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    result = run_cli(["authenticate", "mex-2025"], root)

    assert result.exit_code == 2
    assert "request 'mex-2025' not found in data/requests; did you mean mex-2026?" in (
        result.stderr
    )


@pytest.mark.parametrize("record_id", ["../escape", "/etc/passwd", "a\x00b", "con"])
def test_step_rejects_hostile_id(tmp_path: Path, record_id: str) -> None:
    root = _repo(tmp_path)

    result = run_cli(["authenticate", record_id], root)

    assert result.exit_code == 2
    assert "record id" in result.stderr


def test_crlf_file_keeps_crlf(tmp_path: Path) -> None:
    text = COMMENTED_REQUEST.replace("\n", "\r\n")
    root = make_repo(tmp_path, {"data/requests/mex-2026.yaml": text.encode()})
    commit_all(root)

    result = run_cli(["authenticate", "mex-2026"], root)
    raw = _record(root).read_bytes()

    assert result.exit_code == 0, result.stderr
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert b"# as the Mission writes it\r\n" in raw


def test_markdown_record_keeps_body(tmp_path: Path) -> None:
    body = "\nFull text of the note verbale.\n\n---\n\nA second part.\n"
    text = (
        "---\n"
        + textwrap.dedent(
            """\
        state: Mexico
        iso3: MEX
        received: "2026-03-01"
        items:
          - summary: Customs training.
        """
        )
        + "---\n"
        + body
    )
    root = make_repo(tmp_path, {"data/requests/mex-2026.md": text.encode()})
    commit_all(root)

    result = run_cli(["authenticate", "mex-2026", "--date", "2026-03-02"], root)
    after = (root / "data" / "requests" / "mex-2026.md").read_text(encoding="utf-8")

    assert result.exit_code == 0, result.stderr
    assert after.endswith("---\n" + body)
    assert "status: authenticated\n" in after


def test_intake_prints_new_id(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})
    commit_all(root)

    result = run_cli(
        [
            "intake",
            "--state",
            "mex",
            "--received",
            "2026-12-01",
            "--item",
            "Customs training",
            "--item",
            "Model law",
        ],
        root,
    )
    second = run_cli(
        ["intake", "--state", "MEX", "--received", "2026-12-01", "--item", "Another"],
        root,
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "mex-2026-12-01\n"
    assert second.stdout == "mex-2026-12-01-2\n"
    assert run_cli(["validate"], root).exit_code == 0
    assert _head(root).summary == "Record request mex-2026-12-01-2"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--state", "XXX", "--item", "a"], "invalid --state 'XXX'"),
        (
            ["--state", "MEX", "--item", "a", "--received", "2026-02-30"],
            "day 30 does not exist",
        ),
        (["--state", "MEX"], "missing --item"),
        (
            ["--state", "MEX", "--item", "a", "--channel", "fax"],
            "invalid --channel 'fax'",
        ),
    ],
)
def test_intake_rejects_bad_options(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    root = make_repo(tmp_path, {})
    commit_all(root)

    result = run_cli(["intake", *arguments], root)

    assert result.exit_code == 2
    assert message in result.stderr
    assert list((root / "data" / "requests").iterdir()) == []


def _repo_with_templates(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2026.yaml": COMMENTED_REQUEST,
            "data/providers/canada.yaml": PROVIDER,
        },
    )
    shutil.copytree(PROJECT_ROOT / "templates", root / "templates")
    commit_all(root)
    return root


def test_full_request_procedure(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    steps = [
        ["authenticate", "mex-2026", "--date", "2026-03-02"],
        ["acknowledge", "mex-2026", "--date", "2026-03-02"],
        ["consent", "mex-2026", "granted", "--source", "NV 3", "--date", "2026-03-03"],
        ["distribute", "mex-2026", "--provider", "canada", "--date", "2026-03-09"],
        ["close", "mex-2026", "--reason", "met", "--date", "2026-09-01"],
    ]
    for step in steps:
        result = run_cli(step, root)
        assert result.exit_code == 0, (step, result.stderr)

    subjects = [commit.summary for commit in git.Repo(root).iter_commits()]
    text = _record(root).read_text(encoding="utf-8")

    assert subjects[:5] == [
        "Close request mex-2026 as met",
        "Distribute request mex-2026",
        "Record consent granted for request mex-2026",
        "Acknowledge request mex-2026",
        "Authenticate request mex-2026",
    ]
    assert "status: closed" in text
    assert "published: true" in text
    assert "# Request received by note verbale; keep this comment." in text
    assert "status: granted   # not asked yet" in text
    assert run_cli(["validate"], root).exit_code == 0


def test_concurrent_steps_lose_no_update(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path,
        {
            "data/requests/mex-2026.yaml": COMMENTED_REQUEST,
            "data/requests/per-2026.yaml": COMMENTED_REQUEST.replace("MEX", "PER"),
        },
    )
    commit_all(root)
    command = [
        sys.executable,
        "-m",
        "assist1540.cli",
        "--repo",
        str(root),
        "authenticate",
    ]
    env = {**os.environ}

    first = subprocess.Popen([*command, "mex-2026"], env=env)
    second = subprocess.Popen([*command, "per-2026"], env=env)

    assert first.wait(timeout=60) == 0
    assert second.wait(timeout=60) == 0
    for name in ("mex-2026", "per-2026"):
        assert "status: authenticated" in _record(root, name).read_text(
            encoding="utf-8"
        )
    assert git.Repo(root).git.status("--porcelain") == ""


def test_killed_step_leaves_file_whole(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    before = _record(root).read_bytes()
    command = [
        sys.executable,
        "-m",
        "assist1540.cli",
        "--repo",
        str(root),
        "authenticate",
        "mex-2026",
    ]

    for delay in (0.05, 0.2, 0.4, 0.8):
        process = subprocess.Popen(command)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        current = _record(root).read_bytes()
        assert current == before or b"status: authenticated" in current
        if current != before:
            break

    assert run_cli(["validate"], root).exit_code == 0


def test_acknowledge_commits_its_letter(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    run_cli(["authenticate", "mex-2026", "--date", "2026-03-02"], root)

    result = run_cli(["acknowledge", "mex-2026", "--date", "2026-03-03"], root)
    letter = root / "letters/mex-2026/2026-03-03-mex-2026-acknowledgement.en.md"

    assert result.exit_code == 0, result.stderr
    assert sorted(_head(root).stats.files) == [
        "data/requests/mex-2026.yaml",
        "letters/mex-2026/2026-03-03-mex-2026-acknowledgement.en.docx",
        "letters/mex-2026/2026-03-03-mex-2026-acknowledgement.en.md",
    ]
    assert "S/AC.44/2026/001" in letter.read_text(encoding="utf-8")
    assert "reference: S/AC.44/2026/001" in _record(root).read_text(encoding="utf-8")


def test_letters_take_successive_references(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    for step in (
        ["authenticate", "mex-2026", "--date", "2026-03-02"],
        ["acknowledge", "mex-2026", "--date", "2026-03-02"],
        ["distribute", "mex-2026", "--provider", "canada", "--date", "2026-03-09"],
    ):
        assert run_cli(step, root).exit_code == 0

    text = _record(root).read_text(encoding="utf-8")

    assert "reference: S/AC.44/2026/001" in text
    assert "reference: S/AC.44/2026/002" in text


def test_given_reference_goes_on_letter(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    run_cli(["authenticate", "mex-2026"], root)

    result = run_cli(
        ["acknowledge", "mex-2026", "--date", "2026-03-03", "--reference", "NV/77"],
        root,
    )
    letter = root / "letters/mex-2026/2026-03-03-mex-2026-acknowledgement.en.md"

    assert result.exit_code == 0, result.stderr
    assert "NV/77" in letter.read_text(encoding="utf-8")
    assert "reference: NV/77" in _record(root).read_text(encoding="utf-8")


def test_no_letter_records_step_only(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    run_cli(["authenticate", "mex-2026"], root)

    result = run_cli(["acknowledge", "mex-2026", "--no-letter"], root)

    assert result.exit_code == 0, result.stderr
    assert list(_head(root).stats.files) == ["data/requests/mex-2026.yaml"]
    assert not (root / "letters").exists()


def test_missing_template_writes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    run_cli(["authenticate", "mex-2026"], root)
    before = _record(root).read_bytes()

    result = run_cli(["acknowledge", "mex-2026"], root)

    assert result.exit_code == 1
    assert "templates/letters/en/acknowledgement.md.j2" in result.stderr
    assert _record(root).read_bytes() == before
    assert not (root / "letters").exists()


def test_failed_commit_restores_files(tmp_path: Path) -> None:
    root = _repo_with_templates(tmp_path)
    run_cli(["authenticate", "mex-2026", "--date", "2026-03-02"], root)
    before = _record(root).read_bytes()
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\necho 'rejected by hook' >&2\nexit 1\n", encoding="utf-8"
    )
    hook.chmod(0o755)

    result = run_cli(["acknowledge", "mex-2026", "--date", "2026-03-03"], root)

    assert result.exit_code == 2
    assert "git commit failed (rejected by hook)" in result.stderr
    assert _record(root).read_bytes() == before
    assert not (root / "letters").exists()
    assert git.Repo(root).git.status("--porcelain") == ""


def test_step_during_merge_rejected(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    repo = git.Repo(root)
    repo.git.checkout("-b", "other")
    _record(root).write_text(COMMENTED_REQUEST.replace("Mexico", "Mexique"), "utf-8")
    repo.git.commit("-am", "Rename on a branch")
    repo.git.checkout("main")
    _record(root).write_text(COMMENTED_REQUEST.replace("Mexico", "México"), "utf-8")
    repo.git.commit("-am", "Rename on main")
    with pytest.raises(git.GitCommandError):
        repo.git.merge("other")

    result = run_cli(["authenticate", "mex-2026", "--no-commit"], root)

    assert result.exit_code == 2
    assert "a merge is in progress" in result.stderr
    assert "git merge --abort" in result.stderr


def test_concurrent_intake_gets_distinct_ids(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})
    commit_all(root)
    command = [
        sys.executable,
        "-m",
        "assist1540.cli",
        "--repo",
        str(root),
        "intake",
        "--state",
        "KEN",
        "--received",
        "2025-03-03",
        "--item",
    ]

    processes = [
        subprocess.Popen([*command, f"Need {n}"], stdout=subprocess.PIPE, text=True)
        for n in range(3)
    ]
    outputs = [process.communicate(timeout=60)[0].strip() for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0]
    assert sorted(outputs) == ["ken-2025-03-03", "ken-2025-03-03-2", "ken-2025-03-03-3"]
    assert git.Repo(root).git.status("--porcelain") == ""
