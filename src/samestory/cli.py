"""The `samestory` command: thin commands over the library. Only this module and web/ talk to people."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from samestory import __version__
from samestory.errors import SamestoryError
from samestory.store import DEFAULT_DB

FORMATS = click.Choice(["json", "md", "html"])


def db_option(fn):
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
        help="SQLite database file.",
    )(fn)


def _fail(message: str, code: int = 1) -> None:
    click.secho(f"samestory: error: {message}", fg="red", err=True)
    sys.exit(code)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))


def _print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _warn_failure(failure) -> None:
    click.secho(f"skipped {failure}", fg="yellow", err=True)


class Group(click.Group):
    """Turn samestory's own errors into one clear line instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SamestoryError as exc:
            _fail(str(exc))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        # click prints usage errors as several lines; a user error gets one line here.
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("aborted")
        sys.exit(rv if isinstance(rv, int) else 0)


def _every(ctx, param, value):
    from samestory.ingest.watch import parse_every

    try:
        return parse_every(value)
    except SamestoryError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samestory")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def main(verbose: bool) -> None:
    """Find the same news story across outlets and show, claim by claim, how each outlet told it."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--outlet", help="Outlet name for inputs that do not carry one.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
def compare(paths, fmt, output, outlet, allow_private):
    """Compare the given articles as one story (no database).

    PATHS are files, folders, URLs or - for stdin.
    """
    from samestory.report import render
    from samestory.workflow import compare_paths

    coverage = compare_paths(paths, outlet=outlet, allow_private=allow_private, on_failure=_warn_failure)
    _write(render(coverage, fmt), output)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="Outlet name for inputs that do not carry one.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the per-article stages here or on a Dask cluster.")
@click.option("--scheduler", help="Address of a running Dask scheduler (default: start a LocalCluster).")
@click.option("--workers", type=int, help="Workers of the LocalCluster started when no --scheduler is given.")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds to wait while another ingest writes into the database (default: as long as it takes).")
def ingest(paths, db, outlet, allow_private, batch_size, as_json, engine, scheduler, workers, lock_timeout):
    """Read articles into the store, deduplicate them and group them into stories.

    PATHS are files, folders (read recursively), URLs, URL lists (.urls) or - for stdin.
    Exit status is 0 when the batch finished, even if some inputs failed (they are listed);
    it is 1 only when nothing could be read.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from samestory.scale.engine import make_engine
    from samestory.store import Store
    from samestory.workflow import Ingestor

    if engine == "local" and (scheduler or workers):
        raise click.UsageError("--scheduler and --workers need --engine dask")
    with Store(db) as store, make_engine(engine, scheduler=scheduler, workers=workers) as runner:
        ingestor = Ingestor(store, outlet=outlet, batch_size=batch_size, allow_private=allow_private, engine=runner,
                            lock_timeout=lock_timeout, on_lock_wait=lambda m: click.echo(m, err=True))
        with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=True, disable=as_json or not sys.stderr.isatty(), console=None) as bar:
            task = bar.add_task("ingest", total=None)
            report = ingestor.ingest(paths, progress=lambda n: bar.advance(task, n))
    if as_json:
        _print_json(report.to_dict())
    else:
        conflicts = f", conflict {len(report.conflicts)}" if report.conflicts else ""
        click.echo(f"added {report.added}, duplicate {report.duplicate}{conflicts}, failed {report.failed}"
                   f" ({len(report.stories)} stories touched) -> {db}")
        for c in report.conflicts:
            click.echo(f"  conflict: {c}")
        for f in report.failures:
            click.echo(f"  failed: {f}")
    if report.seen == 0 or (report.added + report.duplicate == 0):
        sys.exit(1)


