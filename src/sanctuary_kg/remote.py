"""HTTP to a remote store: credentials sent, retries with back-off, one-line errors.

Credentials and URL checks live in :mod:`sanctuary_kg.access` (the same for
queries and loads); they are never shown. Connection failures, timeouts, 5xx
and 429 answers are retried; a ``Retry-After`` header is honoured, up to
:data:`MAX_RETRY_AFTER` seconds.
"""

from __future__ import annotations

import email.utils
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .access import PASSWORD, TOKEN, USER, Credentials, check_url, opener, shown, unauthorized
from .errors import EndpointError
from .sparql import Results, parse_json_results

__all__ = ["PASSWORD", "TOKEN", "USER", "Client", "Credentials", "Response", "check_url", "shown"]
RETRIED = frozenset({429, 500, 502, 503, 504})  # worth another try; other codes will not change
MAX_RETRY_AFTER = 30.0  # seconds: a longer Retry-After is cut to this


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


@dataclass(frozen=True)
class Client:
    """Sends requests to one server; retries connection failures, timeouts, 5xx and 429 answers."""

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
        send = opener()
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method=method)
                with send.open(request, timeout=self.timeout) as answer:
                    return Response(answer.status, answer.read())
            except urllib.error.HTTPError as error:
                if error.code not in RETRIED:
                    raise _refusal(error, method, url, body, creds, what) from None
                failure = (f"answered {error.code} {error.reason}{_detail(error)}",
                           "see the server's log, then rerun the same command")
                wait = retry_after(error.headers.get("Retry-After"))
            except (http.client.HTTPException, OSError) as error:  # URLError and TimeoutError are OSErrors
                failure = _failure(getattr(error, "reason", error), self.timeout)
                wait = None
            if attempt < attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1) if wait is None else wait)
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
        return unauthorized(url, creds)
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
        return EndpointError(f"{where} redirects to {shown(error.headers.get('Location', '?'))} ({code}): use that URL")
    return EndpointError(f"{where} answered {code} {error.reason}{_detail(error)}")


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), at most MAX_RETRY_AFTER.

    >>> retry_after("7"), retry_after("86400"), retry_after(None), retry_after("soon")
    (7.0, 30.0, None, None)
    >>> retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


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
