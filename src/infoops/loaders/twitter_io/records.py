"""Raw CSV records -> validated, typed graph records (accounts, tweets, edges) for one chunk.

A row that fails validation goes to the quarantine with its line and the first reason found;
everything else about a row is kept, including retweets whose original lies outside the release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from infoops.loaders.quarantine import Quarantine
from infoops.loaders.twitter_io import fields
from infoops.loaders.twitter_io.reader import RawChunk

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class RowError(ValueError):
    """A row cannot be loaded; the message is the quarantine reason."""


@dataclass
class ChunkRecords:
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # released, full profile
    tweets: list[dict[str, Any]] = field(default_factory=list)
    tweet_lines: list[int] = field(default_factory=list)
    # Accounts and tweets only referenced by this chunk (outside the release unless seen as rows).
    referenced_accounts: dict[str, str | None] = field(default_factory=dict)  # userid -> name
    referenced_tweets: dict[str, str | None] = field(default_factory=dict)  # tweetid -> author
    retweet_of: list[tuple[str, str]] = field(default_factory=list)
    reply_to: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    mentions: list[tuple[str, str]] = field(default_factory=list)
    tagged: list[tuple[str, str]] = field(default_factory=list)
    hashtag_spelling: dict[str, str] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)
    # Retweets with an empty retweet_userid: (tweetid, original tweetid, screen name from text).
    unresolved_retweets: list[tuple[str, str, str]] = field(default_factory=list)
    rejected: int = 0


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index] if index is not None else ""


def account_from_row(row: list[str], columns: dict[str, int]) -> dict[str, Any]:
    userid = _cell(row, columns, "userid").strip()
    if not userid:
        raise RowError("userid is empty")
    created = _cell(row, columns, "account_creation_date").strip()
    created_s = None
    if created:
        try:
            created_day = dt.date.fromisoformat(created[:10])
        except ValueError:
            raise RowError(f"account_creation_date is not YYYY-MM-DD: {created!r}") from None
        created = created_day.isoformat()
        created_s = (created_day - _EPOCH.date()).days * 86_400
    try:
        followers = fields.parse_count(_cell(row, columns, "follower_count"))
        following = fields.parse_count(_cell(row, columns, "following_count"))
    except ValueError:
        raise RowError(
            "follower_count/following_count is not a number: "
            f"{_cell(row, columns, 'follower_count')!r}, {_cell(row, columns, 'following_count')!r}"
        ) from None
    screen_name = _cell(row, columns, "user_screen_name").strip()
    return {
        "userid": userid,
        "screen_name": screen_name or None,
        "screen_name_lc": screen_name.lower() or None,
        "display_name": _cell(row, columns, "user_display_name") or None,
        "hashed": fields.is_hashed_id(userid),
        "in_disclosure": True,
        "location": _cell(row, columns, "user_reported_location") or None,
        "description": _cell(row, columns, "user_profile_description") or None,
        "url": _cell(row, columns, "user_profile_url") or None,
        "followers": followers,
        "following": following,
        "created_at": created or None,
        "created_s": created_s,
        "language": _cell(row, columns, "account_language").strip().lower() or None,
    }


def parse_users_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    records = ChunkRecords()
    for row, line in zip(chunk.rows, chunk.lines, strict=True):
        try:
            account = account_from_row(row, chunk.columns)
        except RowError as exc:
            quarantine.reject(chunk.source.name, line, str(exc), row)
            records.rejected += 1
            continue
        records.accounts.setdefault(account["userid"], account)
    return records


def parse_time(value: str) -> tuple[str, int]:
    """``YYYY-MM-DD HH:MM`` (seconds tolerated) in UTC -> (ISO text, epoch seconds)."""
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"tweet_time is not YYYY-MM-DD HH:MM: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ"), int((moment - _EPOCH).total_seconds())


def parse_tweets_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    records = ChunkRecords()
    columns = chunk.columns
    for row, line in zip(chunk.rows, chunk.lines, strict=True):
        try:
            _parse_tweet_row(row, columns, records)
        except RowError as exc:
            quarantine.reject(chunk.source.name, line, str(exc), row)
            records.rejected += 1
            continue
        records.tweet_lines.append(line)
    return records


def _id(row: list[str], columns: dict[str, int], name: str) -> str | None:
    """An id column: empty -> None; a float-damaged id ('1.01421E+18') is a row error."""
    value = _cell(row, columns, name).strip()
    if not value:
        return None
    if "E+" in value.upper() or (value.endswith(".0") and value[:-2].isdigit()):
        raise RowError(f"{name} was damaged by float conversion: {value!r}")
    return value


def _parse_tweet_row(row: list[str], columns: dict[str, int], out: ChunkRecords) -> None:
    cell = row.__getitem__
    tweetid = _id(row, columns, "tweetid")
    if tweetid is None or not tweetid.isdigit():
        raise RowError(f"tweetid is not a numeric id: {_cell(row, columns, 'tweetid')!r}")
    account = account_from_row(row, columns)
    userid = account["userid"]
    time_iso, time_s = parse_time(cell(columns["tweet_time"]))
    try:
        is_retweet = fields.parse_bool(cell(columns["is_retweet"]))
    except ValueError as exc:
        raise RowError(f"is_retweet: {exc}") from None
    counts: dict[str, int | None] = {}
    for prop, column in (
        ("likes", "like_count"),
        ("retweets", "retweet_count"),
        ("replies", "reply_count"),
        ("quotes", "quote_count"),
    ):
        try:
            counts[prop] = fields.parse_count(_cell(row, columns, column))
        except ValueError:
            raise RowError(f"{column} is not a number: {_cell(row, columns, column)!r}") from None
    try:
        latitude = fields.parse_coordinate(_cell(row, columns, "latitude"))
        longitude = fields.parse_coordinate(_cell(row, columns, "longitude"))
    except ValueError:
        raise RowError(
            f"latitude/longitude is not a number or 'absent': {_cell(row, columns, 'latitude')!r}"
        ) from None
    try:
        hashtags = fields.parse_list(_cell(row, columns, "hashtags"))
        urls = fields.parse_list(_cell(row, columns, "urls"))
        mentions = fields.parse_list(_cell(row, columns, "user_mentions"))
    except ValueError as exc:
        raise RowError(f"hashtags/urls/user_mentions: {exc}") from None
    text = cell(columns["tweet_text"])
    retweet_tweetid = _id(row, columns, "retweet_tweetid")
    retweet_userid = _id(row, columns, "retweet_userid")
    reply_tweetid = _id(row, columns, "in_reply_to_tweetid")
    reply_userid = _id(row, columns, "in_reply_to_userid")
    quoted_tweetid = _id(row, columns, "quoted_tweet_tweetid")
    if is_retweet is None:
        is_retweet = retweet_tweetid is not None

    # All checks passed: from here on the row is loaded.
    out.accounts.setdefault(userid, account)
    out.tweets.append(
        {
            "tweetid": tweetid,
            "userid": userid,
            "text": text,
            "time": time_iso,
            "time_s": time_s,
            "lang": _cell(row, columns, "tweet_language").strip().lower() or None,
            "client": _cell(row, columns, "tweet_client_name").strip() or None,
            **counts,
            "is_retweet": is_retweet,
            "in_disclosure": True,
            "latitude": latitude,
            "longitude": longitude,
            "poll_choices": _cell(row, columns, "poll_choices") or None,
        }
    )
    if retweet_tweetid:
        if retweet_userid:
            out.referenced_accounts.setdefault(retweet_userid, None)
            out.referenced_tweets[retweet_tweetid] = retweet_userid
        else:
            name = fields.retweeted_screen_name(text)
            out.referenced_tweets.setdefault(retweet_tweetid, None)
            if name:
                out.unresolved_retweets.append((tweetid, retweet_tweetid, name))
        out.retweet_of.append((tweetid, retweet_tweetid))
    if reply_tweetid:
        out.referenced_tweets.setdefault(reply_tweetid, reply_userid)
        out.reply_to.append((tweetid, reply_tweetid))
    if reply_userid:
        out.referenced_accounts.setdefault(reply_userid, None)
    if quoted_tweetid:
        out.referenced_tweets.setdefault(quoted_tweetid, None)
        out.quotes.append((tweetid, quoted_tweetid))
    for mentioned in dict.fromkeys(mentions):
        out.referenced_accounts.setdefault(mentioned, None)
        out.mentions.append((tweetid, mentioned))
    for spelling in dict.fromkeys(hashtags):
        tag = spelling.lstrip("#").lower()
        if tag:
            out.hashtag_spelling.setdefault(tag, spelling.lstrip("#"))
            out.tagged.append((tweetid, tag))
    for url in dict.fromkeys(urls):
        if url.strip():
            out.links.append((tweetid, url.strip()))
