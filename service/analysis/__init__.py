"""Text analysis for search: each language's words to index terms, the same on every database.

A document is analysed in its own language (`analyser_for(record.language)`); a query is
analysed once under each analyser in `ANALYSERS`, and matches a document when its terms
appear among the document's, consecutively for a phrase. Terms are non-empty runs of
letters and digits (Indic vowel signs included), so a storage layer can prefix or quote them.
"""

from .analysers import ANALYSERS, PLAIN_ID, Analyser, analyser_for, query_terms

__all__ = ["ANALYSERS", "PLAIN_ID", "Analyser", "analyser_for", "query_terms"]
