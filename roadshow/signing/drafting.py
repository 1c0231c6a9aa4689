"""Drafting an intent: the first draft, its versions, the parties and signers it names, and
sending it for signing, which freezes its content and tells the signers whose turn it is."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.applications.models import ApplicantProfile, Application, ApplicationStatus
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.events.models import Event
from roadshow.organisations.models import (
    EventRole,
    EventRoleKind,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.scoping import scoped
from roadshow.signing import canonical, document, flow, notices
from roadshow.signing.audit_trail import RequestInfo, audit, lock_intent
from roadshow.signing.exceptions import ForbiddenError, SigningError
from roadshow.signing.flow import IntentState, Ordering, SignerRole
from roadshow.signing.models import Intent, IntentVersion, Signer
from roadshow.signing.parties_and_turns import can_draft_for, can_manage, grant_of, signer_slots

DEFAULT_EXPIRY_DAYS = 14


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


def candidate_signers(session: Session, event: Event, district: District) -> dict[SignerRole, list[User]]:
    """Who may sign for ``district`` and for the city office in ``event``: the district's
    recruiters in that event, and the organizers of the event's organisation."""
    recruiters = session.scalars(
        select(User).join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.RECRUITER,
               EventRole.district_id == district.id, User.active.is_(True))
        .order_by(User.name, User.id).distinct()
    ).all()
    organizers = session.scalars(
        select(User).join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == event.organisation_id,
               OrganisationMember.role == OrganisationRole.ORGANIZER, User.active.is_(True))
        .order_by(User.id).distinct()
    ).all()
    return {SignerRole.DISTRICT: list(recruiters), SignerRole.CITY: list(organizers)}


def draftable_applications(session: Session, event: Event) -> list[Application]:
    """The submitted and finalist projects of ``event``, finalists first."""
    query = select(Application).options(selectinload(Application.applicant)).where(
        Application.event_id == event.id,
        Application.status.in_([ApplicationStatus.FINALIST, ApplicationStatus.SUBMITTED]),
    ).order_by(Application.status.desc(), Application.title_en)
    rows = list(session.scalars(scoped(query, event)))
    rows.sort(key=lambda a: (a.status != ApplicationStatus.FINALIST, a.title_en or a.title_zh))
    return rows


def open_intent_for(session: Session, application: Application, district_id: int) -> Intent | None:
    return session.scalar(scoped(select(Intent).where(
        Intent.application_id == application.id, Intent.district_id == district_id,
        Intent.state.in_([IntentState.DRAFT, IntentState.OUT_FOR_SIGNATURE, IntentState.COMPLETED]),
    ), application.event_id))


def display_name(user: User) -> str:
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
                       f"represented by {display_name(signer_users[SignerRole.DISTRICT])}"),
        document.Party("city", event.organizer_name_zh or "市人才工作领导小组办公室",
                       event.organizer_name_en or "City talent office",
                       f"代表：{_display_zh(city)}", f"represented by {display_name(city)}"),
    ]


def _signer_users(session: Session, application: Application, district: District,
                  choices: dict[str, int | None]) -> dict[SignerRole, User]:
    candidates = candidate_signers(session, application.event, district)
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
    if not can_draft_for(grant_of(session, actor, application.event), district.id):
        raise ForbiddenError(_("You may draft intents only for your own district."))
    event = application.event
    if district.organisation_id != event.organisation_id and district not in event.districts:
        raise SigningError(_("%(district)s does not take part in this event. Choose one of its "
                             "districts.", district=district.name_en))
    if application.status not in (ApplicationStatus.FINALIST, ApplicationStatus.SUBMITTED):
        raise SigningError(_("Intents are drafted for submitted or finalist projects only."))
    existing = open_intent_for(session, application, district.id)
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
    if not can_manage(grant_of(session, actor, intent.application.event), intent):
        raise ForbiddenError(_("You may not edit this intent."))
    lock_intent(session, intent)
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
    if not can_manage(grant_of(session, actor, intent.application.event), intent):
        raise ForbiddenError(_("You may not send this intent."))
    lock_intent(session, intent)
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
        notify_turn(session, intent)
    return intent


def notify_turn(session: Session, intent: Intent, reminder: bool = False) -> list[Signer]:
    """Email the signers whose turn it is (once, unless this is a reminder)."""
    notified = []
    positions = flow.current_positions(intent.ordering, signer_slots(intent))
    now = utcnow()
    for signer in intent.signers:
        if signer.position not in positions:
            continue
        if signer.notified_at and not reminder:
            continue
        notices.tell_signer(
            session, intent, signer,
            "signing/mail/reminder" if reminder else "signing/mail/your_turn",
            {"intent": intent, "signer": signer, "content": frozen_content(intent),
             "url_path": f"/e/{intent.application.event.slug}/signing/intents/{intent.id}/sign"})
        if reminder:
            signer.reminded_at = now
        else:
            signer.notified_at = now
        notified.append(signer)
    return notified
