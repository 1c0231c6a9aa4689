"""Scoring a demand against a candidate, both ways, with reasons (pure: no Flask, no database).

A demand (需求) and a candidate (a person of the pool or an application of an event) are
described by plain dataclasses: the fields of the office's bilingual taxonomy they name, the
industry chains and chain nodes they sit on, a degree, years of experience and free text. The
taxonomy is the bridge across the languages: a Chinese demand for 集成电路设计 and an English
profile filed under the same field share a code even though they share no word. Free text adds
keyword overlap in each language: English words lower-cased with a light stemming, Chinese as
character bigrams (no segmenter ships offline in the environment, and bigrams need none).

Every score comes with reasons as codes and parameters (``Reason``), never sentences, so the
pages translate them into the reader's language. ``MatchIndex`` holds one side (the people and
applications, or the demands) in inverted indexes by field, node, chain and rarer keywords, so a
query scores only the items sharing something with it and keeps the top k with a heap.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: degrees in increasing order; a requirement is met by that degree or any later one
DEGREES = ("none", "associate", "bachelor", "master", "doctorate")

WEIGHT_FIELD = 40.0
WEIGHT_NODE = 30.0
WEIGHT_CHAIN = 15.0
WEIGHT_DEGREE = 10.0
WEIGHT_EXPERIENCE = 10.0
WEIGHT_KEYWORD = 4.0
MAX_KEYWORDS = 6  # keywords beyond these add nothing (a long text should not win by length)
WEIGHT_INTEREST = 10.0
#: the most an item sharing only a chain (no field, node or rarer keyword) can score
CHAIN_ONLY_BOUND = (WEIGHT_CHAIN + WEIGHT_KEYWORD * MAX_KEYWORDS + WEIGHT_DEGREE
                    + WEIGHT_EXPERIENCE + WEIGHT_INTEREST)

#: a keyword carried by more items than this does not pre-select candidates (too common), and
#: the keywords a query pre-selects by carry this many items at most, the rarest first; an
#: item sharing only common keywords (no field, node or chain) may be missed
MAX_POSTING = 2000

_EN_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_EN_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was", "we", "were", "will", "with", "who", "you", "your", "per", "via", "can", "all", "any", "more", "most", "other", "such", "than", "then", "there", "these", "they", "use", "using", "work", "working", "year", "years", "new", "need", "needs", "experience", "team"])
#: bigrams that only glue a Chinese sentence together
_ZH_STOP = frozenset(
    ["我们", "以上", "以及", "相关", "具有", "具备", "负责", "工作", "要求", "优先", "能力", "经验", "进行", "或者", "及其", "一定", "熟悉", "从事", "方面", "领域", "岗位", "人才", "需要"])


@dataclass(frozen=True)
class Reason:
    """Why a match scored: a code the pages translate and its parameters."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str) -> object:
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Demand:
    key: int
    fields: frozenset[str] = frozenset()  # taxonomy field codes
    nodes: frozenset[str] = frozenset()   # chain node codes
    chains: frozenset[str] = frozenset()  # chain codes
    degree: str | None = None             # the least degree wanted
    min_years: int | None = None
    district_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Candidate:
    """A person of the pool (``kind="person"``) or an application (``kind="application"``)."""

    key: int
    kind: str = "person"
    fields: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()
    chains: frozenset[str] = frozenset()
    degree: str | None = None
    years: int | None = None
    #: districts that showed interest earlier (a docking, a follow-up)
    interested_districts: frozenset[int] = frozenset()
    text: str = ""


@dataclass(frozen=True)
class Match:
    score: float
    demand_key: int
    candidate_kind: str
    candidate_key: int
    reasons: tuple[Reason, ...] = field(default=())


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ers", "er"), ("ed", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + repl
    return word


def tokens(text: str) -> frozenset[str]:
    """The keywords of a text: stemmed English words and Chinese character bigrams."""
    if not text:
        return frozenset()
    lowered = text.lower()
    found: set[str] = set()
    for run in _CJK_RUN.findall(lowered):
        if len(run) == 1:
            continue
        for i in range(len(run) - 1):
            gram = run[i:i + 2]
            if gram not in _ZH_STOP:
                found.add(gram)
    latin = _CJK_RUN.sub(" ", lowered)
    for word in _EN_WORD.findall(latin):
        if word in _EN_STOP or (len(word) < 2 and not word.isdigit()):
            continue
        found.add(_stem(word))
    return frozenset(found)


def degree_rank(degree: str | None) -> int | None:
    if degree is None:
        return None
    try:
        return DEGREES.index(degree)
    except ValueError:
        return None


