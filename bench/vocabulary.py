"""Word lists and a sentence maker: synthetic but realistic fact-check text.

Claims are built from topic phrases (politics, diplomacy, economy, health) drawn with a Zipf-like
skew, so full-text search meets both broad words ("government", "budget") and selective ones (a
city, a surname, a rare detail). A fifth of the sources are written in French, Arabic, Spanish,
German or Portuguese (their word lists are in bench/languages.py), a few in no known language.
"""

from __future__ import annotations

import random

from bench.languages import FOREIGN, Vocabulary

FIRST_NAMES = (
    "Fatima Youssef Amina Karim Leila Omar Nadia Hassan Salma Mehdi Sofia Daniel Maria James "
    "Aisha Ibrahim Claire Pierre Elena Carlos Lucia Ahmed Zineb Rachid Ines Hugo Chloe Samir "
    "Grace Peter Ngozi Kwame Abdoulaye Mariam Anna Jonas Tomas Ivana Dmitri Olga Rania Tariq "
    "Nour Yasmine Hamza Imane Walid Sara Adam Laura Miguel Rosa Luis Paul Helen Victor Julia"
).split()
LAST_NAMES = (
    "Benali Alaoui Tazi Bennani El Idrissi Mansouri Haddad Chraibi Fassi Berrada Amrani Kettani "
    "Dubois Martin Lefebvre Moreau Garcia Fernandez Lopez Martinez Smith Johnson Okafor Mensah "
    "Diallo Traore Keita Mwangi Otieno Novak Horvat Petrov Ivanova Schmidt Weber Rossi Bianchi "
    "Costa Silva Santos Ahmadi Karimi Hosseini Rahman Chowdhury Nguyen Tran Kim Park Tanaka "
    "Fischer Greenway Hammouchi Bourita Akhannouch Ouahbi Lekjaa Miraoui Benmoussa Zniber"
).split()
ROLES = (
    "minister of health",
    "minister of finance",
    "foreign minister",
    "prime minister",
    "opposition leader",
    "mayor",
    "governor",
    "party spokesperson",
    "member of parliament",
    "central bank governor",
    "ambassador",
    "union leader",
    "senator",
    "regional president",
)
ACTORS = (
    "The government",
    "The ministry",
    "The ruling coalition",
    "The opposition",
    "The central bank",
    "The health ministry",
    "The foreign ministry",
    "The finance ministry",
    "The city council",
    "The regional authority",
    "Parliament",
    "The president's office",
)
COUNTRIES = (
    "Morocco Algeria Tunisia Egypt Senegal Mauritania Nigeria Ghana Kenya Ethiopia Spain France "
    "Portugal Italy Germany Israel Jordan Qatar Emirates Turkey China Japan India Brazil Mexico "
    "Canada Russia Ukraine Poland Sweden Norway Chile Argentina Colombia Indonesia Vietnam"
).split()
PLACES = (
    "Dakhla Laayoune Rabat Casablanca Tangier Fez Marrakech Agadir Oujda Kenitra Tetouan Meknes "
    "Nador Essaouira Ouarzazate Errachidia Safi Beni-Mellal Khouribga Guelmim Tan-Tan Smara "
    "Algiers Oran Tunis Sfax Cairo Alexandria Dakar Nouakchott Lagos Abuja Accra Nairobi Mombasa "
    "Madrid Seville Barcelona Valencia Lisbon Porto Paris Lyon Marseille Bordeaux Toulouse Lille "
    "Rome Milan Naples Berlin Munich Hamburg Geneva Brussels Amsterdam Doha Amman Istanbul Ankara "
    "Dubai Riyadh Beijing Shanghai Tokyo Osaka Delhi Mumbai Jakarta Hanoi Brasilia Recife Lima "
    "Bogota Santiago Quito Montevideo Toronto Montreal Vancouver Warsaw Krakow Kyiv Odesa Oslo "
    "Bergen Stockholm Gothenburg Helsinki Tallinn Riga Vilnius Prague Vienna Budapest Zagreb"
).split()
OBJECTS = {
    "politics": (
        "a referendum on the new constitution",
        "the voting age",
        "the number of parliamentary seats",
        "campaign finance rules",
        "the electoral roll",
        "local elections",
        "turnout in the legislative elections",
        "the number of women in parliament",
        "the anti-corruption commission",
        "public broadcasting rules",
        "term limits for mayors",
        "the decentralisation law",
        "the party funding law",
        "a new senate chamber",
    ),
    "diplomacy": (
        "a consulate in {place}",
        "the embassy in {country}",
        "a trade agreement with {country}",
        "sanctions on {country}",
        "visa requirements for citizens of {country}",
        "a security pact with {country}",
        "diplomatic relations with {country}",
        "a summit in {place}",
        "the treaty on fisheries with {country}",
        "military cooperation with {country}",
        "an envoy to {country}",
        "a consulate general in {place}",
    ),
    "economy": (
        "the minimum wage",
        "fuel subsidies",
        "income tax for the middle class",
        "the budget deficit",
        "unemployment among young graduates",
        "inflation",
        "exports of phosphate",
        "tariffs on imported steel",
        "the public debt",
        "foreign direct investment in {place}",
        "the price of bread",
        "pensions for retired teachers",
        "a high-speed railway to {place}",
        "the port of {place}",
        "a desalination plant in {place}",
        "solar power capacity",
        "tourism revenue",
        "wheat imports from {country}",
    ),
    "health": (
        "hospital beds in {place}",
        "vaccination coverage",
        "the number of nurses",
        "maternal mortality",
        "clinics in rural areas",
        "the price of medicines",
        "health insurance coverage",
        "a university hospital in {place}",
        "malaria cases",
        "waiting times for surgery",
        "the tuberculosis programme",
        "doctors per inhabitant",
        "measles vaccination",
        "cancer screening",
    ),
}
PROMISE_VERBS = (
    "will open",
    "will build",
    "will cut",
    "will raise",
    "will double",
    "will reform",
    "will expand",
    "will reduce",
    "pledged to increase",
    "promised to lower",
    "committed to launch",
    "will sign",
    "will abolish",
    "will fund",
)
FACT_VERBS = (
    "doubled",
    "cut",
    "raised",
    "opened",
    "reduced",
    "increased",
    "tripled",
    "halved",
    "cancelled",
    "approved",
    "rejected",
    "signed",
    "froze",
    "expanded",
)
QUALIFIERS = (
    "by {n} percent",
    "in {year}",
    "before the end of {year}",
    "since {year}",
    "within {n} months",
    "to {n} million",
    "for the first time since {year}",
    "in {place}",
    "across the country",
    "by {n} billion dirhams",
    "despite the drought",
    "after the elections",
)
DETAILS = (
    "audit census ledger decree gazette survey statistics bulletin memorandum communique dossier "
    "registry tender invoice receipts transcript testimony inspection deposition affidavit "
    "satellite imagery procurement records court filings tax returns customs data payroll "
    "budget annex treasury report parliamentary question official journal press briefing "
    "fisheries quota irrigation scheme drought relief phosphate output olive harvest argan "
    "cooperative textile factory automotive plant aerospace cluster port authority railway "
    "operator water utility electricity grid wind farm refinery airport terminal motorway toll "
    "school canteen literacy programme scholarship dispensary ambulance fleet pharmacy stock"
).split()
ADJECTIVES = (
    "annual quarterly provisional revised leaked unpublished independent regional national "
    "municipal official preliminary confidential detailed partial disputed"
).split()
SOURCES = (
    "Budget documents",
    "Official statistics",
    "The national statistics office",
    "Court records",
    "World Bank reports",
    "Figures from the ministry",
    "The audit court",
    "Satellite images",
    "Local reporters",
    "IMF reviews",
    "WHO data",
    "Customs data",
)
FINDINGS = (
    "show that {object} changed by {n} percent in {year}",
    "do not support the figure given for {object}",
    "confirm the announcement about {object}",
    "show that work on {object} had not started by {year}",
    "put the figure for {object} at {n} million",
    "suggest that {object} was already planned in {year}",
    "contradict the claim about {object}",
)
FILLER = (
    "{actor} held a press conference in {place} on {weekday}.",
    "The announcement came after weeks of talks with {country}.",
    "Critics said the figures on {object} were incomplete.",
    "{actor} did not answer questions about {object}.",
    "The {adjective} {detail} was published in {year}.",
    "Observers in {place} welcomed the statement.",
    "The opposition called for a debate on {object}.",
    "Officials from {country} attended the meeting in {place}.",
    "A spokesperson cited the {adjective} {detail} of {year}.",
    "Protests were reported in {place} the following {weekday}.",
)
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
TAGS = (
    "politics diplomacy economy health elections budget morocco western-sahara africa europe "
    "middle-east trade energy water agriculture education employment inflation taxes pensions "
    "vaccines hospitals infrastructure transport housing security migration fisheries tourism "
    "corruption media environment drought climate debt subsidies wages covid-19 united-states "
    "france spain algeria"
).split()
PUBLISHERS = (
    ("Morocco World News", "moroccoworldnews.com"),
    ("Hespress", "hespress.com"),
    ("Le360", "le360.ma"),
    ("TelQuel", "telquel.ma"),
    ("Reuters", "reuters.com"),
    ("Agence France-Presse", "afp.com"),
    ("Le Monde", "lemonde.fr"),
    ("El País", "elpais.com"),
    ("Al Jazeera", "aljazeera.net"),
    ("BBC News", "bbc.co.uk"),
    ("World Bank", "worldbank.org"),
    ("World Health Organization", "who.int"),
    ("High Commission for Planning", "hcp.ma"),
    ("Official Bulletin", "sgg.gov.ma"),
    ("Jeune Afrique", "jeuneafrique.com"),
    ("Associated Press", "apnews.com"),
)

