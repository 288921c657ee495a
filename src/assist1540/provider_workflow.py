"""Provider steps as pure functions: new providers, updates, programmes, confirmation.

Each step returns a StepOutcome, as the request and offer steps do, and checks
option values against the taxonomy and the provider first, so a mistake is
reported by option name before any file is touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from assist1540.countries import COUNTRIES
from assist1540.dates import PartialDate
from assist1540.errors import UsageError
from assist1540.models import Provider, Taxonomy
from assist1540.offer_workflow import append_to_list
from assist1540.workflow import Change, StepContext, StepOutcome, make_outcome

PROVIDER_KINDS: tuple[str, ...] = get_args(Provider.model_fields["kind"].annotation)

# For each taxonomy kind: its option and the plural noun the messages use.
TAG_OPTIONS = {
    "areas": ("--area", "areas"),
    "weapons": ("--weapon", "weapon categories"),
    "types": ("--type", "assistance types"),
}


@dataclass(frozen=True)
class Tags:
    """Area, weapon category and assistance type ids, and regions, as given."""

    areas: Sequence[str] = ()
    weapons: Sequence[str] = ()
    types: Sequence[str] = ()
    regions: Sequence[str] = ()


@dataclass(frozen=True)
class ProviderUpdate:
    """The fields `provider update` sets, adds to or removes from."""

    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    iso3: str | None = None
    last_confirmed: str | None = None
    add: Tags = field(default_factory=Tags)
    remove: Tags = field(default_factory=Tags)

    def is_empty(self) -> bool:
        fields = (self.name, self.short_name, self.kind, self.iso3, self.last_confirmed)
        return all(value is None for value in fields) and not any(
            [*_tag_lists(self.add), *_tag_lists(self.remove)]
        )


def new_provider_values(
    name: str,
    kind: str,
    iso3: str | None,
    short_name: str | None,
    tags: Tags,
    last_confirmed: str | None,
    context: StepContext,
) -> dict[str, Any]:
    """Check the options of `provider add` and shape them as a provider record."""
    _check_kind(kind)
    code = normalise_iso3(iso3) if iso3 is not None else None
    if kind == "state" and code is None:
        raise UsageError(
            "missing --iso3: a provider of kind state needs its ISO3 code, e.g. CAN"
        )
    _check_date("--last-confirmed", last_confirmed)
    _check_text("--name", name)

    values: dict[str, Any] = {"name": name}
    if short_name is not None:
        values["short_name"] = short_name
    values["kind"] = kind
    if code is not None:
        values["iso3"] = code
    if tags.regions:
        values["regions"] = list(tags.regions)
    values["areas"] = list(tags.areas)
    values["weapons"] = list(tags.weapons)
    values["types"] = list(tags.types)
    if last_confirmed is not None:
        values["last_confirmed"] = last_confirmed
    values["programmes"] = []
    # The first entry records who added the provider and when, as a step would.
    values["history"] = [make_outcome("add", "", [], context).history]
    return values


def check_tags(taxonomy: Taxonomy | None, tags: Tags) -> None:
    """Check every tag id against the taxonomy, by option name."""
    if taxonomy is None:
        return
    for kind, (option, noun) in TAG_OPTIONS.items():
        known = taxonomy.ids(kind)
        for value in getattr(tags, kind):
            if value in known:
                continue
            close = difflib.get_close_matches(value, known, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"use one of the {noun} in taxonomy.yaml: {', '.join(known)}"
            )
            raise UsageError(f"unknown {option} '{value}'; {hint}")


def update_provider(
    provider_id: str, provider: Provider, context: StepContext, update: ProviderUpdate
) -> StepOutcome:
    """Set the given fields, and add or remove tags and regions."""
    if update.is_empty():
        raise UsageError(
            "nothing to update; give at least one option, such as --name or --add-area"
        )
    changes: list[Change] = []
    for field_name in ("name", "short_name"):
        value = getattr(update, field_name)
        if value is not None:
            _check_text(f"--{field_name.replace('_', '-')}", value)
            changes.append(Change((field_name,), value))
    if update.kind is not None:
        _check_kind(update.kind)
        changes.append(Change(("kind",), update.kind))
    if update.iso3 is not None:
        changes.append(Change(("iso3",), normalise_iso3(update.iso3)))
    if update.last_confirmed is not None:
        _check_date("--last-confirmed", update.last_confirmed)
        changes.append(Change(("last_confirmed",), update.last_confirmed))
    for field_name in ("areas", "weapons", "types", "regions"):
        current: list[str] = list(getattr(provider, field_name))
        changed = _edit_list(
            provider_id,
            field_name,
            current,
            getattr(update.add, field_name),
            getattr(update.remove, field_name),
        )
        if changed != current:
            changes.append(Change((field_name,), changed))

    return make_outcome("update", f"Update provider {provider_id}", changes, context)


def add_programme(
    provider_id: str,
    provider: Provider,
    context: StepContext,
    name: str,
    summary: str,
    tags: Tags,
) -> StepOutcome:
    """Add a programme to the provider's list."""
    _check_text("--name", name)
    _check_text("--summary", summary)
    names = [programme.name for programme in provider.programmes]
    if name in names:
        raise UsageError(
            f"provider {provider_id} already has a programme named '{name}'; give "
            "the new one a distinct --name"
        )
    programme: dict[str, Any] = {
        "name": name,
        "summary": summary,
        "areas": list(tags.areas),
        "weapons": list(tags.weapons),
        "types": list(tags.types),
    }
    if tags.regions:
        programme["regions"] = list(tags.regions)
    return make_outcome(
        "add-programme",
        f"Add programme '{name}' to provider {provider_id}",
        [append_to_list("programmes", len(provider.programmes), programme)],
        context,
        extra_note=f"programme '{name}'",
    )


