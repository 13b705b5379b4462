"""One HTTP retry policy for every shop and chat poller.

Errors, so callers can tell the user what went wrong::

    SourceError                 anything a poller could not do
    ├── NetworkError            no answer (refused, reset, timed out) after the retries
    ├── RateLimitedError        still 429 after the retries (``retry_after`` seconds)
    ├── ServerError             still 5xx after the retries
    ├── MalformedResponseError  the body is not the JSON the API documents
    └── ClientError             a 4xx the request itself caused (``status``, ``detail``)
        └── AuthError           401/403: wrong or expired credentials

429 honours ``Retry-After`` (seconds or an HTTP date), 5xx and timeouts back off
exponentially with full jitter up to a cap. 4xx other than 429 never retry: the
same request would fail the same way. TLS is always verified; ``ca_file`` adds a
trust anchor (a test CA, or a shop behind a private CA).
"""

from __future__ import annotations

import json
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from csconsole.domain.text import sanitize

USER_AGENT = "csconsole/0.1 (+https://github.com/csconsole/csconsole)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SourceError(Exception):
    """A poller or an action could not talk to its service."""


class NetworkError(SourceError):
    """The service did not answer."""


class ServerError(SourceError):
    """The service kept failing with 5xx."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RateLimitedError(SourceError):
    """The service kept asking us to slow down."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MalformedResponseError(SourceError):
    """The body was not valid JSON of the documented shape."""


class ClientError(SourceError):
    """The service refused the request (4xx); ``detail`` is its own explanation."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class AuthError(ClientError):
    """Credentials were refused or expired."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before giving up; the defaults suit a background poller."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # never sleep longer than this on the server's word

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full-jitter exponential backoff for retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return rng.uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def error_detail(response: httpx.Response, limit: int = 300) -> str:
    """The service's own words about an error, cleaned for display."""
    text = response.text
    try:
        body = json.loads(text)
    except ValueError:
        return sanitize(text[:limit])
    if isinstance(body, Mapping):
        for key in ("message", "description", "error_description", "error", "errors"):
            if key in body:
                value = body[key]
                return sanitize(value if isinstance(value, str) else json.dumps(value))[:limit]
    return sanitize(text[:limit])


@dataclass
class HttpClient:
    """An httpx client with the shared retry policy and a request counter."""

    name: str
    timeout: float = 30.0
    ca_file: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    requests_made: int = 0
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._client is None:
            verify: ssl.SSLContext | bool = True
            if self.ca_file:
                context = ssl.create_default_context()
                context.load_verify_locations(self.ca_file)
                verify = context
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 15.0)),
                verify=verify,
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(
        self, method: str, url: str, *, idempotent: bool | None = None, **kwargs: Any
    ) -> httpx.Response:
        """Send with retries; return a 2xx/3xx response or raise a ``SourceError``.

        A request that is not idempotent (POST unless told otherwise) is retried only
        on 429, which means it was not processed: after a 5xx or a timeout it may have
        been, and a second refund or message is worse than a clear error.
        """
        if idempotent is None:
            idempotent = method.upper() != "POST"
        attempts = self.policy.attempts
        last_error = ""
        for attempt in range(1, attempts + 1):
            self.requests_made += 1
            unsent = False  # a connection never made carried nothing: always safe to retry
            try:
                response = self.client().request(method, url, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                unsent = True
                last_error = f"{self.name}: cannot connect: {sanitize(str(error))}"
            except httpx.TimeoutException as error:
                last_error = f"{self.name}: timed out ({type(error).__name__})"
            except httpx.TransportError as error:
                last_error = f"{self.name}: network error: {sanitize(str(error))}"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise self._client_error(response)
                wait = self._wait_for(response, attempt)
                retryable = idempotent or response.status_code == 429
                if attempt == attempts or not retryable:
                    raise self._final_error(response, wait, attempt)
                self.sleep(wait)
                continue
            if attempt == attempts:
                raise NetworkError(last_error)
            if not (idempotent or unsent):
                raise NetworkError(
                    f"{last_error}; not retried because it may have been carried out: "
                    "check before trying again"
                )
            self.sleep(self.policy.backoff(attempt, self.rng))
        raise NetworkError(last_error or f"{self.name}: no attempts made")

    def _wait_for(self, response: httpx.Response, attempt: int) -> float:
        hinted = retry_after_seconds(response.headers.get("Retry-After"))
        if hinted is None:
            hinted = self.retry_hint(response)
        if hinted is not None:
            return min(hinted, self.policy.max_retry_after)
        return self.policy.backoff(attempt, self.rng)

    def retry_hint(self, response: httpx.Response) -> float | None:
        """Telegram puts its wait in the body (``parameters.retry_after``)."""
        try:
            body = response.json()
        except ValueError:
            return None
        if isinstance(body, Mapping):
            params = body.get("parameters")
            if isinstance(params, Mapping) and isinstance(params.get("retry_after"), int | float):
                return float(params["retry_after"])
        return None

    def _client_error(self, response: httpx.Response) -> ClientError:
        detail = error_detail(response)
        status = response.status_code
        if status in (401, 403):
            return AuthError(
                f"{self.name}: credentials refused (HTTP {status}): {detail}", status, detail
            )
        return ClientError(f"{self.name}: HTTP {status}: {detail}", status, detail)

    def _final_error(self, response: httpx.Response, wait: float, tries: int) -> SourceError:
        status = response.status_code
        if status == 429:
            return RateLimitedError(
                f"{self.name}: still rate limited after {tries} tries; "
                f"the service asks to wait {wait:.0f}s",
                wait,
            )
        return ServerError(
            f"{self.name}: server error HTTP {status} after {tries} "
            f"{'try' if tries == 1 else 'tries'}: {error_detail(response)}",
            status,
        )


def parse_json(response: httpx.Response, source: str) -> Any:
    """The body as JSON, or a clear ``MalformedResponseError``."""
    try:
        return response.json()
    except ValueError as error:
        snippet = sanitize(response.text[:80])
        raise MalformedResponseError(
            f"{source}: the response is not valid JSON ({error}); it starts {snippet!r}"
        ) from error
