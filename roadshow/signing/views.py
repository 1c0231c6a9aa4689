"""Intents of cooperation: board, drafting, signing, downloads, public verification.

Thin: load, check access, call a service, commit once.
"""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import confirm_login, current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from roadshow.access import current_grant, deny, public, requires, roles_may
from roadshow.accounts.roles import Role
from roadshow.accounts.throttle import password_guesses, signed_in_account
from roadshow.applications.models import Application
from roadshow.core.actions import act, attempt
from roadshow.districts.models import District
from roadshow.events.loaders import of_event_or_404, this_event
from roadshow.events.models import Event
from roadshow.events.scope import E
from roadshow.extensions import db, limiter
from roadshow.i18n import is_chinese
from roadshow.signing import (
    audit_trail,
    canonical,
    ceremony,
    completion,
    copying,
    document,
    drafting,
    exceptions,
    flow,
    labels,
    parties_and_turns,
    reminders,
    signatures,
    talent_pool,
    verification,
)
from roadshow.signing.flow import IntentState, SignerRole
from roadshow.signing.forms import (
    TEXT_HELP,
    TEXT_LABELS,
    CancelForm,
    DeclineForm,
    IntentForm,
    SendForm,
    SignForm,
    VerifyForm,
)
from roadshow.signing.models import Intent

bp = Blueprint("signing", __name__)
# the live rooms show the signing ceremony: signing connects it, live never imports signing
bp.record_once(lambda _state: ceremony.connect())
#: a copied event asks signing what to copy (loaded with the blueprint; see copying.py)
COPY_RECEIVER = copying.copy_signing
#: the talent pool asks signing what keeps a record and lists a person's intents (registered
#: when talent_pool.py loads)
TALENT_POOL_RETENTION = talent_pool.SEALED_INTENT


@bp.app_context_processor
def _signing_helpers() -> dict[str, object]:
    return {"signing_labels": labels, "group_hash": canonical.group_hash,
            "SEAL_NOTE": document.SEAL_NOTE, "intent_sections": document.section_rows}


def _info() -> audit_trail.RequestInfo:
    return audit_trail.RequestInfo(request.remote_addr or "", request.user_agent.string or "")


def _load(intent_id: int) -> Intent:
    """The intent of this event (404 for another event's), if the user may see it."""
    intent = of_event_or_404(Intent, intent_id)
    if not parties_and_turns.can_view(current_user, current_grant(), intent):
        deny("intent not visible to this user")
    return intent


def _event_districts(event: Event) -> list[District]:
    """The districts an intent of ``event`` may name: those taking part in it, else (an event
    that lists none) every district of its organisation."""
    if event.districts:
        return sorted(event.districts, key=lambda d: d.id)
    return list(db.session.scalars(select(District).where(
        District.organisation_id == event.organisation_id).order_by(District.id)))


def _draftable_districts(event: Event) -> list[District]:
    """The event's districts the user may draft for: all for its organizers, a recruiter's own."""
    grant = current_grant()
    return [d for d in _event_districts(event) if parties_and_turns.can_draft_for(grant, d.id)]


def _district_choices(event: Event) -> list[tuple[int, str]]:
    return [(d.id, d.name_zh if is_chinese() else d.name_en) for d in _draftable_districts(event)]


def _application_label(application: Application) -> str:
    title = (application.title_zh or application.title_en) if is_chinese() else (
        application.title_en or application.title_zh)
    return f"{title} · {application.applicant.display_name}"


def _prepare(form, application: Application | None, district: District | None) -> None:  # type: ignore[no-untyped-def]
    form.set_cooperation_choices(is_chinese())
    form.application_id.choices = [
        (a.id, _application_label(a))
        for a in drafting.draftable_applications(db.session, this_event())
    ]
    form.district_id.choices = _district_choices(this_event())
    if district is not None:
        candidates = drafting.candidate_signers(db.session, this_event(), district)
        form.district_signer.choices = [(u.id, u.display_name) for u in candidates[SignerRole.DISTRICT]]
        form.city_signer.choices = [(u.id, u.display_name) for u in candidates[SignerRole.CITY]]
    else:
        form.district_signer.choices = []
        form.city_signer.choices = []


