"""The time zones people choose from: canonical IANA zones, labelled with their UTC offset.

Pure: reads the IANA ``zone.tab`` shipped by the ``tzdata`` package (no Flask, no database),
so the list leaves out the old aliases (``America/Atka``, ``Asia/Calcutta`` ...) that
``zoneinfo.available_timezones()`` also returns.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

EXTRA = ("UTC",)


@lru_cache(maxsize=1)
def canonical_zones() -> tuple[str, ...]:
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones = {line.split("\t")[2] for line in text.splitlines()
             if line and not line.startswith("#") and len(line.split("\t")) >= 3}
    return tuple(sorted(zones)) + EXTRA


def offset_label(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours:02d}:{rest:02d}"


@lru_cache(maxsize=4)
def _labelled(day: str) -> tuple[tuple[str, str], ...]:
    moment = datetime.fromisoformat(day)
    return tuple((zone, f"{zone.replace('_', ' ')} ({offset_label(moment.astimezone(ZoneInfo(zone)).utcoffset())})")
                 for zone in canonical_zones())


def zone_choices(now: datetime, keep: str | None = None) -> list[tuple[str, str]]:
    """``(zone, "Europe/Paris (GMT+01:00)")`` pairs at ``now``; ``keep`` stays in the list."""
    pairs = list(_labelled(now.strftime("%Y-%m-%dT12:00:00+00:00")))
    if keep and keep not in canonical_zones():
        pairs.append((keep, keep.replace("_", " ")))
    return pairs
