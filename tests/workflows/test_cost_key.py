"""The cost-sharing key's workflow and the arithmetic of its shares (agreement §11), without a database."""
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows import COST_KEY, WORKFLOWS, GuardFailed, IllegalTransition
from workflows.cost_key import DECIDED, DRAFT, SUBMITTED
from workflows.key_shares import (AMOUNT, PERCENT, ShareError, check_period, kroner, parse_amount, parse_percent,
                                  percent_text, split)

NBSP = "\u00a0"
EXPECTED = {
    "submit": ({DRAFT}, SUBMITTED, {"adviser"}, (), False),
    "return_for_changes": ({SUBMITTED}, DRAFT, {"steering_member"}, ("not_drafter",), True),
    "decide": ({SUBMITTED}, DECIDED, {"steering_member"}, ("not_drafter",), False),
}


def test_the_workflow_is_as_agreed():
    assert WORKFLOWS["cost_key"] is COST_KEY
    found = {s.trigger: (set(s.sources), s.dest, set(s.roles), s.conditions, s.comment_required)
             for s in COST_KEY.specs}
    assert found == EXPECTED
    assert COST_KEY.terminal_states == (DECIDED,), "a decided key never moves again"


def test_the_drafter_cannot_decide_or_return_it():
    drafter = SimpleNamespace(not_drafter=False)
    for trigger in ("decide", "return_for_changes"):
        with pytest.raises(GuardFailed, match="Den som utarbeidet utkastet"):
            COST_KEY.fire(trigger, SUBMITTED, drafter)
    assert COST_KEY.fire("decide", SUBMITTED, SimpleNamespace(not_drafter=True)) == DECIDED
    with pytest.raises(IllegalTransition):
        COST_KEY.fire("decide", DRAFT, SimpleNamespace(not_drafter=True))


@pytest.mark.parametrize("text, hundredths", [("35", 3500), ("35,5", 3550), ("12.25", 1225), (" 100 % ", 10000),
                                              ("0,01", 1)])
def test_percentages_are_read_to_the_hundredth(text, hundredths):
    assert parse_percent(text) == hundredths


@pytest.mark.parametrize("text, message", [("abc", "Skriv en prosent"), ("0", "større enn 0"),
                                           ("100,01", "høyst 100"), ("12,345", "to desimaler"),
                                           ("NaN", "større enn 0"), ("inf", "større enn 0")])
def test_bad_percentages_are_told_in_norwegian(text, message):
    with pytest.raises(ValueError, match=message):
        parse_percent(text)


def test_amounts_are_whole_kroner():
    assert parse_amount(f"1 200{NBSP}000") == 1_200_000
    assert parse_amount("kr 450000") == 450_000
    for bad in ("12,5", "-3", "0", "١٢", "99999999999"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_percent_and_kroner_as_written():
    assert (percent_text(3550), percent_text(3500), percent_text(1205)) == ("35,5 %", "35 %", "12,05 %")
    assert kroner(1_200_000) == f"kr 1{NBSP}200{NBSP}000"


def test_percentages_round_down_and_the_remainder_goes_to_the_named_party():
    shares = split(920_001, {"bergen": 3333, "uib": 3333, "helse": 3334}, PERCENT, "helse")
    assert shares == {"bergen": 306_636, "uib": 306_636, "helse": 306_728 + 1}
    assert sum(shares.values()) == 920_001
    assert split(920_001, {"bergen": 3333, "uib": 3333, "helse": 3334}, PERCENT, "uib")["uib"] == 306_637


@given(rest=st.integers(0, 10 ** 9), cuts=st.lists(st.integers(1, 9999), min_size=0, max_size=6, unique=True),
       pick=st.integers(0, 6))
def test_shares_always_add_up_to_the_krone(rest, cuts, pick):
    bounds = [0, *sorted(cuts), 10_000]
    values = {f"p{i}": high - low for i, (low, high) in enumerate(zip(bounds, bounds[1:]))}
    named = f"p{pick % len(values)}"
    shares = split(rest, values, PERCENT, named)
    assert sum(shares.values()) == rest
    for party, value in values.items():
        floor = rest * value // 10_000
        assert shares[party] == floor if party != named else floor <= shares[party] < floor + len(values)


def test_percentages_must_make_a_hundred():
    with pytest.raises(ShareError, match="Prosentene blir til sammen 95 %, men må bli 100 %."):
        split(1000, {"a": 5000, "b": 4500}, PERCENT, "a")


def test_amounts_must_make_the_rest_exactly():
    assert split(1000, {"a": 600, "b": 400}, AMOUNT, "a") == {"a": 600, "b": 400}
    with pytest.raises(ShareError, match="det mangler kr 100"):
        split(1000, {"a": 500, "b": 400}, AMOUNT, "a")
    with pytest.raises(ShareError, match="det er kr 1 for mye"):
        split(1000, {"a": 601, "b": 400}, AMOUNT, "a")


def test_the_remainder_goes_to_a_party_with_a_share():
    with pytest.raises(ShareError, match="må ha en andel"):
        split(1000, {"a": 10_000}, PERCENT, "b")


def test_a_key_holds_one_to_three_years():
    check_period(2026, 2028)
    check_period(2027, 2027)
    with pytest.raises(ShareError, match="høyst tre år"):
        check_period(2026, 2029)
    with pytest.raises(ShareError, match="før første år"):
        check_period(2026, 2025)
