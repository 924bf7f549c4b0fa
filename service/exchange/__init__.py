"""Exchange: claims exported and imported as NDJSON, CSV and ClaimReview."""
