"""``infoops synth``: write a synthetic disclosure with planted structure."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

from infoops.cli.console import out
from infoops.cli.options import QuietOption
from infoops.cli.progress import progress_bar
from infoops.errors import InfoopsError

if TYPE_CHECKING:
    from infoops.synthetic import SynthConfig, SynthResult


class Difficulty(StrEnum):
    """The generator's presets (``infoops.synthetic.DIFFICULTIES``), kept here by name so that
    `infoops --help` does not import the generator."""

    default = "default"
    noisy = "noisy"
    small_clusters = "small-clusters"


def synth(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the files into.")],
    accounts: Annotated[
        int, typer.Option(help="Released accounts (at least 21 with 4 clusters).", min=21)
    ] = 300,
    tweets: Annotated[int, typer.Option(help="Released tweets (rows).", min=100)] = 5_000,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 7,
    clusters: Annotated[
        int | None,
        typer.Option(
            help="Planted core clusters (default 4; 8 with --difficulty small-clusters).",
            min=1,
            show_default=False,
        ),
    ] = None,
    base: Annotated[str, typer.Option(help="Set name used in the file names.")] = "synth_2020",
    parts: Annotated[int, typer.Option(help="Split the tweets file into N parts.", min=1)] = 1,
    difficulty: Annotated[
        Difficulty,
        typer.Option(
            help="How hard the planted structure is to recover: noisy sends 15% of every "
            "clustered account's retweets and replies to other clusters; small-clusters plants "
            "8 clusters, each about half the size of the one before. Both add small groups "
            "coordinated per method (same text, near-duplicate text, URL, domain, hashtag, "
            "mention, reply and retweet), listed in the truth file.",
            case_sensitive=False,
        ),
    ] = Difficulty.default,
    quiet: QuietOption = False,
) -> None:
    """Write a synthetic disclosure in Twitter's exact format, plus its planted truth as JSON.

    Core clusters that post and amplify each other, amplifiers retweeting core content in bursts,
    organic accounts, external retweeted accounts, shared hashtags and URLs, and the quirks of the
    real files (quoted multi-line fields, Python-list strings, float counts, 'absent' geo).

    Example: infoops synth out/synth --accounts 500 --tweets 20000 --seed 1 --difficulty noisy
    """
    # Imported here, not at the top: `infoops --help` must not wait for the loaders' pandas.
    from infoops.synthetic import DIFFICULTIES, SynthConfig

    preset = dict(DIFFICULTIES[difficulty.value])
    if clusters is not None:  # given on the command line: it wins over the preset's
        preset["clusters"] = clusters
    try:
        config = SynthConfig(
            accounts=accounts, tweets=tweets, seed=seed, base=base, tweet_parts=parts, **preset
        )
        result = run_synth(outdir, config, quiet=quiet)
    except ValueError as exc:  # the generator's own limits (accounts per cluster, dates)
        raise InfoopsError(str(exc)) from None
    out.print(
        f"wrote {result.accounts:,} accounts and {result.tweets:,} tweets to {outdir}\n"
        f"users: {result.users_path}\n"
        + "".join(f"tweets: {p}\n" for p in result.tweet_paths)
        + f"planted truth: {result.truth_path}",
        highlight=False,
        markup=False,
    )


def run_synth(outdir: Path, config: SynthConfig, *, quiet: bool) -> SynthResult:
    from infoops.synthetic import generate_disclosure

    columns = (TextColumn("synthesising"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with progress_bar(quiet, *columns) as bar:
        if bar is None:
            return generate_disclosure(outdir, config)
        task = bar.add_task("tweets", total=config.tweets)
        return generate_disclosure(outdir, config, progress=lambda n: bar.advance(task, n))
