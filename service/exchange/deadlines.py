"""An import's or export's time limit, and noticing that its client has gone.

Both are checked between records (rate-limited, so a check costs next to nothing): the work
stops at the first check past the deadline or after the client closed its connection,
instead of running on for minutes for nobody.
"""

from __future__ import annotations

import logging
import select
import socket
import time

from service.errors import ProblemError

POLL_EVERY = 0.2  # seconds between two looks at the client's socket
log = logging.getLogger(__name__)


class DeadlineExceededError(ProblemError):
    status = 503
    slug = "deadline-exceeded"


class ClientGoneError(ProblemError):
    """The client closed its connection: nobody reads the answer (nginx's 499)."""

    status = 499
    slug = "client-closed-request"


def client_gone(sock: socket.socket | None) -> bool:
    """Whether the peer of `sock` has closed the connection (or reset it).

    A request's body is read whole before the work starts, so a readable socket holds
    either the client's next request (it is still there) or the end of the stream. Without
    a socket (a server other than gunicorn, the test client) nobody can tell: False.
    """
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError, ValueError):  # ValueError: a TLS socket
        return False
    except OSError:
        return True  # reset by the peer


class Watch:
    """The time limit and the client of one import or export, checked by `check()`."""

    def __init__(self, what: str, limit_ms: int, sock: socket.socket | None):
        self.what = what
        self.limit_ms = limit_ms
        self.started = time.monotonic()
        self.deadline = self.started + limit_ms / 1000
        self.sock = sock
        self.next_poll = self.started + POLL_EVERY

    def check(self, done: int) -> None:
        """Raise DeadlineExceededError or ClientGoneError when the work should stop now."""
        now = time.monotonic()
        if now > self.deadline:
            log.warning(
                "%s stopped at its time limit (%d ms) after %d records",
                self.what,
                self.limit_ms,
                done,
            )
            raise DeadlineExceededError(
                f"The {self.what} took longer than its time limit ({self.limit_ms} ms) and "
                f"was stopped after {done} records; nothing was stored. Split the file, or "
                "use the claimtrack command, which has no limit."
            )
        if now < self.next_poll:
            return
        self.next_poll = now + POLL_EVERY
        if client_gone(self.sock):
            log.warning(
                "%s stopped after %d records: the client closed the connection",
                self.what,
                done,
            )
            raise ClientGoneError(f"The client went away; the {self.what} was stopped.")

    def progress(self, _phase: str, done: int) -> None:
        """imports.Progress: called after each record checked and stored."""
        self.check(done)
