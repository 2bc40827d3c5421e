"""The ``sitrep`` command: a thin click wrapper, one library call per command.

Exit status: 0 every input was read, 1 some inputs failed (each reported on
stderr with its file and line), 2 usage error (bad option, unusable database),
3 sitrep could not start (model or gazetteer missing), 4 sitrep failed (an
internal error, not the input's fault: the message asks for a report), 130
interrupted.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import sys
from pathlib import Path
from typing import Iterable, Iterator

import click

from . import export
from .errors import GazetteerError, InputError, ModelError, SitrepError, StoreError, UsageError
from .model import Article

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_SETUP, EXIT_INTERNAL = 0, 1, 2, 3, 4


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2021-08-13")


def _publication_date(ctx, param, value):
    from .dates import implausible_published

    day = _date(ctx, param, value)
    if day is not None and (why := implausible_published(day)):
        raise click.BadParameter(f"{why}; give the day the inputs were published")
    return day


def _fail(message: str, code: int):
    click.echo(f"sitrep: error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn):
    """Turn sitrep's exceptions into a one-line message and the documented exit status."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ModelError, GazetteerError) as exc:
            _fail(str(exc), EXIT_SETUP)
        except (UsageError, StoreError) as exc:
            _fail(str(exc), EXIT_USAGE)
        except SitrepError as exc:
            _fail(str(exc), EXIT_SOME_FAILED)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)

    return wrapper


class _Inputs:
    """Articles from PATHs; unreadable ones are reported on stderr and counted."""

    def __init__(self, paths: Iterable[str], published: dt.date | None):
        self.paths, self.published, self.failed = list(paths), published, 0
        self.warned_undated = False

    def __iter__(self) -> Iterator[Article]:
        from .sources import iter_articles

        for item in iter_articles(self.paths, published=self.published, stdin=sys.stdin.buffer):
            if isinstance(item, InputError):
                self.skip(item)
            else:
                if item.published is None and not self.warned_undated:
                    self.warned_undated = True
                    click.echo(f"sitrep: {item.origin or item.id} has no publication date: dates are unresolved "
                               f"without --published", err=True)
                yield item

    def skip(self, error: InputError) -> None:
        self.failed += 1
        click.echo(f"sitrep: {error}", err=True)


def _results(pipeline, inputs: _Inputs):
    """Pipeline results; a document the pipeline chokes on (or runs out of time on) is reported
    and skipped; one analysed only in part is flagged and warned about."""
    limit = pipeline.options.max_chars
    for result in pipeline.process_many(inputs, on_error=lambda article, exc: inputs.skip(exc)):
        if result.truncated:
            a = result.article
            click.echo(f"sitrep: {a.origin or a.id}: warning: {len(a.text):,} characters, only the first "
                       f"{limit:,} analysed (--max-chars); the whole text is kept, flagged truncated", err=True)
        yield result


def track(items, label: str):
    """Progress on a terminal for a long run (see ``sitrep.progress``); silent in pipes and CI."""
    from .progress import track as _track

    return _track(items, label)


def _conf(value: float | None) -> dict:
    """``min_confidence`` for a store query: the library's default unless the user gave one."""
    return {} if value is None else {"min_confidence": value}


def _pipeline(model, gazetteer):
    from .pipeline import Options, Pipeline

    return Pipeline(Options(model=model, gazetteer=Path(gazetteer) if gazetteer else None))


published_option = click.option("--published", callback=_publication_date, metavar="YYYY-MM-DD",
                                help="Publication date for inputs that carry none.")


def budget_options(fn):
    """--max-chars and --max-seconds: the work one document may cost."""
    from .pipeline import DEFAULT_MAX_CHARS, DEFAULT_MAX_SECONDS

    fn = click.option("--max-seconds", type=click.FloatRange(min=0), default=DEFAULT_MAX_SECONDS, show_default=True,
                      help="Time budget per document; one over it is skipped and reported (0: no limit, "
                           "analysed in this process).")(fn)
    return click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
                        help="Characters of each text analysed; the rest is kept and the article flagged "
                             "truncated.")(fn)
