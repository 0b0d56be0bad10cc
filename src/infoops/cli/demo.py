"""``infoops demo``: synthesise, load and summarise, offline, on the embedded engine."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infoops.cli.console import out
from infoops.cli.load import print_report
from infoops.cli.options import QuietOption
from infoops.cli.output import ResultFormat, write_result
from infoops.cli.summary import print_summary
from infoops.cli.synth import run_synth
from infoops.engines import EngineSettings, open_engine
from infoops.errors import InfoopsError

if TYPE_CHECKING:
    from infoops.engines import GraphEngine

DEMO_DISCLOSURE = "synthetic-demo"
DEMO_WINDOW_S, DEMO_MIN_WEIGHT = 60, 3
OVERLAP_DISCLOSURES = {"A": "synthetic-overlap-a", "B": "synthetic-overlap-b"}


def demo(
    outdir: Annotated[Path, typer.Argument(help="Folder for data, database and views.")] = Path(
        "demo"
    ),
    accounts: Annotated[
        int, typer.Option(help="Released accounts (at least 21 with 4 clusters).", min=21)
    ] = 600,
    tweets: Annotated[int, typer.Option(help="Released tweets.", min=100)] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    neo4j_uri: Annotated[
        str | None,
        typer.Option(
            "--neo4j-uri",
            help="Build the demo graph in this Neo4j 5 server instead (credentials from "
            "NEO4J_USERNAME / NEO4J_PASSWORD). Its database must be empty or hold only an "
            "earlier demo: it is emptied first. Never taken from NEO4J_URI.",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Build everything from scratch: synthetic files -> graph -> summary and views (offline).

    Starts from an empty database each time, in OUTDIR/infoops.db (or the Neo4j server given).

    Example: infoops demo demo/
    """
    # Imported here, not at the top: `infoops --help` must not wait for pandas, pyvis, igraph.
    from infoops.analysis.clusters import ClusterSettings, cluster_table, compute_clusters
    from infoops.analysis.coordination.network import compute_network
    from infoops.analysis.crossref import crossref
    from infoops.analysis.report import compute_report
    from infoops.analysis.summary import compute_summary
    from infoops.loaders.twitter_io import load_twitter
    from infoops.synthetic import SynthConfig
    from infoops.synthetic.overlaps import generate_overlapping_pair
    from infoops.visualisations import (
        most_amplified_account,
        most_retweeted_tweet,
        write_cascade_view,
        write_chains_view,
        write_cluster_overview,
        write_clusters_view,
    )
    from infoops.visualisations.crossref import write_crossref_html
    from infoops.visualisations.report import write_report_html

    started = time.perf_counter()
    data_dir, db_path = outdir / "data", outdir / "infoops.db"
    for stale in (data_dir, db_path):
        if stale.exists():
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    if neo4j_uri:
        settings = EngineSettings.from_env(db=db_path, neo4j_uri=neo4j_uri)  # credentials
        with open_engine(settings) as engine:  # before the data: refuse early, change nothing
            empty_for_demo(engine)
    else:
        settings = EngineSettings(db=db_path)  # NEO4J_URI in the environment does not count
    run_synth(data_dir, SynthConfig(accounts=accounts, tweets=tweets, seed=seed), quiet=quiet)
    with open_engine(settings) as engine:
        report = load_twitter(
            engine,
            [data_dir],
            DEMO_DISCLOSURE,
            name="Synthetic demo disclosure",
            quarantine_path=outdir / "quarantine.csv",
        )
        print_report(report, settings.describe())
        summary = compute_summary(engine, DEMO_DISCLOSURE, tz="Asia/Shanghai")
        seed_account, seed_tweet = most_amplified_account(engine), most_retweeted_tweet(engine)
        if seed_account is None or seed_tweet is None:
            raise InfoopsError("the demo graph has no retweets to draw; try more --tweets")
        chains = write_chains_view(
            engine, seed_account, outdir / "chains.html", command="infoops demo"
        )
        cascade = write_cascade_view(
            engine, seed_tweet, outdir / "cascade.html", command="infoops demo"
        )
        # The generator's own coordination rule (60 s, 3 shared retweets): the coordination
        # queries read these edges, and `infoops coordination evidence` explains them.
        co_retweet = compute_network(engine, "co-retweet", DEMO_WINDOW_S, DEMO_MIN_WEIGHT)
        clustering = compute_clusters(engine, ClusterSettings())
        clusters_table = cluster_table(engine)
        clusters_page = write_clusters_view(
            engine, outdir / "clusters.html", command="infoops demo"
        )
        overview_page = write_cluster_overview(
            engine, outdir / "clusters-overview.html", command="infoops demo"
        )
        report_page = write_report_html(
            compute_report(engine, [DEMO_DISCLOSURE], tz="Asia/Shanghai"),
            outdir / "report.html",
            command="infoops demo",
        )
        # Two more disclosures that share planted accounts, renamed accounts, links, hashtags,
        # retweets and lightly edited texts: what `infoops crossref` is for.
        pair = generate_overlapping_pair(data_dir / "overlap")
        for side, disclosure in OVERLAP_DISCLOSURES.items():
            load_twitter(
                engine,
                pair.files[side],
                disclosure,
                quarantine_path=outdir / f"quarantine-{side.lower()}.csv",
            )
        shared = crossref(engine, list(OVERLAP_DISCLOSURES.values()))
        crossref_page = write_crossref_html(
            shared, outdir / "crossref.html", command="infoops demo"
        )
    print_summary(summary)
    write_result(clusters_table, ResultFormat.table, title="Clusters (infoops clusters)")
    out.print(
        f"co-retweet network (window {DEMO_WINDOW_S} s, at least {DEMO_MIN_WEIGHT} shared "
        f"retweets): {co_retweet.written:,} COORDINATED_WITH edges stored",
        highlight=False,
        markup=False,
    )
    out.print(
        f"{clustering.clusters} clusters hold {clustering.clustered_accounts:,} of "
        f"{clustering.accounts:,} released accounts",
        highlight=False,
        markup=False,
    )
    out.print(
        f"\nviews (open them in a browser, offline):\n  {chains}  amplification chains around "
        f"the most amplified account ({seed_account})\n  {cascade}  the retweet cascade of the "
        f"most retweeted tweet ({seed_tweet})\n  {outdir / 'clusters.html'}  accounts coloured "
        f"by cluster, core accounts as stars ({len(clusters_page.nodes):,} accounts)\n  "
        f"{outdir / 'clusters-overview.html'}  one node per cluster, the amplification between "
        f"them ({len(overview_page.nodes)} clusters)\n  {report_page}  the report: creation "
        "bursts, followers, activity in Asia/Shanghai time, languages, hashtags, amplification, "
        f"clusters\n  {crossref_page}  what {' and '.join(OVERLAP_DISCLOSURES.values())} "
        "share (accounts, renamed accounts, links, hashtags, retweets, near-identical texts)",
        highlight=False,
        markup=False,
    )
    where = f"--neo4j-uri {settings.describe_uri()}" if neo4j_uri else f"--db {db_path}"
    out.print(
        f"\ndemo finished in {time.perf_counter() - started:.1f} s; {settings.describe()}\n"
        f"try: infoops summary {where} --tz Asia/Shanghai\n"
        f"     infoops queries run co-retweet-pairs {where}",
        highlight=False,
        markup=False,
    )


def empty_for_demo(engine: GraphEngine) -> None:
    """Empty a server for the demo, unless it holds anything but an earlier demo."""
    others = engine.run(
        "MATCH (d:Disclosure) WHERE NOT d.id IN $demo RETURN d.id ORDER BY d.id LIMIT 3",
        {"demo": [DEMO_DISCLOSURE, *OVERLAP_DISCLOSURES.values()]},
    ).rows
    if others:
        names = ", ".join(str(row[0]) for row in others)
        raise InfoopsError(
            f"the Neo4j database holds other disclosures ({names}); the demo empties its "
            "database first, so give it an empty one"
        )
    engine.delete_everything()
