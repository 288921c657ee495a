"""assist1540: records and matchmaking for assistance under resolution 1540 (2004)."""

from __future__ import annotations

__version__ = "0.1.0"
