"""The language columns of records written in a language: claims, sources and evidence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.languages.codes import UNDETERMINED
from service.languages.detection import detect


class WrittenIn:
    """A record's language: as its writer gave it, or detected from its own words."""

    language: Mapped[str] = mapped_column(String(35), default=UNDETERMINED)
    language_detected: Mapped[bool] = mapped_column(default=False)

    def keep_language(self, changes: dict[str, Any], words: str) -> None:
        """Take the language `changes` give; else, unless a writer chose it, detect it.

        Called after the other changes are applied, so that a detected language follows
        the record's words when they change.
        """
        if changes.get("language") is not None:
            self.language = changes["language"]
            self.language_detected = bool(changes.get("language_detected", False))
        elif self.language_detected or self.language is None:
            self.language = detect(words)
            self.language_detected = True
