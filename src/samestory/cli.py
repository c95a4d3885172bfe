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
from samestory.text.control import escape_json_controls, printable

FORMATS = click.Choice(["json", "md", "html"])


def db_option(fn):
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
        help="SQLite database file.",
    )(fn)


def _fail(message: str, code: int = 1) -> None:
    click.secho(printable(f"samestory: error: {message}"), fg="red", err=True)
    sys.exit(code)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))


def _print_json(data) -> None:
    click.echo(escape_json_controls(json.dumps(data, ensure_ascii=False, indent=2)))


def _echo(text: str, **kw) -> None:
    """A line about stored articles: their text is untrusted, so no control character reaches the terminal."""
    click.echo(printable(text), **kw)


def _one_line(text) -> str:
    return printable(str(text or ""), keep_newlines=False)


def _warn_failure(failure) -> None:
    click.secho(printable(f"skipped {failure}"), fg="yellow", err=True)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


OUTLET_HELP = ("Outlet of an input: FILE=NAME for one input (repeatable); a plain NAME only with a single "
               "file. The page's own site name is used otherwise.")


def outlet_options(fn):
    fn = click.option("--outlet", "outlet_args", multiple=True, help=OUTLET_HELP)(fn)
    return click.option("--outlet-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="CSV (file,outlet) or JSON {file: outlet} naming the outlet of each input file.")(fn)


def _outlets(values, outlet_map, paths) -> tuple[str | None, dict[str, str]]:
    """(one outlet for the single input, per-input outlets) from --outlet and --outlet-map.
    A plain NAME with several inputs (or a folder) would make every article one outlet and
    collapse the comparison, so it is refused."""
    mapping: dict[str, str] = {}
    if outlet_map is not None:
        mapping.update(_read_outlet_map(outlet_map))
    plain = []
    for value in values:
        key, sep, name = value.partition("=")
        if sep and key.strip() and name.strip():
            mapping[key.strip()] = name.strip()
        elif value.strip():
            plain.append(value.strip())
    if len(plain) > 1:
        raise click.UsageError("--outlet NAME given twice: use --outlet FILE=NAME for each input")
    single = plain[0] if plain else None
    if single and (len(paths) != 1 or Path(paths[0]).is_dir()):
        raise click.UsageError(
            f"--outlet {single!r} would name every article of {len(paths)} inputs one outlet and merge their "
            "sources; use --outlet FILE=NAME for each input (or --outlet-map FILE)")
    return single, mapping


def _read_outlet_map(path: Path) -> dict[str, str]:
    import csv

    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(f"{path}: not valid JSON ({exc.msg})", param_hint="--outlet-map") from None
        return {str(k): str(v) for k, v in data.items() if str(v).strip()}
    out = {}
    for k, row in enumerate(csv.reader(text.splitlines()), 1):
        if len(row) < 2 or (k == 1 and [c.strip().lower() for c in row[:2]] == ["file", "outlet"]):
            continue
        if row[0].strip() and row[1].strip():
            out[row[0].strip()] = row[1].strip()
    return out


def niceness_option(fn):
    from samestory.store.lock import BACKGROUND_NICENESS

    return click.option(
        "--niceness", type=click.IntRange(0, 19), default=BACKGROUND_NICENESS, show_default=True,
        help="Run at this lower CPU priority (0: unchanged), so a server reading the same database keeps "
             "answering while this writes.")(fn)


def _lower_priority(niceness: int) -> None:
    """Lower this process's CPU priority before any worker thread starts (threads inherit it)."""
    import os

    if niceness:
        try:
            os.nice(niceness)
        except OSError:  # not allowed here: run at the priority given
            pass


def profiles_option(fn):
    return click.option("--profiles", "profiles_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="Outlet profiles (CSV or JSON: outlet, leaning, country, owner, type); "
                             "default: those imported into the database.")(fn)


def _profiles(profiles_file, store=None):
    from samestory.report.profiles import STATE_NAME, Profiles, load_profiles

    if profiles_file is not None:
        return load_profiles(profiles_file)
    if store is not None:
        return Profiles.from_state(store.load_state(STATE_NAME)) or None
    return None


def _progress(label: str, *, disable: bool = False):
    """A rich progress bar on stderr (only on a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), transient=True, console=Console(stderr=True),
                    disable=disable or not sys.stderr.isatty())


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

    def __call__(self, *args, **kwargs):
        # The console script comes in here (CliRunner and other callers in a process use main()).
        try:
            return self.main(*args, **kwargs)
        except SystemExit as exc:
            _exit_process(exc)


def _exit_process(exc: SystemExit) -> None:
    """End the process the way ``sys.exit`` would, minus the interpreter's teardown: freeing every
    object of spaCy, torch and the caches one by one took about 0.6 s of a 5 s cold ``compare``.
    Exit handlers still run, output is flushed, and with any other thread alive (whose work a
    normal exit would wait for) it is a normal exit."""
    import atexit
    import os
    import threading

    if threading.active_count() > 1:
        raise exc
    code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code or 0)


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
@outlet_options
@profiles_option
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
def compare(paths, fmt, output, outlet_args, outlet_map, profiles_file, allow_private):
    """Compare the given articles as one story (no database).

    PATHS are files, folders, URLs or - for stdin.
    """
    from samestory.report import render
    from samestory.workflow import compare_paths

    outlet, outlets = _outlets(outlet_args, outlet_map, paths)
    profiles = _profiles(profiles_file)
    with _progress("reading and comparing") as bar:
        bar.add_task("reading and comparing", total=None)
        coverage = compare_paths(paths, outlet=outlet, outlets=outlets, allow_private=allow_private,
                                 on_failure=_warn_failure)
    _write(render(coverage, fmt, profiles=profiles), output)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@outlet_options
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per transaction.")
@click.option("--no-compare", is_flag=True, help="Do not compare the touched stories now (their first view will).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the per-article stages here or on a Dask cluster.")
@click.option("--scheduler", help="Address of a running Dask scheduler (default: start a LocalCluster).")
@click.option("--workers", type=int, help="Workers of the LocalCluster started when no --scheduler is given.")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds to wait while another ingest writes into the database (default: as long as it takes).")
@niceness_option
def ingest(paths, db, outlet_args, outlet_map, allow_private, batch_size, no_compare, as_json, engine, scheduler, workers,
           lock_timeout, niceness):
    """Read articles into the store, deduplicate them and group them into stories.

    PATHS are files, folders (read recursively), URLs, URL lists (.urls) or - for stdin.
    Exit status is 0 when the batch finished, even if some inputs failed (they are listed);
    it is 1 only when nothing could be read.
    """
    from samestory.scale.engine import make_engine
    from samestory.store import Store
    from samestory.workflow import Ingestor

    if engine == "local" and (scheduler or workers):
        raise click.UsageError("--scheduler and --workers need --engine dask")
    _lower_priority(niceness)
    outlet, outlets = _outlets(outlet_args, outlet_map, paths)
    with Store(db) as store, make_engine(engine, scheduler=scheduler, workers=workers) as runner:
        ingestor = Ingestor(store, outlet=outlet, outlets=outlets, batch_size=batch_size, allow_private=allow_private,
                            engine=runner, compare_stories=not no_compare, lock_timeout=lock_timeout,
                            on_lock_wait=lambda m: click.echo(m, err=True))
        with _progress("ingest", disable=as_json) as bar:
            task = bar.add_task("reading articles", total=None)
            compare_task = None

            def compared(done: int, total: int) -> None:
                nonlocal compare_task
                if compare_task is None:
                    bar.update(task, visible=False)
                    compare_task = bar.add_task("comparing stories", total=total)
                bar.update(compare_task, completed=done)

            report = ingestor.ingest(paths, progress=lambda n: bar.advance(task, n), compared=compared)
    if as_json:
        _print_json(report.to_dict())
    else:
        conflicts = f", conflict {len(report.conflicts)}" if report.conflicts else ""
        click.echo(f"added {report.added}, duplicate {report.duplicate}{conflicts}, failed {report.failed}"
                   f" ({_plural(len(report.stories), 'story', 'stories')} touched) -> {db}")
        for c in report.conflicts:
            _echo(f"  conflict: {c}")
        for f in report.failures:
            _echo(f"  failed: {f}")
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
@click.option("--limit", default=50, show_default=True, help="Show at most this many stories.")
@click.option("--outlet", help="Only stories this outlet covers.")
@click.option("--side", type=click.Choice(["left", "centre", "right"]), help="Only stories an outlet of this leaning covers (needs profiles).")
@click.option("--since", help="Only stories published on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only stories published on or before this day (YYYY-MM-DD).")
@click.option("--min-outlets", type=int, default=0, help="Only stories covered by at least this many outlets.")
@profiles_option
def stories(db, as_json, limit, outlet, side, since, until, min_outlets, profiles_file):
    """List stories, the most recent first."""
    from samestory.models import to_dict
    from samestory.report.people import balance
    from samestory.store import Store
    from samestory.workflow import select_stories

    with Store(db, readonly=True) as store:
        profiles = _profiles(profiles_file, store)
        rows, total = select_stories(store, outlet=outlet, side=side, since=since, until=until,
                                     min_outlets=min_outlets, profiles=profiles, limit=limit)
    if as_json:
        _print_json({"stories": to_dict(rows), "total": total, "shown": len(rows)})
        return
    for s in rows:
        bal = balance(s.outlets, profiles)
        flag = f"  blindspot: no {bal.blindspot}-leaning outlet" if bal and bal.blindspot else ""
        _echo(f"{_one_line(s.id)}  {_plural(s.sources, 'article')}, {s.independent_sources} independent, "
              f"{_plural(len(s.outlets), 'outlet')}  {_one_line(s.last_published) or '-'}  {_one_line(s.title)}{flag}")
    if not rows:
        click.echo("no story matches" if total == 0 and (outlet or side or since or until or min_outlets) else "no stories")
    elif len(rows) < total:
        click.echo(f"{len(rows)} of {total} shown; --limit {total} shows them all", err=True)


@main.command()
@click.argument("story_id")
@db_option
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@profiles_option
def story(story_id, db, fmt, output, profiles_file):
    """Show one story's comparison across outlets."""
    from samestory.report import render
    from samestory.store import Store
    from samestory.workflow import story_coverage

    with Store(db, readonly=True) as store:
        profiles = _profiles(profiles_file, store)
        coverage = story_coverage(store, story_id)
    _write(render(coverage, fmt, profiles=profiles), output)


@main.command()
@click.argument("query")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(query, db, as_json):
    """Full-text search over the titles and texts of stored articles."""
    from samestory.store import Store

    from samestory.store import split_snippet

    with Store(db, readonly=True) as store:
        hits = store.search(query)
    for h in hits:
        h["snippet_parts"] = split_snippet(h["snippet"] or "")
        h["snippet"] = "".join(t for t, _ in h["snippet_parts"])
    if as_json:
        _print_json({"query": query, "hits": [{k: v for k, v in h.items() if k != "snippet_parts"} for h in hits]})
        sys.exit(0 if hits else 1)
    if not hits:
        click.echo(f"no article matches {_one_line(query)!r}", err=True)
        sys.exit(1)
    for h in hits:
        snippet = "".join(click.style(_one_line(t), bold=True, underline=True) if m else _one_line(t)
                          for t, m in h["snippet_parts"])
        # every piece is one printable line already; the bold marks are ours
        click.echo(f"{_one_line(h['title'])}  ({_one_line(h['outlet'])}, story {_one_line(h['story_id']) or '-'}, "
              f"article {_one_line(h['id'])})\n    {snippet}")
    click.echo(f"{_plural(len(hits), 'article')} {'matches' if len(hits) == 1 else 'match'}", err=True)


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
        _echo(f"{_one_line(g['canonical'])}  {_one_line(g['outlet'])}: {_one_line(g['title'])}{_one_line(wire)}")
        for m in g["members"]:
            _echo(f"    {m['kind']:<8} {m['similarity']:.3f}  {_one_line(m['id'])}  {_one_line(m['outlet'])}")
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

    with _progress("clustering") as bar:
        bar.add_task("clustering", total=None)
        result = cluster_jsonl(path)
    _print_json(result)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default and only format).")
