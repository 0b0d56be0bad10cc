"""Render docs/queries.md from the query files: ``python -m infoops.queries.docs [--check] [PATH]``.

The page is generated, never edited by hand; a test fails when it is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from infoops.queries.library import ENGINES, CannedQuery, Category, QueryLibrary, load_library

DEFAULT_PATH = Path("docs/queries.md")
_CATEGORY_BLURB = {
    Category.overview: "What the graph holds.",
    Category.accounts: "Who the accounts are and how they behave.",
    Category.amplification: "Who retweets whom, and how content spreads.",
    Category.coordination: "Accounts acting together.",
    Category.clusters: "Communities found by the analysis step (empty until it has run).",
    Category.content: "Hashtags, links and texts the operation pushed.",
    Category.temporal: "When the accounts were active.",
    Category.crossref: "Links between disclosures.",
}


def render_markdown(library: QueryLibrary | None = None) -> str:
    library = library or load_library()
    lines = [
        "# Canned queries",
        "",
        "<!-- Generated from src/infoops/queries/*.yaml by `python -m infoops.queries.docs`;"
        " do not edit. -->",
        "",
        f"{len(library)} read-only queries that run on both engines (the embedded Ladybug"
        " database and Neo4j 5). List them with `infoops queries list`, read one with"
        " `infoops queries show ID`, run one with `infoops queries run ID --param name=value`."
        " Results print as a table, or as `--format csv|json|html` (html draws nodes,"
        " relationships and paths as a graph).",
        "",
        "Parameters always travel as Cypher `$parameters`, never as text. The one exception is"
        " a path length (`depth`): Cypher has no parameter for the bounds of a variable-length"
        " pattern on either engine, so it is validated as an integer in its declared range and"
        " written at its `{{depth}}` marker. For writing your own queries, see"
        " [cypher-dialects.md](cypher-dialects.md).",
        "",
    ]
    for category in Category:
        queries = library.in_category(category)
        if not queries:
            continue
        lines += [f"- **{category.value}**: " + ", ".join(f"[{q.id}](#{q.id})" for q in queries)]
    lines.append("")
    for category in Category:
        queries = library.in_category(category)
        if not queries:
            continue
        lines += [f"## {category.value}", "", _CATEGORY_BLURB[category], ""]
        for query in queries:
            lines += _query_section(query)
    return "\n".join(lines).rstrip() + "\n"


def _query_section(query: CannedQuery) -> list[str]:
    lines = [
        f'<a id="{query.id}"></a>',
        f"### {query.id}",
        "",
        f"**{query.title}** (returns a {query.returns})",
        "",
        query.description,
        "",
    ]
    if query.params:
        lines += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
        for p in query.params:
            default = "required" if p.required else f"`{json.dumps(p.default, ensure_ascii=False)}`"
            meaning = p.help + (" (written into the query text)" if p.inline else "")
            lines.append(f"| `{p.name}` | {p.describe_type()} | {default} | {_cell(meaning)} |")
        lines.append("")
    example = " ".join(f"--param {p.name}=..." for p in query.params if p.required)
    lines += ["```sh", f"infoops queries run {query.id} {example}".rstrip(), "```", ""]
    forms = query.forms()
    if forms["ladybug"] == forms["neo4j"]:
        lines += ["Cypher (both engines):", "", "```cypher", forms["neo4j"], "```", ""]
    else:
        for engine in ENGINES:
            lines += [f"Cypher on {engine}:", "", "```cypher", forms[engine], "```", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render docs/queries.md from the query files.")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    text = render_markdown()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        if current != text:
            print(f"{args.path} is stale: run python -m infoops.queries.docs", file=sys.stderr)
            return 1
        return 0
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
