"""The bundled records as plain text values, and the frequencies drawn from them."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# BaseLoader keeps every scalar as the text written, as assist1540's reader does,
# so `NO` stays a code and `2006` a year.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True)
class BundledProfile:
    """The bundled requests and providers, and the taxonomy file's text."""

    requests: list[dict[str, Any]]
    providers: dict[str, dict[str, Any]]
    taxonomy_text: str
    taxonomy: dict[str, Any]

    def count(self, field_name: str) -> Counter[str]:
        """Count the values of one top-level request field."""
        return Counter(str(request.get(field_name)) for request in self.requests)

    def items_in(self, language: str) -> list[dict[str, Any]]:
        """List the request items written in one language."""
        return [
            item
            for request in self.requests
            if request.get("language", "en") == language
            for item in request["items"]
        ]

    def item_counts(self) -> Counter[int]:
        return Counter(len(request["items"]) for request in self.requests)

    def date_precisions(self) -> Counter[str]:
        """Count the received dates known to the day, the month or only the year."""
        names = {10: "day", 7: "month", 4: "year"}
        return Counter(names[len(request["received"])] for request in self.requests)

    def channel_details(self) -> dict[str, list[str]]:
        """Map each channel to the channel details written with it."""
        details: dict[str, list[str]] = {}
        for request in self.requests:
            if "channel_detail" in request:
                details.setdefault(request["channel"], []).append(
                    request["channel_detail"]
                )
        return details

    def request_sources(self) -> list[str]:
        return sorted(
            {source for r in self.requests for source in r.get("sources", [])}
        )

    def term_ids(self, kind: str) -> list[str]:
        return [term["id"] for term in self.taxonomy[kind]]


def load_profile(data_dir: Path) -> BundledProfile:
    """Read the bundled requests, providers and taxonomy under `data_dir`."""
    taxonomy_text = (data_dir / "taxonomy.yaml").read_text(encoding="utf-8")
    return BundledProfile(
        requests=list(_read_records(data_dir / "requests").values()),
        providers=_read_records(data_dir / "providers"),
        taxonomy_text=taxonomy_text,
        taxonomy=yaml.load(taxonomy_text, Loader=_LOADER),
    )


def _read_records(folder: Path) -> dict[str, dict[str, Any]]:
    """Read each record file in `folder`, by its id (the file name)."""
    records = {}
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.split("\n---", 1)[0].removeprefix("---\n")
        elif path.suffix not in (".yaml", ".yml"):
            continue
        records[path.stem] = yaml.load(text, Loader=_LOADER)
    return records


def smoothed(
    counts: Mapping[str, int], values: Iterable[str], extra: float
) -> dict[str, float]:
    """Add `extra` to the count of every value, so values unseen in the bundled
    data still occur, rarely."""
    return {value: counts.get(value, 0) + extra for value in values}


def apportion(
    weights: Mapping[Any, float], total: int, rng: random.Random
) -> list[Any]:
    """Return `total` values in random order, each as often as its share of
    `weights` (largest-remainder rounding).

    Exact shares keep small repositories true to the bundled mix, where drawing
    each value at random could, at 1x, leave out a status altogether.
    """
    whole = sum(weights.values())
    quotas = {value: total * weight / whole for value, weight in weights.items()}
    counts = {value: int(quota) for value, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda value: counts[value] - quotas[value])
    for value in by_remainder[: total - sum(counts.values())]:
        counts[value] += 1

    values = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values
