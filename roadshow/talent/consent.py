"""The purpose and wording a person agrees to when they join an office's talent pool.

Pure. The wording is stored with each consent (``talent_consents``) in both languages with its
version, so what someone agreed to stays readable after the text here changes: change the text,
change :data:`POOL_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass

POOL_PURPOSE = "pool"
POOL_VERSION = "2026-12"

#: how a consent was given
VIA_JOIN_FORM = "join_form"
VIA_APPLICATION = "application"
VIA_OFFICER = "officer_recorded"


@dataclass(frozen=True)
class Wording:
    purpose: str
    version: str
    zh: str
    en: str


def pool_wording(office_zh: str, office_en: str) -> Wording:
    """What a person agrees to when joining ``office``'s pool, in both languages."""
    return Wording(
        purpose=POOL_PURPOSE,
        version=POOL_VERSION,
        zh=(f"我同意{office_zh}将我填写的个人信息（姓名、籍贯、现居地、工作单位、学历、联系方式等）"
            "保存在其人才库中，用于与我保持联系、向我介绍家乡的发展机会和活动。"
            "我的信息仅由该人才办及其联络站的工作人员查看，不会出售或用于其他目的。"
            "我可以随时在“我的人才库记录”中查看、导出、更正我的信息，或撤回本同意；"
            "撤回后我的记录将不再出现在人才库的任何页面、检索和导出中。"),
        en=(f"I agree that {office_en} keeps the personal information I give (name, native "
            "place, where I live and work, education, contact details and the like) in its "
            "talent pool, to stay in touch with me and tell me about opportunities and events "
            "in my home region. Only the office and the officers of its liaison stations see "
            "it; it is not sold or used for any other purpose. I can see, download and correct "
            "my information, or withdraw this consent, at any time under \"My talent pool "
            "records\"; once I withdraw, my record no longer appears in any page, search or "
            "export of the pool."),
    )
