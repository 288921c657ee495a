"""Finding the data repository and checking its configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assist1540.errors import RepositoryError
from assist1540.repository import DataRepository
from conftest import REQUEST, commit_all, make_repo, run_cli


@pytest.mark.parametrize(
    ("key", "value"),
    [("data", "../elsewhere"), ("data", "/etc"), ("templates", "../../templates")],
)
def test_folder_outside_repository_rejected(
    tmp_path: Path, key: str, value: str
) -> None:
    root = make_repo(
        tmp_path, {"assist1540.toml": f'[assist1540]\n{key} = "{value}"\n'}
    )

    with pytest.raises(RepositoryError, match=f"{key} = '{value}' points outside"):
        DataRepository.open(root, "test")


def test_folder_outside_repository_cli(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"assist1540.toml": '[assist1540]\ndata = "/etc"\n'})

    result = run_cli(["validate"], root)

    assert result.exit_code == 2
    assert "data = '/etc' points outside the repository" in result.stderr


def test_invalid_toml_names_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"assist1540.toml": "[assist1540\n"})

    result = run_cli(["validate"], root)

    assert result.exit_code == 2
    assert result.stderr.startswith("error: assist1540.toml: invalid TOML")


def test_unknown_config_key_named(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"assist1540.toml": "[assist1540]\ndatta = 'data'\n"})

    result = run_cli(["validate"], root)

    assert result.exit_code == 2
    assert "assist1540.toml" in result.stderr
    assert (
        "assist1540.toml:2:1: error: assist1540.datta: unknown key 'datta'; "
        "did you mean 'data'?" in result.stderr
    )


def test_future_received_date_rejected(tmp_path: Path) -> None:
    request = REQUEST.replace('received: "2006"', 'received: "2099-01-01"')
    root = make_repo(tmp_path, {"data/requests/mex-2099.yaml": request})

    result = run_cli(["validate"], root)

    assert result.exit_code == 1
    assert result.stdout == (
        "data/requests/mex-2099.yaml:3:11: error: received: date 2099-01-01 is "
        "after today; check the year, month and day\n"
    )


def test_future_step_date_rejected(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    commit_all(root)
    before = (root / "data/requests/mex-2006.yaml").read_bytes()

    result = run_cli(["authenticate", "mex-2006", "--date", "2999-01-01"], root)

    assert result.exit_code == 2
    assert "--date 2999-01-01 is after today" in result.stderr
    assert (root / "data/requests/mex-2006.yaml").read_bytes() == before


@pytest.mark.parametrize("blank", ['""', '"   "'])
def test_blank_item_summary_rejected(tmp_path: Path, blank: str) -> None:
    request = REQUEST.replace(
        "summary: Money to buy detection equipment.", f"summary: {blank}"
    )
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": request})

    result = run_cli(["validate"], root)

    assert result.exit_code == 1
    assert result.stdout == (
        "data/requests/mex-2006.yaml:9:14: error: items[1].summary: must not be "
        "empty or only spaces; write the text\n"
    )


def test_state_name_unlike_code_warns(tmp_path: Path) -> None:
    request = REQUEST.replace("state: Mexico", "state: France")
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": request})

    result = run_cli(["validate"], root)

    assert result.exit_code == 0
    assert result.stdout == (
        "data/requests/mex-2006.yaml:1:8: warning: state: 'France' does not look "
        "like the name of MEX (Mexico); check the name and the iso3 code\n"
    )


@pytest.mark.parametrize(
    ("state", "iso3"),
    [
        ("Republic of Korea", "KOR"),
        ("United States of America", "USA"),
        ("Bolivia", "BOL"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
    ],
)
def test_state_name_variants_accepted(tmp_path: Path, state: str, iso3: str) -> None:
    request = REQUEST.replace("state: Mexico", f"state: {state}").replace(
        "iso3: MEX", f"iso3: {iso3}"
    )
    root = make_repo(tmp_path, {"data/requests/x-2006.yaml": request})

    result = run_cli(["validate"], root)

    assert result.exit_code == 0
    assert result.stdout == ""


# Root reads any folder, so as root the command runs without the two
# capabilities that let it bypass permissions.
_WITHOUT_OVERRIDES = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


@pytest.mark.parametrize("command", ["validate", "list"])
def test_unreadable_record_folder_named(tmp_path: Path, command: str) -> None:
    root = make_repo(tmp_path, {"data/requests/mex-2006.yaml": REQUEST})
    commit_all(root)
    prefix = _WITHOUT_OVERRIDES if os.geteuid() == 0 else []
    folder = root / "data/requests"
    folder.chmod(0)
    try:
        completed = subprocess.run(
            [*prefix, sys.executable, "-m", "assist1540.cli", "--repo", str(root)]
            + [command],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        folder.chmod(0o755)

    assert completed.returncode == 2
    assert completed.stderr.startswith(
        "error: cannot list the records in data/requests: Permission denied;"
    )
    assert "internal error" not in completed.stderr
