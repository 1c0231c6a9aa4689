"""``roadshow organisations create`` and ``roadshow admin grant|revoke <email>``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from roadshow.organisations.models import Organisation, OrganisationMember

pytestmark = pytest.mark.no_default_organisation


def test_organisations_create_makes_an_office_with_its_organizer(runner, db, make_user):
    organizer = make_user("organizer", email="xiao@example.org")
    result = runner.invoke(args=[
        "organisations", "create", "--slug", "xiao-county", "--name-zh", "萧县人才办",
        "--name-en", "Xiao County Talent Office", "--kind", "county_office",
        "--organizer", "XIAO@example.org"])
    assert result.exit_code == 0, result.output
    assert "office xiao-county created, organised by xiao@example.org" in result.output
    office = db.session.scalars(select(Organisation)).one()
    assert (office.kind.value, office.timezone, office.created_by_id) == (
        "county_office", "Asia/Shanghai", None)
    assert db.session.scalar(select(OrganisationMember.user_id)) == organizer.id


def test_organisations_create_refuses_a_taken_address_and_an_unknown_organizer(runner, db):
    args = ["organisations", "create", "--slug", "xuzhou", "--name-zh", "徐州市人才办",
            "--name-en", "Xuzhou Talent Office"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1
    assert "Another office already uses this short address." in again.output
    unknown = runner.invoke(args=[*args[:2], "--slug", "other", *args[4:],
                                  "--organizer", "nobody@example.org"])
    assert unknown.exit_code == 2
    assert "no account uses nobody@example.org" in unknown.output
    assert db.session.scalars(select(Organisation.slug)).all() == ["xuzhou"]


def test_admin_grant_and_revoke(runner, db, make_user):
    user = make_user("organizer", email="lead@example.org")
    result = runner.invoke(args=["admin", "grant", "lead@example.org"])
    assert result.output.strip() == "lead@example.org is now a platform administrator"
    assert runner.invoke(args=["admin", "grant", "lead@example.org"]).output.strip() == (
        "lead@example.org was already a platform administrator")
    db.session.refresh(user)
    assert user.is_platform_admin is True
    result = runner.invoke(args=["admin", "revoke", "lead@example.org"])
    assert result.output.strip() == "lead@example.org is no longer a platform administrator"
    db.session.refresh(user)
    assert user.is_platform_admin is False
    missing = runner.invoke(args=["admin", "grant", "nobody@example.org"])
    assert missing.exit_code == 2
    assert "no account uses nobody@example.org" in missing.output
