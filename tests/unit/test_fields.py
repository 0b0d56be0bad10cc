from __future__ import annotations

import pytest

from infoops.loaders.twitter_io import fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("[]", []),
        ("['HongKong', 'covid19']", ["HongKong", "covid19"]),
        ("['one']", ["one"]),
        ("[443196382, 12]", ["443196382", "12"]),
        ("[\"it's\", 'b']", ["it's", "b"]),
        ("['https://t.co/x?a=1,2']", ["https://t.co/x?a=1,2"]),
    ],
)
def test_parse_list_reads_python_list_text(text: str, expected: list[str]) -> None:
    assert fields.parse_list(text) == expected


def test_parse_list_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a list"):
        fields.parse_list("['unterminated")


@pytest.mark.parametrize(("text", "expected"), [("0.0", 0), ("12.0", 12), ("7", 7), ("", None)])
def test_counts_written_as_floats(text: str, expected: int | None) -> None:
    assert fields.parse_count(text) == expected


def test_absent_geo_is_null() -> None:
    assert fields.parse_coordinate("absent") is None
    assert fields.parse_coordinate("") is None
    assert fields.parse_coordinate("22.25") == 22.25


@pytest.mark.parametrize(
    ("userid", "hashed"),
    [
        ("919755217121316864", False),
        ("4057984825", False),
        ("vMm2zemFOF7kmXoDyX24Bo+TorqhNutpZlATYyxsE=", True),
        ("a" * 64, True),  # 2018 hashes: 64 hex characters
    ],
)
def test_hashed_is_decided_by_id_shape(userid: str, hashed: bool) -> None:
    assert fields.is_hashed_id(userid) is hashed


def test_retweet_prefix() -> None:
    assert fields.retweeted_screen_name("RT @CGTNOfficial: Hong Kong ...") == "CGTNOfficial"
    assert fields.retweeted_screen_name("not a retweet RT @x: y") is None


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.com/a?b", "example.com"),
        ("http://news.cn:8080/x", "news.cn"),
        ("bit.ly/abc", "bit.ly"),
    ],
)
def test_domain_of(url: str, domain: str) -> None:
    assert fields.domain_of(url) == domain