model_option = click.option("--model", envvar="SITREP_MODEL", metavar="NAME|PATH",
                            help="spaCy model (default: the pinned en_core_web_sm).")
gazetteer_option = click.option("--gazetteer", envvar="SITREP_GAZETTEER", metavar="FILE",
                                help="Compiled place index (default: built on first use).")
min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="P",
    help="Leave out events below this confidence (default 0.5; 0 shows everything).")
db_option = click.option("--db", default="sitrep.db", show_default=True, metavar="FILE|URL",
                         help="SQLite database file, or a PostgreSQL database: postgresql://USER@HOST:PORT/DBNAME "
                              "(password in PGPASSWORD or ~/.pgpass).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitrep")
def cli():
    """News in, sourced conflict events out (ACLED taxonomy, PLOVER view)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@published_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@model_option
@gazetteer_option
@budget_options
@handle_errors
def extract(paths, published, fmt, model, gazetteer, max_chars, max_seconds):
    """Read news from PATHS and print what was found (no database).

    PATHS: .txt, .html/.htm, .jsonl, RSS/Atom feeds, directories, or - for stdin.
    """
    pipeline = _pipeline(model, gazetteer).with_budget(max_chars, max_seconds or None)
    inputs = _Inputs(paths, published)
    writer = export.write_articles_jsonl if fmt == "jsonl" else export.write_articles_table
    writer(_results(pipeline, inputs), sys.stdout)
    sys.exit(EXIT_SOME_FAILED if inputs.failed else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@published_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--ner/--no-ner", default=True, show_default=True,
              help="Use spaCy's NER to propose names (better recall) or the gazetteer alone (much faster).")
@model_option
@gazetteer_option
@handle_errors
def geoparse(paths, published, fmt, ner, model, gazetteer):
    """Only the places named in PATHS (same inputs and offsets as extract)."""
    pipeline = _pipeline(model, gazetteer)
    inputs = _Inputs(paths, published)
    export.write_places(pipeline.geoparse_many(inputs, ner=ner), sys.stdout, fmt)
    sys.exit(EXIT_SOME_FAILED if inputs.failed else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@published_option
@db_option
@model_option
@gazetteer_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@budget_options
@handle_errors
def ingest(paths, published, db, model, gazetteer, quiet, max_chars, max_seconds):
    """Extract events from PATHS and store them in the database (upsert by article id)."""
    from .store import Store

    with Store.open(db) as store:
        pipeline = _pipeline(model, gazetteer).with_budget(max_chars, max_seconds or None)
        inputs = _Inputs(paths, published)
        report = store.save(track(_results(pipeline, inputs), "ingest"))
        if not quiet:
            click.echo(f"{store.path}: {report.articles} articles read ({report.inserted} new, {report.updated} updated, "
                       f"{report.unchanged} unchanged), {report.events} events stored; "
                       f"{inputs.failed} inputs failed", err=True)
    sys.exit(EXIT_SOME_FAILED if inputs.failed else EXIT_OK)


@cli.command()
@click.argument("feeds_file", metavar="FEEDS_FILE")
@db_option
@click.option("--interval", type=click.FloatRange(min=1), metavar="S",
              help="Seconds between polls of each feed (default 300); a failing feed waits S*2^failures, "
                   "at most an hour.")
@click.option("--once", is_flag=True, help="Poll each feed once, then exit (0 even if a feed failed).")
@click.option("--timeout", type=click.FloatRange(min=0.1), metavar="S",
              help="Seconds one request may wait for a server, and take to download (default 20).")
@model_option
@gazetteer_option
@budget_options
@handle_errors
def watch(feeds_file, db, interval, once, timeout, model, gazetteer, max_chars, max_seconds):
    """Poll the RSS/Atom feeds FEEDS_FILE lists and ingest their new items into the database.

    FEEDS_FILE: http(s) URLs or feed file paths, one a line (# starts a comment), or an OPML
    file. Conditional GET and the ids of stored items (kept in DB.watch.json) mean only new
    items are analysed. One line per poll on stderr; SIGTERM or Ctrl-C stops after the feed
    being saved.
    """
    from . import watch as w
    from .sources import max_bytes
    from .store import Store, local_name

    feeds = w.load_feeds(feeds_file)
    options = w.WatchOptions(interval=interval or w.DEFAULT_INTERVAL, timeout=timeout or w.DEFAULT_TIMEOUT,
                             max_bytes=max_bytes())
    with Store.open(db) as store:
        pipeline = _pipeline(model, gazetteer).with_budget(max_chars, max_seconds or None)
        watcher = w.Watcher(feeds, store, pipeline, state_path=w.state_path(local_name(db)), options=options)
        click.echo(f"sitrep: watching {len(feeds)} feeds into {store.path} "
                   f"{'once' if once else f'every {options.interval:g} s'}; SIGTERM or Ctrl-C stops", err=True)
        with w.stop_on_signals(watcher):
            watcher.poll_once() if once else watcher.run()
    click.echo(f"sitrep: watch stopped; state kept in {w.state_path(local_name(db))}", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Output folder: Parquet tables, errors and done markers (a rerun resumes it).")
@click.option("--db", default=None, metavar="PATH|URL", help="Also load the results into this store, merged.")
@click.option("--scheduler", metavar="ADDRESS", help="An existing Dask cluster's scheduler, e.g. tcp://host:8786.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Start a local cluster of N single-threaded worker processes (default: one per core).")
@click.option("--partition-size", type=click.IntRange(min=1), default=200, show_default=True, metavar="N",
              help="Documents per partition (the unit of work, of output files and of resuming).")
@published_option
@model_option
@gazetteer_option
@budget_options
@handle_errors
def batch(inputs, out, db, scheduler, workers, partition_size, published, model, gazetteer, max_chars, max_seconds):
    """Run INPUT... through the pipeline on Dask workers into Parquet tables under --out.

    Inputs as for ingest (files and folders; not stdin). Finished partitions are skipped
    on a rerun; documents that fail are listed in DIR/errors/ and exit status stays 0.
    """
    from . import batch as b

    if scheduler and workers:
        raise UsageError("give --scheduler (an existing cluster) or --workers (a local one), not both")
    job = b.Job(out=out, model=model, gazetteer=gazetteer, max_chars=max_chars, max_seconds=max_seconds or None)
    with b.connect(scheduler, workers) as client:
        if scheduler:
            click.echo(f"sitrep: Dask dashboard: {client.dashboard_link}", err=True)
        summary = b.run(client, inputs, out, job=job, partition_size=partition_size, published=published,
                        progress=sys.stderr.isatty())
    click.echo(b.describe(summary, Path(out).absolute()), err=True)
    if db:
        from .store import display_name

        report, merged = b.load(out, db)
        click.echo(f"{display_name(db)}: {report.articles:,} articles loaded ({report.inserted:,} new, {report.updated:,} updated, "
                   f"{report.unchanged:,} unchanged), {report.events:,} events stored, merged into "
                   f"{merged['canonical_events']:,} canonical events", err=True)
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _write_events(rows: list[dict], fmt: str, fields: tuple[str, ...]) -> None:
    """Write query rows in ``fmt``; with CSV, ``fields`` name CSV columns."""
    if fmt == "csv":
        export.write_csv(rows, sys.stdout, columns=fields)
    elif fmt == "geojson":
        unplaced = export.write_geojson(rows, sys.stdout)
        if unplaced:
            click.echo(f"sitrep: {unplaced} of {len(rows)} events have no coordinates: written with a null "
                       f"geometry", err=True)
    else:
        {"table": export.write_table, "jsonl": export.write_jsonl}[fmt](rows, sys.stdout)


@cli.command()
@db_option
@click.option("--since", callback=_date, metavar="YYYY-MM-DD")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD")
@click.option("--country", metavar="CC|NAME", help="ISO 3166 code or country name, e.g. AF or Afghanistan.")
@click.option("--admin1", metavar="NAME", help="Province/region, as stored or as ACLED spells it (e.g. Aleppo).")
@click.option("--place", metavar="NAME", help="Location name (case-insensitive).")
@click.option("--type", "event_type", metavar="T", help="ACLED event or sub-event type, or PLOVER code.")
@click.option("--actor", metavar="TEXT", help="Part of an actor's name, e.g. Taliban.")
@click.option("--claim", metavar="C", help="reported, claimed, confirmed, denied or disputed.")
@click.option("--status", metavar="S", help="happened, planned, threatened or attempted.")
@click.option("--min-fatalities", type=click.IntRange(min=0), metavar="N")
@min_confidence_option
@click.option("--search", metavar="TEXT", help="Words that must all occur in the evidence sentences.")
@click.option("--reports", is_flag=True, help="One row per report (with its canonical_id), not per merged event.")
@click.option("--political", is_flag=True, help="Include PLOVER-only political acts (offers, calls, threats).")
@click.option("--limit", type=click.IntRange(min=0), metavar="N")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N")
@click.option("--fields", metavar="A,B,C", help="Keep only these fields (with --format csv: these CSV columns).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl", "geojson"]), default="table",
              show_default=True)
@handle_errors
def events(db, since, until, country, admin1, place, event_type, actor, claim, status, min_fatalities,
           min_confidence, search, reports, political, limit, offset, fields, fmt):
    """Query stored events (merged across reports) and export them (CSV: ACLED's columns, then sitrep's)."""
    from .query import EventQuery, run
    from .store import Store

    columns = _split(fields)
    q = EventQuery(since=since, until=until, country=country, admin1=admin1, place=place, event_type=event_type,
                   actor=actor, claim=claim, status=status, min_fatalities=min_fatalities, text=search,
                   reports=reports, political=political, limit=limit, offset=offset,
                   fields=() if fmt == "csv" else columns, **_conf(min_confidence))
    if fmt == "csv":
        export.csv_columns(columns)  # a wrong column name fails before the database is read
    with Store.open(db, read_only=True) as store:
        rows = run(store, q)
    _write_events(rows, fmt, columns)


@cli.command()
@db_option
@click.option("--latest", default=8, show_default=True, help="How many latest developments to list.")
@min_confidence_option
@handle_errors
def summary(db, latest, min_confidence):
    """What a reader wants first: events by type, places that changed hands, latest developments."""
    from .store import Store
    from .summary import write_summary

    with Store.open(db, read_only=True) as store:
        write_summary(store, sys.stdout, latest=latest, **_conf(min_confidence))


@cli.command()
@db_option
@click.option("--as-of", "as_of", callback=_date, metavar="YYYY-MM-DD", help="The state on this day.")
@click.option("--country", metavar="CC", help="ISO 3166 alpha-2 code, e.g. UA.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "geojson", "csv"]), default="table",
              show_default=True)
@min_confidence_option
@handle_errors
def control(db, as_of, country, fmt, min_confidence):
    """Which place is held by whom since when, with the sources of each change."""
    from . import control as ctl
    from .store import Store

    with Store.open(db, read_only=True) as store:
        periods = ctl.timeline(store, as_of=as_of, country=country, **_conf(min_confidence))
    if fmt == "table":
        ctl.write_table(periods, sys.stdout, as_of=as_of)
    else:
        {"json": ctl.write_json, "geojson": ctl.write_geojson, "csv": ctl.write_csv}[fmt](periods, sys.stdout)


@cli.command()
@db_option
@click.option("--since", callback=_date, required=True, metavar="YYYY-MM-DD")
@click.option("--until", callback=_date, required=True, metavar="YYYY-MM-DD")
@click.option("--country", metavar="CC", help="ISO 3166 alpha-2 code, e.g. UA.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, metavar="URL",
              help="Where `sitrep serve` runs: each source links to its article view there.")
@min_confidence_option
@handle_errors
def report(db, since, until, country, fmt, base_url, min_confidence):
    """A situation report for a period: headline figures, changes of control, timeline, sources."""
    from . import report as rep
    from .store import Store

    if since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    with Store.open(db, read_only=True) as store:
        rep.write(store, sys.stdout, since, until, country, fmt, base_url=base_url, **_conf(min_confidence))


@cli.command()
@db_option
@handle_errors
def upgrade(db):
    """Bring a database written by an earlier sitrep up to this version's schema (nothing is lost)."""
    from .store import Store, database_exists, display_name

    if not database_exists(db):
        raise UsageError(f"{display_name(db)} does not exist: there is nothing to upgrade")
    with Store.open(db) as store:  # opening for writing applies the pending migrations
        click.echo(f"{store.path}: schema version {store.schema_version()}, up to date", err=True)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", envvar="SITREP_TOKEN", metavar="SECRET",
              help="Accept POST /api/articles from clients that send 'Authorization: Bearer SECRET' "
                   "(also $SITREP_TOKEN). Without it the service is read-only.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes sharing the port (one per core for many readers).")