def _fill(form, draft: document.Draft, fields: dict | None = None) -> None:  # type: ignore[no-untyped-def]
    form.cooperation_form.data = draft.cooperation_form
    form.funding_cny.data = draft.funding_cny
    form.space_sqm.data = draft.space_sqm
    form.validity_months.data = draft.validity_months
    for name in document.TEXT_FIELDS:
        getattr(form, f"{name}_zh").data = draft.text(name, "zh")
        getattr(form, f"{name}_en").data = draft.text(name, "en")
    if fields:
        form.ordering.data = fields.get("ordering", "sequential")
        form.district_signer.data = fields.get("signers", {}).get("district")
        form.city_signer.data = fields.get("signers", {}).get("city")


def _draft_of(form) -> document.Draft:  # type: ignore[no-untyped-def]
    return document.Draft(
        cooperation_form=form.cooperation_form.data or "start_company",
        funding_cny=form.funding_cny.data or 0,
        space_sqm=form.space_sqm.data or 0,
        validity_months=form.validity_months.data or 12,
        texts={name: {"zh": getattr(form, f"{name}_zh").data or "",
                      "en": getattr(form, f"{name}_en").data or ""}
               for name in document.TEXT_FIELDS},
    )


def _choices_of(form) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    return {"district": form.district_signer.data, "city": form.city_signer.data}


def _form_page(form, intent: Intent | None, application: Application | None,  # type: ignore[no-untyped-def]
               district: District | None, status: int = 200):
    return render_template(
        "signing/form.html", form=form, intent=intent, application=application,
        district=district, text_fields=document.TEXT_FIELDS, text_labels=TEXT_LABELS,
        text_help=TEXT_HELP,
    ), status


# --- board --------------------------------------------------------------------------------

@bp.route(f"{E}/signing/")
@requires("signing.sign")
def board() -> str:
    event, grant = this_event(), current_grant()
    state = request.args.get("state", "")
    chosen = IntentState(state) if state in {s.value for s in IntentState} else None
    district_id = request.args.get("district_id", type=int)
    everything = parties_and_turns.visible_intents(db.session, current_user, grant, event,
                                                   district_id=district_id)
    if any([signatures.expire_if_due(db.session, intent) for intent in everything]):
        db.session.commit()
    intents = [i for i in everything if chosen is None or i.state == chosen]
    counts = parties_and_turns.state_counts(everything)
    districts = _event_districts(event) if Role.ORGANIZER in grant.roles else []
    own = [] if Role.ORGANIZER in grant.roles else [
        d.name_zh if is_chinese() else d.name_en
        for d in _event_districts(event) if d.id in grant.district_ids]
    reader = ("staff" if grant.roles & {Role.ORGANIZER, Role.RECRUITER}
              else "judge" if Role.JUDGE in grant.roles else "applicant")
    return render_template(
        "signing/board.html", intents=intents, counts=counts, chosen=chosen,
        district_id=district_id, districts=districts, reader=reader,
        own_districts=("、" if is_chinese() else ", ").join(own),
        my_turn=parties_and_turns.waiting_on(current_user, everything),
        can_draft=roles_may(grant.roles, "signing.draft"),
    )


# --- drafting -----------------------------------------------------------------------------