def score(demand: Demand, candidate: Candidate, *,
          demand_tokens: frozenset[str] | None = None,
          candidate_tokens: frozenset[str] | None = None) -> tuple[float, tuple[Reason, ...]]:
    """The score of a candidate for a demand and why; 0 with no reasons when nothing is shared."""
    reasons: list[Reason] = []
    total = 0.0
    shared_fields = demand.fields & candidate.fields
    shared_nodes = demand.nodes & candidate.nodes
    shared_chains = demand.chains & candidate.chains
    if shared_fields:
        total += WEIGHT_FIELD
        reasons.append(Reason("shared_field", (("codes", tuple(sorted(shared_fields))),)))
    if shared_nodes:
        total += WEIGHT_NODE
        reasons.append(Reason("same_node", (("codes", tuple(sorted(shared_nodes))),)))
    elif shared_chains:
        total += WEIGHT_CHAIN
        reasons.append(Reason("same_chain", (("codes", tuple(sorted(shared_chains))),)))
    d_tokens = tokens(demand.text) if demand_tokens is None else demand_tokens
    c_tokens = tokens(candidate.text) if candidate_tokens is None else candidate_tokens
    shared_words = d_tokens & c_tokens
    if shared_words:
        words = tuple(sorted(shared_words))
        total += WEIGHT_KEYWORD * min(len(words), MAX_KEYWORDS)
        reasons.append(Reason("keywords", (("words", words[:MAX_KEYWORDS * 2]),)))
    relevant = bool(reasons)
    if not relevant:
        return 0.0, ()
    wanted, has = degree_rank(demand.degree), degree_rank(candidate.degree)
    if wanted is not None and has is not None:
        if has >= wanted:
            total += WEIGHT_DEGREE
            reasons.append(Reason("degree_met", (("degree", candidate.degree),)))
        else:
            reasons.append(Reason("degree_below", (("wanted", demand.degree),
                                                   ("degree", candidate.degree))))
    if demand.min_years is not None and candidate.years is not None:
        if candidate.years >= demand.min_years:
            total += WEIGHT_EXPERIENCE
            reasons.append(Reason("experience_met", (("years", candidate.years),)))
        else:
            reasons.append(Reason("experience_below", (("wanted", demand.min_years),
                                                       ("years", candidate.years))))
    if demand.district_id is not None and demand.district_id in candidate.interested_districts:
        total += WEIGHT_INTEREST
        reasons.append(Reason("district_interest", (("district_id", demand.district_id),)))
    return total, tuple(reasons)


class MatchIndex:
    """One side's items in inverted indexes by field, node, chain and keyword."""

    def __init__(self, items: Iterable[Demand] | Iterable[Candidate]) -> None:
        self.items: dict[tuple[str, int], Demand | Candidate] = {}
        self.tokens: dict[tuple[str, int], frozenset[str]] = {}
        self._postings: Mapping[str, list[tuple[str, int]]] = defaultdict(list)
        postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for item in items:
            ident = (item.kind if isinstance(item, Candidate) else "demand", item.key)
            self.items[ident] = item
            words = tokens(item.text)
            self.tokens[ident] = words
            for code in item.fields:
                postings["f:" + code].append(ident)
            for code in item.nodes:
                postings["n:" + code].append(ident)
            for code in item.chains:
                postings["c:" + code].append(ident)
            for word in words:
                postings["w:" + word].append(ident)
        self._postings = {key: ids for key, ids in postings.items()
                          if not key.startswith("w:") or len(ids) <= MAX_POSTING}

    def __len__(self) -> int:
        return len(self.items)

    def _postings_of(self, keys: Iterable[str]) -> set[tuple[str, int]]:
        found: set[tuple[str, int]] = set()
        for key in keys:
            found.update(self._postings.get(key, ()))
        return found

    def _shortlist(self, probe: Demand | Candidate,
                   words: frozenset[str]) -> set[tuple[str, int]]:
        """Every item sharing a field, node, chain or rarer keyword with the probe."""
        return self._postings_of(
            [("f:" + c) for c in probe.fields] + [("n:" + c) for c in probe.nodes]
            + [("c:" + c) for c in probe.chains] + [("w:" + w) for w in words])

    def _top(self, probe: Demand | Candidate, k: int, allowed: frozenset[str] | None,
             ) -> list[tuple[float, tuple[str, int], tuple[Reason, ...]]]:
        """Exact top k, scoring the items sharing a field, node or keyword first; the items
        sharing only a chain are scored only if one of them could still enter the top k."""
        words = tokens(probe.text)
        first = self._postings_of(
            [("f:" + c) for c in probe.fields] + [("n:" + c) for c in probe.nodes])
        # the rarer keywords first, while the shortlist stays within its budget
        rare = sorted((len(self._postings.get("w:" + w, ())), w) for w in words)
        budget = MAX_POSTING
        for size, word in rare:
            if size == 0:
                continue
            if size > budget:
                break
            budget -= size
            first.update(self._postings["w:" + word])
        scored: list[tuple[float, tuple[str, int], tuple[Reason, ...]]] = []

        def add(idents: Iterable[tuple[str, int]]) -> None:
            for ident in idents:
                if allowed is not None and ident[0] not in allowed:
                    continue
                item = self.items[ident]
                if isinstance(probe, Demand):
                    assert isinstance(item, Candidate)
                    value, reasons = score(probe, item, demand_tokens=words,
                                           candidate_tokens=self.tokens[ident])
                else:
                    assert isinstance(item, Demand)
                    value, reasons = score(item, probe, demand_tokens=self.tokens[ident],
                                           candidate_tokens=words)
                if value > 0:
                    scored.append((value, ident, reasons))

        add(first)
        best = heapq.nsmallest(k, scored, key=lambda row: (-row[0], row[1]))
        if len(best) < k or best[-1][0] <= CHAIN_ONLY_BOUND:
            add(self._postings_of([("c:" + c) for c in probe.chains]) - first)
            best = heapq.nsmallest(k, scored, key=lambda row: (-row[0], row[1]))
        return best

    def candidates_for(self, demand: Demand, k: int = 20, *,
                       kinds: Iterable[str] | None = None) -> list[Match]:
        """The k best candidates of this index for a demand, best first (ties by kind, key)."""
        allowed = frozenset(kinds) if kinds is not None else None
        return [Match(value, demand.key, ident[0], ident[1], reasons)
                for value, ident, reasons in self._top(demand, k, allowed)]

    def demands_for(self, candidate: Candidate, k: int = 20) -> list[Match]:
        """The k best demands of this index for a person or application, best first."""
        return [Match(value, ident[1], candidate.kind, candidate.key, reasons)
                for value, ident, reasons in self._top(candidate, k, None)]