@model_option
@gazetteer_option
@handle_errors
def serve(db, host, port, token, workers, model, gazetteer):
    """The dashboard at / and the JSON API at /api/ (OpenAPI at /openapi.json) over the database."""
    from . import api, web
    from .store import Store, display_name

    Store.open(db, read_only=True).close()  # a missing or foreign file is refused now, not at the first request
    if not web.ready():
        click.echo(f"sitrep: warning: {web.NOT_READY}; the API works without them", err=True)
    click.echo(f"sitrep: serving {display_name(db)} at http://{host}:{port}/ ({'accepts POSTed articles' if token else 'read-only'}); "
               f"Ctrl-C stops", err=True)
    api.serve(api.Settings(db=db, token=token or None, model=model, gazetteer=gazetteer), host, port, workers)


@cli.command()
@click.option("--data", type=click.Path(exists=True, file_okay=False),
              help="Folder of labelled *.jsonl sentences (default: the project's own, data/training/).")
@click.option("--acled", type=click.Path(exists=True, dir_okay=False), metavar="EXPORT.csv",
              help="Also train the typer on an ACLED export's notes (your licensed data).")
@click.option("--out", type=click.Path(file_okay=False), help="Where to write detect.npz, type.npz and screen.npz "
              "(default: the installed models, data/models/).")
