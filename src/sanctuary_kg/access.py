"""Where a server is and who we are to it: endpoint URLs checked, credentials found, neither ever shown.

Every URL a command is given (``query``/``sparql``/``trace --endpoint``, ``load``'s
dataset and service URLs) goes through :func:`check_url`, which refuses one that
is not http(s), does not parse, or holds credentials, without repeating them.

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
import netrc
import os
import re
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import EndpointError

TOKEN = "SANCTUARY_KG_TOKEN"
USER = "SANCTUARY_KG_USER"
PASSWORD = "SANCTUARY_KG_PASSWORD"
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")


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


def check_url(url: str, what: str = "endpoint", *, dataset: bool = False) -> str:
    """``url`` if it is an http(s) URL naming a host, without credentials; else a one-line EndpointError.

    A ``dataset`` URL (one that service paths are appended to) may not have a
    query string or a fragment either. Messages never repeat credentials or a
    query string.

    >>> check_url("http://localhost:3030/ds")
    'http://localhost:3030/ds'
    >>> check_url("http://ann:s3cret@localhost:3030/ds")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    sanctuary_kg.errors.EndpointError: the endpoint URL holds credentials: remove them and set SANCTUARY_KG_USER ...
    >>> check_url("http://[::1", "query")
    Traceback (most recent call last):
    sanctuary_kg.errors.EndpointError: the query URL 'http://[::1' is not a valid URL (Invalid IPv6 URL): give http(s)://HOST[:PORT]/PATH
    """
    head = re.split(r"[?#]", url, maxsplit=1)[0]
    problem = None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError as error:
        parts, problem = None, str(error)
    web = parts is not None and parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    # user:password@ in the authority, or anywhere before the path when the URL is malformed
    if "@" in (parts.netloc if web and parts is not None else head):
        raise EndpointError(f"the {what} URL holds credentials: remove them and set {USER} and {PASSWORD} "
                            f"(or {TOKEN}, or a ~/.netrc entry) instead; they are never taken from a URL")
    if problem is not None:
        raise EndpointError(f"the {what} URL {shown(url)!r} is not a valid URL ({problem}): "
                            "give http(s)://HOST[:PORT]/PATH")
    if _UNSAFE.search(url):
        raise EndpointError(f"the {what} URL {shown(url)!r} holds spaces or control characters: "
                            "percent-encode them (%20)")
    if not web or parts is None or not parts.hostname:
        raise EndpointError(f"the {what} URL {shown(url)!r} is not an http(s) URL: it must start with http:// or "
                            "https:// and name a host")
    if "#" in url:
        raise EndpointError(f"the {what} URL {shown(url)!r} has a fragment (#...), which is never sent: remove it")
    if dataset and "?" in url:
        raise EndpointError(f"the {what} URL {shown(url)!r} has a query string (?...): give the dataset's own URL "
                            f"(http://HOST:PORT/DATASET); credentials go in {USER} and {PASSWORD} (or {TOKEN})")
    return url


def shown(url: str) -> str:
    """``url`` for messages: without credentials, query string or fragment (they may hold secrets).

    >>> shown("http://localhost:3030/ds/query?password=s3cret")
    'http://localhost:3030/ds/query'
    >>> shown("http://ann:s3cret@localhost:3030/ds")
    'http://localhost:3030/ds'
    """
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@]*@", r"\1", re.split(r"[?#]", url, maxsplit=1)[0])


def unauthorized(url: str, creds: Credentials | None) -> EndpointError:
    """The error for a 401 answer: the credentials were refused, or none were sent."""
    where = shown(url)
    if creds:
        return EndpointError(f"{where} refused the credentials from {creds.source} (401 Unauthorized): check them")
    host = urlsplit(url).hostname
    return EndpointError(f"{where} wants credentials (401 Unauthorized): set {USER} and {PASSWORD} "
                         f"(or {TOKEN}), or add a ~/.netrc entry for {host}")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: it could carry the Authorization header to another host."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def opener() -> urllib.request.OpenerDirector:
    """An opener that does not follow redirects (each answer is seen as it is)."""
    return urllib.request.build_opener(NoRedirects)
