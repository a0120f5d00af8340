"""What the page tells the user about a link it could not follow in full.

A view collects notices while it is read: whole sentences (a saved scenario that is gone, data
that changed since it was saved) and values of the link that did not fit the data (`year=1990`,
or the bare name of a parameter such as `changes`). The values are gathered into one sentence
after the others, so a link with many bad values gives one message, not many.
"""

from __future__ import annotations

from collections.abc import Iterable

from .i18n import t


def is_link_value(notice: str) -> bool:
    """A value from the link (one token, no spaces) rather than a sentence."""
    return " " not in notice


def notice_sentences(notices: Iterable[str], lang: str) -> list[str]:
    """The sentences to show, in order: the view's own sentences, then one listing the link values."""
    notices = list(notices)
    values = [n for n in notices if is_link_value(n)]
    sentences = [n for n in notices if not is_link_value(n)]
    if values:
        sentences.append(t("scenario.link_values", lang, values=", ".join(values)))
    return sentences
