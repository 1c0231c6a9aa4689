"""CSV and Excel (Office Open XML) renderings of the organizer's application list (column headers translated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from roadshow.applications.forms import DEGREE_LABELS, STAGE_LABELS, STATUS_LABELS
from roadshow.applications.organizer_list import EXPORT_COLUMNS
from roadshow.spreadsheets import XLSX, to_csv, to_xlsx  # noqa: F401 (the views use exports.XLSX, .to_csv, .to_xlsx)

HEADERS = {
    "id": _l("ID"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted at (event's zone)"),
    "title_en": _l("Title (English)"),
    "title_zh": _l("Title (Chinese)"),
    "track": _l("Track"),
    "stage": _l("Project stage"),
    "team_size": _l("Team size"),
    "funding_sought_cny": _l("Funding sought (yuan)"),
    "country": _l("Country of residence"),
    "applicant": _l("Applicant"),
    "applicant_chinese": _l("Name in Chinese"),
    "email": _l("Email"),
    "nationality": _l("Nationality"),
    "institution": _l("Institution"),
    "position": _l("Position"),
    "highest_degree": _l("Highest degree"),
    "research_field": _l("Research field"),
    "districts": _l("Districts of interest"),
    "summary": _l("Summary"),
    "support_sought": _l("Support sought"),
    "video_url": _l("Video"),
    "deck": _l("Pitch deck"),
    "deck_sha256": _l("Deck SHA-256"),
}


def headers(zone: str | None = None) -> list[str]:
    """The column headers; with ``zone`` (the event's), the time column names it."""
    named = {"submitted_at": _l("Submitted at (%(zone)s)", zone=zone)} if zone else {}
    return [str(named.get(name, HEADERS[name])) for name in EXPORT_COLUMNS]


def localize(rows: list[list[Any]], tracks: Mapping[str, str] | None = None,
             districts: Mapping[str, str] | None = None) -> list[list[Any]]:
    """Status, stage and degree in the reader's language; the track and the districts by their
    names (``tracks`` and ``districts`` map codes to names in that language), the districts
    separated by "; " (country codes stay codes)."""
    maps = {EXPORT_COLUMNS.index(name): {k: str(v) for k, v in labels.items()}
            for name, labels in (("status", STATUS_LABELS), ("stage", STAGE_LABELS),
                                 ("highest_degree", DEGREE_LABELS), ("track", tracks or {}))}
    district_names = districts or {}
    district_index = EXPORT_COLUMNS.index("districts")
    for row in rows:
        for index, labels in maps.items():
            row[index] = labels.get(row[index], row[index])
        codes = row[district_index]
        if isinstance(codes, list | tuple):
            row[district_index] = DISTRICT_SEPARATOR.join(district_names.get(c, c) for c in codes)
    return rows


DISTRICT_SEPARATOR = "; "


