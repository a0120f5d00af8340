"""What the page says about a link it could not follow in full."""

from dashboard.i18n import t
from dashboard.notices import is_link_value, notice_sentences


def test_link_values_are_gathered_into_one_sentence_after_the_others():
    gone = t("scenario.not_found", "en")
    sentences = notice_sentences(["year=1990", gone, "lang=xx"], "en")
    assert sentences == [gone, "The link holds values that do not fit the data; they were replaced: year=1990, lang=xx"]


def test_a_bare_parameter_name_is_a_link_value():
    # `changes` stands for planned changes in the link that do not fit the data
    assert is_link_value("changes") and is_link_value("r.beratung=abc")
    assert not is_link_value(t("scenario.data_changed", "de"))
    assert notice_sentences(["changes"], "de") == [
        "Der Link enthält Werte, die nicht zu den Daten passen, und wurden ersetzt: changes"]


def test_no_notice_no_sentence():
    assert notice_sentences([], "de") == []
