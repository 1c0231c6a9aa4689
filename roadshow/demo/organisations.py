"""Demo step 1: the platform administrator, the two talent offices with their districts and
organizers, and the alliance they belong to (docs/design/many-events.md §5)."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.demo import facts
from roadshow.demo.context import DEMO_PASSWORD, DemoContext
from roadshow.districts.models import District
from roadshow.organisations.models import (
    Alliance,
    AllianceMember,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationRole,
)

TITLE = "Offices, districts and alliance"
ZONE = "Asia/Shanghai"


def user(ctx: DemoContext, **fields: object) -> User:
    """A demo account with a confirmed address and the demo password."""
    password_hash = ctx.data.get("password_hash")
    if password_hash is None:
        password_hash = ctx.data["password_hash"] = generate_password_hash(DEMO_PASSWORD)
    account = User(password_hash=password_hash, email_verified_at=utcnow(), **fields)
    ctx.session.add(account)
    return account


def _office(ctx: DemoContext, facts_of: dict[str, str], creator: User) -> Organisation:
    office = Organisation(slug=facts_of["slug"], kind=OrganisationKind(facts_of["kind"]),
                          name_zh=facts_of["name_zh"], name_en=facts_of["name_en"],
                          timezone=facts_of["timezone"], created_by=creator)
    ctx.session.add(office)
    return office


def load(ctx: DemoContext) -> None:
    admin = user(ctx, email="admin@example.org", role=Role.ORGANIZER, is_platform_admin=True,
                 name="Platform Administrator", name_native="平台管理员", locale="zh_Hans_CN",
                 timezone=ZONE)
    ctx.login("admin", admin.email)
    xuzhou = _office(ctx, facts.XUZHOU, admin)
    xiao = _office(ctx, facts.XIAO_COUNTY, admin)
    ctx.progress(TITLE, 1, 3)

    districts = []
    for code, name_zh, name_en, kind, ind_zh, ind_en, offer_zh, offer_en in facts.DISTRICTS:
        districts.append(District(
            organisation=xuzhou, code=code, name_zh=name_zh, name_en=name_en, kind=kind,
            industries_zh=ind_zh, industries_en=ind_en,
            offer_zh=offer_zh or facts.CITY_OFFER_ZH, offer_en=offer_en or facts.CITY_OFFER_EN))
    xiao_districts = [
        District(organisation=xiao, code=code, name_zh=name_zh, name_en=name_en, kind=kind,
                 industries_zh=ind_zh, industries_en=ind_en,
                 offer_zh=facts.XIAO_OFFER_ZH, offer_en=facts.XIAO_OFFER_EN)
        for code, name_zh, name_en, kind, ind_zh, ind_en in facts.XIAO_DISTRICTS]
    ctx.session.add_all(districts + xiao_districts)
    ctx.progress(TITLE, 2, 3)

    organizer = user(ctx, email="organizer@example.org", role=Role.ORGANIZER,
                     name="Xu Talent Office", name_native="徐州市人才办", locale="zh_Hans_CN",
                     timezone=ZONE)
    ctx.login("organizer", organizer.email)
    organizer_xiao = user(ctx, email="organizer-xiao@example.org", role=Role.ORGANIZER,
                          name="Xiao County Talent Office", name_native="萧县人才办",
                          locale="zh_Hans_CN", timezone=ZONE)
    ctx.login("organizer-xiao", organizer_xiao.email)
    ctx.session.add_all([
        OrganisationMember(organisation=xuzhou, user=organizer, role=OrganisationRole.ORGANIZER,
                           granted_by=admin),
        OrganisationMember(organisation=xiao, user=organizer_xiao,
                           role=OrganisationRole.ORGANIZER, granted_by=admin),
    ])
    alliance = Alliance(**facts.ALLIANCE)
    ctx.session.add(alliance)
    ctx.session.add_all([AllianceMember(alliance=alliance, organisation=xuzhou),
                         AllianceMember(alliance=alliance, organisation=xiao)])
    ctx.session.flush()
    ctx.data.update(admin=admin, xuzhou=xuzhou, xiao=xiao, alliance=alliance,
                    districts=districts, xiao_districts=xiao_districts,
                    organizer=organizer, organizer_xiao=organizer_xiao)
    ctx.progress(TITLE, 3, 3)
