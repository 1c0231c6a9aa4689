"""Matching demands with people and applications: the ordering, the reasons, both directions."""

from __future__ import annotations

from roadshow.demands.matching import (
    WEIGHT_CHAIN,
    WEIGHT_DEGREE,
    WEIGHT_EXPERIENCE,
    WEIGHT_FIELD,
    WEIGHT_INTEREST,
    WEIGHT_KEYWORD,
    WEIGHT_NODE,
    Candidate,
    Demand,
    MatchIndex,
    Reason,
    score,
    tokens,
)

CHIP_DEMAND = Demand(
    key=1, fields=frozenset({"IC-DESIGN"}), nodes=frozenset({"IC-2"}),
    chains=frozenset({"IC"}), degree="master", min_years=5, district_id=7,
    text="招聘集成电路设计专家，负责射频芯片设计，具备流片经验者优先",
)
ENGLISH_PROFILE = Candidate(
    key=10, kind="person", fields=frozenset({"IC-DESIGN"}), nodes=frozenset({"IC-2"}),
    chains=frozenset({"IC"}), degree="doctorate", years=8,
    text="RF chip designer, led three tape-outs of mixed-signal circuits",
)


def codes(reasons):
    return [reason.code for reason in reasons]


def test_english_words_are_lowered_and_lightly_stemmed():
    assert tokens("Designing Batteries and the Designs") == {"design", "battery"}
    assert tokens("") == frozenset()


def test_chinese_text_becomes_character_bigrams_without_glue_words():
    found = tokens("射频芯片设计，负责工作")
    assert {"射频", "频芯", "芯片", "片设", "设计"} <= found
    assert "负责" not in found
    assert "工作" not in found


def test_a_chinese_demand_matches_an_english_profile_through_the_taxonomy():
    value, reasons = score(CHIP_DEMAND, ENGLISH_PROFILE)
    assert value == WEIGHT_FIELD + WEIGHT_NODE + WEIGHT_DEGREE + WEIGHT_EXPERIENCE
    assert reasons == (
        Reason("shared_field", (("codes", ("IC-DESIGN",)),)),
        Reason("same_node", (("codes", ("IC-2",)),)),
        Reason("degree_met", (("degree", "doctorate"),)),
        Reason("experience_met", (("years", 8),)),
    )


def test_same_chain_counts_only_without_a_shared_node_and_shortfalls_are_said():
    other_node = Candidate(key=11, chains=frozenset({"IC"}), nodes=frozenset({"IC-5"}),
                           degree="bachelor", years=2)
    value, reasons = score(CHIP_DEMAND, other_node)
    assert value == WEIGHT_CHAIN
    assert codes(reasons) == ["same_chain", "degree_below", "experience_below"]
    assert reasons[1].param("wanted") == "master"
    assert reasons[2].param("years") == 2


def test_keywords_and_a_districts_earlier_interest():
    demand = Demand(key=2, text="Solid-state battery cathode materials", district_id=3)
    person = Candidate(key=12, text="cathode materials for solid-state batteries",
                       interested_districts=frozenset({3}))
    value, reasons = score(demand, person)
    assert codes(reasons) == ["keywords", "district_interest"]
    assert reasons[0].param("words") == ("battery", "cathode", "material", "solid-state")
    assert value == 4 * WEIGHT_KEYWORD + WEIGHT_INTEREST


def test_nothing_shared_scores_nothing_even_with_a_degree_and_interest():
    stranger = Candidate(key=13, degree="doctorate", years=30, interested_districts=frozenset({7}),
                         text="organic farming")
    assert score(CHIP_DEMAND, stranger) == (0.0, ())


def test_a_demand_ranks_people_and_applications_and_keeps_the_top_k():
    pool = [
        ENGLISH_PROFILE,
        Candidate(key=20, kind="application", chains=frozenset({"IC"}), degree="master",
                  years=6, text="射频芯片 startup"),
        Candidate(key=21, kind="person", chains=frozenset({"IC"})),
        Candidate(key=22, kind="person", fields=frozenset({"BIO"}), chains=frozenset({"BIO"})),
        Candidate(key=23, kind="person", chains=frozenset({"IC"})),
    ]
    index = MatchIndex(pool)
    ranked = index.candidates_for(CHIP_DEMAND, k=3)
    assert [(m.candidate_kind, m.candidate_key) for m in ranked] == [
        ("person", 10), ("application", 20), ("person", 21)]
    assert codes(ranked[1].reasons) == ["same_chain", "keywords", "degree_met",
                                        "experience_met"]
    assert ranked[1].reasons[1].param("words") == ("射频", "芯片", "频芯")
    only_applications = index.candidates_for(CHIP_DEMAND, kinds={"application"})
    assert [m.candidate_key for m in only_applications] == [20]


def test_a_person_ranks_demands():
    demands = [
        CHIP_DEMAND,
        Demand(key=3, chains=frozenset({"IC"}), text="chip test engineer"),
        Demand(key=4, fields=frozenset({"BIO"}), text="antibody discovery"),
        Demand(key=5, fields=frozenset({"IC-DESIGN"}), degree="doctorate", district_id=9),
    ]
    person = Candidate(key=30, fields=frozenset({"IC-DESIGN"}), chains=frozenset({"IC"}),
                       degree="master", interested_districts=frozenset({9}), text="RF chip")
    ranked = MatchIndex(demands).demands_for(person)
    assert [m.demand_key for m in ranked] == [1, 5, 3]
    assert all(m.candidate_key == 30 for m in ranked)
    assert [m.score for m in ranked] == [
        WEIGHT_FIELD + WEIGHT_CHAIN + WEIGHT_DEGREE, WEIGHT_FIELD + WEIGHT_INTEREST,
        WEIGHT_CHAIN + WEIGHT_KEYWORD]
    assert codes(ranked[1].reasons) == ["shared_field", "degree_below", "district_interest"]
    assert ranked[2].reasons[1].param("words") == ("chip",)