@outlet_options
def analyze(paths, as_json, outlet_args, outlet_map):
    """Per article: sentences, entities, quotes and quantities, with character spans."""
    from samestory.enrich import analyze_json
    from samestory.workflow import read_articles

    outlet, outlets = _outlets(outlet_args, outlet_map, paths)
    with _progress("analyzing") as bar:
        bar.add_task("reading and analyzing", total=None)
        articles = read_articles(paths, outlet=outlet, outlets=outlets, on_failure=_warn_failure)
    _print_json({"articles": analyze_json(articles)})


@main.command()
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--every", default="10m", show_default=True, callback=_every, help="Time between polls: 90s, 10m, 1h.")
@click.option("--polls", type=int, help="Stop after this many polls (default: run until interrupted).")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
@niceness_option
def watch(feeds_file, db, every, polls, allow_private, niceness):
    """Poll the feeds listed in FEEDS_FILE (one URL a line) and ingest only their new entries."""
    from samestory.ingest.fetch import Fetcher
    from samestory.ingest.watch import FeedWatcher, read_feeds_file, watch_loop
    from samestory.store import Store
    from samestory.workflow import Ingestor

    feeds = read_feeds_file(feeds_file)
    _lower_priority(niceness)
    interval = every  # seconds, parsed by _every
    with Store(db) as store:
        fetcher = Fetcher(allow_private=allow_private)
        watcher = FeedWatcher(feeds, fetcher, store.load_state("watch") or {})
        ingestor = Ingestor(store, allow_private=allow_private, fetcher=fetcher, compare_stories=True)
        try:
            for docs, failures in watch_loop(watcher, interval, polls=polls):
                report = ingestor.ingest_docs([*docs, *failures])
                with store.transaction():
                    store.save_state("watch", watcher.state)
                click.echo(f"{_plural(len(feeds), 'feed')}: {_plural(len(docs), 'new entry', 'new entries')}; added {report.added}, duplicate "
                           f"{report.duplicate}, failed {report.failed}")
                for f in report.failures:
                    _echo(f"  failed: {f}")
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--allow-writes", is_flag=True, help="Accept uploads and URLs from the web (needs $SAMESTORY_TOKEN).")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=64, show_default=True,
              help="Largest request body accepted (bigger ones get 413 before they are read).")
