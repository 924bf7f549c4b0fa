"""A ClaimReview document read as a stream: its outer elements, built one at a time.

The outer list, or a DataFeed's `dataFeedElement` list, is read element by element, and each
element is built without recursion; so a feed of any size takes the memory of one review,
and a document nested deeper than MAX_DEPTH is refused where it crosses the line, before
anything deeper is built. Every refusal names the line it is on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from service.exchange.readers import (
    BOM,
    RECORD,
    SURROGATE_ESCAPE,
    ImportRefusedError,
    RecordError,
)

# A review in a DataFeedItem in a feed reaches its appearances' authors' names 9 levels down;
# a document nested deeper than this is refused where it crosses the line, before the parser
# builds anything deeper (1.3 KB of brackets once cost a RecursionError and a 500).
MAX_DEPTH = 32
READ_SIZE = 64 * 1024  # the parser is fed at most this much of one line at a time
SCAN_SIZE = 256 * 1024
# Half of a UTF-16 pair, escaped: yajl (ijson's C backend) turns a high half into "?" and fails
# on a low one, so a document holding one is parsed by ijson's Python backend, which keeps it.
LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class StreamedDocument:
    """A JSON document parsed as it is read: its outer elements, built one at a time."""

    def __init__(self, body: BinaryIO):
        self.line = 1  # of the events being handled: each piece fed is part of one line
        self.items = 0  # reviews read so far
        self.element_line = 1  # where the element last built starts
        # UTF-8 cannot encode a surrogate, so only a document that escapes one (\uD800 to
        # \uDFFF, paired or not) can hold a lone one: the others' values need no search.
        self.escapes_surrogates, lone = _surrogate_escapes(body)
        self._events = self._parsed(body, lone)

    def elements(self) -> Iterator[Any]:
        """Each element of the outer list or of a feed's `dataFeedElement` list, in turn; any
        other document is its own one element."""
        event, value = next(self._events)
        if event == "start_array":
            yield from self._array(depth=1, path=[])
        elif event == "start_map":
            document: dict[str, Any] = {}
            streamed = False
            for kind, key in self._events:
                if kind == "end_map":
                    break
                event, value = next(self._events)
                # A feed's @type may come after its elements: only another @type before stops it.
                feed = document.get("@type", "DataFeed") == "DataFeed"
                if key == "dataFeedElement" and event == "start_array" and feed:
                    streamed = True
                    yield from self._array(depth=2, path=[key])
                else:  # a feed's other properties are a few small values
                    document[key] = self._value(event, value, depth=2, path=[key])
            if not streamed:
                yield document
        else:
            yield value
        for _ in self._events:  # only the parser's check that nothing follows the document
            pass

    def _array(self, depth: int, path: list) -> Iterator[Any]:
        index = 0
        for event, value in self._events:
            if event == "end_array":
                return
            self.element_line = self.line
            yield self._value(event, value, depth + 1, [*path, index])
            index += 1

    def _value(self, event: str, value: Any, depth: int, path: list) -> Any:
        """The value that starts with this event, `depth` levels down at `path`."""
        if event not in ("start_map", "start_array"):
            return value
        root: Any = {} if event == "start_map" else []
        if depth > MAX_DEPTH:
            raise self._too_deep(path)
        containers, keys = [root], [None]
        for event, value in self._events:
            if event == "map_key":
                keys[-1] = value
                continue
            if event in ("end_map", "end_array"):
                containers.pop()
                keys.pop()
                if not containers:
                    return root
                continue
            child = {} if event == "start_map" else [] if event == "start_array" else value
            parent = containers[-1]
            if type(parent) is list:
                parent.append(child)
            else:
                parent[keys[-1]] = child
            if event in ("start_map", "start_array"):
                if depth + len(containers) > MAX_DEPTH:
                    raise self._too_deep(path, containers, keys)
                containers.append(child)
                keys.append(None)
        raise AssertionError("the parser ends every value it starts")

    def _parsed(self, body: BinaryIO, lone_surrogate: bool) -> Iterator[tuple[str, Any]]:
        backend = ijson.get_backend("python") if lone_surrogate else ijson
        body.seek(0)
        events = ijson.sendable_list()
        parser = backend.basic_parse_coro(events, use_float=True)
        decoder = codecs.getincrementaldecoder("utf-8")()
        piece = body.readline(READ_SIZE).removeprefix(BOM)
        while piece:
            self._fed(parser, decoder, piece)
            yield from events
            events.clear()
            self.line += piece.endswith(b"\n")
            piece = body.readline(READ_SIZE)
        self._fed(parser, decoder, b"")
        yield from events

    def _fed(self, parser, decoder, piece: bytes) -> None:
        try:
            decoder.decode(piece, final=not piece)
        except UnicodeDecodeError as error:
            byte = error.object[error.start]
            raise refused(f"not UTF-8: byte {byte:#04x} on line {self.line}", self.line) from None
        try:
            if piece:
                parser.send(piece)
            else:
                parser.close()  # the end: a document cut short fails here
        except ijson.JSONError as error:
            reason = (str(error).splitlines() or ["incomplete"])[0]
            reason = reason.removeprefix("parse error: ").removeprefix("lexical error: ")
            reason = reason.rstrip(".")
            raise refused(f"not JSON: {reason} on line {self.line}", self.line) from None

    def _too_deep(self, path: list, containers=(), keys=()) -> ImportRefusedError:
        """The refusal of a value at `path`, or that deep in the containers being built."""
        inside = [
            key if type(container) is dict else len(container) - 1
            for container, key in zip(containers, keys, strict=True)
        ]
        where = ".".join(str(step) for step in [*path, *inside])
        message = f"nested more than {MAX_DEPTH} levels deep on line {self.line}"
        return refused(message, self.line, self.items + 1, where)


def _surrogate_escapes(body: BinaryIO) -> tuple[bool, bool]:
    """Whether the document escapes a surrogate at all, and whether it escapes half a UTF-16
    pair (a pair split between two blocks read counts too: a slower parse, never a wrong
    one). Most documents escape none, and the simple search says so quickly."""
    body.seek(0)
    escapes, tail = False, b""
    while block := body.read(SCAN_SIZE):
        # An escape cut in two by the blocks is whole where they meet.
        for text in (tail + block[:6], block):
            if SURROGATE_ESCAPE.search(text):
                escapes = True
                if LONE_SURROGATE.search(text):
                    return True, True
        tail = block[-5:]
    return escapes, False


def refused(
    message: str, line: int, item: int | None = None, where: str | None = None
) -> ImportRefusedError:
    error = RecordError(where or RECORD, message, line=line, item=item)
    detail = f"The ClaimReview document is unusable: {message}"
    return ImportRefusedError.listing(f"{detail}, at {where}" if where else detail, [error])
