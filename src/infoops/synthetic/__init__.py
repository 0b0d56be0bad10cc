"""Synthetic takedown disclosures with a planted, known structure (``infoops synth``)."""

from infoops.synthetic.generator import (
    CAMPAIGN_HASHTAG,
    INJECTION_STRINGS,
    SHARED_URL,
    TWEETS_HEADER,
    TWITTER_EPOCH_MS,
    USERS_HEADER,
    SynthConfig,
    SynthResult,
    generate_disclosure,
    min_accounts,
    snowflake_ms,
)

__all__ = [
    "CAMPAIGN_HASHTAG",
    "INJECTION_STRINGS",
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
