"""The jobs pages name who started a job in the reader's script, as every other page does: a
Chinese reader sees the organizer's Chinese name, an English reader the Latin one."""

from __future__ import annotations

from roadshow.extensions import db


def test_the_job_pages_name_the_starter_in_the_readers_script(start_job, make_user, login_as,
                                                             make_event):
    client, _reader = login_as("organizer", locale="zh_Hans_CN")
    starter = make_user("organizer", name="Xu Talent Office", name_native="徐州市人才办")
    db.session.commit()
    job = start_job(starter, steps=1, event=make_event())  # the reader organizes its event
    for path in (f"/jobs/{job.id}", "/jobs/"):
        chinese = client.get(path).get_data(as_text=True)
        assert "徐州市人才办" in chinese, path
        assert "Xu Talent Office" not in chinese, path
    client.post("/language", data={"locale": "en", "next": "/"})
    english = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Xu Talent Office" in english
