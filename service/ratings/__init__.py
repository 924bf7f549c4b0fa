"""Ratings other fact-checkers publish, mapped onto our statuses (issue 14).

`rating_status(label, value, best, worst)` gives a rating's status and what decided it; the
built-in vocabulary behind it lives in data/builtin.json with a source for every label.
"""

from service.ratings.normalise import normalise
from service.ratings.vocabulary import builtin, number_status, rating_status

__all__ = ["builtin", "normalise", "number_status", "rating_status"]
