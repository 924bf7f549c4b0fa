"""Modules that check at import that they cover a schema (the read path, the exporter): each
is imported in a fresh interpreter after a field is added to the schema it must cover."""

import subprocess
import sys


def import_with_a_new_field(schemas: str, schema: str, module: str, field: str = "shares"):
    """The finished interpreter that imported `module` after `field` was added to `schema`
    (a class of the module `schemas`)."""
    program = (
        "import marshmallow as ma\n"
        f"import {schemas} as schemas\n"
        f"schemas.{schema}._declared_fields[{field!r}] = ma.fields.Integer()\n"
        f"import {module}\n"
    )
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
