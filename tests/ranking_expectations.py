"""Expected providers for each tagged item of the bundled requests.

Each row lists the providers a 1540 expert would accept among the first three,
from the item's subject and from the facts in the request's own notes (for
example, UNLIREC, part of UNODA, gave the Dominican Republic drafting help, and
UNODC answered Armenia's 2009 request).
"""

from __future__ import annotations

EXPECTED_PROVIDERS: dict[tuple[str, int], frozenset[str]] = {
    ("ago-2008-04-30", 1): frozenset({"wco", "united-states", "european-union"}),
    ("ago-2008-04-30", 2): frozenset(
        {
            "wco",
            "united-states",
            "european-union",
            "interpol",
            "iaea",
            "gicnt",
            "united-kingdom",
        }
    ),
    ("ago-2008-04-30", 3): frozenset(
        {"united-states", "european-union", "japan", "iaea", "opcw", "wco"}
    ),
    ("arm-2009-02", 1): frozenset({"unodc", "vertic"}),
    ("arm-2015-03-25", 1): frozenset({"european-union", "germany", "united-states"}),
    ("arm-2015-03-25", 2): frozenset({"opcw", "finland"}),
    ("arm-2015-03-25", 3): frozenset({"opcw", "finland"}),
    ("arm-2015-03-25", 4): frozenset({"opcw", "finland", "who"}),
    ("arm-2015-03-25", 5): frozenset({"opcw", "finland", "who"}),
    ("bwa-2022", 1): frozenset(
        {"european-union", "germany", "united-states", "unoda", "united-kingdom"}
    ),
    ("bwa-2022", 2): frozenset(
        {"united-states", "european-union", "wco", "unoda", "united-kingdom", "japan"}
    ),
    ("dom-2015-11", 1): frozenset({"unoda", "vertic", "unodc"}),
    ("dom-2015-11", 2): frozenset(
        {"unoda", "european-union", "united-states", "vertic"}
    ),
    ("ecu-2024-12-12", 1): frozenset(
        {"unoda", "oas-cicte", "european-union", "unicri"}
    ),
    ("ecu-2024-12-12", 2): frozenset({"unoda", "vertic", "unodc", "unicri"}),
    ("ecu-2024-12-12", 4): frozenset(
        {"unoda", "european-union", "oas-cicte", "stimson-center"}
    ),
    ("mex-2006", 1): frozenset(
        {
            "united-states",
            "wco",
            "european-union",
            "iaea",
            "oas-cicte",
            "united-kingdom",
        }
    ),
    ("mex-2006", 2): frozenset(
        {"united-states", "japan", "global-partnership", "canada", "european-union"}
    ),
    ("mex-2006", 3): frozenset({"unodc", "oas-cicte", "unoda", "vertic"}),
    ("mex-2006", 4): frozenset({"bwc-isu", "united-states", "vertic"}),
    ("mex-2011", 1): frozenset(
        {
            "united-states",
            "wco",
            "european-union",
            "iaea",
            "oas-cicte",
            "united-kingdom",
        }
    ),
    ("mex-2011", 2): frozenset(
        {"united-states", "japan", "global-partnership", "canada", "european-union"}
    ),
    ("mex-2012", 1): frozenset({"oas-cicte", "united-states", "iaea", "canada"}),
    ("per-2017-03-07", 1): frozenset({"unoda", "vertic", "unodc", "bwc-isu"}),
    ("sur-2019", 1): frozenset({"unoda", "imo", "oas-cicte", "united-states"}),
    ("tto-2015-08", 1): frozenset({"unoda", "imo", "oas-cicte", "caricom"}),
}
