"""Intents of cooperation: drafting, signing, sealing, verification, audit trail.

Services take the session, the objects and an explicit actor, plus the request's IP and user
agent as a :class:`RequestInfo` for the audit trail; they never read the request. Every change
appends its audit entry in the same transaction; the view commits once.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import secrets
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.applications import rendering
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.mail.outbox import Attachment, queue_email
from roadshow.signing import canonical, chain, codes, document, flow, pdf, seal
from roadshow.signing.flow import IntentState, Ordering, SignerRole, SignerState
from roadshow.signing.models import AuditEntry, Intent, IntentVersion, OneTimeCode, Signer

log = logging.getLogger("roadshow.signing")

CODE_LIFETIME = codes.CODE_LIFETIME  # the views and the emails name it
CODE_MAX_ATTEMPTS = codes.CODE_MAX_ATTEMPTS
VIEW_RECORD_EVERY = timedelta(minutes=30)
REMIND_EVERY = timedelta(hours=24)
DEFAULT_EXPIRY_DAYS = 14
MAX_SIGNATURE_BYTES = 200_000
_PENDING_COMPLETIONS = "roadshow_signing_completed"


class SigningError(ValueError):
    """A refused signing operation; ``str(error)`` is a translated message for the user."""


class ForbiddenError(SigningError):
    """The actor may not do this to this intent (the view answers 403)."""


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    user_agent: str = ""

    @classmethod
    def system(cls) -> RequestInfo:
        return cls("", "roadshow (server)")


def role_label(role: SignerRole) -> tuple[str, str]:
    labels = document.PARTY_LABELS[role.value]
    return labels["zh"], labels["en"]


# --- who may see and do what --------------------------------------------------------------

def is_party(user: User, intent: Intent) -> bool:
    return any(s.user_id == user.id for s in intent.signers) or (
        intent.application.applicant_id == user.id
    )


def can_view(user: User, intent: Intent) -> bool:
    if user.role == Role.ORGANIZER:
        return True
    if user.role == Role.RECRUITER and user.district_id == intent.district_id:
        return True
    return is_party(user, intent)


def can_draft_for(user: User, district_id: int | None) -> bool:
    if user.role == Role.ORGANIZER:
        return True
    return user.role == Role.RECRUITER and district_id is not None and (
        user.district_id == district_id
    )


def can_manage(user: User, intent: Intent) -> bool:
    """Edit drafts, send, remind, cancel: organizers, and the district's recruiters."""
    return can_draft_for(user, intent.district_id)


def visible_intents(session: Session, user: User, state: IntentState | None = None,
                    district_id: int | None = None) -> list[Intent]:
    query = select(Intent).options(
        selectinload(Intent.signers).selectinload(Signer.user),
        selectinload(Intent.application).selectinload(Application.applicant),
        selectinload(Intent.district),
    ).order_by(Intent.updated_at.desc(), Intent.id.desc())
    if user.role == Role.ORGANIZER:
        if district_id:
            query = query.where(Intent.district_id == district_id)
    elif user.role == Role.RECRUITER:
        query = query.where(Intent.district_id == (user.district_id or -1))
    else:
        signer_of = select(Signer.intent_id).where(Signer.user_id == user.id)
        applicant_of = select(Application.id).where(Application.applicant_id == user.id)
        query = query.where(Intent.id.in_(signer_of) | Intent.application_id.in_(applicant_of))
        # an applicant sees their intents once sent, not the district's working drafts
        query = query.where(Intent.state != IntentState.DRAFT)
    if state:
        query = query.where(Intent.state == state)
    return list(session.scalars(query).unique())


def state_counts(intents: Sequence[Intent]) -> dict[IntentState, int]:
    counts = Counter(i.state for i in intents)
    return {state: counts.get(state, 0) for state in IntentState}


def waiting_on(user: User, intents: Sequence[Intent]) -> list[Intent]:
    """Intents where it is ``user``'s turn to sign."""
    out = []
    for intent in intents:
        try:
            turn_of(intent, user)
        except flow.NotYourTurn:
            continue
        out.append(intent)
    return out


# --- audit trail --------------------------------------------------------------------------

def _lock(session: Session, intent: Intent) -> None:
    """Serialise changes to one intent (PostgreSQL row lock; SQLite locks the database)."""
    if intent.id is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Intent.id).where(Intent.id == intent.id).with_for_update())
        session.refresh(intent, ["audit_head", "audit_count", "state"])


def _chain_entry(entry: AuditEntry) -> chain.ChainEntry:
    """Every column of the row but those ``chain.NOT_HASHED`` excuses: a new column must be
    hashed (a field of ``ChainEntry``) or excused there, or this fails to construct."""
    values = {column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns
              if column.key not in chain.NOT_HASHED}
    values["details"] = values["details"] or {}
    return chain.ChainEntry(**values)


def _sign_head(intent: Intent) -> None:
    intent.audit_head_signature = seal.sign_message(
        seal_identity(), chain.head_message(chain_scope(intent), intent.audit_count,
                                            intent.audit_head))


def chain_scope(intent: Intent) -> str:
    return f"intent:{intent.public_id}"


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "Roadshow"
    native = f" {actor.name_native}" if actor.name_native else ""
    return f"{actor.name}{native} <{actor.email}>"


