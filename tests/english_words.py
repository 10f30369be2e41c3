"""The English-word search the language tests share: a page, a help text or a note in bokmål or nynorsk that
still holds one of these words was left unworded. Each test adds the words of its own subject."""

from __future__ import annotations

import re

# English words that are not also Norwegian words ("for", "in", "per", "data", "is" are left out)
COMMON_ENGLISH = ("the", "this", "that", "with", "which", "your", "you", "will", "are")


def english_word_pattern(*words: str) -> re.Pattern[str]:
    """Any of ``words`` as a whole word, in any case."""
    return re.compile(r"\b(" + "|".join(dict.fromkeys(words)) + r")\b", re.IGNORECASE)
