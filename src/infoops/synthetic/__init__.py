"""Synthetic takedown disclosures with a planted, known structure (``infoops synth``).

Writes a users file and one or more tweets files in the exact layout of Twitter's own releases
(every field double-quoted, UTF-8 without BOM, LF) plus a ``<base>_truth.json`` that records the
structure planted in them, so that loaders and analyses can be checked against a known answer.

Planted structure:

- ``clusters`` groups of *core* accounts posting original content with cluster-specific hashtags
  and domains, retweeting each other mostly inside their cluster;
- *amplifier* accounts (most of the population), each in one cluster and one *squad*; a squad
  retweets a core or state-media tweet in a burst (members within seconds to a few minutes);
- a few *organic* accounts posting unrelated content at random hours;
- *external* accounts (state media and others) that never have rows: their tweets appear only as
  ``retweet_userid`` / ``retweet_tweetid``;
- a campaign hashtag and a shared video URL pushed by every cluster, and copy-paste texts posted
  verbatim by many accounts;
- with the harder settings (``DIFFICULTIES``): noise across clusters, clusters of very unequal
  sizes, and small groups coordinated per method (``planted_coordination`` in the truth).

Tweet ids are Twitter snowflakes: ``(id >> 22) + 1288834974657`` is the tweet's time in epoch
milliseconds, which is how the truth file's 60-second coordination window is measured (the
``tweet_time`` column only has minutes).

Modules, one job each: ``config`` (what to generate, presets, limits), ``ids``, ``timeline``,
``content``, ``population`` (released accounts), ``externals`` (outside accounts),
``activity`` (the tweets), ``planted`` (planted coordination), ``writer`` (the CSV files),
``truth`` (the truth file) and ``disclosure`` (``generate_disclosure``, which runs them).
"""

from infoops.synthetic.config import (
    COORDINATION_MIN_SHARED,
    COORDINATION_WINDOW_S,
    DIFFICULTIES,
    PLANTED_METHODS,
    SynthConfig,
    min_accounts,
)
from infoops.synthetic.content import CAMPAIGN_HASHTAG, INJECTION_STRINGS, SHARED_URL
from infoops.synthetic.disclosure import SynthResult, generate_disclosure
from infoops.synthetic.ids import TWITTER_EPOCH_MS, snowflake_ms
from infoops.synthetic.writer import TWEETS_HEADER, USERS_HEADER

__all__ = [
    "CAMPAIGN_HASHTAG",
    "COORDINATION_MIN_SHARED",
    "COORDINATION_WINDOW_S",
    "DIFFICULTIES",
    "INJECTION_STRINGS",
    "PLANTED_METHODS",
    "SHARED_URL",
    "TWEETS_HEADER",
    "TWITTER_EPOCH_MS",
    "USERS_HEADER",
    "SynthConfig",
    "SynthResult",
    "generate_disclosure",
    "min_accounts",
    "snowflake_ms",
]