@model_option
@handle_errors
def train(data, acled, out, model):
    """Fit the sentence detector and the sub-event typer; prints dev-split figures."""
    from . import nlp as _nlp
    from .classify import training

    nlp = _nlp.load(model)
    training.train(Path(out) if out else None, data=Path(data) if data else None,
                   acled=Path(acled) if acled else None, nlp=nlp, out=sys.stdout)


@cli.group()
def gazetteer():
    """The compiled place index."""


@gazetteer.command("build")
@click.option("--path", type=click.Path(dir_okay=False), help="Where to write it (default: the cache path).")
@click.option("--if-missing", is_flag=True, help="Do nothing when a readable index is already there.")
@handle_errors
def gazetteer_build(path, if_missing):
    """(Re)build the place index from the installed GeoNames packages."""
    from . import gazetteer as gz

    target = Path(path) if path else gz.default_path()
    if if_missing and target.exists():
        try:
            gz.Gazetteer.open(target, build_if_missing=False)
            return
        except GazetteerError:
            pass
    gz.build(target)
    click.echo(f"gazetteer written to {target}")


@cli.group(name="eval")
def evaluate():
    """Score the pipeline on real third-party data (floors in src/sitrep/data/baseline.json)."""


def eval_options(fn):
    """--baseline, --model and --gazetteer, shared by every eval command."""
    fn = gazetteer_option(fn)
    fn = model_option(fn)
    return click.option("--baseline", type=click.Path(dir_okay=False), help="Baseline file with floors.")(fn)


