"""Browser-facing protections: security headers on every answer, and CORS only when asked."""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

# Swagger UI's scripts and styles are files served from this origin; it also sets inline
# styles and shows data: images, and reads the spec from here too.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_security_headers)
    origins = app.config["SETTINGS"].cors_origins
    if origins:
        CORS(
            app,
            resources={r"/api/*": {"origins": list(origins)}},
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
            ],
            expose_headers=["ETag", "Link", "Location", "Idempotent-Replayed"],
            max_age=600,
        )