def audit(session: Session, intent: Intent, action: str, actor: User | None, info: RequestInfo,
          **details: Any) -> AuditEntry:
    """Append an entry to the intent's chain, in the caller's transaction."""
    if intent.id is None:
        session.flush()
    entry = AuditEntry(
        intent=intent, seq=intent.audit_count + 1, action=action,
        at=utcnow(),
        actor_id=actor.id if actor else None, actor_label=actor_label(actor),
        ip=info.ip[:64], user_agent=info.user_agent[:400],
        details={k: v for k, v in details.items() if v is not None}, prev_hash=intent.audit_head,
    )
    entry.entry_hash = chain.entry_hash(chain_scope(intent), _chain_entry(entry))
    intent.audit_head = entry.entry_hash
    intent.audit_count = entry.seq
    _sign_head(intent)
    session.add(entry)
    return entry


def _keep_last_update(intent: Intent) -> None:
    """Leave the intent's "last updated" as it was: a view or a download lengthens the audit
    trail (which would set ``updated_at`` through its onupdate) but changes nothing of the
    intent, so it must not move the intent up the board."""
    intent.updated_at = intent.updated_at
    flag_modified(intent, "updated_at")  # written as it is, so onupdate does not replace it


def _entries(session: Session, intent: Intent) -> list[AuditEntry]:
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.intent_id == intent.id).order_by(AuditEntry.seq)
    ).all()) if intent.id else []


def trail_document(session: Session, intent: Intent) -> dict[str, Any]:
    """The intent's whole audit trail as a self-checking document (attached to its PDFs)."""
    return chain.export_trail(
        chain_scope(intent), [(_chain_entry(e), e.entry_hash) for e in _entries(session, intent)],
        head_signature=intent.audit_head_signature)


def _head_problems(intent: Intent, identity: seal.SealIdentity) -> list[chain.ChainProblem]:
    message = chain.head_message(chain_scope(intent), intent.audit_count, intent.audit_head)
    if not intent.audit_head_signature:
        return [chain.ChainProblem(intent.audit_count, "signature",
                                   "the head carries no platform signature")]
    if not seal.message_signed(identity, message, intent.audit_head_signature):
        return [chain.ChainProblem(intent.audit_count, "signature",
                                   "the head's platform signature does not match it: the trail "
                                   "or its head was rewritten outside Roadshow")]
    return []


def sealed_trail_problems(sealed: bytes, identity: seal.SealIdentity, scope: str | None,
                          entries: Sequence[tuple[chain.ChainEntry, str]] | None = None,
                          ) -> list[chain.ChainProblem]:
    """Check a sealed PDF's own audit trail: its seal, the attached trail's chain and signed
    head, that it is the chain of ``scope`` (None: whichever the PDF names), and (given the
    database's ``entries``) that the database still holds it unchanged."""
    check = seal.check_pdf(sealed, identity)
    if not check.genuine:
        return [chain.ChainProblem(0, "sealed", f"the sealed PDF does not validate: {check.problem}")]
    attached = seal.attachment(sealed, pdf.TRAIL_ATTACHMENT)
    if attached is None:
        return [chain.ChainProblem(0, "sealed", "the sealed PDF carries no audit trail")]
    try:
        document = json.loads(attached)
        sealed_scope, sealed_entries = chain.import_trail(document)
    except ValueError as error:
        return [chain.ChainProblem(0, "sealed", f"the sealed audit trail cannot be read: {error}")]
    problems = [chain.ChainProblem(p.seq, p.kind, f"in the sealed PDF: {p.detail}")
                for p in chain.verify_chain(sealed_scope, sealed_entries,
                                            document.get("head"), document.get("count"))]
    if scope is not None and sealed_scope != scope:
        problems.append(chain.ChainProblem(0, "sealed", "the sealed PDF is another intent's"))
    if not seal.message_signed(identity, chain.head_message(sealed_scope, len(sealed_entries),
                                                            str(document.get("head"))),
                               str(document.get("head_signature") or "")):
        problems.append(chain.ChainProblem(len(sealed_entries), "sealed",
                                           "the sealed trail's head is not signed by the platform"))
    if entries is None:
        return problems
    stored = {entry.seq: (entry, digest) for entry, digest in entries}
    for entry, digest in sealed_entries:
        now = stored.get(entry.seq)
        if now is None:
            problems.append(chain.ChainProblem(entry.seq, "sealed",
                                               "sealed in the PDF but missing from the database"))
        elif now[1] != digest or chain.entry_payload(now[0]) != chain.entry_payload(entry):
            changed = sorted(k for k, v in chain.entry_payload(entry).items()
                             if chain.entry_payload(now[0]).get(k) != v)
            problems.append(chain.ChainProblem(
                entry.seq, "sealed", "differs from the sealed PDF's copy"
                + (f" ({', '.join(changed)})" if changed else " (its hash)")))
    return problems


def verify_intent_chain(session: Session, intent: Intent, *,
                        against_seal: bool = True) -> list[chain.ChainProblem]:
    """The chain's links and hashes, its head and the head's platform signature, and for a
    sealed intent (unless ``against_seal`` is off, for a quick look on a page) the trail
    sealed in its PDF against the database's."""
    entries = [(_chain_entry(e), e.entry_hash) for e in _entries(session, intent)]
    problems = chain.verify_chain(chain_scope(intent), entries,
                                  head_hash=intent.audit_head, head_count=intent.audit_count)
    identity = seal_identity()
    problems += _head_problems(intent, identity)
    if intent.sealed_sha256 and against_seal:
        sealed = sealed_pdf_of(session, intent)
        if sealed is None or canonical.sha256_hex(sealed) != intent.sealed_sha256:
            problems.append(chain.ChainProblem(0, "sealed",
                                               "the stored sealed PDF is not the one recorded"))
        if sealed is not None:
            problems += sealed_trail_problems(sealed, identity, chain_scope(intent), entries)
    return problems


def verify_all_chains(session: Session) -> dict[Intent, list[chain.ChainProblem]]:
    return {intent: verify_intent_chain(session, intent)
            for intent in session.scalars(select(Intent).order_by(Intent.id))}