def _finish_eval(name: str, scores: dict, baseline) -> None:
    from .evaluation import check_floors

    sys.exit(check_floors(name, scores, baseline, sys.stdout))


@evaluate.command("seed")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder with article.txt and gold.json.")
@eval_options
@handle_errors
def eval_seed(data, baseline, model, gazetteer):
    """Score extract on the seed article against its gold annotation."""
    from .evaluation import seed

    _finish_eval("seed", seed.run(Path(data), _pipeline(model, gazetteer), sys.stdout), baseline)


def _eval_command(name: str, data_help: str, limit_help: str, doc: str, *, dir_only: bool = False) -> None:
    """``sitrep eval NAME --data DIR [--limit N]``: run ``sitrep.evaluation.NAME.run`` and check its floors."""

    @evaluate.command(name, help=doc)
    @click.option("--data", required=True, type=click.Path(exists=True, file_okay=not dir_only), help=data_help)
    @click.option("--limit", type=click.IntRange(min=1), help=limit_help)
    @eval_options
    @handle_errors
    def command(data, limit, baseline, model, gazetteer):
        module = importlib.import_module(f"sitrep.evaluation.{name}")
        scores = module.run(Path(data), _pipeline(model, gazetteer), sys.stdout, limit=limit)
        _finish_eval(name, scores, baseline)


