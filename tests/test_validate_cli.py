"""`assist1540 validate`: output formats, paths, finding the repository, references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assist1540.repository import RECORD_KINDS
from conftest import OFFER, REQUEST, VALID_RECORDS, make_repo, run_cli

BUNDLED_ROOT = Path(__file__).parents[1]
REQUEST_PATH = "data/requests/mex-2006.yaml"
OFFER_PATH = "data/offers/can-mex-2006.yaml"
BAD_DATE = REQUEST.replace('received: "2006"', "received: 2006-02-30")
# The valid records without the offer, so that a bad request adds no warning to it.
WITHOUT_OFFER = {**VALID_RECORDS, OFFER_PATH: None}
BAD_DATE_LINE = (
    f"{REQUEST_PATH}:3:11: error: received: invalid date '2006-02-30': day 30 does "
    "not exist in 2006-02"
)
NO_REPOSITORY = (
    "error: no data repository found: neither {} nor any parent folder contains "
    "assist1540.toml; run the command inside a data repository, or name one with "
    "--repo PATH or the ASSIST1540_REPO variable\n"
)


def _bundled_file_count() -> int:
    data = BUNDLED_ROOT / "data"
    records = [
        path
        for kind in RECORD_KINDS
        if (data / kind).is_dir()
        for path in (data / kind).iterdir()
        if path.is_file() and not path.name.startswith(".")
    ]
    return len(records) + 1


# --- The bundled data and the output formats ---------------------------------------


def test_bundled_data_valid() -> None:
    result = run_cli(["validate"], repo=BUNDLED_ROOT)

    assert (result.exit_code, result.stdout) == (0, "")


def test_bundled_data_summary() -> None:
    result = run_cli(["validate"], repo=BUNDLED_ROOT)

    assert result.stderr == f"{_bundled_file_count()} files checked: 0 errors\n"


def test_valid_repository_exit_zero(data_repo: Path) -> None:
    result = run_cli(["validate"], repo=data_repo)

    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "4 files checked: 0 errors\n",
    )


def test_invalid_record_text_output(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**WITHOUT_OFFER, REQUEST_PATH: BAD_DATE})

    result = run_cli(["validate"], repo=root)

    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        BAD_DATE_LINE + "\n",
        "3 files checked: 1 error\n",
    )


def test_invalid_record_json_output(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**WITHOUT_OFFER, REQUEST_PATH: BAD_DATE})

    result = run_cli(["validate", "--format", "json"], repo=root)

    assert json.loads(result.stdout) == {
        "valid": False,
        "checked_files": 3,
        "errors": 1,
        "problems": [
            {
                "path": REQUEST_PATH,
                "line": 3,
                "column": 11,
                "field": "received",
                "severity": "error",
                "message": "invalid date '2006-02-30': day 30 does not exist in "
                "2006-02",
            }
        ],
    }


def test_valid_repository_json_output(data_repo: Path) -> None:
    result = run_cli(["validate", "--format", "json"], repo=data_repo)

    assert json.loads(result.stdout) == {
        "valid": True,
        "checked_files": 4,
        "errors": 0,
        "problems": [],
    }


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {REQUEST_PATH: BAD_DATE},
            f"::error file={REQUEST_PATH},line=3,col=11,title=received::invalid date "
            "'2006-02-30': day 30 does not exist in 2006-02",
        ),
        (
            {"data/requests/Mex.yaml": REQUEST},
            "::error file=data/requests/Mex.yaml,line=1,col=1::invalid record id "
            "'Mex'; ids use lower-case letters, digits and single hyphens (up to 80 "
            "characters), such as mex-2006 or iaea; rename the file to a valid id",
        ),
        (
            {"data/taxonomy.yaml": None},
            "::error file=data/taxonomy.yaml::the taxonomy file is missing; import one "
            "with 'assist1540 import-reference DIR' or copy it from another data "
            "repository",
        ),
    ],
)
def test_github_annotation_output(
    tmp_path: Path, files: dict[str, str | None], expected: str
) -> None:
    root = make_repo(tmp_path, {**WITHOUT_OFFER, **files})

    result = run_cli(["validate", "--format", "github"], repo=root)

    assert result.stdout.splitlines()[0] == expected


def test_unknown_format_usage_error(data_repo: Path) -> None:
    result = run_cli(["validate", "--format", "xml"], repo=data_repo)

    assert (result.exit_code, result.stderr) == (
        2,
        "error: invalid --format 'xml'; use text, json, github or sarif\n",
    )


# --- Paths given as arguments ------------------------------------------------------


@pytest.fixture
def two_bad_files(tmp_path: Path) -> Path:
    """A repository with a bad request and a bad provider."""
    provider = VALID_RECORDS["data/providers/canada.yaml"].replace("CAN", "XXX")
    return make_repo(
        tmp_path,
        {
            **VALID_RECORDS,
            REQUEST_PATH: BAD_DATE,
            "data/providers/canada.yaml": provider,
        },
    )


PROVIDER_LINE = (
    "data/providers/canada.yaml:3:7: error: iso3: 'XXX' is not an ISO 3166-1 "
    "alpha-3 country code; use the three capital letters, e.g. MEX for Mexico"
)
# The offer refers to both bad files, so neither reference can be checked.
OFFER_LINES = (
    f"{OFFER_PATH}:1:10: warning: request: request 'mex-2006' cannot be checked "
    f"because {REQUEST_PATH} has errors; fix that file first",
    f"{OFFER_PATH}:3:11: warning: provider: provider 'canada' cannot be checked "
    "because data/providers/canada.yaml has errors; fix that file first",
)
ALL_LINES = [*OFFER_LINES, PROVIDER_LINE, BAD_DATE_LINE]


@pytest.mark.parametrize(
    ("arguments", "lines"),
    [
        ([], ALL_LINES),
        ([""], ALL_LINES),
        ([REQUEST_PATH], [BAD_DATE_LINE]),
        (["data/requests"], [BAD_DATE_LINE]),
        (["data/offers"], list(OFFER_LINES)),
        (["data/requests", "data/providers"], [PROVIDER_LINE, BAD_DATE_LINE]),
    ],
)
def test_paths_limit_report(
    two_bad_files: Path, arguments: list[str], lines: list[str]
) -> None:
    paths = [str(two_bad_files / argument) for argument in arguments]

    result = run_cli(["validate", *paths], repo=two_bad_files)

    assert result.stdout.splitlines() == lines


@pytest.mark.parametrize(
    ("arguments", "summary"),
    [
        ([], "4 files checked: 2 errors, 2 warnings\n"),
        (["data/requests", "data/providers"], "2 files checked: 2 errors\n"),
        (["data/offers", "data/providers"], "2 files checked: 1 error, 2 warnings\n"),
    ],
)
def test_paths_limit_summary(
    two_bad_files: Path, arguments: list[str], summary: str
) -> None:
    paths = [str(two_bad_files / argument) for argument in arguments]

    result = run_cli(["validate", *paths], repo=two_bad_files)

    assert result.stderr == summary


def test_summary_one_file_singular(two_bad_files: Path) -> None:
    result = run_cli(
        ["validate", str(two_bad_files / REQUEST_PATH)], repo=two_bad_files
    )

    assert result.stderr == "1 file checked: 1 error\n"


def test_missing_path_usage_error(two_bad_files: Path) -> None:
    missing = two_bad_files / "data/requests/nope.yaml"

    result = run_cli(["validate", str(missing)], repo=two_bad_files)

    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {missing}: no such file or folder; give a path inside "
        f"{two_bad_files}\n",
    )


def test_path_outside_usage_error(two_bad_files: Path, tmp_path: Path) -> None:
    result = run_cli(["validate", str(tmp_path)], repo=two_bad_files)

    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path} is outside the data repository {two_bad_files}; give a "
        "path inside it\n",
    )


# --- Finding the repository --------------------------------------------------------


def test_repo_option_finds_repository(data_repo: Path) -> None:
    result = run_cli(["validate", "--repo", str(data_repo)])

    assert (result.exit_code, result.stderr) == (0, "4 files checked: 0 errors\n")


def test_environment_finds_repository(data_repo: Path) -> None:
    result = run_cli(["validate"], env={"ASSIST1540_REPO": str(data_repo)})

    assert (result.exit_code, result.stderr) == (0, "4 files checked: 0 errors\n")


def test_repo_option_beats_environment(data_repo: Path, tmp_path: Path) -> None:
    result = run_cli(
        ["validate"], repo=data_repo, env={"ASSIST1540_REPO": str(tmp_path)}
    )

    assert (result.exit_code, result.stderr) == (0, "4 files checked: 0 errors\n")


def test_parent_folder_finds_repository(
    data_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(data_repo / "data" / "requests")

    result = run_cli(["validate"])

    assert (result.exit_code, result.stderr) == (0, "4 files checked: 0 errors\n")


def test_no_repository_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    result = run_cli(["validate"])

    assert (result.exit_code, result.stderr) == (2, NO_REPOSITORY.format(tmp_path))


@pytest.mark.parametrize(
    ("arguments", "environment", "source"),
    [
        (["--repo", "{folder}", "validate"], {}, "--repo"),
        (["validate"], {"ASSIST1540_REPO": "{folder}"}, "ASSIST1540_REPO"),
    ],
)
def test_folder_without_config_rejected(
    tmp_path: Path, arguments: list[str], environment: dict[str, str], source: str
) -> None:
    folder = str(tmp_path)
    filled = [argument.format(folder=folder) for argument in arguments]
    env = {name: value.format(folder=folder) for name, value in environment.items()}

    result = run_cli(filled, env=env)

    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {folder} (from {source}) is not a data repository: it has no "
        "assist1540.toml; give the folder that contains it\n",
    )


# --- References between records and the consent rule -------------------------------


@pytest.mark.parametrize(
    ("offer", "expected"),
    [
        (
            OFFER.replace("request: mex-2006", "request: mex-1999"),
            "1:10: error: request: request 'mex-1999' not found; use the id of a file "
            "in data/requests",
        ),
        (
            OFFER.replace("items: [1]", "items: [1, 3]"),
            "2:12: error: items[1]: request 'mex-2006' has no item 3; its items are "
            "numbered 1 to 2",
        ),
        (
            OFFER.replace("provider: canada", "provider: atlantis"),
            "3:11: error: provider: provider 'atlantis' not found; use the id of a "
            "file in data/providers",
        ),
        (
            OFFER.replace("Counter-Terrorism Capacity Building Program", "Space"),
            "4:12: error: programme: provider 'canada' has no programme named 'Space'; "
            "use one of its programme names, or leave programme out",
        ),
    ],
)
def test_offer_reference_rejected(tmp_path: Path, offer: str, expected: str) -> None:
    root = make_repo(tmp_path, {**VALID_RECORDS, OFFER_PATH: offer})

    result = run_cli(["validate"], repo=root)

    assert (result.exit_code, result.stdout) == (1, f"{OFFER_PATH}:{expected}\n")


def test_offer_to_invalid_request_warns(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {**VALID_RECORDS, REQUEST_PATH: BAD_DATE})

    result = run_cli(["validate", str(root / OFFER_PATH)], repo=root)

    assert (result.exit_code, result.stdout) == (
        0,
        f"{OFFER_PATH}:1:10: warning: request: request 'mex-2006' cannot be checked "
        f"because {REQUEST_PATH} has errors; fix that file first\n",
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "status: acknowledged\npublished: true\n",
            "13:12: error: published: published is true but consent is 'unknown'; set "
            "published to false, or record the State's consent with status granted",
        ),
        (
            "status: acknowledged\nconsent:\n  status: refused\npublished: true\n",
            "15:12: error: published: published is true but consent is 'refused'; set "
            "published to false, or record the State's consent with status granted",
        ),
        (
            "consent:\n  status: granted\npublished: true\n",
            "14:12: error: published: published is true but the request is "
            "'received'; only authenticated requests are posted, so set published to "
            "false until it is authenticated",
        ),
    ],
)
def test_publishing_rule_rejected(tmp_path: Path, lines: str, expected: str) -> None:
    root = make_repo(tmp_path, {**WITHOUT_OFFER, REQUEST_PATH: REQUEST + lines})

    result = run_cli(["validate"], repo=root)

    assert (result.exit_code, result.stdout) == (1, f"{REQUEST_PATH}:{expected}\n")


def test_publishing_with_consent_accepted(tmp_path: Path) -> None:
    lines = "status: acknowledged\nconsent:\n  status: granted\npublished: true\n"
    root = make_repo(tmp_path, {**VALID_RECORDS, REQUEST_PATH: REQUEST + lines})

    result = run_cli(["validate"], repo=root)

    assert (result.exit_code, result.stdout) == (0, "")


def test_duplicate_id_rejected(tmp_path: Path) -> None:
    markdown = f"---\n{REQUEST}---\nThe same request as Markdown.\n"
    root = make_repo(tmp_path, {**VALID_RECORDS, "data/requests/mex-2006.md": markdown})

    result = run_cli(["validate"], repo=root)

    assert result.stdout == (
        f"{REQUEST_PATH}:1:1: error: duplicate id 'mex-2006': "
        "data/requests/mex-2006.md has the same id; keep one of the two files\n"
    )


def test_every_file_checked_in_one_run(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "data/requests/a.yaml": "state: [\n",
        "data/requests/b.yaml": "",
        "data/requests/c.yaml": b"\xff\n",
    }
    root = make_repo(tmp_path, {**WITHOUT_OFFER, **files})

    result = run_cli(["validate"], repo=root)

    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "data/requests/a.yaml",
        "data/requests/b.yaml",
        "data/requests/c.yaml",
    ]
