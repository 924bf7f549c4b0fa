"""The built-in rating vocabulary's rules: matching, free text, numbers, and never the opposite."""

import itertools
import json

import pytest

from service.claims.statuses import CONCLUSIONS, Status, rating
from service.exchange.ratings import mapping_for, status_for
from service.ratings import builtin, number_status, rating_status
from service.ratings.normalise import normalise
from service.ratings.vocabulary import DATA, load

pytestmark = pytest.mark.pure

TRUE_SIDE = {Status.TRUE, Status.MOSTLY_TRUE, Status.FULFILLED}
FALSE_SIDE = {Status.FALSE, Status.MOSTLY_FALSE, Status.UNFULFILLED}
ANIR = "…قرر فريق أنير تصنيف الادعاء على أنه زائف"


@pytest.mark.parametrize(
    ("label", "status"),
    [
        # Every Arabic label of issue 14, and the other labels it found unrecognised.
        ("مضلل", Status.MOSTLY_FALSE),
        ("خطأ", Status.FALSE),
        ("زائف", Status.FALSE),
        ("صحيح", Status.TRUE),
        ("Faux", Status.FALSE),
        ("Decontextualized", Status.MOSTLY_FALSE),
        ("Miscaptioned", Status.FALSE),
        ("Not True", Status.FALSE),
        ("Barely True", Status.MOSTLY_FALSE),
        ("False Context", Status.MOSTLY_FALSE),
        ("Altered image", Status.FALSE),
    ],
)
def test_the_labels_issue_14_found_unrecognised_now_map(label, status):
    assert rating_status(label) == (status, "builtin")


@pytest.mark.parametrize(
    ("published", "entry"),
    [
        ("PANTS ON FIRE", "Pants on Fire!"),  # case and punctuation
        ("  Mostly   false ", "Mostly False"),  # whitespace
        ("Half-True", "half true"),  # hyphen
        ("Plutot faux", "Plutôt faux"),  # accents
        ("FALSCH", "falsch"),
        ("YANLIŞ", "yanlış"),  # Turkish dotted and dotless i
        ("falsz", "Fałsz"),  # Polish ł
        ("C'est plus compliqué", "C’est plus compliqué"),  # apostrophes
        ("مُضَلِّل", "مضلل"),  # tashkeel
        ("خـطـأ", "خطأ"),  # tatweel
        ("خطا", "خطأ"),  # alef with hamza
        ("زائف جزئيا", "زائف جزئياً"),  # tanween
        ("گمراه\u200cکننده", "گمراه کننده"),  # zero-width non-joiner
        ("نيمه درست", "نیمه درست"),  # Arabic and Persian yeh
        ("फ़र्ज़ी", "फर्जी"),  # Devanagari nukta
    ],
)
def test_labels_match_whatever_their_case_accents_spacing_and_letter_forms(published, entry):
    assert normalise(published) == normalise(entry)
    assert builtin().status(published) == builtin().status(entry) is not None


def test_normalising_keeps_the_vowel_signs_that_spell_a_word():
    assert normalise("भ्रामक") == "भ्रामक"
    assert normalise("ભ્રામક") == "ભ્રામક"


class TestFreeText:
    def test_a_sentence_maps_by_the_one_verdict_word_it_contains(self):
        assert rating_status(ANIR) == (Status.FALSE, "builtin")

    def test_two_different_verdict_words_leave_it_unmapped(self):
        assert rating_status("قرر الفريق أن الخبر صحيح لكن الصورة زائف") == (None, None)
        assert builtin().status("هذا صحيح وذاك زائف") is None

    def test_inflected_arabic_words_count_as_their_verdict(self):
        assert builtin().status("الخبر صحيح لكن الصورة زائفة") is None
        assert builtin().status("المعلومات المتداولة مضللة") is Status.MOSTLY_FALSE

    def test_a_word_that_looks_like_another_verdict_inflected_leaves_it_unmapped(self):
        assert builtin().status("prawda. ale dane są fałszywe") is None
        assert builtin().status("ложь и манипуляции") is None

    def test_a_negated_verdict_leaves_it_unmapped(self):
        assert builtin().status("Ce n'est pas faux") is None
        assert builtin().status("This claim isn't false, only old") is None
        assert builtin().status("fałsz. nie jest prawdą że jesteśmy rozbrojeni") is None

    def test_a_non_verdict_among_the_words_leaves_it_unmapped(self):
        assert builtin().status("This is satire, and false") is None

    def test_the_longest_phrase_counts_not_the_words_inside_it(self):
        assert builtin().status("Our verdict: mostly true, with one caveat") is Status.MOSTLY_TRUE
        assert builtin().status("Rating: half true") is Status.MIXED

    def test_synonyms_of_one_status_agree(self):
        assert builtin().status("false/fabricated") is Status.FALSE

    def test_common_words_are_not_read_as_verdicts(self):
        assert builtin().status("The true figure is not known") is None
        assert builtin().status("Needs Context") is None

    def test_any_two_verdict_phrases_of_different_statuses_leave_a_text_unmapped(self):
        vocabulary = builtin()
        phrases = {" ".join(phrase): status for phrase, status in vocabulary.phrases.items()}
        mapped = [
            f"{first} xx xx xx xx {second}"
            for (first, a), (second, b) in itertools.permutations(phrases.items(), 2)
            if a != b and vocabulary.in_text(f"{first} xx xx xx xx {second}") is not None
        ]
        assert mapped == []