def adopt_unsigned_heads(session: Session) -> list[Intent]:
    """Sign the heads of intact chains recorded before heads were signed (an operator's
    explicit act, after checking the trails); a chain with any other problem is left alone."""
    adopted = []
    for intent in session.scalars(select(Intent).where(Intent.audit_head_signature == "")
                                  .order_by(Intent.id)):
        problems = verify_intent_chain(session, intent)
        if problems and all(p.kind == "signature" for p in problems):
            _sign_head(intent)
            adopted.append(intent)
    return adopted


# --- drafting -----------------------------------------------------------------------------

def default_draft(application: Application, district: District) -> document.Draft:
    """A first draft from the project and the district's offer, ready to adjust."""
    title_zh = application.title_zh or application.title_en
    title_en = application.title_en or application.title_zh
    funding = 2_000_000
    if application.funding_sought_cny:
        funding = min(int(application.funding_sought_cny), 20_000_000)
    return document.Draft(
        cooperation_form="start_company",
        funding_cny=funding,
        space_sqm=300,
        validity_months=12,
        texts={
            "project": {"zh": f"项目名称：{title_zh}", "en": f"Project: {title_en}"},
            "cooperation": {
                "zh": f"人才团队在{district.name_zh}注册成立企业，开展“{title_zh}”的研发和产业化。",
                "en": f"The talent's team registers a company in {district.name_en} to develop and "
                      f"industrialise “{title_en}”.",
            },
            "funding": {
                "zh": "按照市级领军人才创业项目政策给予项目资助，可申请“彭城英才”投资基金、人才贷和人才股权产品。",
                "en": "Project funding under the city's policy for leading talents who start a "
                      "business; access to the Pengcheng Talent investment fund, talent loans and "
                      "talent equity products.",
            },
            "space": {
                "zh": f"在{district.name_zh}科技园区或孵化器提供办公及研发场地，前三年租金减免。",
                "en": f"Office and laboratory space in a science park or incubator in "
                      f"{district.name_en}, rent-free for the first three years.",
            },
            "talent_policy": {"zh": district.offer_zh or document.CITY_OFFER["zh"],
                              "en": district.offer_en or document.CITY_OFFER["en"]},
            "location": {"zh": f"{district.name_zh}（具体地址以正式协议为准）",
                         "en": f"{district.name_en} (the address is set in the formal agreement)"},
            "timeline": {
                "zh": "本意向书签署后 6 个月内完成企业注册并入驻；12 个月内组建团队并完成首个研发里程碑。",
                "en": "Company registered and moved in within 6 months of signing; team in place "
                      "and first R&D milestone reached within 12 months.",
            },
            "other_terms": {
                "zh": "本意向书表达各方合作意向，不构成具有法律约束力的合同；具体权利义务以各方另行签订的正式协议为准。",
                "en": "This intent records the parties' will to cooperate and is not a binding "
                      "contract; rights and duties are set by the formal agreement the parties "
                      "sign later.",
            },
        },
    )


def draft_to_fields(draft: document.Draft) -> dict[str, Any]:
    return {"cooperation_form": draft.cooperation_form, "funding_cny": draft.funding_cny,
            "space_sqm": draft.space_sqm, "validity_months": draft.validity_months,
            "texts": draft.texts}


def draft_from_fields(fields: dict[str, Any]) -> document.Draft:
    return document.Draft(
        cooperation_form=fields.get("cooperation_form", "start_company"),
        funding_cny=int(fields.get("funding_cny") or 0),
        space_sqm=int(fields.get("space_sqm") or 0),
        validity_months=int(fields.get("validity_months") or 12),
        texts={k: dict(v) for k, v in (fields.get("texts") or {}).items()},
    )


def candidate_signers(session: Session, district: District) -> dict[SignerRole, list[User]]:
    recruiters = session.scalars(
        select(User).where(User.role == Role.RECRUITER, User.district_id == district.id,
                           User.active.is_(True)).order_by(User.name)
    ).all()
    organizers = session.scalars(
        select(User).where(User.role == Role.ORGANIZER, User.active.is_(True)).order_by(User.id)
    ).all()
    return {SignerRole.DISTRICT: list(recruiters), SignerRole.CITY: list(organizers)}


def draftable_applications(session: Session, actor: User) -> list[Application]:
    query = select(Application).options(selectinload(Application.applicant)).where(
        Application.status.in_([ApplicationStatus.FINALIST, ApplicationStatus.SUBMITTED])
    ).order_by(Application.status.desc(), Application.title_en)
    rows = list(session.scalars(query))
    rows.sort(key=lambda a: (a.status != ApplicationStatus.FINALIST, a.title_en or a.title_zh))
    return rows


def open_intent_for(session: Session, application_id: int, district_id: int) -> Intent | None:
    return session.scalar(select(Intent).where(
        Intent.application_id == application_id, Intent.district_id == district_id,
        Intent.state.in_([IntentState.DRAFT, IntentState.OUT_FOR_SIGNATURE, IntentState.COMPLETED]),
    ))


def _display(user: User) -> str:
    return f"{user.name} ({user.name_native})" if user.name_native else user.name


def _display_zh(user: User) -> str:
    """For the Chinese column: the Chinese name first, the Latin one after it."""
    return f"{user.name_native}（{user.name}）" if user.name_native else user.name


