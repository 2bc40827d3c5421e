"""dates.resolve: expressions in news copy, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.dates import WEEKDAYS, When, parse_iso, resolve

THURSDAY = dt.date(2023, 5, 18)
FRIDAY = dt.date(2023, 5, 19)


# ---- weekdays: the latest such day on or before publication ----------------------

@pytest.mark.parametrize("expr, day", [
    ("on Monday", dt.date(2023, 5, 15)),
    ("on Tuesday", dt.date(2023, 5, 16)),
    ("Wednesday", dt.date(2023, 5, 17)),
    ("on Thursday", dt.date(2023, 5, 18)),  # the publication day itself
    ("on Friday", dt.date(2023, 5, 12)),  # not the next day: the Friday before
    ("late on Saturday", dt.date(2023, 5, 13)),
    ("early on Sunday", dt.date(2023, 5, 14)),
])
def test_weekday_is_latest_such_day_on_or_before_publication(expr, day):
    when = resolve(expr, THURSDAY)
    assert (when.date, when.precision) == (day, 1)
    assert when.tense == ("present" if day == THURSDAY else "past")


@pytest.mark.parametrize("name", WEEKDAYS)
def test_every_weekday_falls_in_the_week_up_to_publication(name):
    when = resolve(f"on {name.title()}", FRIDAY)
    assert WEEKDAYS[when.date.weekday()] == name
    assert 0 <= (FRIDAY - when.date).days <= 6


def test_this_friday_on_a_friday_is_that_day():
    assert resolve("this Friday", FRIDAY) == When(FRIDAY, 1, "present")


def test_last_friday_on_a_friday_is_a_week_earlier():
    assert resolve("last Friday", FRIDAY) == When(dt.date(2023, 5, 12), 1, "past")


# ---- relative days ------------------------------------------------------------

@pytest.mark.parametrize("expr", ["yesterday", "late yesterday", "last night", "Yesterday evening"])
def test_yesterday_and_last_night_are_the_day_before(expr):
    assert resolve(expr, FRIDAY) == When(dt.date(2023, 5, 18), 1, "past")


def test_day_before_yesterday():
    assert resolve("the day before yesterday", FRIDAY) == When(dt.date(2023, 5, 17), 1, "past")


@pytest.mark.parametrize("expr", ["today", "this morning", "earlier today", "overnight"])
def test_today_is_the_publication_day(expr):
    assert resolve(expr, FRIDAY) == When(FRIDAY, 1, "present")


@pytest.mark.parametrize("expr", ["at dawn on Wednesday", "overnight on Wednesday", "Wednesday at dawn"])
def test_a_time_of_day_with_its_weekday_is_that_day(expr):
    assert resolve(expr, FRIDAY) == When(dt.date(2023, 5, 17), 1, "past")


@pytest.mark.parametrize("expr", ["last weekend", "over the weekend", "at the weekend"])
def test_the_weekend_said_on_a_weekday_is_the_one_just_gone(expr):
    w = resolve(expr, THURSDAY)
    assert (w.date, w.precision, w.start, w.end) == (dt.date(2023, 5, 13), 2, dt.date(2023, 5, 13), dt.date(2023, 5, 14))


def test_the_weekend_said_on_a_sunday():
    sunday = dt.date(2023, 5, 21)
    assert resolve("this weekend", sunday).start == dt.date(2023, 5, 20)
    assert resolve("last weekend", sunday).start == dt.date(2023, 5, 13)
    assert resolve("this weekend", THURSDAY) is None  # still to come


def test_days_ago():
    assert resolve("two days ago", FRIDAY) == When(dt.date(2023, 5, 17), 1, "past")
    three_weeks = resolve("three weeks ago", FRIDAY)
    assert (three_weeks.date, three_weeks.precision) == (dt.date(2023, 4, 28), 2)


# ---- explicit dates -------------------------------------------------------------

@pytest.mark.parametrize("expr", ["12 March", "on 12 March", "12th of March", "March 12"])
def test_day_and_month_without_year_is_this_year(expr):
    assert resolve(expr, FRIDAY) == When(dt.date(2023, 3, 12), 1, "past")


def test_day_and_month_without_year_after_publication_is_last_year():
    # published 1 February: "12 March" can only be last year's
    assert resolve("12 March", dt.date(2023, 2, 1)) == When(dt.date(2022, 3, 12), 1, "past")


@pytest.mark.parametrize("expr", ["March 12, 2023", "12 March 2023", "2023-03-12", "Sunday, March 12, 2023"])
def test_full_dates(expr):
    assert resolve(expr, FRIDAY) == When(dt.date(2023, 3, 12), 1, "past")


def test_impossible_day_is_not_a_date():
    assert resolve("31 February", FRIDAY) is None


def test_month_alone_is_month_precision():
    when = resolve("in March", FRIDAY)
    assert (when.date, when.precision, when.tense, when.start) == (dt.date(2023, 3, 1), 3, "past", dt.date(2023, 3, 1))


def test_month_alone_later_than_publication_is_last_year():
    when = resolve("since October", FRIDAY)
    assert (when.date, when.precision) == (dt.date(2022, 10, 1), 3)


# ---- ranges ------------------------------------------------------------------

def test_since_early_year_is_a_range_with_month_precision():
    pub = dt.date(2021, 8, 13)
    when = resolve("since early 2021", pub)
    assert when == When(dt.date(2021, 1, 1), 3, "past", start=dt.date(2021, 1, 1), end=pub)


def test_in_the_past_week_is_week_precision():
    when = resolve("in the past week", FRIDAY)
    assert when == When(FRIDAY, 2, "past", start=dt.date(2023, 5, 12), end=FRIDAY)


def test_last_month_is_a_month_range():
    when = resolve("last month", FRIDAY)
    assert (when.precision, when.start, when.end) == (3, dt.date(2023, 4, 18), FRIDAY)


# ---- future and history -------------------------------------------------------------

@pytest.mark.parametrize("expr", ["tomorrow", "next week", "next month", "in the coming days",
                                  "later this year", "within the next 48 hours"])
def test_future_expressions_are_future(expr):
    when = resolve(expr, FRIDAY)
    assert when.tense == "future"
    assert when.date > FRIDAY


def test_next_weekday_is_future():
    assert resolve("next Monday", FRIDAY) == When(dt.date(2023, 5, 22), 1, "future")


def test_explicit_date_after_publication_is_future():
    assert resolve("on 25 May 2023", FRIDAY).tense == "future"


@pytest.mark.parametrize("expr", ["in 2001", "2001", "in late 2001", "March 2001", "12 September 2001"])
def test_twenty_years_before_publication_is_history(expr):
    when = resolve(expr, dt.date(2021, 8, 13))
    assert when.tense == "history"
    assert when.date.year == 2001


def test_the_publication_year_is_a_range_up_to_publication():
    pub = dt.date(2021, 8, 13)
    assert resolve("in 2021", pub) == When(dt.date(2021, 1, 1), 3, "past", start=dt.date(2021, 1, 1), end=pub)


# ---- no publication date, no date -----------------------------------------------------------

def test_without_publication_date_only_iso_dates_resolve():
    assert resolve("on Monday", None) is None
    assert resolve("yesterday", None) is None
    assert resolve("2021-08-01", None) == When(dt.date(2021, 8, 1), 1, "past")


@pytest.mark.parametrize("expr", ["the weather", "several soldiers", ""])
def test_non_dates_give_none(expr):
    assert resolve(expr, FRIDAY) is None


def test_parse_iso_message_says_what_to_type():
    assert parse_iso("2021-08-13T10:00:00Z") == dt.date(2021, 8, 13)
    with pytest.raises(ValueError, match=r"'2021-13-45' is not a date: use YYYY-MM-DD"):
        parse_iso("2021-13-45")


@pytest.mark.parametrize("expr", ["earlier this week", "earlier in the week"])
def test_earlier_this_week_is_the_middle_of_the_days_before_publication(expr):
    when = resolve(expr, FRIDAY)  # Monday 15 to Thursday 18 May
    assert (when.date, when.precision, when.tense) == (dt.date(2023, 5, 16), 2, "past")
    assert (when.start, when.end) == (dt.date(2023, 5, 15), dt.date(2023, 5, 18))


def test_this_week_alone_stays_at_publication():
    when = resolve("this week", FRIDAY)
    assert (when.date, when.precision) == (FRIDAY, 2)


def test_later_in_the_month_is_ahead():
    assert resolve("later in the month", FRIDAY).tense == "future"
