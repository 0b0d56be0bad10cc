"""``infoops synth``: write a synthetic disclosure with planted structure."""

from __future__ import annotations

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


def synth(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the files into.")],
    accounts: Annotated[
        int, typer.Option(help="Released accounts (at least 21 with 4 clusters).", min=21)
    ] = 300,
    tweets: Annotated[int, typer.Option(help="Released tweets (rows).", min=100)] = 5_000,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 7,
    clusters: Annotated[int, typer.Option(help="Planted core clusters.", min=1)] = 4,
    base: Annotated[str, typer.Option(help="Set name used in the file names.")] = "synth_2020",
    parts: Annotated[int, typer.Option(help="Split the tweets file into N parts.", min=1)] = 1,
    quiet: QuietOption = False,
) -> None:
    """Write a synthetic disclosure in Twitter's exact format, plus its planted truth as JSON.

    Core clusters that post and amplify each other, amplifiers retweeting core content in bursts,
    organic accounts, external retweeted accounts, shared hashtags and URLs, and the quirks of the
    real files (quoted multi-line fields, Python-list strings, float counts, 'absent' geo).

    Example: infoops synth out/synth --accounts 500 --tweets 20000 --seed 1
    """
    # Imported here, not at the top: `infoops --help` must not wait for the loaders' pandas.
    from infoops.synthetic import SynthConfig

    config = SynthConfig(
        accounts=accounts,
        tweets=tweets,
        seed=seed,
        clusters=clusters,
        base=base,
        tweet_parts=parts,
    )
    try:
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