class TestNumbers:
    def test_the_number_decides_only_when_there_is_no_label(self):
        assert rating_status(None, 5) == (Status.TRUE, "number")
        assert rating_status("  ", 2) == (Status.MOSTLY_FALSE, "number")
        assert rating_status("—", 1) == (Status.FALSE, "number")  # punctuation is no label

    def test_an_unknown_label_is_unmapped_whatever_the_number(self):
        assert rating_status("Sort of", 4) == (None, None)
        assert rating_status("Not really, charts say", -1, -1, -1) == (None, None)

    def test_afps_altered_image_rated_5_of_1_to_5_is_false_not_true(self):
        afp = {"alternateName": "Altered image", "ratingValue": "5", "bestRating": "5"}
        assert mapping_for({**afp, "worstRating": "1"}) == (Status.FALSE, "builtin")

    def test_a_known_label_wins_over_its_number(self):
        assert rating_status("Falso", 5, 1, 5) == (Status.FALSE, "builtin")
        assert rating_status("False", 5) == (Status.FALSE, "builtin")

    @pytest.mark.parametrize(
        ("value", "best", "worst", "status"),
        [
            (1, 1, 5, Status.TRUE),  # reversed scale
            ("7", "10", "0", Status.MOSTLY_TRUE),
            (3, None, None, Status.MIXED),  # schema.org's 1..5
            (9, None, None, None),  # off its own scale
            ("high", None, None, None),
            (1, 1, 1, None),
            (True, None, None, None),
        ],
    )
    def test_a_number_is_placed_on_its_own_scale(self, value, best, worst, status):
        assert number_status(value, best, worst) == status


@pytest.mark.parametrize("status", sorted(CONCLUSIONS))
def test_our_own_exported_ratings_map_back(status):
    assert status_for(_as_claimreview(rating(status))) is status


def _as_claimreview(ours):
    return {
        "alternateName": ours["label"],
        "ratingValue": ours["value"],
        "bestRating": ours["best"],
        "worstRating": ours["worst"],
    }


class TestTheDataFile:
    def test_every_entry_cites_a_source_and_maps_to_its_own_status(self):
        vocabulary = builtin()
        for entry in vocabulary.entries:
            assert entry.source in vocabulary.sources
            assert vocabulary.status(entry.label) == entry.status, entry

    def test_every_unmapped_entry_says_why(self):
        silent = [e.label for e in builtin().entries if e.status is None and not e.note]
        assert silent == []

    def test_it_covers_at_least_20_languages(self):
        assert len({entry.lang for entry in builtin().entries}) >= 20

    def test_a_file_whose_entries_disagree_on_a_label_is_refused(self, tmp_path):
        document = json.loads(DATA.read_text(encoding="utf-8"))
        document["entries"].append({**document["entries"][0], "label": "FALSE", "status": "true"})
        path = tmp_path / "builtin.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(ValueError, match="FALSE"):
            load(path)


FALSE_WORDS = {
    normalise(word)
    for word in (
        "false faux falso falsa falsch fals falsk fałsz fake hoax onwaar neistina yanlış keliru "
        "salah incorrect inaccurate wrong ложь фейк жалған خطأ زائف كاذب مزيفة نادرست 錯誤 거짓 "
        "ტყუილი მცდარი rrenë"
    ).split()
}
TRUE_WORDS = {
    normalise(word)
    for word in (
        "true vrai verdadero verdadeiro vero richtig prawda waar istina صحيح правда benar doğru "
        "正確 사실 sant sann adevărat correct accurate truth სიმართლე درست"
    ).split()
}
QUALIFIED = {normalise(word) for word in "not isn aren nie غير 아님 ne no barely".split()}


def test_no_label_with_a_false_word_maps_to_the_true_side():
    wrong = [
        (entry.label, entry.status)
        for entry in builtin().entries
        if FALSE_WORDS & set(normalise(entry.label).split()) and entry.status in TRUE_SIDE
    ]
    assert wrong == []


def test_no_label_with_a_true_word_maps_to_the_false_side_unless_qualified():
    wrong = [
        (entry.label, entry.status)
        for entry in builtin().entries
        if (words := set(normalise(entry.label).split())) & TRUE_WORDS
        and not words & (QUALIFIED | FALSE_WORDS)
        and entry.status in FALSE_SIDE
    ]
    assert wrong == []
