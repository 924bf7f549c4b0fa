"""The SQL statements the app sends while it answers a request."""

from sqlalchemy import event

from service.db import database


def sent(app, client, url: str) -> list[tuple[str, dict]]:
    """Each statement a GET of `url` ran on the read pool, as sent to the driver, with its
    parameters; the answer must be a 200."""
    with app.app_context():
        engine = database().read_engine  # a GET reads on the read pool
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return statements
