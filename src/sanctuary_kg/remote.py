"""HTTP to a remote store: credentials from the environment, retries with back-off, one-line errors.

Credentials come from ``SANCTUARY_KG_TOKEN`` (a bearer token), or from
``SANCTUARY_KG_USER`` and ``SANCTUARY_KG_PASSWORD`` (HTTP Basic), or from the
netrc file (``$NETRC`` or ``~/.netrc``) entry for the endpoint's host; never from
the command line or a URL. No message, report or ``repr`` holds them.

>>> creds = Credentials.find("http://localhost:3030/ds",
...                          {"SANCTUARY_KG_USER": "ann", "SANCTUARY_KG_PASSWORD": "s3cret"})
>>> creds
Credentials(source='SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD')
>>> creds.header
'Basic YW5uOnMzY3JldA=='
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import EndpointError
from .sparql import Results, parse_json_results

TOKEN = "SANCTUARY_KG_TOKEN"
USER = "SANCTUARY_KG_USER"
PASSWORD = "SANCTUARY_KG_PASSWORD"
RETRIED = frozenset({429, 500, 502, 503, 504})  # worth another try; other codes will not change


@dataclass(frozen=True)
class Credentials:
    """The ``Authorization`` header for an endpoint, and where it came from (never shown)."""

    source: str
    header: str = field(repr=False)

    @classmethod
    def find(cls, url: str, environ: Mapping[str, str] | None = None,
             netrc_file: Path | None = None) -> Credentials | None:
        """Credentials for ``url`` from the environment, else from the netrc file; None if there are none."""
        env = os.environ if environ is None else environ
        if env.get(TOKEN):
            return cls(TOKEN, f"Bearer {env[TOKEN]}")
        if env.get(USER) or env.get(PASSWORD):
            if not (env.get(USER) and env.get(PASSWORD)):
                raise EndpointError(f"set both {USER} and {PASSWORD}, or neither")
            return cls(f"{USER} and {PASSWORD}", _basic(env[USER], env[PASSWORD]))
        path = netrc_file or Path(env.get("NETRC") or Path.home() / ".netrc")
        host = urlsplit(url).hostname or ""
        if not path.is_file():
            return None
        try:
            entry = netrc.netrc(str(path)).authenticators(host)
        except (netrc.NetrcParseError, OSError) as error:
            line = getattr(error, "lineno", None)
            raise EndpointError(f"cannot read {path}{f' line {line}' if line else ''}: fix it or set {USER}") from None
        if entry is None or not entry[2]:
            return None
        return cls(f"{path} (machine {host})", _basic(entry[0], entry[2]))


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def check_url(url: str, what: str = "endpoint") -> str:
    """``url`` if it is an http(s) URL without credentials in it.

    >>> check_url("http://localhost:3030/ds")
    'http://localhost:3030/ds'
    >>> check_url("http://ann:s3cret@localhost:3030/ds")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    sanctuary_kg.errors.EndpointError: the endpoint URL holds credentials: remove them and set SANCTUARY_KG_USER ...
    """
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise EndpointError(f"the {what} URL holds credentials: remove them and set {USER} and {PASSWORD} "
                            f"(or {TOKEN}) instead")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"the {what} URL must start with http:// or https:// and name a host, not {url!r}")
    return url


def shown(url: str) -> str:
    """``url`` for messages: without its query string."""
    return url.split("?", 1)[0]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: it could carry the Authorization header to another host."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(frozen=True)
class Client:
    """Sends requests to one server; retries connection failures, timeouts and 5xx answers."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] | None = None  # None: os.environ
    netrc_file: Path | None = None

    def credentials(self, url: str) -> Credentials | None:
        return Credentials.find(url, self.environ, self.netrc_file)

    def request(self, method: str, url: str, body: bytes | None = None, *, content_type: str | None = None,
                accept: str | None = None, what: str = "") -> Response:
        """Send one request; return the 2xx response or raise :class:`EndpointError` saying what to do."""
        headers = {"User-Agent": "sanctuary-kg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        creds = self.credentials(url)
        if creds:
            headers["Authorization"] = creds.header
        opener = urllib.request.build_opener(_NoRedirects)
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method=method)
                with opener.open(request, timeout=self.timeout) as answer:
                    return Response(answer.status, answer.read())
            except urllib.error.HTTPError as error:
                if error.code not in RETRIED:
                    raise _refusal(error, method, url, body, creds, what) from None
                failure = (f"answered {error.code} {error.reason}{_detail(error)}",
                           "see the server's log, then rerun the same command")
            except (http.client.HTTPException, OSError) as error:  # URLError and TimeoutError are OSErrors
                failure = _failure(getattr(error, "reason", error), self.timeout)
            if attempt < attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        tried = f" ({attempts} attempts)" if attempts > 1 else ""
        doing = f" during {what}" if what else ""
        raise EndpointError(f"{shown(url)} {failure[0]}{doing}{tried}: {failure[1]}")

    def query(self, endpoint: str, query: str) -> Results:
        """Run a SELECT or ASK query with the SPARQL 1.1 Protocol (POST), sending the credentials."""
        answer = self.request("POST", endpoint, query.encode(), content_type="application/sparql-query",
                              accept="application/sparql-results+json", what="a query")
        return parse_json_results(answer.body, shown(endpoint))


