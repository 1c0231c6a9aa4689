"""Partner resources (bad input refused by field, organizers only) and demands attached to an
event's call (published ones of the event's office only, once each)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from roadshow.accounts.roles import Role
from roadshow.demands import catalogue, resources
from roadshow.demands.catalogue import DemandError, DemandForbiddenError
from roadshow.demands.models import Resource, ResourceKind
from roadshow.extensions import db
from tests.demands.test_catalogue import ORGANIZER, Grant, _form, world  # noqa: F401
from tests.many_events_fixtures import build_event

LAB = {"partner_zh": "中国矿业大学", "partner_en": "China University of Mining and Technology",
       "kind": "lab", "title_zh": "深部岩土力学国家重点实验室", "title_en": "Deep geomechanics lab",
       "contact_email": "lab@cumt.edu.cn"}


def test_an_organizer_keeps_the_resources(world):  # noqa: F811
    office = world[0].organisation_id
    resource = resources.save_resource(db.session, office, ORGANIZER,
                                       resources.parse_resource(MultiDict(LAB)))
    assert resource.kind is ResourceKind.LAB
    resources.save_resource(db.session, office, ORGANIZER, resources.parse_resource(
        MultiDict({**LAB, "title_en": "State key lab"})), resource)
    assert resource.title_en == "State key lab"
    with pytest.raises(DemandForbiddenError):
        resources.delete_resource(db.session, resource, Grant({Role.RECRUITER}, {world[0].id}))
    resources.delete_resource(db.session, resource, ORGANIZER)
    assert db.session.get(Resource, resource.id) is None


@pytest.mark.parametrize(("fields", "field"), [
    ({"partner_zh": ""}, "partner_zh"), ({"kind": "robot"}, "kind"),
    ({"contact_email": "lab at cumt"}, "contact_email"), ({"title_zh": " "}, "title_zh")])
def test_bad_resource_input_names_its_field(app, fields, field):
    with pytest.raises(DemandError) as refused:
        resources.parse_resource(MultiDict({**LAB, **fields}))
    assert refused.value.field == field


def test_published_demands_attached_to_a_call(world):  # noqa: F811
    gulou, _taijiang, _recruiter, round_ = world
    event = build_event(db.session, gulou.organisation, slug="call-2027")
    shown = catalogue.enter_demand(db.session, round_, None, ORGANIZER,
                                   catalogue.parse_form(_form(gulou.id)))
    draft = catalogue.enter_demand(db.session, round_, None, ORGANIZER,
                                   catalogue.parse_form(_form(gulou.id, title_zh="草稿")))
    catalogue.submit(db.session, shown, ORGANIZER)
    catalogue.review(db.session, shown, ORGANIZER, accept=True)
    with pytest.raises(DemandError):
        resources.attach(db.session, event, [shown], ORGANIZER)  # not yet published
    catalogue.publish(db.session, round_, ORGANIZER)
    with pytest.raises(DemandError):
        resources.attach(db.session, event, [draft], ORGANIZER)
    assert resources.attach(db.session, event, [shown], ORGANIZER) == 1
    assert resources.attach(db.session, event, [shown], ORGANIZER) == 0
    assert db.session.scalars(resources.event_demands(event.id)).all() == [shown]
    resources.detach(db.session, event, shown, ORGANIZER)
    assert db.session.scalars(resources.event_demands(event.id)).all() == []
