"""gunicorn's access log, without the credentials a client put in a URL.

Keys belong in the `Authorization` header, but a client may still send `?api_key=...`; the
log line keeps the parameter's name and drops its value. gunicorn documents `logger_class`
as the way to change its logging; `atoms` (gunicorn 23-27) builds every value a log format
can name, so redacting there covers `%(r)s`, `%(q)s`, `%(f)s` and the `{...}e`/`{...}i`
forms alike.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

CREDENTIAL_PARAMETERS = frozenset({"api_key", "apikey", "key", "token", "access_token"})
REDACTED = "[REDACTED]"
# Atoms that hold a URL or a query string, and atoms that are credentials whole.
URL_ATOMS = ("r", "f", "{raw_uri}e", "{request_uri}e", "{http_referer}e", "{referer}i")
QUERY_ATOMS = ("q", "{query_string}e")
SECRET_ATOMS = ("{authorization}i", "{http_authorization}e")


def redact_query(query: str) -> str:
    """`a=1&api_key=s3cret` as `a=1&api_key=[REDACTED]`: names stay, credential values go."""
    parts = []
    for part in query.split("&"):
        name = part.partition("=")[0]
        if unquote_plus(name).strip().lower() in CREDENTIAL_PARAMETERS:
            part = f"{name}={REDACTED}"
        parts.append(part)
    return "&".join(parts)


def redact_url(text: str) -> str:
    """A URL, a request target or a request line with its query redacted."""
    before, question_mark, rest = text.partition("?")
    if not question_mark:
        return text
    query, space, after_query = rest.partition(" ")  # "GET /x?q HTTP/1.1": the protocol
    query, hash_sign, fragment = query.partition("#")
    return before + question_mark + redact_query(query) + hash_sign + fragment + space + after_query


class RedactingLogger(Logger):
    """gunicorn's logger, with credential query parameters redacted from access lines."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in URL_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_url(atoms[name])
        for name in QUERY_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_query(atoms[name])
        for name in SECRET_ATOMS:
            if atoms.get(name):
                atoms[name] = REDACTED
        return atoms