def _refusal(error: urllib.error.HTTPError, method: str, url: str, body: bytes | None,
             creds: Credentials | None, what: str) -> EndpointError:
    """The one-line error for a 4xx (or unretried 5xx) answer."""
    where = shown(url)
    doing = f" {what}" if what else f" {method}"
    code = error.code
    if code == 401:
        if creds:
            return EndpointError(f"{where} refused the credentials from {creds.source} (401 Unauthorized): check them")
        host = urlsplit(url).hostname
        return EndpointError(f"{where} wants credentials (401 Unauthorized): set {USER} and {PASSWORD} "
                             f"(or {TOKEN}), or add a ~/.netrc entry for {host}")
    if code == 403:
        return EndpointError(f"{where} forbids{doing} (403 Forbidden): give the account write access to the dataset"
                             " (Fuseki: start it with --update and allow this user)")
    if code == 404:
        return EndpointError(f"{where} does not exist (404 Not Found): check the URL and --layout"
                             " (Fuseki: http://HOST:3030/DATASET; Oxigraph: http://HOST:7878)")
    if code == 405:
        return EndpointError(f"{where} does not allow {method} (405 Method Not Allowed): is the dataset read-only?"
                             " (Fuseki: start it with --update)")
    if code == 413:
        size = f"{len(body):,} bytes" if body else "the body"
        return EndpointError(f"{where} refused{doing} as too large ({size}, 413 Payload Too Large): raise the upload"
                             " limit of the server or of the proxy in front of it (nginx: client_max_body_size),"
                             " or give the file of `sanctuary-kg export` to the store's bulk loader")
    if code in (301, 302, 303, 307, 308):
        return EndpointError(f"{where} redirects to {error.headers.get('Location', '?')} ({code}): use that URL")
    return EndpointError(f"{where} answered {code} {error.reason}{_detail(error)}")


def _detail(error: urllib.error.HTTPError) -> str:
    try:
        lines = error.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return f": {lines[0][:200]}" if lines else ""


def _failure(reason: object, timeout: float) -> tuple[str, str]:
    """What went wrong with a connection, and what to do about it."""
    if isinstance(reason, TimeoutError):
        return f"did not answer within {timeout:g} s", "try a larger --timeout"
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "closed the connection without an answer", "see the server's log, then rerun the same command"
    what = "connection refused" if isinstance(reason, ConnectionRefusedError) else str(reason) or type(reason).__name__
    return f"could not be reached ({what})", "is the server running and the URL right? Then rerun the same command"
