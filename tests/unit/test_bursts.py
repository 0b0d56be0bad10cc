"""Account-creation bursts: found from the release's own dates, by day and by month.

The rule (``infoops.analysis.bursts``): a period is a burst when it holds more accounts than the
median period plus 10 robust standard deviations (1.4826 x MAD, at least one account), over the
whole span with empty periods included. Tested on series built by hand, on a users file with
planted bursts loaded into both engines, and on the real August 2019 China users file.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from infoops.analysis.bursts import (
    BurstDetection,
    creation_bursts,
    daily_series,
    detect_bursts,
)
from infoops.analysis.summary import compute_summary
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import USERS_HEADER
from twitter_files import REAL_USERS


def periods(detection: BurstDetection) -> dict[str, int]:
    return {burst.period: burst.accounts for burst in detection.bursts}


# -- the rule on series built by hand -----------------------------------------------------------


def test_sparse_series_needs_more_than_median_plus_k_accounts() -> None:
    # Median and MAD are 0 (most days empty): the spread floor of one account keeps single
    # accounts from being bursts; 11 accounts on a day is one, 10 is not.
    by_day = {"2019-01-01": 1, "2019-01-05": 10, "2019-02-01": 11, "2019-03-01": 1}
    found = creation_bursts(by_day).by_day
    assert (found.median, found.mad, found.threshold) == (0.0, 0.0, 10.0)
    assert periods(found) == {"2019-02-01": 11}


def test_empty_days_count_in_the_baseline() -> None:
    # Batches of 12 accounts every tenth day: among the days with accounts nothing stands out,
    # but the release's baseline is its whole span, where a day with 12 new accounts is rare.
    by_day = {(dt.date(2019, 1, 1) + dt.timedelta(days=10 * i)).isoformat(): 12 for i in range(20)}
    found = creation_bursts(by_day).by_day
    assert found.periods == 191 and found.median == 0.0
    assert len(found.bursts) == 20


def test_a_big_burst_does_not_hide_a_smaller_one() -> None:
    # A mean and standard deviation would be pulled up by the 500-account day so far that the
    # 40-account day drowned; median and MAD are not.
    by_day = {(dt.date(2019, 1, 1) + dt.timedelta(days=i)).isoformat(): 3 for i in range(200)}
    by_day["2019-02-10"] = 500
    by_day["2019-05-01"] = 40
    found = creation_bursts(by_day).by_day
    assert periods(found) == {"2019-02-10": 500, "2019-05-01": 40}


def test_months_are_summed_from_days_with_empty_months_in_the_span() -> None:
    by_day = {"2018-01-03": 2, "2018-01-20": 1, "2018-06-11": 30, "2019-01-02": 1}
    found = creation_bursts(by_day).by_month
    assert (found.first, found.last, found.periods) == ("2018-01", "2019-01", 13)
    assert periods(found) == {"2018-06": 30}


def test_no_dates_no_bursts_and_the_rule_says_so() -> None:
    found = creation_bursts({"": 3, "unknown": 2, "2019-13-40": 1})
    assert found.by_day.periods == 0 and found.by_day.bursts == []
    assert found.by_month.bursts == []
    assert "no day with a creation date" in found.by_day.rule()
    assert len(daily_series({})) == 0


def test_rule_states_its_figures() -> None:
    found = creation_bursts({"2019-01-01": 1, "2019-01-31": 50})
    rule = found.by_day.rule()
    for fact in ("more than 10 accounts", "median day (0)", "31 days", "2019-01-01", "UTC"):
        assert fact in rule
    assert found.by_day.to_dict()["bursts"] == [{"period": "2019-01-31", "accounts": 50}]


def test_unit_is_checked() -> None:
    with pytest.raises(ValueError, match="unit"):
        detect_bursts(pd.Series([1, 2, 3]), "week")  # type: ignore[arg-type]


# -- planted bursts in a users file, loaded into each engine ------------------------------------

SPAN_START, SPAN_DAYS = dt.date(2018, 1, 1), 730
PLANTED_DAY, PLANTED_DAY_EXTRA = dt.date(2019, 3, 14), 60  # one farm day
PLANTED_MONTH = "2018-06"  # 8 more accounts every day of June 2018: a month burst only
PLANTED_MONTH_EXTRA_PER_DAY = 8


def planted_creation_days() -> list[dt.date]:
    """A steady 2-4 new accounts a day for two years, plus the two planted bursts."""
    days = []
    for i in range(SPAN_DAYS):
        day = SPAN_START + dt.timedelta(days=i)
        count = 2 + (i * 7) % 3
        if day == PLANTED_DAY:
            count += PLANTED_DAY_EXTRA
        if day.isoformat()[:7] == PLANTED_MONTH:
            count += PLANTED_MONTH_EXTRA_PER_DAY
        days += [day] * count
    return days


def write_planted_users(path: Path) -> int:
    days = planted_creation_days()
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=USERS_HEADER, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for n, day in enumerate(days):
            userid = str(1_000_000 + n)
            writer.writerow(
                {
                    "userid": userid,
                    "user_display_name": f"planted {n}",
                    "user_screen_name": f"planted{n}",
                    "follower_count": "3",
                    "following_count": "10",
                    "account_creation_date": day.isoformat(),
                    "account_language": "en",
                }
            )
    return len(days)


def test_planted_bursts_are_found_by_day_and_by_month(
    engine_settings: EngineSettings, tmp_path: Path
) -> None:
    users = tmp_path / "planted_users_csv_hashed.csv"
    accounts = write_planted_users(users)
    with open_engine(engine_settings) as writer:
        report = load_twitter(writer, [users], "planted", quarantine_path=tmp_path / "q.csv")
        assert report.total("rejected") == 0
    with open_engine(engine_settings, read_only=True) as engine:
        summary = compute_summary(engine, "planted")
    assert summary.accounts == accounts
    bursts = summary.creation_bursts
    # Days: median 3, MAD 1 -> threshold 3 + 10 x 1.4826 = 17.8; June's 10-12 a day stay under.
    assert (bursts.by_day.median, bursts.by_day.mad) == (3.0, 1.0)
    assert periods(bursts.by_day) == {PLANTED_DAY.isoformat(): 4 + PLANTED_DAY_EXTRA}
    # Months: a steady ~91 a month; June 2018 (+240) and the month of the farm day (+60) stand
    # out, the month bursts include June although none of its days is a day burst.
    assert periods(bursts.by_month) == {PLANTED_MONTH: 330, "2019-03": 153}
    assert (bursts.by_day.periods, bursts.by_month.periods) == (SPAN_DAYS, 24)


# -- the real users file ------------------------------------------------------------------------

# china_082019_1 (744 accounts, created 2008-05-16 .. 2019-05-07): the farm days of August and
# October 2017 stand out, with the June 2016 batch and three smaller later days.
REAL_DAY_BURSTS = {
    "2016-06-27": 30,
    "2017-08-18": 97,
    "2017-08-19": 13,
    "2017-08-30": 119,
    "2017-10-08": 11,
    "2018-07-13": 12,
    "2019-02-27": 11,
}
REAL_MONTH_BURSTS = {
    "2013-03": 20,
    "2016-06": 41,
    "2017-08": 237,
    "2017-09": 28,
    "2017-10": 80,
    "2017-11": 47,
}


def test_real_users_file_bursts(engine_settings: EngineSettings, tmp_path: Path) -> None:
    with open_engine(engine_settings) as writer:
        load_twitter(writer, [REAL_USERS], "twitter-2019-08-china", quarantine_path=tmp_path / "q")
    with open_engine(engine_settings, read_only=True) as engine:
        summary = compute_summary(engine, "twitter-2019-08-china")
    bursts = summary.creation_bursts
    assert summary.accounts == 744 and summary.created_unknown == 0
    assert (bursts.by_day.first, bursts.by_day.last) == ("2008-05-16", "2019-05-07")
    assert (bursts.by_day.periods, bursts.by_month.periods) == (4009, 133)
    assert periods(bursts.by_day) == REAL_DAY_BURSTS
    assert periods(bursts.by_month) == REAL_MONTH_BURSTS
    # 453 of the 744 accounts were created in the burst months (the old "created after
    # 2019-10" line read 0 of 744 for this release).
    assert bursts.by_month.burst_accounts == 453