_eval_command("acled", "Folder with acled_world_2022h1.csv / acled_afghanistan_2020_03.csv (or one CSV).",
              "Only the first N held-out notes of each file.",
              "Code ACLED notes (held-out split) and score them against ACLED's columns.")
_eval_command("isaf", "Folder with isaf_dev.jsonl (or the file).", "Only the first N press releases.",
              "Score dates, provinces and killed/captured counts on ISAF press releases.")
_eval_command("muc4", "Folder with raw_dev/ (texts dev-muc3-* and keys key-dev-*.muc4).",
              "Only the first N messages with a template.",
              "Score event status (done/attempted/threatened) and claim on MUC-4 dev messages.", dir_only=True)
_eval_command("plover", "Folder with PLOVER_GSR_CAMEO.txt (or the file).", "Only the first N records.",
              "Score the PLOVER type of the main event on the PLOVER gold standard records.")


@evaluate.command("news")
@click.option("--data", required=True, type=click.Path(exists=True),
              help="The news-gold folder (or its guardian_dev.jsonl).")
@click.option("--texts", type=click.Path(exists=True),
              help="The guardian-sdf folder or its CSV (default: guardian-sdf beside the news-gold folder).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N gold articles.")
@click.option("--quiet", "-q", is_flag=True, help="Print the scores only, not every wrong and missed event.")
@eval_options
@handle_errors
def eval_news(data, texts, limit, quiet, baseline, model, gazetteer):
    """Event precision/recall and field accuracies on hand-annotated Guardian articles."""
    from .evaluation import news

    scores = news.run(Path(data), _pipeline(model, gazetteer), sys.stdout, limit=limit,
                      texts=Path(texts) if texts else None, verbose=not quiet)
    _finish_eval("news", scores, baseline)


@evaluate.command("geoparse")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder with GeoVirus.xml and TUD-Loc2013.zip.")
@click.option("--ner/--no-ner", default=True, show_default=True, help="Propose names with spaCy's NER.")
@click.option("--limit", type=int, help="Only the first N documents of each corpus.")
@eval_options
@handle_errors
def eval_geoparse(data, ner, limit, baseline, model, gazetteer):
    """Toponym P/R/F1, accuracy within 161 km and error in km on real geoparsing corpora."""
    from .evaluation import geoparse as geo_eval

    scores = geo_eval.run(Path(data), _pipeline(model, gazetteer), sys.stdout, ner=ner, limit=limit)
    _finish_eval("geoparse" if ner else "geoparse_no_ner", scores, baseline)


@evaluate.command("control")
@click.option("--sample", "sample_dir", type=click.Path(exists=True, file_okay=False),
              help="A corpus folder with dispatches.jsonl and gold.json (e.g. samples/ukraine-2022).")
@click.option("--guardian", type=click.Path(exists=True),
              help="The guardian-sdf folder: ingest it and check three dated changes of control.")
@eval_options
@handle_errors
def eval_control(sample_dir, guardian, baseline, model, gazetteer):
    """Control timelines and merged events against a gold timeline and the public record."""
    from .evaluation import control as ctl_eval

    if not sample_dir and not guardian:
        raise UsageError("give --sample DIR, --guardian DIR or both")
    pipeline = _pipeline(model, gazetteer)
    scores = {}
    if sample_dir:
        scores |= ctl_eval.run_sample(Path(sample_dir), pipeline, sys.stdout)
    if guardian:
        scores |= ctl_eval.run_guardian(Path(guardian), pipeline, sys.stdout)
    _finish_eval("control", scores, baseline)