ENGLISH = Vocabulary(
    code="en",
    actors=ACTORS,
    promise_verbs=PROMISE_VERBS,
    fact_verbs=FACT_VERBS,
    objects=tuple(OBJECTS.values()),
    qualifiers=QUALIFIERS,
    finding_subjects=SOURCES,
    findings=FINDINGS,
    fillers=FILLER,
    titles=("{actor} and {object}: what we know ({year})",),
    weekdays=tuple(WEEKDAYS),
    countries=tuple(COUNTRIES),
    quote=('{speaker} said: "', '."'),
    last_names=tuple(LAST_NAMES),
    first_names=(tuple(FIRST_NAMES), tuple(FIRST_NAMES)),
    roles=tuple((role, role) for role in ROLES),
    stop_words=frozenset(
        "a an the of in on to for by and or with from at after before since within across "
        "despite new number will it its is was that".split()
    ),
    places=tuple(PLACES),
)
VOCABULARIES = {"en": ENGLISH, **FOREIGN}
UNDETERMINED = "und"
# Share of sources (and so of claims) in each language, percent. `und` is a record whose
# language nobody gave and nobody could tell: written in English here, analysed as plain.
LANGUAGE_SHARES = (
    ("en", 78), ("fr", 6), ("ar", 5), ("es", 4), ("de", 3), ("pt", 3), (UNDETERMINED, 1),
)  # fmt: skip
# The languages of generated queries: English as the archive has it, ~5% in each other one,
# so that 200 searches hold about ten in each.
QUERY_SHARES = (("en", 75), ("fr", 5), ("ar", 5), ("es", 5), ("de", 5), ("pt", 5))
# Punctuation around a query word, in every script used here.
PUNCTUATION = ".,:;\"'()«»„“”،؛"


