"""Reads go to a real streaming replica; writes, conditional reads and no-cache reads do not.

The replica's replay is paused, so that it misses a write made meanwhile: a plain GET then
cannot find it (it read the replica), while a conditional or `Cache-Control: no-cache` GET
does (they read the primary).
"""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.pure]


def _caught_up(primary, replica, timeout: float = 20) -> None:
    [(target,)] = primary.sql("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(done,)] = replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if done:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def test_reads_that_need_no_lock_go_to_the_replica(pg_cluster, pg_replica, serve):
    server = serve(pg_cluster.url(), CLAIMTRACK_READ_DATABASE_URL=pg_replica.url())
    status, _, before = server.request("POST", "/api/v1/claims", {"text": "Old", "kind": "factual"})
    assert status == 201
    _caught_up(pg_cluster, pg_replica)  # the key and this claim are on the replica now
    pg_replica.sql("SELECT pg_wal_replay_pause()")
    try:
        status, headers, fresh = server.request(
            "POST", "/api/v1/claims", {"text": "Written while replay is paused", "kind": "factual"}
        )
        assert status == 201
        path = f"/api/v1/claims/{fresh['id']}"

        # A plain read is served by the replica, which has not replayed the write yet.
        assert server.request("GET", path)[0] == 404
        assert server.request("GET", path, headers={"Authorization": ""})[0] == 404
        listed = server.request("GET", "/api/v1/claims?limit=50")[2]["items"]
        assert [c["id"] for c in listed] == [before["id"]]
        assert server.request("GET", f"/api/v1/claims/{before['id']}")[0] == 200

        # Reading one's own write: Cache-Control: no-cache, or a conditional request.
        status, _, body = server.request("GET", path, headers={"Cache-Control": "no-cache"})
        assert (status, body["text"]) == (200, fresh["text"])
        status, _, _ = server.request("GET", path, headers={"If-None-Match": headers["ETag"]})
        assert status == 304
        status, _, _ = server.request("GET", path, headers={"If-None-Match": '"other"'})
        assert status == 200
        listed = server.request(
            "GET", "/api/v1/claims?limit=50", headers={"Cache-Control": "no-cache"}
        )[2]["items"]
        assert [c["id"] for c in listed] == [fresh["id"], before["id"]]

        # Writes, and the reads inside them, go to the primary (the replica refuses writes).
        status, patched_headers, _ = server.request(
            "PATCH", path, {"review_due": "2031-01-01"}, headers={"If-Match": headers["ETag"]}
        )
        assert status == 200
        evidence = {"url": "https://evidence.example/paused", "stance": "supports"}
        status, _, added = server.request("POST", f"{path}/evidence", evidence)
        assert status == 201, added
        # Exports read the primary (a long read on a replica can be cancelled by replay).
        status, _, exported = server.request("GET", "/api/v1/export/claims")
        assert status == 200 and b"Written while replay is paused" in exported
        [(paused,)] = pg_replica.sql("SELECT pg_is_wal_replay_paused()")
        assert paused  # all of the above happened while the replica stood still
    finally:
        pg_replica.sql("SELECT pg_wal_replay_resume()")

    _caught_up(pg_cluster, pg_replica)
    status, _, body = server.request("GET", path)
    assert (status, body["review_due"], body["evidence_count"]) == (200, "2031-01-01", 1)
    assert "Traceback" not in server.log_text()
