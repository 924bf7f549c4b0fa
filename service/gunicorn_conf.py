"""gunicorn settings, from the environment (the README's configuration table)."""

import os

bind = os.environ.get("CLAIMTRACK_BIND", "127.0.0.1:8000")
# Threads keep connections alive and overlap database waits. Two workers suit a small
# machine; scale out with more app servers, or raise WEB_CONCURRENCY to the cores you have.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("CLAIMTRACK_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("CLAIMTRACK_TIMEOUT", "60"))
graceful_timeout = 20
# Request lines (method, path and query) up to 8 KiB, gunicorn's ceiling (its default is 4 KiB:
# a search with a long `q` and a few tags passes that). A longer line gets gunicorn's own
# 414 (text/html) before the app sees it; the spec documents that answer.
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket in ~/.gunicorn; a second server would take it over.
control_socket_disable = True
# Credentials sent as query parameters (`?api_key=`) never reach the access log.
logger_class = "service.access_log.RedactingLogger"


def post_worker_init(worker) -> None:
    """Before a worker answers its first request, it loads the analysers' stemmers and
    dictionaries and the language model: about 0.6 s that the first searches and matches
    after every start would pay otherwise. Each worker loads its own: they are loaded after
    the fork, like the rest of the app."""
    from service.analysis.analysers import load as load_analysers
    from service.languages.detection import load as load_detection

    load_analysers()
    load_detection()
