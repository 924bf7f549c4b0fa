"""Languages: ISO 639-1 codes, and the language of a text when nobody said which."""

from service.languages.codes import LANGUAGE_CODES, UNDETERMINED, primary_code
from service.languages.detection import detect

__all__ = ["LANGUAGE_CODES", "UNDETERMINED", "detect", "primary_code"]
