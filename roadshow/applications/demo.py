"""Demo step: the applications to every event whose call has opened, each with a deck (this
year's roadshow: 180 submitted, a few drafts and withdrawn; a symposium's registrations ask no
project and no deck).

Titles are bilingual: the three projects named in the press report of the model event, and
generated ones in the four tracks. Every deck is a small PDF made here and stored through the
service, so its hash, page count and first-page preview are real.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from roadshow.applications import policy, uploads
from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationStatus,
    ProjectStage,
)
from roadshow.demo.context import DemoContext, DemoEvent
from roadshow.events.models import PhaseKind

TITLE = "Applications and pitch decks"
SUBMITTED = 180
DRAFTS = 2

# (track code, title_zh, title_en): the three projects named in the report come first
REAL_PROJECTS = [
    ("ict", "低功耗物联网技术在工业和智慧城市领域的应用",
     "Low-power IoT for industry and smart cities"),
    ("energy", "高比能低温动力电池与材料科研测试产业化销售",
     "High-energy low-temperature power batteries and materials: research, testing, industrialisation"),
    ("equipment", "航空金属增材研发", "Aerospace metal additive manufacturing R&D"),
]

TOPICS = {
    "equipment": [
        ("协作机器人", "collaborative robots"), ("智能数控机床", "smart CNC machine tools"),
        ("工程机械远程运维平台", "remote maintenance of construction machinery"),
        ("激光精密焊接装备", "precision laser welding equipment"), ("工业视觉检测系统", "machine-vision inspection"),
        ("矿山智能巡检机器人", "inspection robots for intelligent mines"),
        ("液压元件数字孪生", "digital twins of hydraulic components"), ("柔性装配产线", "flexible assembly lines"),
    ],
    "ict": [
        ("车规级功率芯片", "automotive-grade power chips"), ("毫米波雷达芯片", "millimetre-wave radar chips"),
        ("边缘计算网关", "edge-computing gateways"), ("工业互联网安全平台", "industrial internet security"),
        ("硅光子互连", "silicon-photonic interconnects"), ("低轨卫星通信终端", "low-orbit satellite terminals"),
        ("存算一体AI芯片", "compute-in-memory AI chips"), ("MEMS传感器", "MEMS sensors"),
    ],
    "bio": [
        ("肿瘤早筛液体活检", "liquid biopsy for early cancer screening"), ("mRNA疫苗递送系统", "mRNA vaccine delivery"),
        ("可降解心血管支架", "biodegradable cardiovascular stents"), ("AI辅助病理诊断", "AI-assisted pathology"),
        ("康复外骨骼", "rehabilitation exoskeletons"), ("抗体药物偶联物", "antibody-drug conjugates"),
        ("基因编辑育种", "gene-edited crop breeding"), ("远程慢病管理平台", "remote chronic-disease care"),
    ],
    "energy": [
        ("固态锂电池电解质", "solid-state battery electrolytes"), ("钙钛矿光伏组件", "perovskite solar modules"),
        ("氢燃料电池电堆", "hydrogen fuel-cell stacks"), ("煤基碳纤维", "coal-based carbon fibre"),
        ("储能系统热管理", "thermal management for energy storage"), ("石墨烯导热膜", "graphene thermal films"),
        ("二氧化碳捕集利用", "carbon capture and utilisation"), ("钠离子电池正极材料", "sodium-ion cathode materials"),
    ],
}
RESEARCH_FIELDS = {
    "equipment": ["Robotics", "Mechanical engineering", "Additive manufacturing", "Control systems"],
    "ict": ["Microelectronics", "Wireless communication", "Computer architecture", "Photonics"],
    "bio": ["Molecular biology", "Biomedical engineering", "Pharmacology", "Computational pathology"],
    "energy": ["Electrochemistry", "Materials science", "Photovoltaics", "Chemical engineering"],
}
BIO = ("{position} at {institution}. {years} years of research in {field_lower}, {papers} peer-reviewed "
       "papers; previously worked with industry partners on pilot production.")
DOMAINS = [("智能制造", "smart manufacturing"), ("智慧矿山", "smart mining"), ("新能源汽车", "electric vehicles"),
           ("智慧医疗", "smart healthcare"), ("智慧城市", "smart cities"), ("航空航天", "aerospace")]
SUMMARY_EN = ("We develop {topic} for {domain}. Our team has {years} years of research behind it and "
              "{patents} patents filed; a first pilot runs with a partner in {country}. We are looking "
              "for a base in Xuzhou to industrialise the technology.")
SUMMARY_ZH = "团队项目“{topic}”已有{patents}项专利申请，已在海外完成试点，希望在徐州落地产业化。"
SUPPORT = ["Premises in a science park and a pilot customer.", "Seed funding and introductions to manufacturers.",
           "A laboratory and help recruiting engineers.", "项目资助、人才公寓和产业链对接。",
           "Access to the Pengcheng Talent fund and a test site."]


COUNTRY_NAMES = {"US": "the United States", "CA": "Canada", "AU": "Australia", "NL": "the Netherlands",
                 "DE": "Germany", "GB": "the United Kingdom", "JP": "Japan", "SG": "Singapore",
                 "FR": "France", "SE": "Sweden", "KR": "South Korea", "NZ": "New Zealand"}


def deck_pdf(title: str, subtitle: str, pages: int = 3) -> bytes:
    """A small, real PDF pitch deck (landscape slides, core fonts only: Latin text)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format=(135, 240))
    pdf.set_auto_page_break(False)
    pdf.set_title(title[:120])
    safe = lambda text: text.encode("latin-1", "replace").decode("latin-1")  # noqa: E731
    slides = [("Pitch deck", subtitle), ("The problem", "What industry needs and cannot buy today."),
              ("Our solution", "Technology, team and first results."), ("The ask", "Funding, premises, partners.")]
    for number in range(pages):
        pdf.add_page()
        pdf.set_fill_color(164, 22, 26)
        pdf.rect(0, 0, 240, 18, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_font("helvetica", "B", 12)
        pdf.set_xy(8, 5)
        pdf.cell(0, 8, safe(slides[number % len(slides)][0]))
        pdf.set_text_color(27, 27, 31)
        pdf.set_font("helvetica", "B", 18 if number == 0 else 14)
        pdf.set_xy(10, 35)
        pdf.multi_cell(220, 9, safe(title if number == 0 else slides[number % len(slides)][1]))
        pdf.set_font("helvetica", "", 11)
        pdf.set_xy(10, 110)
        pdf.cell(0, 8, safe(f"{subtitle}  ·  {number + 1}/{pages}"))
    return bytes(pdf.output())


def _titles(rng: random.Random, count: int) -> list[tuple[str, str, str, str, str]]:
    """``(track, title_zh, title_en, topic_en, domain_en)`` for ``count`` projects."""
    out = [(t, zh, en, en.lower(), "industry") for t, zh, en in REAL_PROJECTS]
    combos = [(track, topic, domain) for track, topics in TOPICS.items() for topic in topics for domain in DOMAINS]
    rng.shuffle(combos)
    for track, (topic_zh, topic_en), (domain_zh, domain_en) in combos[: max(0, count - len(out))]:
        head = topic_en if topic_en[1:2].isupper() else topic_en[0].upper() + topic_en[1:]  # mRNA stays mRNA
        out.append((track, f"面向{domain_zh}的{topic_zh}", f"{head} for {domain_en}",
                    topic_en, domain_en))
    return out[:count]


def load(ctx: DemoContext) -> None:
    """Applications to every event whose call has opened: submitted, drafts and withdrawn, as
    many as each event asks (``submitted``, ``drafts``, ``withdrawn``)."""
    for demo_event in ctx.events():
        if demo_event.has("call"):
            load_event(ctx, demo_event)


def load_event(ctx: DemoContext, demo_event: DemoEvent) -> None:
    rng, session = demo_event.rng or ctx.rng, ctx.session
    event, data = demo_event.event, demo_event.data
    districts = data["districts"]
    registration = policy.is_registration(event)
    submitted_count = data.get("submitted", SUBMITTED)
    counts = (submitted_count, data.get("drafts", DRAFTS))
    total = min(len(data["applicants"]), submitted_count + counts[1] + data.get("withdrawn", 2))
    applicants = data["applicants"][:total]
    tracks = {t.code: t for t in event.tracks}
    profiles = {p.user_id: p for p in session.scalars(
        select(ApplicantProfile).where(ApplicantProfile.user_id.in_([u.id for u in applicants])))}
    call = event.phase(PhaseKind.CALL)
    titles = _titles(rng, total)
    store = uploads.deck_store()
    submitted = []
    ctx.progress(TITLE, 0, total)
    # a call still open has had its submissions so far; one that is over, all of them
    call_end = min(call.ends_at, ctx.now - timedelta(hours=1))
    span = (call_end - call.starts_at).total_seconds()
    for i, (user, (track_code, title_zh, title_en, topic, domain)) in enumerate(zip(applicants, titles, strict=False)):
        profile = profiles.get(user.id)
        country = profile.country_of_residence if profile else ""
        if profile is not None and not profile.research_field:
            profile.research_field = rng.choice(RESEARCH_FIELDS[track_code])
            profile.bio = profile.bio or BIO.format(
                position=profile.position, institution=profile.institution, years=rng.randint(5, 25),
                field_lower=profile.research_field.lower(), papers=rng.randint(8, 120))
        # more submissions towards the deadline, as in every call
        fraction = 1 - rng.random() ** 2.2
        submitted_at = call.starts_at + timedelta(seconds=span * fraction * 0.995)
        created_at = max(call.starts_at, submitted_at - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 20)))
        if i < counts[0]:
            status = ApplicationStatus.SUBMITTED
        elif i < counts[0] + counts[1]:
            status = ApplicationStatus.DRAFT
        else:
            status = ApplicationStatus.WITHDRAWN
        chinese_summary = bool(profile and profile.name_chinese) and rng.random() < 0.25
        fields = {"topic": topic, "domain": domain, "years": rng.randint(3, 15),
                  "patents": rng.randint(1, 24), "country": COUNTRY_NAMES.get(country, "Europe")}
        application = Application(
            event_id=event.id, applicant=user, status=status, country=country,
            created_at=created_at, updated_at=submitted_at,
            submitted_at=None if status == ApplicationStatus.DRAFT else submitted_at,
            withdrawn_at=(submitted_at + timedelta(days=2)) if status == ApplicationStatus.WITHDRAWN else None,
        )
        project = dict(
            track=tracks.get(track_code), title_en=title_en, title_zh=title_zh,
            summary=(SUMMARY_ZH.format(topic=title_zh, patents=fields["patents"])
                     if chinese_summary else SUMMARY_EN.format(**fields)),
            stage=rng.choice(list(ProjectStage)), team_size=rng.randint(2, 28),
            funding_sought_cny=Decimal(rng.choice([1, 2, 3, 5, 8, 10, 15, 20]) * 1_000_000),
            support_sought=rng.choice(SUPPORT),
            video_url=f"https://video.example.org/pitch/{i + 1}" if rng.random() < 0.3 else "",
        )
        if not registration:  # a symposium's registration asks no project
            for name, value in project.items():
                setattr(application, name, value)
            application.districts = rng.sample(districts, k=min(len(districts), rng.choice([1, 1, 2, 2, 3])))
        session.add(application)
        session.flush()
        if not registration:
            data_pdf = deck_pdf(title_en, f"{user.name} - {event.title_en}", pages=rng.randint(2, 4))
            uploads.attach_deck(session, None, application, f"{title_en[:60]}.pdf", data_pdf,
                                store=store, check_deadline=False)
            application.decks[-1].uploaded_at = min(submitted_at, application.created_at + timedelta(hours=1))
        if status == ApplicationStatus.SUBMITTED:
            submitted.append(application)
        if i % 12 == 0 or i == total - 1:
            ctx.progress(TITLE, i + 1, total)
    session.flush()
    data["applications"] = submitted