def _parties(session: Session, application: Application, district: District,
             signer_users: dict[SignerRole, User]) -> list[document.Party]:
    applicant = application.applicant
    profile = session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == applicant.id))
    name_zh = (profile.name_chinese if profile else "") or applicant.name_native or applicant.name
    institution = profile.institution if profile else ""
    event = application.event
    city = signer_users[SignerRole.CITY]
    return [
        document.Party("applicant", name_zh, applicant.name, institution, institution),
        document.Party("district", district.name_zh, district.name_en,
                       f"代表：{_display_zh(signer_users[SignerRole.DISTRICT])}",
                       f"represented by {_display(signer_users[SignerRole.DISTRICT])}"),
        document.Party("city", event.organizer_name_zh or "市人才工作领导小组办公室",
                       event.organizer_name_en or "City talent office",
                       f"代表：{_display_zh(city)}", f"represented by {_display(city)}"),
    ]


def _signer_users(session: Session, application: Application, district: District,
                  choices: dict[str, int | None]) -> dict[SignerRole, User]:
    candidates = candidate_signers(session, district)
    chosen: dict[SignerRole, User] = {SignerRole.APPLICANT: application.applicant}
    for role in (SignerRole.DISTRICT, SignerRole.CITY):
        options = candidates[role]
        if not options:
            if role == SignerRole.DISTRICT:
                raise SigningError(_("%(district)s has no recruiter account yet, so nobody can "
                                     "sign for the district. Invite a recruiter first.",
                                     district=district.name_en))
            raise SigningError(_("There is no organizer account to sign for the city office."))
        wanted = choices.get(role.value)
        match = next((u for u in options if u.id == wanted), None)
        chosen[role] = match or options[0]
    return chosen


def _validate_draft(draft: document.Draft, ordering: str) -> None:
    if draft.cooperation_form not in document.COOPERATION_BY_CODE:
        raise SigningError(_("Please choose a form of cooperation from the list."))
    if ordering not in {o.value for o in Ordering}:
        raise SigningError(_("Please choose how the parties sign: one after another or in parallel."))
    if not 1 <= draft.validity_months <= 60:
        raise SigningError(_("The validity must be between 1 and 60 months."))
    if draft.funding_cny < 0 or draft.space_sqm < 0:
        raise SigningError(_("Amounts cannot be negative."))


def _version(session: Session, intent: Intent, actor: User, draft: document.Draft,
             ordering: str, choices: dict[str, int | None]) -> IntentVersion:
    application, district = intent.application, intent.district
    users = _signer_users(session, application, district, choices)
    content = document.build_content(
        reference=intent.reference,
        event={"zh": application.event.title_zh, "en": application.event.title_en},
        parties=_parties(session, application, district, users),
        draft=draft,
        ordering=ordering,
        signers=[document.SignerLine(i + 1, role.value, users[role].name, users[role].email)
                 for i, role in enumerate(flow.DEFAULT_ORDER)],
    )
    fields = draft_to_fields(draft) | {
        "ordering": ordering,
        "signers": {role.value: users[role].id for role in flow.DEFAULT_ORDER},
    }
    number = (intent.latest_version.number + 1) if intent.latest_version else 1
    version = IntentVersion(intent=intent, number=number, content=content,
                            content_sha256=canonical.content_hash(content), draft_fields=fields,
                            created_by_id=actor.id)
    intent.ordering = Ordering(ordering)
    session.add(version)
    return version


def create_intent(session: Session, actor: User, application: Application, district: District,
                  draft: document.Draft, ordering: str, choices: dict[str, int | None],
                  info: RequestInfo) -> Intent:
    if not can_draft_for(actor, district.id):
        raise ForbiddenError(_("You may draft intents only for your own district."))
    if application.status not in (ApplicationStatus.FINALIST, ApplicationStatus.SUBMITTED):
        raise SigningError(_("Intents are drafted for submitted or finalist projects only."))
    existing = open_intent_for(session, application.id, district.id)
    if existing is not None:
        raise SigningError(_("This project already has an intent with this district (%(ref)s).",
                             ref=existing.reference))
    _validate_draft(draft, ordering)
    intent = Intent(application=application, district=district, created_by_id=actor.id,
                    reference=f"tmp-{secrets.token_hex(8)}", ordering=Ordering(ordering))
    session.add(intent)
    session.flush()
    year = (intent.created_at or utcnow()).year
    intent.reference = f"RS-{year}-{intent.id:04d}"
    version = _version(session, intent, actor, draft, ordering, choices)
    audit(session, intent, "created", actor, info, version=version.number,
          content_sha256=version.content_sha256)
    return intent


def save_draft(session: Session, actor: User, intent: Intent, draft: document.Draft,
               ordering: str, choices: dict[str, int | None], info: RequestInfo) -> IntentVersion:
    """A new version of a draft; once sent, the content is frozen and refused here."""
    if not can_manage(actor, intent):
        raise ForbiddenError(_("You may not edit this intent."))
    _lock(session, intent)
    if intent.state != IntentState.DRAFT:
        raise SigningError(_("This intent has been sent for signing; its content is frozen and "
                             "can no longer be edited."))
    _validate_draft(draft, ordering)
    version = _version(session, intent, actor, draft, ordering, choices)
    audit(session, intent, "edited", actor, info, version=version.number,
          content_sha256=version.content_sha256)
    return version


def frozen_content(intent: Intent) -> dict[str, Any]:
    if intent.frozen_content:
        return json.loads(intent.frozen_content)
    version = intent.latest_version
    return dict(version.content) if version else {}


