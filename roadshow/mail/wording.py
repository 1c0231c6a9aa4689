"""Editable wording of Roadshow's mail: the registry :func:`render_email` consults.

Every mail kind can declare the placeholders its wording may use (name, meaning, sample
value). A later layer (the one that stores organisers' overrides) installs an *override
lookup* at app start with :func:`install_override_lookup`; :func:`render_email` asks it for
the subject and body written for a template in the recipient's language and renders them with
:func:`render_source`, in Jinja's sandbox, with only the declared placeholders. The mail layer
itself knows nothing of events or organisations: the lookup receives the mail's context and
picks the override (an event's beats its organisation's, see :func:`choose`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

#: how far a scope reaches; a narrower scope wins over a wider one
SCOPE_ORDER = ("event", "organisation")


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str  # an English msgid; the editor shows it through gettext
    sample: Any = ""


@dataclass(frozen=True)
class MailKind:
    template: str  # e.g. "review/mail/finalist"
    title: str  # an English msgid
    placeholders: tuple[Placeholder, ...] = ()
    #: the placeholders' values computed from the mail's context (plain words rather than the
    #: objects the file's wording reads); ``None``: the context's own entries of those names
    values: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.placeholders)

    def values_of(self, context: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**context, **self.values(context)} if self.values else context

    def samples(self) -> dict[str, Any]:
        return {p.name: p.sample for p in self.placeholders}


@dataclass(frozen=True)
class Override:
    """The wording written for one template in one language; ``None`` keeps the file's."""

    scope: str  # "event" or "organisation"
    subject: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class WordingProblem:
    """Why a source was refused: ``code`` is "syntax", "unknown", "unsafe" or "error" (it
    parses but fails on the values, e.g. adds a number to a word)."""

    code: str
    detail: str = ""
    line: int | None = None


@dataclass
class _Registry:
    kinds: dict[str, MailKind] = field(default_factory=dict)
    lookup: Callable[[str, str, Mapping[str, Any]], Override | None] | None = None


_registry = _Registry()
_sandbox = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                keep_trailing_newline=True)


def register_kind(kind: MailKind) -> MailKind:
    _registry.kinds[kind.template] = kind
    return kind


def kinds() -> list[MailKind]:
    return sorted(_registry.kinds.values(), key=lambda k: k.template)


def kind(template: str) -> MailKind | None:
    return _registry.kinds.get(template)


OverrideLookup = Callable[[str, str, Mapping[str, Any]], "Override | None"]


def install_override_lookup(lookup: OverrideLookup | None) -> None:
    """``lookup(template, locale, context)`` returns the override to use, or ``None``."""
    _registry.lookup = lookup


def override_for(template: str, locale: str, context: Mapping[str, Any]) -> Override | None:
    if _registry.lookup is None or template not in _registry.kinds:
        return None
    return _registry.lookup(template, locale, context)


def choose(candidates: Iterable[Override]) -> Override | None:
    """The narrowest scope's override, part by part: an event's subject beats its
    organisation's, and a part the event leaves empty falls back to the organisation's."""
    ordered = sorted(candidates, key=lambda o: SCOPE_ORDER.index(o.scope))
    if not ordered:
        return None
    subject = next((o.subject for o in ordered if o.subject), None)
    body = next((o.body for o in ordered if o.body), None)
    if subject is None and body is None:
        return None
    return Override(scope=ordered[0].scope, subject=subject, body=body)


def check_source(source: str, allowed: Iterable[str]) -> WordingProblem | None:
    """Refuse wording that does not parse or names anything but the allowed placeholders."""
    try:
        parsed = _sandbox.parse(source)
    except TemplateSyntaxError as exc:
        return WordingProblem("syntax", exc.message or "", exc.lineno)
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(allowed))
    if unknown:
        return WordingProblem("unknown", ", ".join(unknown))
    return None


def render_source(source: str, context: Mapping[str, Any], allowed: Iterable[str]) -> str:
    """Render ``source`` in the sandbox with only the ``allowed`` names of ``context``.

    Raises :class:`WordingRefusedError` for a source :func:`check_source` refuses, an escape the
    sandbox stops (``{{ ''.__class__ }}``) or a placeholder the mail did not provide."""
    names = set(allowed)
    problem = check_source(source, names)
    if problem:
        raise WordingRefusedError(problem)
    values = {name: context[name] for name in names if name in context}
    try:
        return _sandbox.from_string(source).render(values)
    except SecurityError as exc:
        raise WordingRefusedError(WordingProblem("unsafe", str(exc))) from exc
    except UndefinedError as exc:
        raise WordingRefusedError(WordingProblem("unknown", str(exc))) from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        # e.g. ``{{ count + name }}``: the organiser's wording, not the mail, is at fault
        raise WordingRefusedError(WordingProblem("error", str(exc))) from exc


class WordingRefusedError(ValueError):
    def __init__(self, problem: WordingProblem) -> None:
        super().__init__(f"{problem.code}: {problem.detail}")
        self.problem = problem


def apply(template: str, locale: str, context: Mapping[str, Any],
          subject: str, text: str, html: str | None) -> tuple[str, str, str | None]:
    """The rendered mail with the override's parts in place of the file's. A body written by
    an organiser is plain text, so the file's HTML part is dropped with it. An override that
    fails at send time (a value missing) leaves the file's wording: the mail still goes out."""
    found = override_for(template, locale, context)
    if found is None:
        return subject, text, html
    declared = _registry.kinds[template]
    allowed = declared.names
    try:
        values = declared.values_of(context)
        new_subject = (render_source(found.subject, values, allowed).strip()
                       if found.subject else subject)
        new_text = render_source(found.body, values, allowed) if found.body else None
    except WordingRefusedError:
        return subject, text, html
    if new_text is None:
        return new_subject, text, html
    return new_subject, new_text, None