@bp.route(f"{E}/signing/intents/new", methods=["GET", "POST"])
@requires("signing.draft")
def new_intent() -> object:
    event, grant = this_event(), current_grant()
    application_id = request.values.get("application_id", type=int)
    district_id = request.values.get("district_id", type=int)
    if district_id is None and len(grant.district_ids) == 1 and Role.ORGANIZER not in grant.roles:
        district_id = next(iter(grant.district_ids))  # a recruiter's own district
    application = of_event_or_404(Application, application_id) if application_id else None
    district = None
    if district_id:
        district = next((d for d in _event_districts(event) if d.id == district_id), None)
        if district is None:
            abort(404)
    if district is not None and not parties_and_turns.can_draft_for(grant, district.id):
        deny("recruiter drafting for another district")
    if application is not None and district is not None:
        existing = drafting.open_intent_for(db.session, application, district.id)
        if existing is not None and request.method == "GET":
            flash(_("This project already has an intent with this district."), "info")
            return redirect(url_for("signing.view_intent", intent_id=existing.id))
    form = IntentForm(application_id=application_id, district_id=district_id)
    _prepare(form, application, district)
    if application is None or district is None:
        # first step: choose the project and the district
        return render_template("signing/choose.html", form=form)
    if request.method == "GET":
        _fill(form, drafting.default_draft(application, district))
        form.ordering.data = "sequential"
        if Role.ORGANIZER in grant.roles:
            form.city_signer.data = current_user.id
        elif Role.RECRUITER in grant.roles:
            form.district_signer.data = current_user.id
        return _form_page(form, None, application, district)
    if not form.validate_on_submit():
        return _form_page(form, None, application, district, 400)
    try:
        intent = drafting.create_intent(
            db.session, current_user, application, district, _draft_of(form),
            form.ordering.data, _choices_of(form), _info(),
        )
    except exceptions.ForbiddenError as error:
        deny(str(error))
        raise
    except exceptions.SigningError as error:
        db.session.rollback()
        flash(str(error), "danger")
        _prepare(form, application, district)
        return _form_page(form, None, application, district, 400)
    db.session.commit()
    flash(_("The draft %(ref)s is saved. Review it, then send it for signing.",
            ref=intent.reference), "success")
    return redirect(url_for("signing.view_intent", intent_id=intent.id))


@bp.route(f"{E}/signing/intents/<int:intent_id>/edit", methods=["GET", "POST"])
@requires("signing.draft")
def edit_intent(intent_id: int) -> object:
    intent = _load(intent_id)
    if not parties_and_turns.can_manage(current_grant(), intent):
        deny("not a manager of this intent")
    if intent.state != IntentState.DRAFT:
        flash(_("This intent has been sent for signing; its content is frozen and can no longer "
                "be edited."), "warning")
        return redirect(url_for("signing.view_intent", intent_id=intent.id))
    form = IntentForm(application_id=intent.application_id, district_id=intent.district_id)
    _prepare(form, intent.application, intent.district)
    version = intent.latest_version
    if request.method == "GET":
        assert version is not None
        _fill(form, drafting.draft_from_fields(version.draft_fields), version.draft_fields)
        form.version.data = str(version.number)
        return _form_page(form, intent, intent.application, intent.district)
    form.application_id.data = intent.application_id
    form.district_id.data = intent.district_id
    if not form.validate_on_submit():
        return _form_page(form, intent, intent.application, intent.district, 400)
    if version is not None and form.version.data and form.version.data != str(version.number):
        flash(_("Someone saved a newer version (%(number)d) while you were editing. Your text is "
                "kept below; compare it with the newer version before saving again.",
                number=version.number), "warning")
        form.version.data = str(version.number)
        return _form_page(form, intent, intent.application, intent.district, 409)
    outcome = attempt(lambda: drafting.save_draft(db.session, current_user, intent, _draft_of(form),
                                                  form.ordering.data, _choices_of(form), _info()),
                      refused=exceptions.SigningError)
    if not outcome.ok or (saved := outcome.value) is None:
        return _form_page(form, intent, intent.application, intent.district, 400)
    flash(_("Version %(number)d of the draft is saved.", number=saved.number), "success")
    return redirect(url_for("signing.view_intent", intent_id=intent.id))


