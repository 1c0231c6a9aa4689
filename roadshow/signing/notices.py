"""What signing tells people (issue 17): an intent waiting for their signature (essential: it
asks them to act), at their turn and at each reminder."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from roadshow.notifications import kinds
from roadshow.notifications.services import notify
from roadshow.signing.models import Intent, Signer

WAITING = kinds.register(kinds.NotificationKind(
    "signature_waiting", _l("An intent waiting for my signature"),
    _l("The intent of cooperation %(ref)s (“%(project)s”) waits for your signature."),
    audience="everyone", essential=True))


def tell_signer(session: Session, intent: Intent, signer: Signer, template: str,
                context: dict[str, Any]) -> None:
    application = intent.application
    event = application.event
    notify(session, signer.user, WAITING.name, url=context["url_path"],
           params={"ref": intent.reference, "project_zh": application.title_zh,
                   "project_en": application.title_en},
           organisation_id=event.organisation_id, event_id=event.id,
           email_template=template, email_context=context)
