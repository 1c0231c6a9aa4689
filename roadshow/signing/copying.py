"""What a new event copied from an old one takes from signing: nothing yet.

An intent is drafted from the district's offer (``districts.offer_zh/en``) and the city's
standard texts (``signing.document``); the districts come along with the copy (events copies
them), so a copied event drafts the same first intent without signing copying a row. Intents,
their versions, signers, codes and audit trails are personal records of the source event and
are never copied. Issue 17 adds per-event intent templates and mail wording, which will be
copied here. Connected to ``events.signals.event_copied`` when this module loads (the signing
blueprint imports it); tests/signing/test_copying.py holds that nothing is copied."""

from __future__ import annotations

import logging
from typing import Any

from roadshow.events import signals as event_signals

log = logging.getLogger("roadshow.signing")


def copy_signing(sender: Any, session: Any = None, source: Any = None, target: Any = None,
                 shift: Any = None, **_extra: Any) -> None:
    """The receiver of ``event_copied``: signing has no set-up of its own to copy yet."""
    log.info("event %s copied from %s: signing copies nothing (no per-event templates yet)",
             getattr(target, "slug", target), getattr(source, "slug", source))


event_signals.event_copied.connect(copy_signing)