@bp.route(f"{E}/signing/intents/<int:intent_id>/send", methods=["POST"])
@requires("signing.draft")
def send_intent(intent_id: int) -> object:
    intent = _load(intent_id)
    if not parties_and_turns.can_manage(current_grant(), intent):
        deny("not a manager of this intent")
    form = SendForm()
    if not form.validate_on_submit():
        # the intent's page again, with the number as typed and the error beside it
        form.expires_in_days.errors = [_("Signing must stay open between 1 and 90 days.")]
        return _intent_page(intent, form), 400
    return act(lambda: drafting.send_for_signing(db.session, current_user, intent, _info(),
                                                 form.expires_in_days.data or drafting.DEFAULT_EXPIRY_DAYS),
               refused=exceptions.SigningError,
               done=_("The intent is sent for signing. Its content is now frozen; the signers get an "
                      "email when it is their turn."),
               to=url_for("signing.view_intent", intent_id=intent_id))


@bp.route(f"{E}/signing/intents/<int:intent_id>/remind", methods=["POST"])
@requires("signing.draft")
def remind_signers(intent_id: int) -> WerkzeugResponse:
    intent = _load(intent_id)
    if not parties_and_turns.can_manage(current_grant(), intent):
        deny("not a manager of this intent")
    try:
        sent = reminders.remind(db.session, intent, current_user, _info())
    except exceptions.SigningError as error:
        db.session.commit()  # keeps an expiry noticed on the way
        flash(str(error), "warning")
        return redirect(url_for("signing.view_intent", intent_id=intent_id))
    db.session.commit()
    flash(_("Reminder sent to %(names)s.", names=", ".join(s.user.display_name for s in sent))
          if sent else _("Nobody is waiting to sign."), "success" if sent else "info")
    return redirect(url_for("signing.view_intent", intent_id=intent.id))


@bp.route(f"{E}/signing/intents/<int:intent_id>/cancel", methods=["POST"])
@requires("signing.draft")
def cancel_intent(intent_id: int) -> WerkzeugResponse:
    intent = _load(intent_id)
    if not parties_and_turns.can_manage(current_grant(), intent):
        deny("not a manager of this intent")
    form = CancelForm()
    return act(lambda: reminders.cancel(db.session, intent, current_user, _info(), form.reason.data or ""),
               refused=exceptions.SigningError, done=_("The intent is withdrawn."), done_category="info",
               to=url_for("signing.view_intent", intent_id=intent_id))


# --- reading ------------------------------------------------------------------------------

@bp.route(f"{E}/signing/intents/<int:intent_id>")
@requires("signing.sign")
def view_intent(intent_id: int) -> str:
    intent = _load(intent_id)
    if intent.state == IntentState.DRAFT and not parties_and_turns.can_manage(current_grant(), intent):
        deny("draft shown only to its drafters")
    if signatures.expire_if_due(db.session, intent):
        db.session.commit()
    if intent.state != IntentState.DRAFT and parties_and_turns.is_party(current_user, intent):
        signatures.record_view(db.session, intent, current_user, _info())
        db.session.commit()
    return _intent_page(intent, SendForm())


def _intent_page(intent: Intent, send_form: SendForm) -> str:
    entries = audit_trail.trail_entries(db.session, intent)
    try:
        parties_and_turns.turn_of(intent, current_user)
        my_turn = True
    except flow.NotYourTurn:
        my_turn = False
    content = drafting.frozen_content(intent)
    return render_template(
        "signing/show.html", intent=intent, content=content,
        digest=intent.content_sha256 or (intent.latest_version.content_sha256
                                         if intent.latest_version else ""),
        entries=entries, my_turn=my_turn, can_manage=parties_and_turns.can_manage(current_grant(), intent),
        send_form=send_form, cancel_form=CancelForm(),
        chain_problems=audit_trail.verify_intent_chain(db.session, intent, against_seal=False),
        verify_url=completion.verify_url(intent),
    )


