"""Loading records in worker processes gives the serial loader's catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from assist1540 import catalog
from assist1540.catalog import Catalog, load_catalog
from assist1540.errors import RecordError
from assist1540.repository import DataRepository
from conftest import OFFER, PROVIDER, REQUEST, make_repo


def _repository(tmp_path: Path) -> DataRepository:
    """A repository of 120 requests with problems spread over all the files."""
    files: dict[str, str | bytes | None] = {
        "data/providers/canada.yaml": PROVIDER,
        "data/offers/can-mex-2006.yaml": OFFER,
        "data/offers/can-nowhere.yaml": OFFER.replace("mex-2006", "nowhere"),
        "data/requests/mex-2006.md": f"---\n{REQUEST}---\nA second mex-2006.\n",
        "data/requests/Bad-Id.yaml": REQUEST,
    }
    for number in range(120):
        text = REQUEST
        if number % 17 == 0:
            text = text.replace("iso3: MEX", "iso3: XXX")
        if number % 23 == 0:
            text = text.replace("received:", "received: 2006\nreceived:")
        if number % 29 == 0:
            text += "note: &anchor text\n"
        files[f"data/requests/r{number:03d}-2006.yaml"] = text
    files["data/requests/mex-2006.yaml"] = REQUEST
    return DataRepository.open(make_repo(tmp_path, files), "test")


def _summary(loaded: Catalog) -> object:
    kinds = ("requests", "offers", "providers", "events")
    return (
        loaded.problems,
        loaded.checked_files,
        loaded.invalid,
        {kind: list(loaded.entries(kind)) for kind in kinds},
        {
            kind: [entry.record for entry in loaded.entries(kind).values()]
            for kind in kinds
        },
    )


def test_workers_load_as_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = _repository(tmp_path)
    monkeypatch.setattr(catalog, "MIN_PARALLEL_FILES", 10**9)
    serial = load_catalog(repository)
    monkeypatch.setattr(catalog, "MIN_PARALLEL_FILES", 2)
    parallel = load_catalog(repository)

    assert _summary(parallel) == _summary(serial)
    assert len(serial.problems) > 10
    assert parallel.taxonomy == serial.taxonomy


def test_worker_entries_locate_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "MIN_PARALLEL_FILES", 2)
    loaded = load_catalog(_repository(tmp_path))

    last = loaded.requests["r118-2006"]

    assert last.document.locate(("items", 1, "types")) == (11, 12)
    assert last.document.locate(("received",), key=True) == (3, 1)
    assert last.body is None
    assert loaded.requests["mex-2006"].path == "data/requests/mex-2006.md"


def test_file_removed_after_listing(tmp_path: Path) -> None:
    # A file listed by the loader and removed before it is read, as another
    # process may do during a run.
    repository = DataRepository.open(make_repo(tmp_path, {}), "test")
    path = tmp_path / "repo/data/requests/gone-2006.yaml"

    with pytest.raises(RecordError) as raised:
        catalog.load_entry(repository, "requests", path, None)

    problem = raised.value.problems[0]
    assert problem.path == "data/requests/gone-2006.yaml"
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith(
        "cannot read the file: No such file or directory;"
    )