@profiles_option
def serve(db, host, port, allow_writes, max_upload_mb, profiles_file):
    """Serve the web UI and its JSON API over the store."""
    import uvicorn

    from samestory.web.app import create_app
    from samestory.web.limits import ServerLimits

    app = create_app(db, allow_writes=allow_writes, limits=ServerLimits(max_body_bytes=max_upload_mb * 2**20),
                     profiles=_profiles(profiles_file))
    click.echo(f"samestory on http://{host}:{port}/ (database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder to ingest instead of the bundled demo corpus.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("samestory-demo"),
              show_default=True, help="Where the database and the report go.")
@profiles_option
def demo(corpus, out_dir, profiles_file):
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
        with _progress("demo") as bar:
            task = bar.add_task("reading the demo corpus", total=None)
            report = Ingestor(store, compare_stories=True).ingest([str(corpus)], progress=lambda n: bar.advance(task, n))
        click.echo(f"ingested {corpus}: added {report.added}, duplicate {report.duplicate}, failed {report.failed}",
                   err=True)
        all_stories = store.stories()
        if not all_stories:
            _fail("the demo corpus produced no story")
        main_story = max(all_stories, key=lambda s: (s.independent_sources, s.sources))
        for s in all_stories:
            _echo(f"  story {s.id}: {_plural(s.sources, 'article')}, {s.independent_sources} independent  "
                  f"{_one_line(s.title)}", err=True)
        coverage = story_coverage(store, main_story.id)
        profiles = _profiles(profiles_file) if profiles_file else _demo_profiles(corpus)
    path = out_dir / "report.html"
    path.write_text(render(coverage, "html", profiles=profiles), encoding="utf-8")
    click.echo(str(path.resolve()))


