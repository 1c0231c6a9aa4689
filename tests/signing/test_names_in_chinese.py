"""The intent's Chinese column names people in Chinese first, as a Chinese reader expects."""

from __future__ import annotations

from roadshow.signing import document


def test_chinese_column_names_the_signers_in_chinese_first(draft_intent):
    intent = draft_intent()
    content = intent.latest_version.content
    zh = document.parties_text(content, "zh")
    en = document.parties_text(content, "en")
    assert "代表：张伟（Recruiter " in zh
    assert "代表：市人才办（City Office）" in zh
    assert "Recruiter" not in zh.split("张伟")[0]
    assert "represented by Recruiter" in en
    assert "(张伟)" in en
