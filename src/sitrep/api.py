"""``sitrep serve``: the store as a JSON API, and the dashboard at ``/``.

    app = create_app(Settings(db="sitrep.db"))      # an ASGI app (FastAPI)
    uvicorn.run(app, host="127.0.0.1", port=8000)

Every endpoint is a thin caller of the library: events go through the one
query layer (``query.EventQuery``, the same filters as ``sitrep events``),
control through ``control.timeline``, the report through ``report.build``.
The database is opened read-only per request; only ``POST /api/articles``
writes, and only when the settings carry a token (without one the service
is read-only). The OpenAPI description is at ``/openapi.json``; the
interactive docs pages are off because they load their scripts from a CDN.
"""

# (no "from __future__ import annotations": FastAPI reads the endpoints' annotations as objects)

import datetime as dt
import io
import json
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import export, figures, query
from .errors import SitrepError, StoreError, UsageError

MAX_PAGE = 5000  # events per page at most
DEFAULT_PAGE = 500
MAX_POST_BYTES = 20_000_000


@dataclass(frozen=True)
class Settings:
    """What the service is built from. ``token``: the secret a POST must carry (None: read-only)."""

    db: str = "sitrep.db"
    token: str | None = None
    model: str | None = None
    gazetteer: str | None = None


class _Ingest:
    """The pipeline for POSTed articles, loaded on the first POST and shared (one at a time)."""

    def __init__(self, settings: Settings, pipeline=None):
        self.settings = settings
        self._pipeline = pipeline
        self._lock = threading.Lock()

    def run(self, body: bytes) -> dict[str, Any]:
        from .pipeline import Options, Pipeline
        from .sources import iter_articles
        from .store import Store

        errors: list[str] = []
        with self._lock:
            if self._pipeline is None:
                s = self.settings
                self._pipeline = Pipeline(Options(model=s.model, gazetteer=Path(s.gazetteer) if s.gazetteer else None))
            items = iter_articles(["-"], stdin=io.BytesIO(body))
            articles = []
            for item in items:
                if isinstance(item, Exception):
                    errors.append(str(item))
                else:
                    articles.append(item)
            results = list(self._pipeline.process_many(articles, on_error=lambda a, exc: errors.append(str(exc))))
            with Store.open(self.settings.db) as store:
                report = store.save(results)
        return {"articles": report.articles, "inserted": report.inserted, "updated": report.updated,
                "unchanged": report.unchanged, "events": report.events, "errors": errors,
                "ids": [r.article.id for r in results]}


def _as_lines(body: bytes, content_type: str) -> bytes:
    """The POSTed articles as JSON Lines: one JSON object (pretty-printed or not), an array of them,
    or JSON Lines as sent (each line then read, and reported by number, on its own)."""
    stripped = body.lstrip()
    if "ndjson" in content_type or "jsonl" in content_type or not stripped.startswith((b"[", b"{")):
        return body
    try:
        items = json.loads(body)
    except json.JSONDecodeError as exc:
        if stripped.startswith(b"{"):
            return body  # JSON Lines: several objects, or a bad line the reader reports by its number
        raise UsageError(f"the body is not JSON ({exc.msg} at line {exc.lineno}); send an array of "
                         f'articles such as [{{"text": "...", "published": "2024-03-15"}}] or JSON Lines') from exc
    items = items if isinstance(items, list) else [items]
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{name}={value!r} is not a date: give YYYY-MM-DD") from exc


