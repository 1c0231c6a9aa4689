"""Applicant pages (profile, form, status, withdraw), deck downloads and the organizer's list,
detail, exports and statistics. Thin: load, check access, call a service, commit once. The
blueprint lives in blueprint.py and the pages in modules named for what they hold; importing them
here registers their routes on ``bp``, which the app registers."""

from __future__ import annotations

from roadshow.applications import applicant_views, file_views, form_views, organizer_views
from roadshow.applications.blueprint import bp

__all__ = ["bp", "applicant_views", "file_views", "form_views", "organizer_views"]
