"""Inviting judges, district recruiters and event organizers in bulk from a CSV or Excel file,
from the office's invitations page: upload, a preview with each row's problems in the reader's
language (bad address, unknown role or district, duplicates in the file, already in the event
or already invited), the organizer confirms, and one background job sends the good rows."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from roadshow.access import requires
from roadshow.accounts import bulk_invitations, directory
from roadshow.accounts.blueprint import ORG, bp
from roadshow.accounts.invitation_sheet import FIELDS, MAX_INVITATIONS, columns, missing_columns
from roadshow.accounts.jobs import BULK_INVITE
from roadshow.extensions import db
from roadshow.i18n import current_locale_code
from roadshow.jobs.models import Job, JobStatus
from roadshow.jobs.queue import job_queue
from roadshow.sheet_reading import SheetError, read_table
from roadshow.spreadsheets import XLSX, to_csv, to_xlsx

ROW_PROBLEMS = {
    "email_missing": _l("No e-mail address."),
    "email_bad": _l("This is not a valid e-mail address."),
    "duplicate_in_file": _l("This address is in the file more than once; only its first row is sent."),
    "already_member": _l("This person already holds a role in the event."),
    "already_invited": _l("This address already has an open invitation to the event."),
    "name_missing": _l("No name."),
    "role_missing": _l("No role."),
    "role_unknown": _l("Unknown role: use judge, district recruiter or organizer."),
    "district_missing": _l("A district recruiter needs a district."),
    "district_unknown": _l("No district of this office has this name."),
    "language_unknown": _l("Unknown language: use zh or en."),
}
FILE_PROBLEMS = {
    "too_large": _l("The file is too large."),
    "unsupported": _l("Upload a CSV (.csv) or Excel (.xlsx) file."),
    "unreadable": _l("The file cannot be read; save it again as CSV or .xlsx and retry."),
    "encoding": _l("The file's text encoding is unknown; save it as UTF-8 CSV."),
    "empty": _l("The file has no rows under its header."),
    "too_many_rows": _l("The file has too many rows."),
}
FIELD_LABELS = {"email": _l("E-mail"), "name": _l("Name"), "role": _l("Role"),
                "district": _l("District"), "language": _l("Language")}


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="accounts.bulk-invitations")


def _events() -> dict[int, tuple[str, str, str]]:
    return directory.event_titles(db.session, g.organisation.id)


def _event_title(titles: tuple[str, str, str]) -> str:
    return titles[1] if current_locale_code().startswith("zh") else titles[2]


def _form_page(event_id: int | None = None, error: str = "") -> tuple[str, int] | str:
    events = {event_id: _event_title(t) for event_id, t in _events().items()}
    page = render_template("accounts/bulk_invitations.html", events=events, event_id=event_id,
                           error=error, organisation=g.organisation, limit=MAX_INVITATIONS)
    return (page, 422) if error else page


@bp.route(f"{ORG}/invitations/bulk", methods=["GET", "POST"])
@requires("organizer.manage")
def bulk_invitations_page() -> str | tuple[str, int]:
    """The upload form, and (posted) the preview of what the file would send."""
    if request.method == "GET":
        return _form_page(request.args.get("event", type=int))
    event_id = request.form.get("event", type=int)
    events = _events()
    if event_id not in events:
        return _form_page(None, _("Choose the event to invite these people to."))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _form_page(event_id, _("Choose a CSV or Excel file."))
    data = upload.read()
    try:
        headers = read_table(upload.filename, data).headers
        rows = bulk_invitations.preview(db.session, g.organisation.id, event_id, upload.filename,
                                        data)
    except SheetError as problem:
        return _form_page(event_id, str(FILE_PROBLEMS.get(problem.key, FILE_PROBLEMS["unreadable"])))
    missing = missing_columns(columns(headers))
    if missing:
        return _form_page(event_id, _("The file needs the columns: %(columns)s.", columns=", ".join(
            str(FIELD_LABELS[name]) for name in missing)))
    if len(rows) > MAX_INVITATIONS:
        return _form_page(event_id, _("One file invites at most %(n)d people.", n=MAX_INVITATIONS))
    good = [row for row in rows if row.ok]
    token = _signer().dumps({"event_id": event_id, "rows": [row.as_params() for row in good]})
    return render_template("accounts/bulk_invitations_preview.html", rows=rows, good=len(good),
                           token=token, problems=ROW_PROBLEMS, event_title=_event_title(events[event_id]),
                           filename=upload.filename, organisation=g.organisation)


@bp.route(f"{ORG}/invitations/bulk/send", methods=["POST"])
@requires("organizer.manage")
def send_bulk_invitations() -> Response:
    """The confirmed rows go to one background job; its page shows the progress."""
    try:
        payload = _signer().loads(request.form.get("token", ""))
    except BadSignature:
        abort(400)
    event_id = int(payload.get("event_id", 0))
    rows = payload.get("rows", [])
    if event_id not in _events():
        abort(404)
    if not rows:
        flash(_("No row of the file can be sent."), "warning")
        return redirect(url_for("accounts.bulk_invitations_page", event=event_id))
    organisation = g.organisation
    job = Job(kind=BULK_INVITE, actor_id=current_user.id, event_id=None, total=len(rows),
              status=JobStatus.QUEUED,
              params={"organisation_id": organisation.id, "org_slug": organisation.slug,
                      "event_id": event_id, "rows": rows})
    db.session.add(job)
    db.session.commit()
    job_queue().enqueue(job)
    return redirect(url_for("jobs.status", background_job_id=job.id))


@bp.route(f"{ORG}/invitations/bulk/template.<any(csv, xlsx):fmt>")
@requires("organizer.manage")
def bulk_invitation_template(fmt: str) -> Response:
    """A file to fill in: the header in the reader's language and two example rows."""
    header = [str(FIELD_LABELS[name]) for name in FIELDS]
    rows = [["judge@example.org", _("Example Judge"), _("judge"), "", "zh"],
            ["recruiter@example.org", _("Example Recruiter"), _("district recruiter"),
             _("(a district of your office)"), "en"]]
    if fmt == "xlsx":
        body, mimetype = to_xlsx(header, rows, _("Invitations")), XLSX
    else:
        body, mimetype = to_csv(header, rows), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=invitations-template.{fmt}"})
