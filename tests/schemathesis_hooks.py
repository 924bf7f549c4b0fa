"""schemathesis hooks for `st run` (SCHEMATHESIS_HOOKS=tests/schemathesis_hooks.py).

The import takes NDJSON and CSV files, described in the spec as binary strings; schemathesis
has no serializer of its own for these media types.
"""

import schemathesis


@schemathesis.serializer("application/x-ndjson", "text/csv")
def _file(_context, value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")