def _zipf(items: tuple | list, exponent: float) -> list:
    """The items repeated in proportion to 1/rank**exponent: a few common, a long tail."""
    smallest = 1 / len(items) ** exponent
    return [
        item
        for rank, item in enumerate(items, start=1)
        for _ in range(max(1, round((1 / rank**exponent) / smallest)))
    ]


def weighted(choices: tuple) -> list:
    """(value, integer weight) pairs as a list to pick uniformly from."""
    return [value for value, weight in choices for _ in range(weight)]


class Dice:
    """Uniform picks from one seeded generator, without random.choice's per-call overhead."""

    def __init__(self, rng: random.Random):
        self.random = rng.random
        self.rng = rng

    def pick(self, items):
        return items[int(self.random() * len(items))]

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """low..high, both included."""
        return low + int(self.random() * (high - low + 1))

    def chance(self, probability: float) -> bool:
        return self.random() < probability


class Phrases:
    """One language's phrases, drawn once into pools and then combined per row.

    Pools of tens of thousands each: fast enough for a million claims, and still millions of
    distinct statements.
    """

    def __init__(self, vocabulary: Vocabulary, dice: Dice, pool_size: int):
        self.vocabulary = vocabulary
        self.dice = dice
        self.places = _zipf(vocabulary.places, 0.9)
        self.countries = _zipf(vocabulary.countries, 0.9)
        self.topic_objects = [_zipf(items, 0.8) for items in vocabulary.objects]
        self.objects = [self._object() for _ in range(pool_size * 2)]
        self.qualifiers = [
            self._fill(dice.pick(vocabulary.qualifiers)) for _ in range(pool_size // 4)
        ]
        self.findings = [self._finding() for _ in range(pool_size)]
        self.fillers = [self._filler() for _ in range(pool_size)]
        self.titles = [self._title() for _ in range(pool_size)]
        self.people = [self._person() for _ in range(pool_size)]

    def _slots(self) -> dict[str, object]:
        dice = self.dice
        return {
            "place": dice.pick(self.places),
            "country": dice.pick(self.countries),
            "n": dice.pick((2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 40, 50, 60, 100, 150, 300)),
            "year": dice.between(2008, 2030),
            "weekday": dice.pick(self.vocabulary.weekdays),
            "detail": dice.pick(DETAILS),  # English fillers only
            "adjective": dice.pick(ADJECTIVES),
        }

    def _fill(self, template: str, **extra: str) -> str:
        return template.format(**self._slots(), **extra)

    def _object(self) -> str:
        return self._fill(self.dice.pick(self.dice.pick(self.topic_objects)))

    def _finding(self) -> str:
        vocabulary = self.vocabulary
        finding = self._fill(self.dice.pick(vocabulary.findings), object=self._object())
        return f"{self.dice.pick(vocabulary.finding_subjects)} {finding}."

    def _filler(self) -> str:
        actor = self.dice.pick(self.vocabulary.actors)
        return self._fill(
            self.dice.pick(self.vocabulary.fillers), actor=actor, object=self._object()
        )

    def _title(self) -> str:
        actor = self.dice.pick(self.vocabulary.actors)
        return self._fill(
            self.dice.pick(self.vocabulary.titles), actor=actor, object=self._object()
        )

    def _person(self) -> str:
        dice, vocabulary = self.dice, self.vocabulary
        female = dice.chance(0.5)
        first = dice.pick(vocabulary.first_names[female])
        role = dice.pick(vocabulary.roles)[female]
        separator = "، " if vocabulary.code == "ar" else ", "
        return f"{first} {dice.pick(vocabulary.last_names)}{separator}{role}"

    def statement(self, promise: bool) -> str:
        """A checkable statement without its full stop: what a claimant said."""
        dice, vocabulary = self.dice, self.vocabulary
        verb = dice.pick(vocabulary.promise_verbs if promise else vocabulary.fact_verbs)
        actor = dice.pick(vocabulary.actors)
        return f"{actor} {verb} {dice.pick(self.objects)} {dice.pick(self.qualifiers)}"


class Writer:
    """Sentences, names and queries in each language, reproducible from one seed."""

    def __init__(self, dice: Dice, pool_size: int = 20_000):
        self.dice = dice
        self.tag_pool = _zipf(TAGS, 0.9)
        self.languages = weighted(LANGUAGE_SHARES)
        self.query_languages = weighted(QUERY_SHARES)
        # English is most of the archive; the others need fewer distinct phrases.
        self.phrases = {
            code: Phrases(vocabulary, dice, pool_size if code == "en" else max(pool_size // 4, 500))
            for code, vocabulary in VOCABULARIES.items()
        }
        self.tag_sets = [self._tag_set() for _ in range(pool_size // 4)]

    def _tag_set(self) -> list[str]:
        count = self.dice.pick((0, 1, 1, 2, 2, 3))
        return sorted({self.dice.pick(self.tag_pool) for _ in range(count)})

    def _in(self, language: str) -> Phrases:
        """The phrases a record in `language` is written with (`und`: English)."""
        return self.phrases.get(language) or self.phrases["en"]

    # Picking (fast; per row)

    def language(self) -> str:
        return self.dice.pick(self.languages)

    def person(self, language: str) -> str:
        return self.dice.pick(self._in(language).people)

    def statement(self, language: str, promise: bool) -> str:
        return self._in(language).statement(promise)

    def quote(self, language: str) -> tuple[str, str]:
        """What comes before a speaker's words in a source ({speaker} to fill), and after."""
        return self._in(language).vocabulary.quote

    def finding(self, language: str) -> str:
        return self.dice.pick(self._in(language).findings)

    def filler(self, language: str) -> str:
        return self.dice.pick(self._in(language).fillers)

    def title(self, language: str) -> str:
        return self.dice.pick(self._in(language).titles)

    def tag_set(self) -> list[str]:
        return self.dice.pick(self.tag_sets)

    def query(self, language: str | None = None) -> str:
        """Two content words that occur together in some statement: a search a researcher
        makes, in `language` or in one drawn from QUERY_SHARES."""
        language = language or self.dice.pick(self.query_languages)
        stop_words = self._in(language).vocabulary.stop_words
        words: list[str] = []
        while len(words) < 2:
            text = self.statement(language, promise=self.dice.chance(0.4))
            words = [
                word
                for word in (w.strip(PUNCTUATION) for w in text.split())
                if word.lower() not in stop_words and not word.isdigit() and len(word) > 2
            ]
        return " ".join(self.dice.rng.sample(words, 2))