def create_app(settings: Settings | None = None, pipeline=None):
    """The ASGI application serving ``settings.db``; ``pipeline`` (loaded on the first POST when
    None) reads POSTed articles."""
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, PlainTextResponse, Response

    from .store import display_name

    settings = settings or Settings()
    ingest = _Ingest(settings, pipeline)
    app = FastAPI(title="sitrep", version=_version(), docs_url=None, redoc_url=None,
                  description="Conflict events read from news: merged events with their sources, "
                              "control of places, situation reports and statistics.")

    readers = threading.local()
    shown_db = display_name(settings.db)  # in messages: a PostgreSQL URL without its password

    @contextmanager
    def store() -> Iterator[Any]:
        """This worker thread's read-only connection: kept open, so its page cache stays warm
        (each statement still reads the latest committed data)."""
        from .store import Store

        s = getattr(readers, "store", None)
        if s is None:
            s = readers.store = Store.open(settings.db, read_only=True)
        yield s

    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(RequestValidationError)
    def _bad_parameter(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}"
                             for e in exc.errors())
        return JSONResponse({"error": f"bad parameter ({problems}); see /openapi.json"}, status_code=400)

    @app.exception_handler(HTTPException)
    def _http_error(request: Request, exc: HTTPException):
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(SitrepError)
    def _sitrep_error(request: Request, exc: SitrepError):
        status = 404 if isinstance(exc, NotFound) else 503 if isinstance(exc, StoreError) else 400
        return JSONResponse({"error": str(exc)}, status_code=status)

    @app.get("/api/events", summary="Events, merged by default; the filters of `sitrep events`")
    def events(request: Request, format: str = "json"):
        params = dict(request.query_params)
        params.pop("format", None)
        params.setdefault("limit", str(DEFAULT_PAGE))
        q = query.EventQuery.from_params(params)
        if q.limit is None or q.limit > MAX_PAGE:
            raise UsageError(f"limit must be at most {MAX_PAGE}; page with offset")
        with store() as s:
            rows = query.run(s, q)
            total = query.count(s, q)
        if format == "json":  # written directly: the rows are plain JSON values already
            body = {"total": total, "offset": q.offset or 0, "limit": q.limit, "events": rows}
            return Response(json.dumps(body, default=str), media_type="application/json")
        out = io.StringIO()
        if format == "csv":
            export.write_csv(rows, out, **({"columns": q.fields} if q.fields else {}))
            return Response(out.getvalue(), media_type="text/csv")
        if format == "geojson":
            export.write_geojson(rows, out)
            return Response(out.getvalue(), media_type="application/geo+json")
        raise UsageError(f"format={format!r}: use json, csv or geojson")

    @app.get("/api/events/{event_id}", summary="One merged event, its reports, and each evidence span")
    def event(event_id: str):
        with store() as s:
            return _event_detail(s, event_id)

    @app.get("/api/articles/{article_id}", summary="An article's text, with the spans of its events and places")
    def article(article_id: str):
        with store() as s:
            result = s.get_article(article_id)
        if result is None:
            raise NotFound(f"no article {article_id!r} in {shown_db}")
        return article_view(result)

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str):
        from . import web

        with store() as s:
            result = s.get_article(article_id)
        if result is None:
            raise NotFound(f"no article {article_id!r} in {shown_db}")
        return Response(web.article_html(article_view(result)), media_type="text/html")

    @app.get("/api/control", summary="Who holds which place since when (a place's whole history with place=)")
    def control(as_of: str | None = None, country: str | None = None, place: str | None = None,
                min_confidence: float | None = None):
        from . import control as ctl

        cc = query.country_code(country) if country else None
        day = _day(as_of, "as_of")
        with store() as s:
            periods = ctl.timeline(s, as_of=None if place else day, country=cc,
                                   **({} if min_confidence is None else {"min_confidence": min_confidence}))
        if place:
            want = place.casefold()
            periods = [p for p in periods if (p.place.get("name") or "").casefold() == want]
        elif day is not None:  # what was known on the day: who held each place then
            periods = ctl.state(periods)
        return {"as_of": as_of, "periods": [p.to_dict() for p in periods]}

    @app.get("/api/report", summary="A situation report for a period (Markdown, or HTML with format=html)")
    def report(since: str, until: str, country: str | None = None, format: str = "md",
               min_confidence: float | None = None):
        from . import report as rep

        a, b = _day(since, "since"), _day(until, "until")
        if a > b:
            raise UsageError(f"since {a} is after until {b}")
        cc = query.country_code(country) if country else None
        with store() as s:
            lines = rep.build(s, a, b, cc, min_confidence=min_confidence, base_url="")
            figures = rep.figures_html(s, a, b, cc, min_confidence) if format == "html" else ""
        if format == "html":
            return Response(rep.to_html(lines, figures), media_type="text/html")
        return PlainTextResponse("\n".join(lines) + "\n", media_type="text/markdown")

    @app.get("/api/types", summary="ACLED's event types and sub-event types, as the filters take them")
    def types():
        from .taxonomy import ACLED_SUB_TYPES

        return {"event_types": list(dict.fromkeys(ACLED_SUB_TYPES.values())),
                "sub_event_types": {sub: kind for sub, kind in ACLED_SUB_TYPES.items()},
                "colours": figures.TYPE_COLOURS}

    @app.get("/api/statistics", summary="Aggregate figures quoted by articles (tolls since a date, totals)")
    def statistics(since: str | None = None, until: str | None = None):
        with store() as s:
            rows = s.statistics_rows(since=_day(since, "since"), until=_day(until, "until"))
        return {"statistics": rows}

    @app.get("/api/weekly", summary="Events and fatalities per week and event type (the dashboard's chart)")
    def weekly(request: Request):
        params = dict(request.query_params)
        params.pop("limit", None)
        params.pop("offset", None)
        params["fields"] = "date,event_type,fatalities"  # all a week's cell is made of
        with store() as s:
            rows = query.run(s, query.EventQuery.from_params(params))
        return {"weeks": figures.weekly_counts(rows)}

    @app.post("/api/articles", summary="Ingest articles (the `extract` input format); needs the token")
    async def post_articles(request: Request):
        if not settings.token:
            return JSONResponse({"error": "this service is read-only: start it with a token "
                                          "(SITREP_TOKEN or --token) to accept articles"}, status_code=403)
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(given.encode(), settings.token.encode()):
            return JSONResponse({"error": "wrong or missing token: send 'Authorization: Bearer <token>'"},
                                status_code=401)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_POST_BYTES:
            return JSONResponse({"error": f"body over {MAX_POST_BYTES:,} bytes: send fewer articles per request"},
                                status_code=413)
        body = await request.body()
        if len(body) > MAX_POST_BYTES:
            return JSONResponse({"error": f"body over {MAX_POST_BYTES:,} bytes: send fewer articles per request"},
                                status_code=413)
        lines = _as_lines(body, request.headers.get("content-type", ""))
        import anyio

        return await anyio.to_thread.run_sync(ingest.run, lines)

    _mount_dashboard(app)
    return app