@bp.route(f"{E}/signing/intents/<int:intent_id>/sealed.pdf")
@requires("signing.sign")
def download_pdf(intent_id: int) -> Response:
    intent = _load(intent_id)
    data = audit_trail.sealed_pdf_of(db.session, intent)
    if data is None:
        abort(404)
    completion.record_download(db.session, intent, current_user, _info())
    db.session.commit()
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{intent.reference}.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.route(f"{E}/signing/intents/<int:intent_id>/preview.pdf")
@requires("signing.sign")
def preview_pdf(intent_id: int) -> Response:
    intent = _load(intent_id)
    if intent.state == IntentState.DRAFT and not parties_and_turns.can_manage(current_grant(), intent):
        deny("draft shown only to its drafters")
    data = completion.render_pdf(db.session, intent, draft=intent.state != IntentState.COMPLETED)
    completion.record_download(db.session, intent, current_user, _info(), what="preview")
    db.session.commit()
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{intent.reference}-preview.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.route(f"{E}/signing/signers/<int:signer_id>/signature.png")
@requires("signing.sign")
def signature_image(signer_id: int) -> Response:
    signer, data = verification.signature_image(db.session, signer_id, this_event())
    if signer is None or data is None:
        abort(404)
    if not parties_and_turns.can_view(current_user, current_grant(), signer.intent):
        deny("signature of an intent not visible to this user")
    return Response(data, mimetype="image/png", headers={"Cache-Control": "private, no-store"})


# --- signing ------------------------------------------------------------------------------

def _decode_drawing(value: str | None) -> bytes | None:
    if not value:
        return None
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        raise exceptions.SigningError(_("The drawn signature could not be read. Clear it and draw "
                                      "it again, or sign with your typed name only."))
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise exceptions.SigningError(_("The drawn signature could not be read. Clear it and draw "
                                      "it again, or sign with your typed name only.")) from None