def confirm_provider(
    provider_id: str,
    provider: Provider,
    context: StepContext,
    programme: str | None = None,
) -> StepOutcome:
    """Record that the provider confirmed its information, or one programme's."""
    day = context.on.isoformat()
    if programme is None:
        return make_outcome(
            "confirm",
            f"Confirm provider {provider_id}",
            [Change(("last_confirmed",), day)],
            context,
        )

    names = [entry.name for entry in provider.programmes]
    if programme not in names:
        listed = ", ".join(f"'{name}'" for name in names) or "none"
        raise UsageError(
            f"provider '{provider_id}' has no programme named '{programme}'; its "
            f"programmes: {listed}"
        )
    index = names.index(programme)
    return make_outcome(
        "confirm",
        f"Confirm programme '{programme}' of provider {provider_id}",
        [Change(("programmes", index, "last_confirmed"), day)],
        context,
        extra_note=f"programme '{programme}'",
    )


def normalise_iso3(code: str) -> str:
    """Return the upper-case ISO 3166-1 alpha-3 code, or raise UsageError."""
    if code.upper() not in COUNTRIES:
        raise UsageError(
            f"invalid --iso3 '{code}'; use an ISO 3166-1 alpha-3 code, e.g. CAN"
        )
    return code.upper()


def _edit_list(
    provider_id: str,
    field_name: str,
    current: list[str],
    added: Sequence[str],
    removed: Sequence[str],
) -> list[str]:
    option = TAG_OPTIONS.get(field_name, ("--region", "region"))[0].lstrip("-")
    for value in removed:
        if value not in current:
            raise UsageError(
                f"invalid --remove-{option} '{value}': provider {provider_id} does "
                f"not list it; its {field_name}: {', '.join(current) or 'none'}"
            )
    for value in added:
        if value in current:
            raise UsageError(
                f"invalid --add-{option} '{value}': provider {provider_id} lists it "
                "already"
            )
    kept = [value for value in current if value not in removed]
    return kept + list(dict.fromkeys(added))


def _check_kind(kind: str) -> None:
    if kind not in PROVIDER_KINDS:
        raise UsageError(
            f"invalid --kind '{kind}'; use one of {', '.join(PROVIDER_KINDS)}"
        )


def _check_date(option: str, text: str | None) -> None:
    if text is None:
        return
    try:
        PartialDate.parse(text)
    except ValueError as error:
        raise UsageError(f"invalid {option}: {error}") from None


def _check_text(option: str, text: str) -> None:
    if not text.strip():
        raise UsageError(f"{option} is empty; give the text")


def _tag_lists(tags: Tags) -> list[Sequence[str]]:
    return [tags.areas, tags.weapons, tags.types, tags.regions]