@main.command()
@db_option
@click.option("--repair", is_flag=True, help="Fix what breaks the invariant (waits for the writer lock).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(db, repair, as_json):
    """Verify that every article is in exactly one existing story; --repair restores it.

    Exit status is 0 when the store is sound (or was repaired), 1 when it is not.
    """
    from samestory.integrity import check_store
    from samestory.store import Store

    with Store(db, readonly=not repair) as store:
        found = check_store(store, repair=repair, on_lock_wait=lambda m: click.echo(m, err=True))
    if as_json:
        _print_json(found.to_dict())
    else:
        state = "ok" if found.ok else "BROKEN"
        click.echo(f"{db}: {state}: {found.articles} articles, {found.stories} stories; {len(found.orphans)} in no "
                   f"story, {len(found.dangling)} in a story that does not exist, {len(found.stale)} story rows not "
                   f"matching their members; {found.conflicts} conflicting records kept aside; sqlite {found.sqlite}")
        if found.repaired:
            click.echo(f"repaired: {len(found.renamed)} stories got a fresh id; now "
                       f"{'ok' if found.ok_now else 'still BROKEN'}")
        elif not found.ok:
            click.echo("run `samestory check --repair` to fix it")
    if not found.ok_now:
        sys.exit(1)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", default=50, show_default=True)
def stories(db, as_json, limit):
    """List stories, the most recent first."""
    from samestory.models import to_dict
    from samestory.store import Store

    with Store(db, readonly=True) as store:
        rows = store.stories(limit=limit)
    if as_json:
        _print_json({"stories": to_dict(rows)})
        return
    for s in rows:
        click.echo(f"{s.id}  {s.sources} articles, {s.independent_sources} independent, "
                   f"{len(s.outlets)} outlets  {s.last_published or '-'}  {s.title}")


@main.command()
@click.argument("story_id")
@db_option
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def story(story_id, db, fmt, output):
    """Show one story's comparison across outlets."""
    from samestory.report import render
    from samestory.store import Store
    from samestory.workflow import story_coverage

    with Store(db, readonly=True) as store:
        coverage = story_coverage(store, story_id)
    _write(render(coverage, fmt), output)


@main.command()
@click.argument("query")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(query, db, as_json):
    """Full-text search over the titles and texts of stored articles."""
    from samestory.store import Store

    with Store(db, readonly=True) as store:
        hits = store.search(query)
    if as_json:
        _print_json({"query": query, "hits": hits})
        return
    for h in hits:
        click.echo(f"{h['id']}  story {h['story_id']}  {h['outlet']}: {h['title']}\n    {h['snippet']}")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def duplicates(db, as_json):
    """List copy groups: exact and near copies, wire families and versions, with similarity.

    Versions (the same article re-published with edits) carry a sentence diff.
    """
    from samestory.dedup import DedupIndex, describe_groups
    from samestory.store import Store

    with Store(db, readonly=True) as store:
        articles = list(store.iter_articles())
    groups = DedupIndex.from_articles(articles).groups()
    out = describe_groups(groups, {a.id: a.text for a in articles})
    if as_json:
        _print_json({"groups": out})
        return
    for g in out:
        wire = f"  wire={g['wire']}" if g["wire"] else ""
        click.echo(f"{g['canonical']}  {g['outlet']}: {g['title']}{wire}")
        for m in g["members"]:
            click.echo(f"    {m['kind']:<8} {m['similarity']:.3f}  {m['id']}  {m['outlet']}")
            diff = m.get("diff") or {}
            for c in diff.get("changed", []):
                click.echo(f"        changed: {c['old']!r} -> {c['new']!r}")
            for sentence in diff.get("added", []):
                click.echo(f"        added:   {sentence!r}")
            for sentence in diff.get("removed", []):
                click.echo(f"        removed: {sentence!r}")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default and only format).")
def cluster(path, as_json):
    """Cluster the articles of a JSONL file into stories, without a database."""
    from samestory.workflow import cluster_jsonl

    _print_json(cluster_jsonl(path))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default and only format).")
@click.option("--outlet", help="Outlet name for inputs that do not carry one.")
def analyze(paths, as_json, outlet):
    """Per article: sentences, entities, quotes and quantities, with character spans."""
    from samestory.enrich import analyze_json
    from samestory.workflow import read_articles

    articles = read_articles(paths, outlet=outlet, on_failure=_warn_failure)
    _print_json({"articles": analyze_json(articles)})


@main.command()
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--every", default="10m", show_default=True, callback=_every, help="Time between polls: 90s, 10m, 1h.")
@click.option("--polls", type=int, help="Stop after this many polls (default: run until interrupted).")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
def watch(feeds_file, db, every, polls, allow_private):
    """Poll the feeds listed in FEEDS_FILE (one URL a line) and ingest only their new entries."""
    from samestory.ingest.fetch import Fetcher
    from samestory.ingest.watch import FeedWatcher, read_feeds_file, watch_loop
    from samestory.store import Store
    from samestory.workflow import Ingestor

    feeds = read_feeds_file(feeds_file)
    interval = every  # seconds, parsed by _every
    with Store(db) as store:
        fetcher = Fetcher(allow_private=allow_private)
        watcher = FeedWatcher(feeds, fetcher, store.load_state("watch") or {})
        ingestor = Ingestor(store, allow_private=allow_private, fetcher=fetcher)
        try:
            for docs, failures in watch_loop(watcher, interval, polls=polls):
                report = ingestor.ingest_docs([*docs, *failures])
                with store.transaction():
                    store.save_state("watch", watcher.state)
                click.echo(f"{len(feeds)} feeds: {len(docs)} new entries; added {report.added}, duplicate "
                           f"{report.duplicate}, failed {report.failed}")
                for f in report.failures:
                    click.echo(f"  failed: {f}")
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--allow-writes", is_flag=True, help="Accept uploads and URLs from the web (needs $SAMESTORY_TOKEN).")
def serve(db, host, port, allow_writes):
    """Serve the web UI and its JSON API over the store."""
    import uvicorn

    from samestory.web.app import create_app

    app = create_app(db, allow_writes=allow_writes)
    click.echo(f"samestory on http://{host}:{port}/ (database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder to ingest instead of the bundled demo corpus.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("samestory-demo"),
              show_default=True, help="Where the database and the report go.")
def demo(corpus, out_dir):
    """Run the bundled demo corpus end to end and write an HTML report of its main story."""
    from samestory.report import render
    from samestory.store import Store
    from samestory.workflow import Ingestor, default_corpus, story_coverage

    corpus = corpus or default_corpus()
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store(db) as store:
        report = Ingestor(store).ingest([str(corpus)])
        click.echo(f"ingested {corpus}: added {report.added}, duplicate {report.duplicate}, failed {report.failed}",
                   err=True)
        all_stories = store.stories()
        if not all_stories:
            _fail("the demo corpus produced no story")
        main_story = max(all_stories, key=lambda s: (s.independent_sources, s.sources))
        for s in all_stories:
            click.echo(f"  story {s.id}: {s.sources} articles, {s.independent_sources} independent  {s.title}",
                       err=True)
        coverage = story_coverage(store, main_story.id)
    path = out_dir / "report.html"
    path.write_text(render(coverage, "html"), encoding="utf-8")
    click.echo(str(path.resolve()))


if __name__ == "__main__":
    main()