def settings_from_environment() -> Settings:
    """Settings passed to worker processes (``sitrep serve --workers N``) through the environment."""
    import os

    return Settings(db=os.environ.get("SITREP_SERVE_DB", "sitrep.db"), token=os.environ.get("SITREP_TOKEN") or None,
                    model=os.environ.get("SITREP_MODEL") or None, gazetteer=os.environ.get("SITREP_GAZETTEER") or None)


def app_from_environment():
    """The app of one worker process (uvicorn's factory)."""
    return create_app(settings_from_environment())


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the service; with ``workers`` > 1, that many processes share the port."""
    import os

    import uvicorn

    if workers <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    os.environ["SITREP_SERVE_DB"] = settings.db
    for key, value in (("SITREP_TOKEN", settings.token), ("SITREP_MODEL", settings.model),
                       ("SITREP_GAZETTEER", settings.gazetteer)):
        if value:
            os.environ[key] = value
    uvicorn.run("sitrep.api:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"


def _event_detail(s, event_id: str) -> dict[str, Any]:
    """The canonical event ``event_id`` (or the one a report id belongs to) with its reports and spans."""
    canonical = s.canonical_event(event_id)
    if canonical is None:
        raise NotFound(f"no event {event_id!r}: take ids from /api/events")
    reports = s.canonical_reports(canonical["id"])
    for r in reports:
        r["evidence"] = [{"article_id": r["article_id"], **span} for span in r["evidence"]]
    return {"event": canonical, "reports": reports}


class NotFound(UsageError):
    """A path names an event or an article the store does not hold (HTTP 404)."""


def article_view(result) -> dict[str, Any]:
    """An article's text and the spans marked in it: each event's evidence and each place mention."""
    a = result.article
    spans = []
    for e in tuple(result.events) + tuple(result.political):
        for sp in e.evidence:
            spans.append({"start": sp.start, "end": sp.end, "kind": "event", "event_id": e.id,
                          "label": e.sub_event_type or e.plover})
    for m in result.places:
        spans.append({"start": m.start, "end": m.end, "kind": "place", "label": m.place.name if m.place else None,
                      "geonameid": m.place.geonameid if m.place else None})
    spans.sort(key=lambda x: (x["start"], x["kind"] != "event"))
    return {"id": a.id, "title": a.title, "url": a.url, "source": a.source,
            "published": a.published.isoformat() if a.published else None, "text": a.text, "spans": spans}


def _mount_dashboard(app) -> None:
    from fastapi.responses import FileResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles

    from . import web

    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")
    vendor = web.vendor_dir()
    if vendor.is_dir():
        app.mount("/vendor", StaticFiles(directory=vendor), name="vendor")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/", include_in_schema=False)
    def index():
        if not web.ready():
            return JSONResponse({"error": web.NOT_READY}, status_code=503)
        return FileResponse(web.STATIC / "index.html")