def send_for_signing(session: Session, actor: User, intent: Intent, info: RequestInfo,
                     expires_in_days: int = DEFAULT_EXPIRY_DAYS, notify: bool = True) -> Intent:
    if not can_manage(actor, intent):
        raise ForbiddenError(_("You may not send this intent."))
    _lock(session, intent)
    if intent.state != IntentState.DRAFT:
        raise SigningError(_("This intent has already been sent for signing."))
    if not 1 <= expires_in_days <= 90:
        raise SigningError(_("Signing must stay open between 1 and 90 days."))
    version = intent.latest_version
    assert version is not None
    draft = draft_from_fields(version.draft_fields)
    missing = document.missing_texts(draft)
    if missing:
        raise SigningError(_("Some required sections are empty. Fill in both languages of "
                             "every section, then send again."))
    content = version.content
    intent.frozen_content = canonical.canonical_bytes(content).decode("utf-8")
    intent.content_sha256 = canonical.content_hash(content)
    now = utcnow()
    intent.sent_at = now
    intent.expires_at = now + timedelta(days=expires_in_days)
    intent.state = IntentState.OUT_FOR_SIGNATURE
    chosen = version.draft_fields.get("signers", {})
    users = {role: session.get(User, chosen[role.value]) for role in flow.DEFAULT_ORDER}
    for position, role in enumerate(flow.DEFAULT_ORDER, start=1):
        user = users[role]
        if user is None:
            raise SigningError(_("A chosen signer's account no longer exists. Edit the draft."))
        intent.signers.append(Signer(position=position, role=role, user=user))
    session.flush()
    audit(session, intent, "sent", actor, info, version=version.number,
          content_sha256=intent.content_sha256, expires_at=intent.expires_at.isoformat())
    if notify:
        _notify_turn(session, intent)
    return intent


def _notify_turn(session: Session, intent: Intent, reminder: bool = False) -> list[Signer]:
    """Email the signers whose turn it is (once, unless this is a reminder)."""
    notified = []
    positions = flow.current_positions(intent.ordering, _slots(intent))
    now = utcnow()
    for signer in intent.signers:
        if signer.position not in positions:
            continue
        if signer.notified_at and not reminder:
            continue
        queue_email(signer.user, "signing/mail/reminder" if reminder else "signing/mail/your_turn",
                    {"intent": intent, "signer": signer, "content": frozen_content(intent),
                     "url_path": f"/signing/intents/{intent.id}/sign"}, session=session)
        if reminder:
            signer.reminded_at = now
        else:
            signer.notified_at = now
        notified.append(signer)
    return notified


# --- signing ------------------------------------------------------------------------------

def _slots(intent: Intent) -> list[flow.SignerSlot]:
    return [flow.SignerSlot(s.position, s.user_id, s.state) for s in intent.signers]


def expire_if_due(session: Session, intent: Intent, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if intent.state == IntentState.OUT_FOR_SIGNATURE and intent.expires_at and intent.expires_at <= now:
        intent.state = IntentState.EXPIRED
        intent.closed_at = now
        audit(session, intent, "expired", None, RequestInfo.system(),
              expires_at=intent.expires_at.isoformat())
        return True
    return False


def turn_of(intent: Intent, user: User) -> Signer:
    """The user's signer row if it is their turn now; raises :class:`flow.NotYourTurn`."""
    state = intent.state
    if state == IntentState.OUT_FOR_SIGNATURE and intent.expires_at and intent.expires_at <= utcnow():
        state = IntentState.EXPIRED
    slot = flow.check_turn(state, intent.ordering, _slots(intent), user.id)
    return next(s for s in intent.signers if s.position == slot.position)


def turn_message(reason: str) -> str:
    return {
        "draft": _("This intent is still a draft and cannot be signed yet."),
        "closed": _("Signing of this intent is closed."),
        "not_a_signer": _("You are not one of the signers of this intent."),
        "already_done": _("You have already responded to this intent."),
        "waiting_for_others": _("It is not your turn yet: the parties sign in order, and "
                                "an earlier signer has not signed. You will get an email "
                                "when it is your turn."),
    }.get(reason, _("You cannot sign this intent now."))


def record_view(session: Session, intent: Intent, actor: User, info: RequestInfo) -> bool:
    """Note that ``actor`` viewed the document (at most every half hour per person)."""
    now = utcnow()
    for signer in intent.signers:
        if signer.user_id == actor.id and signer.first_viewed_at is None:
            signer.first_viewed_at = now
    last = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.intent_id == intent.id, AuditEntry.action == "viewed",
            AuditEntry.actor_id == actor.id,
        )
    )
    if last is not None and now - last < VIEW_RECORD_EVERY:
        return False
    _lock(session, intent)
    audit(session, intent, "viewed", actor, info)
    _keep_last_update(intent)
    return True


def _code_hash(signer_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"signing:{signer_id}:{code}".encode(), "sha256").hexdigest()


