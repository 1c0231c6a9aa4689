"""Demo step: intents of cooperation for finalists, as after the model event's online signing.

Six intents signed by every party and sealed (six districts), one waiting for the demo
applicant, one waiting for a district, one declined, one draft. The demo emails nobody.
"""

from __future__ import annotations

import io
import math
from typing import Any

from roadshow.demo.context import (
    FINISHED,
    ROADSHOW,
    DemoContext,
    DemoEvent,
    recruiters_with_districts,
)
from roadshow.signing import audit_trail, document, drafting, signatures

TITLE = "Intents of cooperation"

SIGNED = 6
BROWSERS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)


def _drawing(seed: int) -> bytes:
    """A hand-drawn-looking flourish, different for each signer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 110), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    points = [(20 + x, 60 + 28 * math.sin(x / (14 + seed % 5)) * math.cos(x / (41 + seed % 7)))
              for x in range(0, 320, 4)]
    pen.line(points, fill=(20, 24, 60, 255), width=3, joint="curve")
    pen.line([(40, 88), (300, 84 - seed % 9)], fill=(20, 24, 60, 255), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _info(ctx: DemoContext, n: int) -> audit_trail.RequestInfo:
    return audit_trail.RequestInfo(f"203.0.113.{10 + n % 200}", BROWSERS[n % len(BROWSERS)])


def _draft(application: Any, district: Any, n: int) -> document.Draft:
    draft = drafting.default_draft(application, district)
    draft.cooperation_form = document.COOPERATION_FORMS[n % len(document.COOPERATION_FORMS)].code
    draft.funding_cny = [2_000_000, 5_000_000, 10_000_000, 20_000_000, 3_000_000][n % 5]
    draft.space_sqm = [200, 500, 1000, 300, 800][n % 5]
    return draft


def _start(ctx: DemoContext, application: Any, district: Any, drafter: Any, organizer: Any,
           recruiter: Any, n: int, send: bool = True) -> Any:
    session = ctx.session
    intent = drafting.create_intent(
        session, drafter, application, district, _draft(application, district, n),
        "sequential", {"district": recruiter.id, "city": organizer.id}, _info(ctx, n),
    )
    if send:
        drafting.send_for_signing(session, drafter, intent, _info(ctx, n), notify=False)
    return intent


def _sign(ctx: DemoContext, intent: Any, position: int, n: int) -> None:
    signer = intent.signers[position - 1]
    signatures.apply_signature(
        ctx.session, intent, signer, _info(ctx, n + position),
        typed_name=signer.user.name, signature_png=_drawing(n * 3 + position),
        locale=signer.user.locale, notify=False,
    )


def load(ctx: DemoContext) -> None:
    """Intents for the finalists of every roadshow past its review: this year's being signed,
    last year's all sealed."""
    for demo_event in ctx.events(FINISHED, ROADSHOW, stage="signing"):
        load_event(ctx, demo_event)


def load_event(ctx: DemoContext, demo_event: DemoEvent) -> None:
    data = demo_event.data
    finalists = list(data.get("finalists") or [])
    if not finalists:
        return
    organizer = data["organizer"]
    districts = data["districts"]
    recruiter_of = {d.id: r for r, d in recruiters_with_districts(data)}
    demo_applicant = data.get("printed", (data.get("applicants") or [None])[0])
    mine = next((a for a in finalists if a.applicant_id == getattr(demo_applicant, "id", None)),
                None)
    others = [a for a in finalists if a is not mine]
    usable = [d for d in districts if d.id in recruiter_of]
    signed = data.get("signed", SIGNED)
    total = signed + 4
    step = 0

    # completed and sealed, each with a different district while there are enough, one the
    # talent asked for
    taken: set[int] = set()
    for k in range(min(signed, len(others))):
        application = others[k]
        wished = [d for d in application.districts if d.id in recruiter_of and d.id not in taken]
        free = [d for d in usable if d.id not in taken]
        district = wished[0] if wished else free[0] if free else usable[k % len(usable)]
        taken.add(district.id)
        recruiter = recruiter_of[district.id]
        drafter = recruiter if k % 2 else organizer
        intent = _start(ctx, application, district, drafter, organizer, recruiter, k)
        for position in (1, 2, 3):
            _sign(ctx, intent, position, k)
        step += 1
        ctx.progress(TITLE, step, total)

    if demo_event.state == FINISHED:  # last year's signing is over: nothing left open
        ctx.progress(TITLE, total, total)
        ctx.session.flush()
        return
    rest = others[signed:]
    gulou = usable[0]
    # waiting for the demo applicant (their login shows it), else for another finalist
    application = mine or (rest.pop(0) if rest else None)
    if application is not None:
        district = usable[1 % len(usable)]
        _start(ctx, application, district, organizer, organizer, recruiter_of[district.id], 7)
    step += 1
    ctx.progress(TITLE, step, total)
    # the applicant has signed; now the first district's recruiter (the demo login) is asked
    if rest:
        intent = _start(ctx, rest.pop(0), gulou, organizer, organizer, recruiter_of[gulou.id], 8)
        _sign(ctx, intent, 1, 8)
    step += 1
    ctx.progress(TITLE, step, total)
    # declined by the talent, with a reason
    if rest:
        district = usable[2 % len(usable)]
        intent = _start(ctx, rest.pop(0), district, organizer, organizer,
                        recruiter_of[district.id], 9)
        signatures.apply_decline(
            ctx.session, intent, intent.signers[0], _info(ctx, 9),
            reason="We have accepted an offer from another city for this project; thank you "
                   "for the generous proposal.", notify=False,
        )
    step += 1
    ctx.progress(TITLE, step, total)
    # a draft the first district is still writing
    if rest:
        _start(ctx, rest.pop(0), gulou, recruiter_of[gulou.id], organizer, recruiter_of[gulou.id],
               10, send=False)
    step += 1
    ctx.progress(TITLE, total, total)
    ctx.session.flush()
