"""quantities: numbers as news writes them, amounts with their qualifiers."""

from __future__ import annotations

import pytest

from sitrep.quantities import Amount, amount, parse_number, qualifier_before


@pytest.mark.parametrize("text, value", [
    ("3,000", 3000),
    ("3000", 3000),
    ("12", 12),
    ("1,250,000", 1_250_000),
    ("3.5 million", 3_500_000),
    ("2,000", 2000),
    ("seven", 7),
    ("twelve", 12),
    ("twenty-one", 21),
    ("three thousand", 3000),
    ("Three Thousand", 3000),
    ("two hundred and fifty", 250),
    ("one hundred", 100),
    ("a hundred", 100),
    ("four thousand five hundred", 4500),
    ("a dozen", 12),
    ("dozen", 12),
])
def test_parse_number_digits_and_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [
    ("dozens", 12),
    ("hundreds", 100),
    ("thousands", 1000),
    ("tens of thousands", 10000),
    ("scores", 20),
    ("several", 3),
])
def test_vague_amounts_are_their_lowest_reading(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "   ", "banana", "troops", "3,00,0x"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("number, prefix, expected", [
    ("50", "killing at least ", Amount(50, "at least")),
    ("50", "no fewer than ", Amount(50, "at least")),
    ("200", "the death of about ", Amount(200, "about")),
    ("200", "around ", Amount(200, "about")),
    ("40", "nearly ", Amount(40, "about")),
    ("100", "more than ", Amount(100, "more than")),
    ("100", "over ", Amount(100, "more than")),
    ("30", "up to ", Amount(30, "up to")),
    ("30", "as many as ", Amount(30, "up to")),
    ("three thousand", "sent ", Amount(3000, "exactly")),
    ("3,000", "", Amount(3000, "exactly")),
])
def test_amount_keeps_the_qualifier_before_the_number(number, prefix, expected):
    assert amount(number, prefix) == expected


@pytest.mark.parametrize("text, expected", [
    ("at least 50", Amount(50, "at least")),
    ("about 3,000", Amount(3000, "about")),
    ("more than three thousand", Amount(3000, "more than")),
    ("up to 12", Amount(12, "up to")),
])
def test_amount_reads_a_qualifier_inside_the_text(text, expected):
    assert amount(text) == expected


def test_vague_amount_is_at_least_unless_qualified():
    assert amount("dozens") == Amount(12, "at least", vague=True)
    assert amount("hundreds", "killing ") == Amount(100, "at least", vague=True)
    assert amount("thousands", "more than ") == Amount(1000, "more than", vague=True)


def test_amount_of_a_non_number_is_none():
    assert amount("villagers") is None
    assert amount("at least some villagers") is None


@pytest.mark.parametrize("prefix, expected", [
    ("the attack killed at least ", "at least"),
    ("killing AT LEAST ", "at least"),
    ("roughly ", "about"),
    ("the army said ", None),
    ("", None),
])
def test_qualifier_before(prefix, expected):
    assert qualifier_before(prefix) == expected