@cli.command()
@click.option("--data", type=click.Path(exists=True),
              help="Folder with Guardian_SDF_sample.csv (or the CSV itself).")
@click.option("--limit", type=int, help="Only the first N articles.")
@click.option("--store-scaling", is_flag=True,
              help="Instead: time storing 1,000 articles into an empty database and into a full one.")
@click.option("--existing-events", default=100_000, show_default=True, help="With --store-scaling.")
@click.option("--sizes", is_flag=True,
              help="Instead: time and peak RSS of one document of 10 KB to 1 MB (with --max-chars).")
@click.option("--max-chars", type=click.IntRange(min=1), help="With --sizes (default: the extract default).")
@click.option("--api", is_flag=True, help="Instead: latency of GET /api/events under concurrent clients on a "
              "generated database, and the dashboard's load times in headless Chromium (needs ab).")
@click.option("--events", default=100_000, show_default=True, help="With --api: events in the database.")
@click.option("--clients", default=20, show_default=True, help="With --api: concurrent clients.")
@click.option("--workers", default=1, show_default=True, help="With --api: server processes.")
@click.option("--watch", "watch_latency", is_flag=True, help="Instead: seconds from an item appearing in a "
              "served feed to its events being queryable, under `sitrep watch`.")
@click.option("--interval", type=click.FloatRange(min=1), metavar="S",
              help="With --watch: the watcher's poll interval (default: watch's, 300).")
@click.option("--trials", default=5, show_default=True, type=click.IntRange(min=1), help="With --watch.")
@click.option("--batch", "batch_scaling", is_flag=True, help="Instead: `sitrep batch` articles/s on 1 and 2 Dask "
              "workers, scaling efficiency and memory per worker (with --data, --articles).")
@click.option("--articles", default=2000, show_default=True, type=click.IntRange(min=1),
              help="With --batch: documents (the Guardian articles repeated, distinct ids).")
@click.option("--postgres", metavar="URL", help="Instead: two `sitrep ingest` processes with overlapping inputs "
              "(the sample corpus, or --data) into this PostgreSQL database against one (needs CREATE there).")
@model_option
@gazetteer_option
@handle_errors
def bench(data, limit, store_scaling, existing_events, sizes, max_chars, api, events, clients, workers,
          watch_latency, interval, trials, batch_scaling, articles, postgres, model, gazetteer):
    """Pipeline throughput against a bare spaCy pass on the same texts; last line is JSON."""
    from . import bench as b

    if api:
        from . import bench_web

        bench_web.run(events=events, clients=clients, workers=workers, out=sys.stdout)
        return
    if postgres:
        from . import bench_pg

        bench_pg.run(postgres, data=Path(data) if data else None, limit=limit, model=model, gazetteer=gazetteer,
                     out=sys.stdout)
        return
    if watch_latency:
        from . import bench_watch

        bench_watch.run(interval=interval, trials=trials, model=model, gazetteer=gazetteer, out=sys.stdout)
        return
    if batch_scaling:
        from . import bench_batch

        if not data:
            raise UsageError("give --data DIR (the guardian-sdf folder) with --batch")
        bench_batch.run(Path(data), articles=articles, model=model, gazetteer=gazetteer, max_chars=max_chars,
                        out=sys.stdout)
        return
    if sizes:
        b.size_scaling(max_chars=max_chars, model=model, gazetteer=gazetteer, out=sys.stdout)
        return
    if store_scaling:
        b.store_scaling(existing_events=existing_events, out=sys.stdout)
        return
    if not data:
        raise UsageError("give --data DIR (the guardian-sdf folder), or --store-scaling")
    b.run(Path(data), limit=limit, model=model, gazetteer=gazetteer, out=sys.stdout)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("sitrep: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: say so, distinctly from "some inputs failed"
        import traceback

        traceback.print_exc()
        click.echo(f"sitrep: internal error ({type(exc).__name__}: {exc}); sitrep failed, not your input - "
                   f"please report this with the traceback above", err=True)
        sys.exit(EXIT_INTERNAL)