def send_code(session: Session, intent: Intent, actor: User, info: RequestInfo) -> OneTimeCode:
    """Email a fresh one-time code to the signer whose turn it is; earlier codes stop working."""
    _lock(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    now = utcnow()
    if codes.too_soon_to_resend(signer.codes[-1] if signer.codes else None, now):
        raise SigningError(_("A code was sent a few seconds ago. Please check your inbox (and "
                             "spam folder) before asking for another one."))
    for old in signer.codes:
        if old.used_at is None and old.revoked_at is None:
            old.revoked_at = now
    code = codes.generate(secrets.randbelow)
    row = OneTimeCode(signer=signer, code_hash="", created_at=now, expires_at=now + CODE_LIFETIME)
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(signer.id, code)
    queue_email(actor, "signing/mail/code",
                {"intent": intent, "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60),
                 "content_sha256": intent.content_sha256}, session=session)
    audit(session, intent, "code_sent", actor, info, signer=signer.position)
    return row


def _code_refusal_message(reason: str) -> str:
    if reason == "none_sent":
        return _("Please ask for a confirmation code first; we send it to your email address.")
    if reason == "expired":
        return _("This code has expired (codes are valid for %(minutes)d minutes). "
                 "Please ask for a new code.", minutes=int(CODE_LIFETIME.total_seconds() // 60))
    if reason == "too_many":
        return _("Too many wrong codes. Please ask for a new code.")
    return _("Please type the %(digits)d-digit code from the latest email we sent you.",
             digits=codes.CODE_DIGITS)


def _check_code(session: Session, intent: Intent, signer: Signer, code: str, actor: User,
                info: RequestInfo) -> OneTimeCode:
    """The matching live code, or :class:`SigningError` (wrong attempts are counted)."""
    code = codes.normalise(code)
    row = codes.live_code(signer.codes)
    now = utcnow()
    try:
        codes.check_usable(row, code, now)
    except codes.CodeRefused as refusal:
        raise SigningError(_code_refusal_message(refusal.reason)) from None
    assert row is not None  # check_usable refuses a missing code
    if not hmac.compare_digest(row.code_hash, _code_hash(signer.id, code)):
        row.attempts += 1
        audit(session, intent, "code_refused", actor, info, signer=signer.position,
              attempt=row.attempts)
        left = codes.attempts_left(row.attempts)
        if left == 0:
            row.revoked_at = now
            raise SigningError(_("The code is not correct, and that was the last attempt. "
                                 "Please ask for a new code."))
        raise SigningError(ngettext("The code is not correct. Check the latest email from us and try "
                                    "again (%(left)d attempt left).",
                                    "The code is not correct. Check the latest email from us and try "
                                    "again (%(left)d attempts left).", left, left=left))
    return row


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def name_matches(user: User, typed: str) -> bool:
    wanted = {_squash(user.name)}
    if user.name_native:
        wanted.add(_squash(user.name_native))
    return bool(typed.strip()) and _squash(typed) in wanted


def check_signature_png(data: bytes | None) -> bytes | None:
    """A drawn signature: a small PNG image, or nothing."""
    if not data:
        return None
    if len(data) > MAX_SIGNATURE_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SigningError(_("The drawn signature could not be read. Clear it and draw it "
                             "again, or sign with your typed name only."))
    from PIL import Image, UnidentifiedImageError

    try:
        # a header claiming billions of pixels made Pillow raise DecompressionBombError (a 500)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SigningError(_("The drawn signature is too large. Clear it and draw it again.")
                           ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise SigningError(_("The drawn signature could not be read. Clear it and draw it "
                             "again, or sign with your typed name only.")) from None
    if width > 2000 or height > 1000:
        raise SigningError(_("The drawn signature is too large. Clear it and draw it again."))
    return data


def sign(session: Session, intent: Intent, actor: User, info: RequestInfo, *, password: str,
         code: str, typed_name: str, consent: bool, signature_png: bytes | None,
         locale: str = "en") -> Signer:
    """Sign as ``actor``: their turn, their password, a live code, their name, their consent.

    Refusals raise :class:`SigningError`; a wrong code is counted and recorded, so the caller
    commits even then.
    """
    _lock(session, intent)
    expire_if_due(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    if not actor.check_password(password or ""):
        raise SigningError(_("The password is not correct. Please enter the password you sign "
                             "in with."))
    if not consent:
        raise SigningError(_("Please tick the box to consent to the statement before signing."))
    if not name_matches(actor, typed_name or ""):
        raise SigningError(_("Please type your full name exactly as it appears on your account: "
                             "%(name)s.", name=actor.name + (f" / {actor.name_native}"
                                                              if actor.name_native else "")))
    drawing = check_signature_png(signature_png)
    row = _check_code(session, intent, signer, code, actor, info)
    row.used_at = utcnow()
    return apply_signature(session, intent, signer, info, typed_name=typed_name,
                           signature_png=drawing, locale=locale)


def apply_signature(session: Session, intent: Intent, signer: Signer, info: RequestInfo, *,
                    typed_name: str, signature_png: bytes | None, locale: str = "en",
                    notify: bool = True) -> Signer:
    """Record a signature whose checks have passed (:func:`sign`; the demo calls it directly)
    and complete the intent when it is the last one."""
    now = utcnow()
    signer.state = SignerState.SIGNED
    signer.acted_at = now
    signer.typed_name = typed_name.strip()
    signer.signature_png = signature_png
    signer.consent_version = document.CONSENT_VERSION
    signer.ip = info.ip[:64]
    signer.user_agent = info.user_agent[:400]
    signer.locale = locale
    audit(session, intent, "signed", signer.user, info, signer=signer.position,
          role=signer.role.value, typed_name=signer.typed_name,
          consent_version=signer.consent_version, content_sha256=intent.content_sha256,
          drawn=bool(signature_png))
    if flow.outcome(_slots(intent)) == IntentState.COMPLETED:
        complete(session, intent, info, notify=notify)
    elif notify:
        _notify_turn(session, intent)
    return signer


def decline(session: Session, intent: Intent, actor: User, info: RequestInfo, *, reason: str,
            password: str, notify: bool = True) -> Signer:
    _lock(session, intent)
    expire_if_due(session, intent)
    try:
        signer = turn_of(intent, actor)
    except flow.NotYourTurn as refusal:
        raise SigningError(turn_message(refusal.reason)) from None
    if not actor.check_password(password or ""):
        raise SigningError(_("The password is not correct. Please enter the password you sign "
                             "in with."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise SigningError(_("Please tell the other parties why you decline (a sentence is "
                             "enough)."))
    return apply_decline(session, intent, signer, info, reason=reason, notify=notify)


def apply_decline(session: Session, intent: Intent, signer: Signer, info: RequestInfo, *,
                  reason: str, notify: bool = True) -> Signer:
    """Record a refusal whose checks have passed (:func:`decline`; the demo calls it directly)."""
    now = utcnow()
    signer.state = SignerState.DECLINED
    signer.acted_at = now
    signer.decline_reason = reason[:2000]
    signer.ip = info.ip[:64]
    signer.user_agent = info.user_agent[:400]
    intent.state = IntentState.DECLINED
    intent.closed_at = now
    intent.close_reason = reason[:2000]
    audit(session, intent, "declined", signer.user, info, signer=signer.position,
          reason=reason[:500])
    for other in _people_to_tell(intent, exclude=signer.user) if notify else ():
        queue_email(other, "signing/mail/declined",
                    {"intent": intent, "by": signer.user, "reason": reason}, session=session)
    return signer


def _people_to_tell(intent: Intent, exclude: User | None = None) -> list[User]:
    people: dict[int, User] = {}
    for signer in intent.signers:
        people[signer.user_id] = signer.user
    if intent.created_by is not None:
        people[intent.created_by.id] = intent.created_by
    if exclude is not None:
        people.pop(exclude.id, None)
    return list(people.values())


# --- completion, sealing ------------------------------------------------------------------

def seal_identity() -> seal.SealIdentity:
    folder = Path(current_app.instance_path) / "signing"
    return seal.ensure_identity(folder)


def verify_url(intent: Intent) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/verify-intent/{intent.public_id}"


def render_pdf(session: Session, intent: Intent, *, draft: bool = False) -> bytes:
    """The document as PDF (unsealed): the frozen content, signatures so far, audit trail."""
    content = frozen_content(intent)
    digest = intent.content_sha256 or canonical.content_hash(content)
    signatures = []
    for signer in intent.signers:
        if signer.state != SignerState.SIGNED or signer.acted_at is None:
            continue
        zh, en = role_label(signer.role)
        signatures.append(pdf.SignatureLine(
            position=signer.position, role_zh=zh, role_en=en, name=_display(signer.user),
            typed_name=signer.typed_name, signed_at=signer.acted_at, ip=signer.ip,
            user_agent=signer.user_agent, consent_version=signer.consent_version,
            signature_png=signer.signature_png,
        ))
    entries = _entries(session, intent)
    trail = [pdf.AuditLine(e.seq, e.at, e.action, e.actor_label, e.ip, e.user_agent, e.entry_hash)
             for e in entries]
    document = chain.export_trail(chain_scope(intent),
                                  [(_chain_entry(e), e.entry_hash) for e in entries],
                                  head_signature=intent.audit_head_signature)
    trail_json = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return pdf.build_pdf(content, digest, signatures, trail, verify_url(intent),
                         completed_at=intent.completed_at, draft=draft, trail_json=trail_json,
                         zone=intent.application.event.timezone)


def complete(session: Session, intent: Intent, info: RequestInfo, notify: bool = True) -> None:
    """The last signature is in: mark completed, seal the PDF, tell everyone, ring the bell."""
    now = utcnow()
    intent.state = IntentState.COMPLETED
    intent.completed_at = now
    audit(session, intent, "completed", None, info, content_sha256=intent.content_sha256)
    session.flush()
    unsealed = render_pdf(session, intent)
    sealed = seal.seal_pdf(
        unsealed, seal_identity(),
        reason=f"Roadshow intent of cooperation {intent.reference}, SHA-256 {intent.content_sha256}",
        location=current_app.config["PUBLIC_BASE_URL"],
        contact=verify_url(intent),
    )
    intent.sealed_pdf = sealed
    intent.sealed_sha256 = canonical.sha256_hex(sealed)
    intent.sealed_at = utcnow()
    audit(session, intent, "sealed", None, RequestInfo.system(), pdf_sha256=intent.sealed_sha256)
    if not notify:
        return
    for person in _people_to_tell(intent):
        queue_email(person, "signing/mail/completed",
                    {"intent": intent, "verify_url": verify_url(intent)},
                    attachments=[Attachment(f"{intent.reference}.pdf", "application/pdf", sealed)],
                    session=session)
    session.info.setdefault(_PENDING_COMPLETIONS, []).append(
        {"intent_id": intent.id, "application_id": intent.application_id,
         "district_id": intent.district_id}
    )


@event.listens_for(Session, "after_commit")
def _announce_completions(session: Session) -> None:
    pending = session.info.pop(_PENDING_COMPLETIONS, [])
    if not pending:
        return
    from roadshow.signing.signals import intent_completed

    sender = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    for kwargs in pending:
        try:
            intent_completed.send(sender, **kwargs)
        except Exception:  # a listener's failure must not undo or hide a committed signature
            log.exception("a listener of intent_completed failed for intent %s",
                          kwargs["intent_id"])


@event.listens_for(Session, "after_rollback")
def _forget_completions(session: Session) -> None:
    session.info.pop(_PENDING_COMPLETIONS, None)


def record_download(session: Session, intent: Intent, actor: User, info: RequestInfo,
                    what: str = "sealed_pdf") -> None:
    _lock(session, intent)
    audit(session, intent, "downloaded", actor, info, file=what)
    _keep_last_update(intent)


# --- reminders, expiry, cancelling --------------------------------------------------------

def remind(session: Session, intent: Intent, actor: User | None, info: RequestInfo) -> list[Signer]:
    if actor is not None and not can_manage(actor, intent):
        raise ForbiddenError(_("You may not send reminders for this intent."))
    _lock(session, intent)
    if expire_if_due(session, intent):
        raise SigningError(_("Signing of this intent has expired; no reminder was sent."))
    if intent.state != IntentState.OUT_FOR_SIGNATURE:
        raise SigningError(_("Signing of this intent is closed."))
    sent = _notify_turn(session, intent, reminder=True)
    intent.last_reminded_at = utcnow()
    audit(session, intent, "reminded", actor, info,
          signers=",".join(str(s.position) for s in sent))
    return sent


def remind_due(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """For the CLI: expire overdue intents, remind signers not reminded for a day.

    Returns ``(reminded, expired)``.
    """
    now = now or utcnow()
    reminded = expired = 0
    open_intents = session.scalars(
        select(Intent).where(Intent.state == IntentState.OUT_FOR_SIGNATURE).order_by(Intent.id)
    ).all()
    for intent in open_intents:
        if expire_if_due(session, intent, now):
            expired += 1
            continue
        last = intent.last_reminded_at or intent.sent_at
        if last is not None and now - last < REMIND_EVERY:
            continue
        reminded += len(remind(session, intent, None, RequestInfo.system()))
    return reminded, expired


def cancel(session: Session, intent: Intent, actor: User, info: RequestInfo, reason: str) -> None:
    if not can_manage(actor, intent):
        raise ForbiddenError(_("You may not withdraw this intent."))
    _lock(session, intent)
    if intent.state not in (IntentState.DRAFT, IntentState.OUT_FOR_SIGNATURE):
        raise SigningError(_("Only drafts and intents out for signature can be withdrawn."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise SigningError(_("Please give a reason for withdrawing the intent."))
    was_sent = intent.state == IntentState.OUT_FOR_SIGNATURE
    intent.state = IntentState.CANCELLED
    intent.closed_at = utcnow()
    intent.close_reason = reason[:2000]
    audit(session, intent, "cancelled", actor, info, reason=reason[:500])
    if was_sent:
        for other in _people_to_tell(intent, exclude=actor):
            queue_email(other, "signing/mail/cancelled",
                        {"intent": intent, "by": actor, "reason": reason}, session=session)


# --- verification -------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    sha256: str
    intent: Intent | None
    check: seal.SealCheck | None  # None when only a hash was given
    matches_record: bool  # the file is byte for byte the sealed PDF we issued
    content_match: bool = False  # the hash is the signed content's fingerprint, not a file's

    @property
    def genuine(self) -> bool:
        if self.intent is None or self.intent.state != IntentState.COMPLETED:
            return False
        if self.check is None:
            return self.matches_record
        return self.check.genuine and self.matches_record


def normalise_hash(text: str) -> str | None:
    cleaned = "".join((text or "").split()).lower()
    if len(cleaned) == 64 and all(c in "0123456789abcdef" for c in cleaned):
        return cleaned
    return None


def find_by_hash(session: Session, digest: str) -> Intent | None:
    return session.scalar(select(Intent).where(Intent.sealed_sha256 == digest))


def verify_hash(session: Session, digest: str) -> Verification:
    intent = find_by_hash(session, digest)
    if intent is None:
        by_content = session.scalar(select(Intent).where(
            Intent.content_sha256 == digest, Intent.state != IntentState.DRAFT))
        if by_content is not None:
            return Verification(digest, by_content, None, False, content_match=True)
    return Verification(digest, intent, None, intent is not None)


def check_upload(data: bytes, identity: seal.SealIdentity) -> seal.SealCheck:
    """The seal of an uploaded file, checked on the render thread: pyHanko reading a large
    upload takes up to a second of CPU, which on the gevent hub stalled every request and live
    room of the process (the public verify page, 30 uploads a minute per address)."""
    return rendering.off_loop(seal.check_pdf, data, identity)


def verify_pdf(session: Session, data: bytes) -> Verification:
    digest = canonical.sha256_hex(data)
    check = check_upload(data, seal_identity())
    intent = find_by_hash(session, digest)
    if intent is None and check.has_seal:
        # a sealed file that is not byte for byte ours: say which intent it claims to be
        intent = _claimed_intent(session, data)
    return Verification(digest, intent, check, intent is not None and intent.sealed_sha256 == digest)


#: how many verification links in a changed file, and how many distinct ids among them, are
#: looked at to name the intent it claims to be: a forged upload packed with links must not
#: cost a query per link (10,000 links held the public page for seconds)
CLAIM_LINKS_READ = 64
CLAIM_IDS_LOOKED_UP = 8


def _claimed_intent(session: Session, data: bytes) -> Intent | None:
    marker = b"/verify-intent/"
    tokens: list[str] = []
    at, read = data.find(marker), 0
    while at != -1 and read < CLAIM_LINKS_READ and len(tokens) < CLAIM_IDS_LOOKED_UP:
        tail = data[at + len(marker): at + len(marker) + 32]
        token = tail.split(b")")[0].split(b" ")[0].decode("ascii", "ignore")
        if token and token not in tokens:
            tokens.append(token)
        at, read = data.find(marker, at + 1), read + 1
    if not tokens:
        return None
    found = {intent.public_id: intent for intent in session.scalars(
        select(Intent).where(Intent.public_id.in_(tokens)))}
    return next((found[token] for token in tokens if token in found), None)


def by_public_id(session: Session, public_id: str) -> Intent | None:
    return session.scalar(select(Intent).where(Intent.public_id == public_id))


def sealed_pdf_of(session: Session, intent: Intent) -> bytes | None:
    return session.scalar(select(Intent.sealed_pdf).where(Intent.id == intent.id))


def signature_image(session: Session, signer_id: int) -> tuple[Signer | None, bytes | None]:
    signer = session.get(Signer, signer_id)
    if signer is None:
        return None, None
    return signer, session.scalar(select(Signer.signature_png).where(Signer.id == signer_id))

