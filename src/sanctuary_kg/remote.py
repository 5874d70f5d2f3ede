"""HTTP to a remote store: credentials sent, retries with back-off, one-line errors.

Credentials and URL checks live in :mod:`sanctuary_kg.access` (the same for
queries and loads); they are never shown. Connection failures, timeouts, 5xx
and 429 answers are retried; a ``Retry-After`` header is honoured, up to
:data:`MAX_RETRY_AFTER` seconds.
"""

from __future__ import annotations

import email.utils
import http.client
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from .access import PASSWORD, TOKEN, USER, Credentials, check_url, shown, unauthorized
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
    """Sends requests to one server over kept-alive connections (one per thread and host);
    retries connection failures, timeouts, 5xx and 429 answers."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] | None = None  # None: os.environ
    netrc_file: Path | None = None
    _connections: dict[tuple[int, str, str, int | None], http.client.HTTPConnection] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def credentials(self, url: str) -> Credentials | None:
        return Credentials.find(url, self.environ, self.netrc_file)

    def request(self, method: str, url: str, body: bytes | None = None, *, content_type: str | None = None,
                accept: str | None = None, what: str = "") -> Response:
        """Send one request; return the 2xx response or raise :class:`EndpointError` saying what to do.

        Redirects are not followed: they could carry the credentials to another host.
        """
        headers = {"User-Agent": "sanctuary-kg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        creds = self.credentials(url)
        if creds:
            headers["Authorization"] = creds.header
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                status, reason, answer, data = self._send(parts, method, target, body, headers)
                if 200 <= status < 300:
                    return Response(status, data)
                if status not in RETRIED:
                    raise _refusal(status, reason, answer, data, method, url, body, creds, what)
                failure = (f"answered {status} {reason}{_detail(data)}", "see the server's log, then rerun the same command")
                wait = retry_after(answer.get("Retry-After"))
            except (http.client.HTTPException, OSError) as error:  # TimeoutError and refused connections are OSErrors
                failure = _failure(error, self.timeout)
                wait = None
            if attempt < attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1) if wait is None else wait)
        tried = f" ({attempts} attempts)" if attempts > 1 else ""
        doing = f" during {what}" if what else ""
        raise EndpointError(f"{shown(url)} {failure[0]}{doing}{tried}: {failure[1]}")

    def _send(self, parts: SplitResult, method: str, target: str, body: bytes | None,
              headers: dict[str, str]) -> tuple[int, str, Message, bytes]:
        """One exchange on this thread's connection to the host; a connection the server has since closed
        is replaced once, at no cost to the retries."""
        key = (threading.get_ident(), parts.scheme, parts.hostname or "", parts.port)
        for fresh in (key not in self._connections, True):
            if fresh:
                self._close(key)
                kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                self._connections[key] = kind(parts.hostname or "", parts.port, timeout=self.timeout)
            connection = self._connections[key]
            try:
                connection.request(method, target, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._close(key)
                if fresh:
                    raise
                continue  # a kept-alive connection the server had closed
            except BaseException:
                self._close(key)
                raise
            if answer.will_close:
                self._close(key)
            return answer.status, answer.reason, answer.headers, data
        raise AssertionError("unreachable")

    def _close(self, key: tuple[int, str, str, int | None]) -> None:
        connection = self._connections.pop(key, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close every kept-alive connection."""
        for key in list(self._connections):
            self._close(key)

    def query(self, endpoint: str, query: str) -> Results:
        """Run a SELECT or ASK query with the SPARQL 1.1 Protocol (POST), sending the credentials."""
        answer = self.request("POST", endpoint, query.encode(), content_type="application/sparql-query",
                              accept="application/sparql-results+json", what="a query")
        return parse_json_results(answer.body, shown(endpoint))


def _refusal(code: int, reason: str, headers: Message, data: bytes, method: str, url: str, body: bytes | None,
             creds: Credentials | None, what: str) -> EndpointError:
    """The one-line error for a 4xx (or unretried 5xx) answer."""
    where = shown(url)
    doing = f" {what}" if what else f" {method}"
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
        return EndpointError(f"{where} redirects to {shown(headers.get('Location', '?'))} ({code}): use that URL")
    return EndpointError(f"{where} answered {code} {reason}{_detail(data)}")


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


def _detail(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return f": {lines[0][:200]}" if lines else ""


def _failure(reason: object, timeout: float) -> tuple[str, str]:
    """What went wrong with a connection, and what to do about it."""
    if isinstance(reason, TimeoutError):
        return f"did not answer within {timeout:g} s", "try a larger --timeout"
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "closed the connection without an answer", "see the server's log, then rerun the same command"
    what = "connection refused" if isinstance(reason, ConnectionRefusedError) else str(reason) or type(reason).__name__
    return f"could not be reached ({what})", "is the server running and the URL right? Then rerun the same command"
