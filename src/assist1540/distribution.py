"""Choose the providers a request is distributed to."""

from __future__ import annotations

from collections.abc import Sequence

from assist1540.catalog import Catalog, Entry
from assist1540.errors import UsageError
from assist1540.models import Request

DEFAULT_PROVIDER_COUNT = 5


def choose_providers(
    catalog: Catalog, entry: Entry[Request], named: Sequence[str]
) -> list[str]:
    """Check the named providers, or take the best ranked ones over all items."""
    if named:
        unknown = [provider for provider in named if provider not in catalog.providers]
        if unknown:
            raise UsageError(
                f"provider '{unknown[0]}' not found in data/providers; use the id of a "
                "provider file"
            )
        return list(dict.fromkeys(named))

    from assist1540.matching import Matcher

    matcher = Matcher(catalog)
    best: dict[str, float] = {}
    for number in range(1, len(entry.record.items) + 1):
        ranking = matcher.rank_item(entry, number, top=DEFAULT_PROVIDER_COUNT)
        for match in ranking.matches:
            best[match.provider] = max(best.get(match.provider, 0.0), match.score)
    ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))
    return [provider for provider, _ in ranked[:DEFAULT_PROVIDER_COUNT]]
