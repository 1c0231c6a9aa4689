"""The intent of cooperation: its bilingual template and its content (pure).

An intent's content is a plain mapping (see :func:`build_content`) that the canonical form
hashes. The document's own headings are part of the document and therefore fixed in both
languages here, side by side; the interface around it is translated as usual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roadshow.signing.canonical import CANONICAL_FORM

TITLE = {"zh": "合作意向书", "en": "Intent of Cooperation"}

#: the statement each signer consents to; a new wording gets a new version
CONSENT_VERSION = "2026-11-1"
CONSENT = {
    "zh": (
        "本人已完整阅读上述合作意向书（中英文对照），确认其内容及文件指纹（SHA-256），"
        "同意以输入姓名（及手写签名图像）的方式进行电子签署。本人知悉：这是一种简单电子签名，"
        "由 Roadshow 平台加盖平台电子印章并记录审计轨迹，不是依法设立的电子认证服务机构签发的"
        "可靠电子签名或合格电子签名；本意向书表达合作意向，具体权利义务以双方另行签订的正式协议为准。"
    ),
    "en": (
        "I have read the whole intent of cooperation above (Chinese and English side by side), I "
        "confirm its content and its fingerprint (SHA-256), and I agree to sign it electronically "
        "by typing my name (and drawing my signature). I understand that this is a simple "
        "electronic signature, sealed by the Roadshow platform with its own seal and recorded in an "
        "audit trail, not a reliable or qualified electronic signature issued by a licensed "
        "certification authority; this intent records a will to cooperate, and rights and duties "
        "are set by the formal agreement the parties sign later."
    ),
}

#: what the seal is, said plainly wherever a signature is shown
SEAL_NOTE = {
    "zh": "简单电子签名 + Roadshow 平台电子印章（非合格电子签名）",
    "en": "Simple electronic signature with a Roadshow platform seal (not a qualified signature)",
}


#: what the city offers every talent, for drafts of districts without an offer of their own
CITY_OFFER = {
    "zh": "领军人才创业项目最高 2000 万元资助；10 亿元“彭城英才”投资基金；人才贷、人才股权产品；"
          "人力资源产业园；54 家科技园区和孵化器；一站式线上服务窗口和人才“蓝卡”。",
    "en": "Up to 20 million yuan of funding for leading talents who start a business; the "
          "1-billion-yuan Pengcheng Talent investment fund; talent loans and talent equity "
          "products; a human-resources industrial park; 54 science parks and incubators; a "
          "one-stop online service window and the talent blue card.",
}


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str
    en: str


COOPERATION_FORMS = (
    Choice("start_company", "创办企业（项目落地）", "Start a company (the project lands locally)"),
    Choice("tech_transfer", "技术转移与成果转化", "Technology transfer and commercialisation"),
    Choice("joint_rnd", "联合研发", "Joint research and development"),
    Choice("full_time", "全职引进", "Full-time appointment"),
    Choice("flexible", "柔性引进（兼职、顾问）", "Flexible appointment (part-time, adviser)"),
)
COOPERATION_BY_CODE = {c.code: c for c in COOPERATION_FORMS}

PARTY_LABELS = {
    "applicant": {"zh": "人才（项目方）", "en": "Talent (project owner)"},
    "district": {"zh": "板块（县区）", "en": "District"},
    "city": {"zh": "市人才办", "en": "City talent office"},
}

#: the sections of the document, in order: key, Chinese heading, English heading
SECTIONS = (
    ("parties", "一、合作各方", "1. The parties"),
    ("project", "二、合作项目", "2. The project"),
    ("cooperation", "三、合作方式", "3. Form of cooperation"),
    ("funding", "四、资金支持", "4. Funding"),
    ("space", "五、场地支持", "5. Space"),
    ("talent_policy", "六、人才政策", "6. Talent policy"),
    ("location", "七、落地地点", "7. Landing location"),
    ("timeline", "八、时间安排", "8. Timeline"),
    ("validity", "九、有效期", "9. Validity"),
    ("other_terms", "十、其他约定", "10. Other terms"),
)

#: the bilingual text fields a drafter fills in
TEXT_FIELDS = ("project", "cooperation", "funding", "space", "talent_policy", "location",
               "timeline", "other_terms")


@dataclass(frozen=True)
class Party:
    role: str  # applicant, district, city
    name_zh: str
    name_en: str
    detail_zh: str = ""
    detail_en: str = ""


@dataclass(frozen=True)
class SignerLine:
    position: int
    role: str
    name: str
    email: str


@dataclass
class Draft:
    """What the drafter chooses; the rest of the content comes from the records."""

    cooperation_form: str = "start_company"
    funding_cny: int = 0
    space_sqm: int = 0
    validity_months: int = 12
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {"zh","en"}

    def text(self, name: str, language: str) -> str:
        return self.texts.get(name, {}).get(language, "").strip()


def format_cny(amount: int) -> dict[str, str]:
    """Amounts in yuan in both languages: 500万元 / CNY 5,000,000."""
    if amount % 10000 == 0 and amount >= 10000:
        zh = f"{amount // 10000:,}万元".replace(",", "")
    else:
        zh = f"{amount:,}元"
    return {"zh": zh, "en": f"CNY {amount:,}"}


def build_content(
    *,
    reference: str,
    event: Mapping[str, str],
    parties: Sequence[Party],
    draft: Draft,
    ordering: str,
    signers: Sequence[SignerLine],
) -> dict[str, Any]:
    """The complete content of an intent, ready for the canonical form."""
    form = COOPERATION_BY_CODE.get(draft.cooperation_form, COOPERATION_FORMS[0])

    def texts(name: str) -> dict[str, str]:
        return {"zh": draft.text(name, "zh"), "en": draft.text(name, "en")}

    funding = texts("funding")
    if draft.funding_cny:
        amount = format_cny(draft.funding_cny)
        funding = {
            "zh": f"资金支持总额：{amount['zh']}。{funding['zh']}".strip(),
            "en": f"Total funding: {amount['en']}. {funding['en']}".strip(),
        }
    space = texts("space")
    if draft.space_sqm:
        space = {
            "zh": f"提供场地面积：{draft.space_sqm} 平方米。{space['zh']}".strip(),
            "en": f"Space provided: {draft.space_sqm} square metres. {space['en']}".strip(),
        }
    cooperation = texts("cooperation")
    cooperation = {
        "zh": f"{form.zh}。{cooperation['zh']}".strip(),
        "en": f"{form.en}. {cooperation['en']}".strip(),
    }
    months = draft.validity_months
    validity = {
        "zh": f"本意向书自各方全部签署之日起 {months} 个月内有效。",
        "en": f"This intent is valid for {months} months from the day the last party signs.",
    }
    return {
        "form": CANONICAL_FORM,
        "reference": reference,
        "title": dict(TITLE),
        "event": {"zh": event.get("zh", ""), "en": event.get("en", "")},
        "parties": [
            {
                "role": p.role,
                "label": dict(PARTY_LABELS[p.role]),
                "name": {"zh": p.name_zh, "en": p.name_en},
                "detail": {"zh": p.detail_zh, "en": p.detail_en},
            }
            for p in parties
        ],
        "project": texts("project"),
        "cooperation": cooperation,
        "cooperation_form": form.code,
        "funding": funding,
        "funding_cny": draft.funding_cny,
        "space": space,
        "space_sqm": draft.space_sqm,
        "talent_policy": texts("talent_policy"),
        "location": texts("location"),
        "timeline": texts("timeline"),
        "validity": validity,
        "validity_months": months,
        "other_terms": texts("other_terms"),
        "ordering": ordering,
        "signers": [
            {"position": s.position, "role": s.role, "name": s.name, "email": s.email}
            for s in signers
        ],
        "consent": {"version": CONSENT_VERSION, "zh": CONSENT["zh"], "en": CONSENT["en"]},
    }


def parties_text(content: Mapping[str, Any], language: str) -> str:
    lines = []
    for party in content.get("parties", []):
        label = party["label"][language]
        name = party["name"][language] or party["name"]["en" if language == "zh" else "zh"]
        detail = party["detail"][language]
        separator = "：" if language == "zh" else ": "
        lines.append(f"{label}{separator}{name}" + (f"（{detail}）" if detail and language == "zh"
                                                     else f" ({detail})" if detail else ""))
    return "\n".join(lines)


def section_rows(content: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(heading_zh, heading_en, text_zh, text_en)`` for every section, in order."""
    rows = []
    for key, heading_zh, heading_en in SECTIONS:
        if key == "parties":
            rows.append((heading_zh, heading_en, parties_text(content, "zh"),
                         parties_text(content, "en")))
            continue
        value = content.get(key) or {}
        rows.append((heading_zh, heading_en, value.get("zh", ""), value.get("en", "")))
    return rows


def missing_texts(draft: Draft) -> list[tuple[str, str]]:
    """``(field, language)`` of the required texts left empty: both languages, every section
    except other terms."""
    missing = []
    for name in TEXT_FIELDS:
        if name in ("other_terms", "cooperation", "funding", "space"):
            continue
        for language in ("zh", "en"):
            if not draft.text(name, language):
                missing.append((name, language))
    return missing