def _demo_profiles(corpus: Path):
    """The example profiles of the demo's fictional outlets (examples/outlet-profiles.csv), when there."""
    from samestory.report.profiles import load_profiles

    example = Path(corpus).parent / "outlet-profiles.csv"
    return load_profiles(example) if example.is_file() else None


@main.group()
def profiles():
    """Outlet profiles (leaning, country, owner, type) that you supply."""


@profiles.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def profiles_import(file, db):
    """Store the outlet profiles in FILE (CSV or JSON) in the database, replacing earlier ones."""
    from samestory.report.profiles import STATE_NAME, load_profiles
    from samestory.store import Store

    loaded = load_profiles(file)
    with Store(db) as store, store.transaction():
        store.save_state(STATE_NAME, loaded.to_state())
    click.echo(f"imported {_plural(len(loaded), 'outlet profile')} from {file} -> {db}")


@profiles.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def profiles_list(db, as_json):
    """List the outlet profiles stored in the database."""
    from samestory.report.profiles import STATE_NAME, Profiles
    from samestory.store import Store

    with Store(db, readonly=True) as store:
        stored = Profiles.from_state(store.load_state(STATE_NAME))
    if as_json:
        _print_json({"profiles": stored.to_state()})
        return
    if not stored:
        click.echo("no outlet profiles stored: samestory profiles import FILE", err=True)
    for name in stored:
        p = stored[name]
        click.echo("  ".join(x for x in (p.outlet, p.side or "-", p.country or "", p.owner or "", p.type or "") if x))


if __name__ == "__main__":
    main()
