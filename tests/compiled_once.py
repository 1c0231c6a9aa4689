"""What the suite's many apps compile once: URL builders and templates.

Every test gets an app of its own (``create_app`` per test keeps config, extensions and the rate
limiter apart), and each new app compiled everything again: werkzeug turns each of ~900 URL
rules into two Python functions through ``ast`` and ``compile`` (0.08 s per app), and each app's
Jinja environment compiles every template it renders (a quarter of a test's time). Both results
depend only on their inputs, never on the app:

- a rule's parsed parts on its string, settings and the map's converters, and its builder on
  the rule's parsed trace, its defaults and whether unknown arguments are
  appended, so each compiled builder is kept under exactly those and handed to the next app's
  identical rule;
- a template's code on its source and the environment's extensions, so every app's Jinja
  environment shares one in-memory bytecode cache (Jinja's own mechanism, which checks the
  source's checksum, so an edited template is compiled afresh).

Production builds its app once per process and is untouched. Loaded for every test through
``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing.rules import Rule

# --- URL builders -----------------------------------------------------------------------

_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _builder_key(rule: Rule, append_unknown: bool) -> tuple[Any, ...] | None:
    defaults = rule.defaults or {}
    try:
        # A default that fills a placeholder is folded into the code through its converter.
        folded = tuple(sorted(
            (name, type(rule._converters[name]).__name__, repr(value))
            for name, value in defaults.items() if name in rule._converters))
        return (rule.rule, tuple(rule._trace), tuple(sorted(map(str, defaults))), folded,
                append_unknown)
    except TypeError:  # an unhashable part: compile as werkzeug would
        return None


def _shared_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = _builder_key(self, append_unknown)
    if key is None:
        return _compile_builder(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


Rule._compile_builder = _shared_builder  # type: ignore[method-assign]


# --- parsed rules -------------------------------------------------------------------------
# Parsing a rule's string into the parts the matcher walks took another 0.04 s per app. What
# ``Rule.compile`` leaves on the rule depends only on the rule's own settings and the map's
# converter classes, so an identical rule of the next app takes the same parts, trace,
# converter instances (stateless but for their arguments from the rule string) and builders.

_compile = Rule.compile
_compiled: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _compile_key(rule: Rule) -> tuple[Any, ...] | None:
    routes = rule.map
    try:
        key = (rule.rule, rule.subdomain, rule.host, rule.merge_slashes, routes.host_matching,
               routes.sort_parameters, tuple(sorted(routes.converters.items())),
               tuple(sorted((str(k), repr(v)) for k, v in (rule.defaults or {}).items())))
        hash(key)
    except TypeError:  # an unhashable part: compile as werkzeug would
        return None
    return key


def _shared_compile(self: Rule) -> None:
    key = _compile_key(self)
    if key is None:
        _compile(self)
        return
    compiled = _compiled.get(key)
    if compiled is None:
        before = set(self.arguments)
        _compile(self)
        _compiled[key] = (self._parts, self._trace, self._converters, self.arguments - before,
                          self._build.__func__, self._build_unknown.__func__)  # type: ignore[attr-defined]
        return
    parts, trace, converters, arguments, build, build_unknown = compiled
    self._parts, self._trace, self._converters = list(parts), list(trace), dict(converters)
    self.arguments |= arguments
    self._build = build.__get__(self, None)
    self._build_unknown = build_unknown.__get__(self, None)


Rule.compile = _shared_compile  # type: ignore[method-assign]


# --- templates --------------------------------------------------------------------------

class _SharedTemplates(BytecodeCache):
    """Compiled templates of every app of this test process, in memory."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _SharedTemplates()
_create_jinja_environment = Flask.create_jinja_environment


def _environment_with_shared_templates(self: Flask) -> Any:
    environment = _create_jinja_environment(self)
    environment.bytecode_cache = _TEMPLATES
    return environment


Flask.create_jinja_environment = _environment_with_shared_templates  # type: ignore[method-assign]
