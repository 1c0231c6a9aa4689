"""An organizer invites judges and district recruiters to an event in bulk from a CSV or Excel
file (issue 17): the preview names each row's problem in the reader's language and flags
duplicates, nothing is sent before the organizer confirms, and one background job sends them."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from roadshow.accounts.models import Invitation
from roadshow.jobs.models import Job
from roadshow.mail.models import OutboxMessage
from tests.many_events_fixtures import DEFAULT_ORGANISATION_SLUG

OFFICE = f"/o/{DEFAULT_ORGANISATION_SLUG}"

ROWS = [
    ["email", "name", "role", "district", "language"],
    ["wang.fang@example.org", "Wang Fang", "judge", "", "en"],
    ["chen.jie@example.org", "陈杰", "区县招商专员", "鼓楼区", "zh"],
    ["not-an-address", "Nobody", "judge", "", ""],
    ["wang.fang@example.org", "Wang Fang again", "judge", "", ""],
    ["zhou.li@example.org", "Zhou Li", "astronaut", "", ""],
    ["he.min@example.org", "He Min", "district recruiter", "Atlantis", ""],
    ["already@example.org", "Already", "judge", "", ""],
]


@pytest.fixture
def event(make_event, make_district):
    return make_event(slug="xuzhou-2026", districts=[make_district("gulou", "鼓楼区", "Gulou District")])


def mails_to(db, address):
    """The messages queued for ``address`` (the outbox, which the job fills)."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)))


def csv_file(rows):
    return io.BytesIO("\n".join(",".join(row) for row in rows).encode("utf-8-sig"))


def xlsx_file(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def preview(client, event, data, filename):
    return client.post(f"{OFFICE}/invitations/bulk", data={"event": str(event.id), "file": (data, filename)},
                       content_type="multipart/form-data")


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


@pytest.mark.parametrize(("make_file", "filename"), [(csv_file, "people.csv"), (xlsx_file, "people.xlsx")])
def test_the_preview_flags_problems_and_one_job_sends_the_good_rows(login_as, db, event,
                                                                     make_file, filename):
    organizer, _ = login_as("organizer")
    page = organizer.get(f"{OFFICE}/invitations").get_data(as_text=True)
    assert f"{OFFICE}/invitations/bulk" in page  # reachable from the invitations page
    people = organizer.get(f"/e/{event.slug}/people").get_data(as_text=True)
    assert f"{OFFICE}/invitations/bulk?event={event.id}" in people  # and from the event's people
    refused = organizer.post(f"{OFFICE}/invitations/bulk", data={"event": str(event.id)})
    assert refused.status_code == 422
    assert "Choose a CSV or Excel file." in refused.get_data(as_text=True)
    first = preview(organizer, event, csv_file([ROWS[0], ROWS[7]]), "one.csv")
    organizer.post(f"{OFFICE}/invitations/bulk/send", data={"token": token_of(first.get_data(as_text=True))})
    assert len(mails_to(db, "already@example.org")) == 1

    response = preview(organizer, event, make_file(ROWS), filename)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 of 7 rows can be sent" in page
    for problem in ("email_bad", "duplicate_in_file", "role_unknown", "district_unknown", "already_invited"):
        assert f'data-problem="{problem}"' in page
    assert "This is not a valid e-mail address." in page
    assert mails_to(db, "wang.fang@example.org") == []  # nothing before the organizer confirms

    sent = organizer.post(f"{OFFICE}/invitations/bulk/send", data={"token": token_of(page)})
    assert sent.status_code == 302
    assert "/jobs/" in sent.headers["Location"]
    job = db.session.scalars(select(Job).where(Job.kind == "accounts.bulk_invite").order_by(Job.id.desc())).first()
    assert (job.summary["sent"], job.summary["skipped"], job.done, job.total) == (2, 0, 2, 2)
    assert len(mails_to(db, "wang.fang@example.org")) == 1
    assert len(mails_to(db, "chen.jie@example.org")) == 1
    invitations = {i.email: i for i in db.session.scalars(select(Invitation).where(Invitation.event_id == event.id))}
    assert invitations["wang.fang@example.org"].locale == "en"
    assert invitations["chen.jie@example.org"].district_id == event.districts[0].id
    assert invitations["chen.jie@example.org"].role.value == "recruiter"
    status = organizer.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'data-count="sent">2<' in status

    # sending the same confirmation again skips everyone already invited
    organizer.post(f"{OFFICE}/invitations/bulk/send", data={"token": token_of(page)})
    assert len(mails_to(db, "wang.fang@example.org")) == 1


def test_the_preview_speaks_chinese_and_a_bad_file_is_refused(login_as, event):
    organizer, user = login_as("organizer")
    organizer.post("/language", data={"locale": "zh_Hans_CN"})
    bad = preview(organizer, event, csv_file([["姓名"], ["x"]]), "x.csv")
    assert bad.status_code == 422
    assert "文件需要以下列" in bad.get_data(as_text=True)
    wrong = preview(organizer, event, io.BytesIO(b"hello"), "x.pdf")
    assert wrong.status_code == 422
    page = preview(organizer, event, csv_file([["邮箱", "姓名", "角色"], ["bad", "某人", "宇航员"]]), "p.csv")
    text = page.get_data(as_text=True)
    assert 'data-problem="email_bad"' in text
    assert "不是有效的电子邮箱地址" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_reads_back_without_problems(login_as, event, fmt):
    organizer, _ = login_as("organizer")
    response = organizer.get(f"{OFFICE}/invitations/bulk/template.{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        header = [cell.value for cell in next(load_workbook(io.BytesIO(response.data)).active.iter_rows())]
    else:
        header = response.data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == ["E-mail", "Name", "Role", "District", "Language"]
    page = preview(organizer, event, io.BytesIO(response.data), f"t.{fmt}").get_data(as_text=True)
    assert 'data-problem="role_unknown"' not in page
    assert 'data-problem="email_bad"' not in page


def test_the_chinese_template_reads_back_with_its_roles(login_as, event):
    organizer, _ = login_as("organizer")
    organizer.post("/language", data={"locale": "zh_Hans_CN"})
    response = organizer.get(f"{OFFICE}/invitations/bulk/template.csv")
    assert response.data.decode("utf-8-sig").splitlines()[0] == "邮箱,姓名,角色,板块,语言"
    page = preview(organizer, event, io.BytesIO(response.data), "t.csv").get_data(as_text=True)
    assert 'data-problem="role_unknown"' not in page
    assert "评审专家" in page
