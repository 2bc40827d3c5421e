"""Reports of one event inside one article become one event."""

from __future__ import annotations

from ..dates import within_period
from ..taxonomy import TERRITORY_TYPES
from .draft import _Draft
from .lexicon import FOLDABLE, VIOLENT_PRIORITY
from .syntax import _apart_in_time, _interception


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Reports of one event in one article become one event; a retreat at a place that
    changed hands that day is part of the capture."""
    out: list[_Draft] = []
    told_in: dict[int, set[int]] = {}  # the sentences each kept draft was told in, its own and its twins'
    for d in drafts:
        twin, told_here = _find_twin(d, out, told_in)
        if twin is None:
            out.append(d)
            told_in[id(d)] = {d.sent_index}
            continue
        if d.category in FOLDABLE and twin.category not in FOLDABLE or twin.category in FOLDABLE and d.category not in FOLDABLE:
            if twin.category in FOLDABLE:  # keep the territory event as the twin
                out[out.index(twin)] = d
                told_in[id(d)] = told_in.pop(id(twin), {twin.sent_index})
                d, twin = twin, d
            if d.category == "withdraw" and twin.claim in ("reported", "claimed") and d.claim == "reported":
                # the losing side's own retreat at that place acknowledges the loss
                twin.claim = "confirmed"
                twin.notes.append("the losing side withdrew")
        _take_kind(twin, d, told_here)
        told_in.setdefault(id(twin), {twin.sent_index}).add(d.sent_index)
        _fold(twin, d)
    return out


def _find_twin(d: _Draft, out: list[_Draft], told_in: dict[int, set[int]]) -> tuple[_Draft | None, bool]:
    """The kept draft that ``d`` retells, if any, and whether the two are told in one sentence
    (a pair's own flag: it holds when a retreat and its capture swap places)."""
    # a twin told again in d's sentence counts as told there only for the salvo that sentence
    # says was intercepted; otherwise a shelling quoted after a clash would retype the clash
    here = {id(o) for o in out if o.sent_index == d.sent_index or (
        d.sent_index in told_in.get(id(o), ()) and (_salvo_stopped(o, d) or _salvo_stopped(d, o)))}
    for o in [o for o in out if id(o) in here] + [o for o in out if id(o) not in here]:
        if _same_event(o, d, id(o) in here):
            return o, id(o) in here
    return None, False


def _take_kind(twin: _Draft, d: _Draft, told_here: bool) -> None:
    """What kind of event the pair is: the codebook's order for one protest or one violent report
    told twice; the lethal event a death told before it belongs to."""
    if twin.sub_event_type in PROTEST_TYPES and d.sub_event_type in PROTEST_TYPES and \
            PROTEST_TYPES.index(d.sub_event_type) < PROTEST_TYPES.index(twin.sub_event_type):
        # one protest told twice: what the forces did decides its type (the codebook's order)
        twin.sub_event_type, twin.plover, twin.actor2 = d.sub_event_type, d.plover, d.actor2 or twin.actor2
    if _one_violent(twin, d, told_here):
        rank = VIOLENT_PRIORITY.index
        # "rebels clashed with troops, killing six": the killing is the clash's, not an attack
        told_as_clash = {twin.sub_event_type, d.sub_event_type} == {"Attack", "Armed clash"} and any(
            x.category == "clash" and x.sub_event_type == "Armed clash" for x in (twin, d)) and not any(
            x.sub_event_type == "Attack" and (x.actor2 or "").startswith("Civilians") for x in (twin, d))
        if told_as_clash and twin.sub_event_type == "Attack":
            twin.sub_event_type, twin.plover, twin.category = d.sub_event_type, d.plover, d.category
        elif (rank(d.sub_event_type) < rank(twin.sub_event_type) and not told_as_clash and
              not _salvo_stopped(twin, d)) or _salvo_stopped(d, twin):
            twin.sub_event_type, twin.plover, twin.category = d.sub_event_type, d.plover, d.category
            twin.actor1 = d.actor1 or twin.actor1
        twin.actor2 = twin.actor2 or d.actor2
        stopped = next((x for x in (d, twin) if _interception(x.category, x.trigger)), None)
        if stopped is not None and twin.sub_event_type in SALVOS and twin.actor2 is None and \
                stopped.actor1 not in (None, twin.actor1):
            twin.actor2 = stopped.actor1  # the forces that intercepted the salvo were its target
    elif twin.category == "kill" and not twin.actor1 and d.sub_event_type in LETHAL_KINDS and \
            _toll_retold(twin, d):
        # "a deminer has been killed", then "a landmine went off under his truck": the death told
        # first is the blast's, which says what kind of event it was
        twin.sub_event_type, twin.plover, twin.category = d.sub_event_type, d.plover, d.category
        twin.actor1 = d.actor1


def _fold(twin: _Draft, d: _Draft) -> None:
    """Fold ``d``'s evidence, counts, place, day, sides and claim into its twin."""
    twin.evidence.extend(e for e in d.evidence if e not in twin.evidence)
    for k, v in d.counts.items():
        twin.counts[k] = max(twin.counts.get(k, 0), v)
    if twin.place is None or (d.place_direct and not twin.place_direct) or (
            d.place is not None and twin.place.place.is_country and not d.place.place.is_country):
        twin.place, twin.place_direct = d.place or twin.place, d.place_direct or twin.place_direct
    # the finer day wins; but the event's own day beats the day its statement was made (a retreat
    # folded into a capture is another act, and its day is only the loss's latest one)
    own_day = d.report_dated != twin.report_dated and FOLDABLE.isdisjoint((d.category, twin.category))
    if twin.when is None or (d.when is not None and (
            (own_day and twin.report_dated) or (not own_day and d.when.precision < twin.when.precision))):
        twin.when, twin.report_dated = d.when, d.report_dated
    if d.category not in FOLDABLE and _interception(d.category, d.trigger) and \
            not _interception(twin.category, twin.trigger) and twin.sub_event_type in SALVOS:
        twin.actor2 = twin.actor2 or d.actor1  # who shot the salvo down was its target, not who fired it
    elif d.category not in FOLDABLE:
        twin.actor1 = twin.actor1 or d.actor1
        twin.actor2 = twin.actor2 or d.actor2
    if d.claim == "confirmed" or (twin.claim == "reported" and d.claim != "reported"):
        twin.claim = d.claim if twin.claim != "claimed" or d.claim == "confirmed" else twin.claim
        twin.claimed_by = twin.claimed_by or d.claimed_by
    twin.confidence = min(0.95, max(twin.confidence, d.confidence) + 0.05)


PROTEST_TYPES = ("Excessive force against protesters", "Protest with intervention", "Peaceful protest")


def _toll_retold(a: _Draft, b: _Draft) -> bool:
    """'... and that those attending had been killed': deaths with no one named as killing, told
    after an attack at that place, are that attack's (dated by when they were told, a day or two on)."""
    first, kill = (a, b) if b.category == "kill" else (b, a)
    if kill.category != "kill" or kill.actor1 or first.sub_event_type not in VIOLENT_PRIORITY or first is kill:
        return False
    pa = first.place.place.geonameid if first.place else None
    pk = kill.place.place.geonameid if kill.place else None
    if pa is not None and pk is not None and pa != pk:
        return False
    if first.when and kill.when and not 0 <= (kill.when.date - first.when.date).days <= 2:
        return False
    return first.status == kill.status


def _salvo_stopped(fired: _Draft, stopped: _Draft) -> bool:
    """'missiles fired at the city that were intercepted': the salvo was fired, so the attack is the
    event and its interception only how it ended (a bomb defused before it went off is disrupted)."""
    return stopped.sub_event_type == "Disrupted weapons use" and fired.sub_event_type in SALVOS


SALVOS = ("Air/drone strike", "Shelling/artillery/missile attack")
# the kinds of event a death told before it can be part of (not a seizure of arms, nor a change of hands)
LETHAL_KINDS = ("Chemical weapon", "Suicide bomb", "Air/drone strike", "Shelling/artillery/missile attack",
                "Remote explosive/landmine/IED", "Grenade")


def _one_violent(a: _Draft, b: _Draft, same_sentence: bool) -> bool:
    """Two violent reports told in one sentence at one place are one event (``_same_event`` has
    already ruled out two moments of one sentence)."""
    if not same_sentence or a.status != b.status:
        return False
    if a.sub_event_type not in VIOLENT_PRIORITY or b.sub_event_type not in VIOLENT_PRIORITY:
        return False
    pa = a.place.place.geonameid if a.place else None
    pb = b.place.place.geonameid if b.place else None
    return pa == pb or pa is None or pb is None or (
        _within(a.place.place, b.place.place) and TERRITORY_TYPES.isdisjoint((a.sub_event_type, b.sub_event_type)))


def _within(p, q) -> bool:
    """One place is the province the other lies in ("the town of X in Y region")."""
    if p.country_code != q.country_code:
        return False
    region, town = (p, q) if p.feature_code == "ADM1" else (q, p)
    return region.feature_code == "ADM1" and town.feature_code != "ADM1" and bool(town.admin1) \
        and town.admin1 == region.admin1


def _two_moments(a: _Draft, b: _Draft) -> bool:
    """One sentence that tells two moments: "a medic died in the town a week after it was retaken"."""
    return a.sent_index == b.sent_index and _apart_in_time(
        (a.trigger, a.sub_event_type in TERRITORY_TYPES), (b.trigger, b.sub_event_type in TERRITORY_TYPES))


def _same_event(a: _Draft, b: _Draft, same_sentence: bool) -> bool:
    if _two_moments(a, b):
        return False
    if _one_violent(a, b, same_sentence) or _toll_retold(a, b):
        return True
    kind_a = a.sub_event_type or a.plover
    kind_b = b.sub_event_type or b.plover
    territorial = {"capture", "recapture", "fall"}
    retreat_fold = (a.category in territorial and b.category in FOLDABLE) or (
        b.category in territorial and a.category in FOLDABLE)
    if kind_a != kind_b and not retreat_fold:
        if not (a.sub_event_type in TERRITORY_TYPES and b.sub_event_type in TERRITORY_TYPES) and \
                not (a.sub_event_type in PROTEST_TYPES and b.sub_event_type in PROTEST_TYPES):
            return False
    if a.status != b.status:
        return False
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa and pb and pa.geonameid != pb.geonameid:
        if not (pa.is_country and pb.country_code == pa.country_code) and not (
                pb.is_country and pa.country_code == pb.country_code) and not (
                _within(pa, pb) and a.sub_event_type not in TERRITORY_TYPES and b.sub_event_type not in TERRITORY_TYPES):
            # (a region taken is a change of control of its own, not the town's)
            return False
    if retreat_fold and (pa is None or pb is None):
        return False
    protest = a.sub_event_type in PROTEST_TYPES and b.sub_event_type in PROTEST_TYPES  # crowd or police named
    # the forces that shot a salvo down are its target, not another side firing it
    stopped = any(_interception(x.category, x.trigger) for x in (a, b)) and \
        {a.sub_event_type, b.sub_event_type} <= {*SALVOS, "Disrupted weapons use"}
    if a.actor1 and b.actor1 and a.actor1 != b.actor1 and not retreat_fold and not protest and not stopped:
        return False
    if a.sent_index != b.sent_index and a.actor2 and b.actor2 and a.actor2 != b.actor2 and \
            not retreat_fold and not protest:
        # "strikes killed 120 militants" and next "strikes on a town killed 13 civilians": two targets, two events
        return False
    if a.when and b.when and not _same_period(a.when, b.when):
        return False
    if kind_a is None and kind_b is None and not retreat_fold:
        return False
    if (pa is None or pb is None) and not (a.actor1 and a.actor1 == b.actor1) and not (protest and a.para == b.para):
        return False
    return True


def _same_period(a, b) -> bool:
    """Two dates that can be one day: equal days, or a day inside the other's week or month
    ("at the end of March" and "on 2 April" may be one withdrawal: a few days' slack at the edges)."""
    wide, other = (a, b) if a.precision >= b.precision else (b, a)
    return within_period(other.date, wide.date, wide.precision, slack=3)
