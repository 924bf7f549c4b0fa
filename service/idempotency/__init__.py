"""Idempotency-Key: a retried POST gets the first answer again, and writes nothing."""
