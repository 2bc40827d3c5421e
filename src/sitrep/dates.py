"""Resolve date expressions against the publication date.

``resolve("on Thursday", published)`` gives the day, a precision (ACLED's
time_precision: 1 day, 2 week, 3 month or coarser) and whether the expression
points to the past, the future or history. Only spans that are date
expressions are handed in (spaCy DATE/TIME entities, or the sentence), never
whole articles: that is where generic date search goes wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1, "few": 3, "several": 3}


@dataclass(frozen=True)
class When:
    """A resolved date. ``tense`` is past, present (the publication day), future or history."""

    date: dt.date
    precision: int  # 1 = day, 2 = week, 3 = month or coarser
    tense: str
    start: dt.date | None = None  # for ranges ("since early 2021")
    end: dt.date | None = None

    @property
    def iso(self) -> str:
        return self.date.isoformat()


_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b(?:(early|mid|late)[\s-]+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_YEAR = re.compile(r"\b(?:(early|mid|late)[\s-]+)?((?:19|20)\d{2})\b", re.I)
_WEEKDAY = re.compile(rf"\b(last|this|next|past|on|previous)?\s*({_WEEKDAY_RE})\b", re.I)
_AGO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|a few|few|several)\s+"
                  r"(day|week|month|year)s?\s+(ago|earlier|before)\b", re.I)
_FUTURE = re.compile(
    r"\b(tomorrow|next (?:week|month|year)|later this (?:week|month|year)|in the (?:next|coming) "
    r"|coming (?:days|weeks|months)|within the next)\b", re.I)
_WEEKISH = re.compile(
    r"\b(this week|last week|past week|previous week|a week|recent days|past (?:few|several|two|three) days"
    r"|in days|days)\b", re.I)
_MONTHISH = re.compile(r"\b(this month|last month|past month|a month|one month|earlier this month|weeks)\b", re.I)
_YEARISH = re.compile(r"\b(this year|last year|past year|a year|one year|months)\b", re.I)


def _latest_weekday(published: dt.date, weekday: int, strictly_before: bool = False) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - dt.timedelta(days=back)


def _past_date(published: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    try:
        if year:
            return dt.date(year, month, day)
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return None
    if candidate > published + dt.timedelta(days=7):  # no year given: the latest such day
        try:
            candidate = dt.date(published.year - 1, month, day)
        except ValueError:
            return None
    return candidate


def _tense(day: dt.date, published: dt.date, last_day: dt.date | None = None) -> str:
    """``last_day``: the end of a month or year expression, which decides whether it is history."""
    if day > published:
        return "future"
    if (published - (last_day or day)).days > 400:
        return "history"
    return "present" if day == published else "past"


_WEEKEND = re.compile(r"\b(last|past|previous|this|the)\s+weekend\b")


def _weekend(text: str, pub: dt.date) -> When | None:
    """'last weekend', 'over the weekend': the Saturday and Sunday just before publication (the
    weekend it is, when published on one; a week before that for 'last weekend' then)."""
    m = _WEEKEND.search(text)
    if m is None:
        return None
    if m[1] == "this" and pub.weekday() < 5:
        return None  # "this weekend", said on a weekday, is still to come
    saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    if m[1] in ("last", "past", "previous") and pub.weekday() >= 5:
        saturday -= dt.timedelta(days=7)
    sunday = min(saturday + dt.timedelta(days=1), pub)
    return When(saturday, 2, "past" if sunday < pub else "present", start=saturday, end=sunday)


def resolve(expr: str, published: dt.date | None) -> When | None:
    """Resolve one date expression. None when it is not a date we can place.

    Arithmetic that leaves the calendar ("9999999 days ago", "tomorrow" on
    9999-12-31) places nothing: None, never OverflowError."""
    try:
        return _resolve(expr, published)
    except OverflowError:
        return None


def _resolve(expr: str, published: dt.date | None) -> When | None:
    if published is None:
        m = _ISO.search(expr)
        if m:
            try:
                d = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return When(d, 1, "past")
            except ValueError:
                return None
        return None
    # "earlier in the week" is "earlier this week"; "later in the month" "later this month"
    text = re.sub(r"\b(earlier|later) in the (week|month|year)\b", r"\1 this \2", expr.lower())
    pub = published

    m = _ISO.search(text)
    if m:
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return When(d, 1, _tense(d, pub))
        except ValueError:
            pass
    for rx, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        m = rx.search(text)
        if m:
            day_s, month_s = (m[1], m[2]) if order == "dm" else (m[2], m[1])
            year = int(m[3]) if m[3] else None
            d = _past_date(pub, MONTHS[month_s.lower().rstrip(".")], int(day_s), year)
            if d:
                return When(d, 1, _tense(d, pub))
    if _FUTURE.search(text):
        tomorrow = pub + dt.timedelta(days=1)
        return When(tomorrow, 2, "future")
    if "day before yesterday" in text:
        d = pub - dt.timedelta(days=2)
        return When(d, 1, "past")
    if "yesterday" in text or "last night" in text:
        return When(pub - dt.timedelta(days=1), 1, "past")
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening|earlier today)\b", text):
        return When(pub, 1, "present")
    weekend = _weekend(text, pub)
    if weekend is not None:
        return weekend
    m = _WEEKDAY.search(text)
    if m is None and re.search(r"\b(overnight|dawn)\b", text):
        return When(pub, 1, "present")  # but "at dawn on Wednesday" is Wednesday's dawn
    if m:
        qual = (m[1] or "").lower()
        wd = WEEKDAYS.index(m[2].lower())
        if qual == "next":
            ahead = (wd - pub.weekday()) % 7 or 7
            return When(pub + dt.timedelta(days=ahead), 1, "future")
        d = _latest_weekday(pub, wd, strictly_before=qual in ("last", "previous", "past"))
        return When(d, 1, _tense(d, pub))
    m = _AGO.search(text)
    if m:
        n = int(m[1]) if m[1].isdigit() else _NUMBER_WORDS.get(m[1].lower().split()[-1], 1)
        unit = m[2].lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        d = pub - dt.timedelta(days=days)
        return When(d, {"day": 1, "week": 2}.get(unit, 3), _tense(d, pub))
    m = _MONTH_YEAR.search(text)
    if m:
        month, year = MONTHS[m[2].lower().rstrip(".")], int(m[3])
        day = {"early": 1, "mid": 15, "late": 25}.get((m[1] or "").lower(), 1)
        d = dt.date(year, month, day)
        return When(d, 3, _tense(d, pub, dt.date(year, month, 28)), start=d)
    if re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b", text):
        return None  # an ISO-looking date that is not a date ("2021-13-45")
    m = _YEAR.search(text)
    if m:
        year = int(m[2])
        month = {"early": 1, "mid": 6, "late": 10}.get((m[1] or "").lower(), 1)
        d = dt.date(year, month, 1)
        if year == pub.year:
            return When(d, 3, "past", start=d, end=pub)
        return When(d, 3, _tense(d, pub, dt.date(year, 12, 31)), start=d)
    # month without a year: "in March", or a month name the parser tagged as a date on its own
    m = re.search(rf"\b(?:in|since|during|on|(early|late|mid)|the\s+(end|start|beginning|middle)\s+of)\s+"
                  rf"({_MONTH_RE})\b", text) or re.fullmatch(rf"\s*()()({_MONTH_RE})\s*", text)
    if m and m[3] != "may":
        month = MONTHS[m[3]]
        year = pub.year if month <= pub.month else pub.year - 1
        part = (m[1] or m[2] or "").lower()
        # "at the end of March": the month's last days, not its first
        day = {"late": 25, "end": 28, "mid": 15, "middle": 15}.get(part, 1)
        d = dt.date(year, month, day)
        return When(min(d, pub), 3, "past", start=dt.date(year, month, 1))
    if _WEEKISH.search(text):
        if re.search(r"\b(?:last|previous) week\b", text, re.I):  # the week before this one
            return When(pub - dt.timedelta(days=7), 2, "past", start=pub - dt.timedelta(days=13),
                        end=pub - dt.timedelta(days=1))
        if re.search(r"\bearlier this week\b", text):
            # the days of this week before publication: the best estimate is their middle
            monday = pub - dt.timedelta(days=pub.weekday())
            first, last = (monday, pub - dt.timedelta(days=1)) if pub.weekday() >= 2 else (
                pub - dt.timedelta(days=3), pub - dt.timedelta(days=1))
            return When(first + (last - first) // 2, 2, "past", start=first, end=last)
        return When(pub, 2, "past", start=pub - dt.timedelta(days=7), end=pub)
    if _MONTHISH.search(text):
        return When(pub, 3, "past", start=pub - dt.timedelta(days=31), end=pub)
    if _YEARISH.search(text):
        return When(pub, 3, "past", start=pub - dt.timedelta(days=365), end=pub)
    return None


EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
FUTURE_SLACK = dt.timedelta(days=1)  # time zones: a page may be dated tomorrow where it was written


def implausible_published(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be a publication date (before 1900, or more than a day after
    ``today``), or None when it can. Such dates are refused per document, never stored:
    every relative date of the article ("on Friday") would be resolved against them."""
    today = today or dt.date.today()
    if day < EARLIEST_PUBLISHED:
        return f"published date {day.isoformat()} is before {EARLIEST_PUBLISHED.year}"
    if day > today + FUTURE_SLACK:
        return f"published date {day.isoformat()} is more than a day after today ({today.isoformat()})"
    return None


def shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the calendar's first and last day."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


WEEK_DAYS = 6  # a date of week precision may stand for any day this many days either side of it


def within_period(day: dt.date, date: dt.date, precision: int | None, slack: int = 0) -> bool:
    """Whether ``day`` can be the day that ``date`` of this precision stands for: the day itself,
    a day of its week, or a day of its month (with ``slack`` days beyond the month's edges)."""
    if precision == 1:
        return day == date
    if precision == 2:
        return abs((day - date).days) <= WEEK_DAYS
    first = date.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first - dt.timedelta(days=slack) <= day <= last + dt.timedelta(days=slack)


def period_end(date: dt.date, precision: int | None) -> dt.date:
    """The last day that ``date`` of this precision can stand for (its week's, its month's)."""
    if precision == 2:
        return date + dt.timedelta(days=WEEK_DAYS)
    if precision == 3:
        return (date.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return date


def days_between(start: str, end: str) -> int:
    """Days from one YYYY-MM-DD date to another (negative when ``end`` comes first)."""
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def parse_iso(value: str) -> dt.date:
    """Parse a user-given YYYY-MM-DD date (raises ValueError with a usable message)."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2021-08-13") from exc