def _sign_page(intent: Intent, form: SignForm, decline_form: DeclineForm, status: int = 200,
               refusal: str = "", error: str = ""):  # type: ignore[no-untyped-def]
    signer = next((s for s in intent.signers if s.user_id == current_user.id), None)
    live_code = None
    if signer is not None:
        live_code = next((c for c in reversed(signer.codes)
                          if c.used_at is None and c.revoked_at is None), None)
    return render_template(
        "signing/sign.html", intent=intent, content=drafting.frozen_content(intent),
        form=form, decline_form=decline_form, signer=signer, refusal=refusal,
        live_code=live_code, consent=document.CONSENT, consent_version=document.CONSENT_VERSION,
        sign_error=error,
        code_minutes=int(signatures.CODE_LIFETIME.total_seconds() // 60),
    ), status


@bp.route(f"{E}/signing/intents/<int:intent_id>/sign", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@requires("signing.sign")
def sign_intent(intent_id: int) -> object:
    intent = _load(intent_id)
    if intent.state == IntentState.DRAFT:
        deny("drafts cannot be signed")
    form, decline_form = SignForm(), DeclineForm(prefix="decline")
    if signatures.expire_if_due(db.session, intent):
        db.session.commit()
    try:
        parties_and_turns.turn_of(intent, current_user)
    except flow.NotYourTurn as refusal:
        if refusal.reason == "not_a_signer":
            deny("not a signer of this intent")
        return _sign_page(intent, form, decline_form, 200 if request.method == "GET" else 409,
                          parties_and_turns.turn_message(refusal.reason))
    if request.method == "GET":
        signatures.record_view(db.session, intent, current_user, _info())
        db.session.commit()
        return _sign_page(intent, form, decline_form)
    if not form.validate_on_submit():
        return _sign_page(intent, form, decline_form, 400)
    try:
        drawing = _decode_drawing(form.signature_data.data)
        signatures.sign(
            db.session, intent, current_user, _info(), password=form.password.data or "",
            code=form.code.data or "", typed_name=form.typed_name.data or "",
            consent=bool(form.consent.data), signature_png=drawing,
            locale=current_user.locale,
        )
    except exceptions.SigningError as error:
        db.session.commit()  # a wrong code counts as an attempt and stays in the audit trail
        form.password.data = ""
        # shown in the signing card, where the page lands (#confirm), not above a long document
        return _sign_page(intent, form, decline_form, 400, error=str(error))
    db.session.commit()
    confirm_login()  # the password was entered again just now: the session is fresh
    if intent.state == IntentState.COMPLETED:
        flash(_("You signed. Every party has signed: the sealed PDF is ready to download."),
              "success")
    else:
        flash(_("You signed. The other parties are told when it is their turn."), "success")
    return redirect(url_for("signing.view_intent", intent_id=intent.id))


@bp.route(f"{E}/signing/intents/<int:intent_id>/code", methods=["POST"])
@limiter.limit("10 per minute")
@requires("signing.sign")
def send_code(intent_id: int) -> WerkzeugResponse:
    intent = _load(intent_id)
    return act(lambda: signatures.send_code(db.session, intent, current_user, _info()),
               refused=exceptions.SigningError, category="warning",
               done=_("We sent a confirmation code to %(email)s. It is valid for %(minutes)d minutes.",
                      email=current_user.email, minutes=int(signatures.CODE_LIFETIME.total_seconds() // 60)),
               done_category="info", to=url_for("signing.sign_intent", intent_id=intent_id, _anchor="confirm"))


@bp.route(f"{E}/signing/intents/<int:intent_id>/decline", methods=["POST"])
@password_guesses(signed_in_account)  # the account's wrong passwords, counted with sign-in's
@requires("signing.sign")
def decline_intent(intent_id: int) -> object:
    intent = _load(intent_id)
    form, decline_form = SignForm(formdata=None), DeclineForm(prefix="decline")
    if not decline_form.validate_on_submit():
        return _sign_page(intent, form, decline_form, 400)
    if not attempt(lambda: signatures.decline(db.session, intent, current_user, _info(),
                                              reason=decline_form.reason.data or "",
                                              password=decline_form.password.data or ""),
                   refused=exceptions.SigningError).ok:
        return _sign_page(intent, form, decline_form, 400)
    flash(_("You declined this intent. The other parties are told, with your reason."), "info")
    return redirect(url_for("signing.view_intent", intent_id=intent.id))


# --- public verification ------------------------------------------------------------------

@bp.route("/verify-intent", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@public
def verify() -> object:
    form = VerifyForm()
    result = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        upload = form.document.data
        typed = (form.sha256.data or "").strip()
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.read()
            if not data:
                flash(_("The file is empty. Choose the PDF you received."), "danger")
                status = 400
            else:
                result = verification.verify_pdf(db.session, data)
        elif typed:
            digest = verification.normalise_hash(typed)
            if digest is None:
                form.sha256.errors = [_("A SHA-256 fingerprint has 64 characters 0-9 and a-f. "
                                        "Check what you typed.")]
                status = 400
            else:
                result = verification.verify_hash(db.session, digest)
        else:
            flash(_("Choose a PDF file or enter its SHA-256 fingerprint."), "danger")
            status = 400
    elif request.method == "POST":
        status = 400
    return render_template("signing/verify.html", form=form, result=result), status


@bp.route("/verify-intent/<public_id>")
@public
def verify_intent(public_id: str) -> str:
    intent = verification.by_public_id(db.session, public_id)
    if intent is None or intent.state == IntentState.DRAFT:
        abort(404)
    return render_template("signing/verify_intent.html", intent=intent, form=VerifyForm())


@bp.route("/verify-intent/certificate.pem")
@public
def certificate() -> Response:
    identity = audit_trail.seal_identity()
    return Response(identity.cert_pem, mimetype="application/x-pem-file", headers={
        "Content-Disposition": 'attachment; filename="roadshow-seal-certificate.pem"'})
