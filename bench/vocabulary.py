"""Word lists and a sentence maker: synthetic but realistic fact-check text.

Claims are built from topic phrases (politics, diplomacy, economy, health) drawn with a Zipf-like
skew, so full-text search meets both broad words ("government", "budget") and selective ones (a
city, a surname, a rare detail). A few percent of sources are French, Spanish or Arabic.
"""

from __future__ import annotations

import random

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

# Other languages: a subject, a verb and an object make a sentence in each.
FOREIGN = {
    "fr": (
        "Le gouvernement|Le ministère|La mairie|Le parlement|Le Premier ministre".split("|"),
        "va ouvrir|a promis de réduire|a augmenté|va construire|a supprimé".split("|"),
        (
            "un consulat à {place}|le salaire minimum|les subventions au carburant|"
            "un hôpital universitaire à {place}|le chômage des jeunes diplômés|"
            "la couverture vaccinale|les impôts sur le revenu|une usine de dessalement à {place}"
        ).split("|"),
    ),
    "es": (
        "El gobierno|El ministerio|El ayuntamiento|El parlamento|El presidente".split("|"),
        "abrirá|prometió reducir|aumentó|construirá|eliminó".split("|"),
        (
            "un consulado en {place}|el salario mínimo|los subsidios al combustible|"
            "un hospital universitario en {place}|el desempleo juvenil|la cobertura de vacunación|"
            "el impuesto sobre la renta|una planta desalinizadora en {place}"
        ).split("|"),
    ),
    "ar": (
        "الحكومة|الوزارة|البرلمان|رئيس الحكومة|المجلس البلدي".split("|"),
        "ستفتح|وعدت بتخفيض|رفعت|ستبني|ألغت".split("|"),
        (
            "قنصلية في {place}|الحد الأدنى للأجور|دعم المحروقات|مستشفى جامعي في {place}|"
            "بطالة الشباب|التغطية الصحية|الضريبة على الدخل|محطة لتحلية المياه في {place}"
        ).split("|"),
    ),
}
LANGUAGE_SHARES = (("en", 97), ("fr", 1), ("es", 1), ("ar", 1))  # percent
STOPWORDS = frozenset(
    "a an the of in on to for by and or with from at after before since within across despite "
    "new number will it its is was that".split()
)


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


class Writer:
    """Sentences, names and queries from the word lists, reproducible from one seed.

    Phrases are drawn once into pools (tens of thousands each) and then combined per claim:
    fast enough for a million claims, and still millions of distinct statements.
    """

    def __init__(self, dice: Dice, pool_size: int = 20_000):
        self.dice = dice
        self.places = _zipf(PLACES, 0.9)
        self.countries = _zipf(COUNTRIES, 0.9)
        self.topic_objects = [_zipf(items, 0.8) for items in OBJECTS.values()]
        self.tag_pool = _zipf(TAGS, 0.9)
        self.languages = weighted(LANGUAGE_SHARES)
        self.objects = [self._object() for _ in range(pool_size * 2)]
        self.qualifiers = [self._fill(dice.pick(QUALIFIERS)) for _ in range(pool_size // 4)]
        self.findings = [self._finding() for _ in range(pool_size)]
        self.fillers = [self._filler() for _ in range(pool_size)]
        self.titles = [self._title() for _ in range(pool_size)]
        self.people = [self._person() for _ in range(pool_size)]
        self.tag_sets = [self._tag_set() for _ in range(pool_size // 4)]

    # Drawing phrases (slow; fills the pools)

    def _slots(self) -> dict[str, object]:
        dice = self.dice
        return {
            "place": dice.pick(self.places),
            "country": dice.pick(self.countries),
            "n": dice.pick((2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 40, 50, 60, 100, 150, 300)),
            "year": dice.between(2008, 2030),
            "weekday": dice.pick(WEEKDAYS),
            "detail": dice.pick(DETAILS),
            "adjective": dice.pick(ADJECTIVES),
        }

    def _fill(self, template: str, **extra: str) -> str:
        return template.format(**self._slots(), **extra)

    def _object(self) -> str:
        return self._fill(self.dice.pick(self.dice.pick(self.topic_objects)))

    def _finding(self) -> str:
        finding = self._fill(self.dice.pick(FINDINGS), object=self._object())
        return f"{self.dice.pick(SOURCES)} {finding}."

    def _filler(self) -> str:
        return self._fill(
            self.dice.pick(FILLER), actor=self.dice.pick(ACTORS), object=self._object()
        )

    def _title(self) -> str:
        year = self.dice.between(2008, 2030)
        return f"{self.dice.pick(ACTORS)} and {self._object()}: what we know ({year})"

    def _person(self) -> str:
        dice = self.dice
        return f"{dice.pick(FIRST_NAMES)} {dice.pick(LAST_NAMES)}, {dice.pick(ROLES)}"

    def _tag_set(self) -> list[str]:
        count = self.dice.pick((0, 1, 1, 2, 2, 3))
        return sorted({self.dice.pick(self.tag_pool) for _ in range(count)})

    # Picking (fast; per row)

    def language(self) -> str:
        return self.dice.pick(self.languages)

    def person(self) -> str:
        return self.dice.pick(self.people)

    def statement(self, language: str, promise: bool) -> str:
        """A checkable statement without its full stop: what a claimant said."""
        dice = self.dice
        if language != "en":
            subjects, verbs, objects = FOREIGN[language]
            thing = dice.pick(objects).replace("{place}", dice.pick(self.places))
            return f"{dice.pick(subjects)} {dice.pick(verbs)} {thing}"
        verb = dice.pick(PROMISE_VERBS if promise else FACT_VERBS)
        return f"{dice.pick(ACTORS)} {verb} {dice.pick(self.objects)} {dice.pick(self.qualifiers)}"

    def finding(self) -> str:
        return self.dice.pick(self.findings)

    def filler(self) -> str:
        return self.dice.pick(self.fillers)

    def title(self) -> str:
        return self.dice.pick(self.titles)

    def tag_set(self) -> list[str]:
        return self.dice.pick(self.tag_sets)

    def query(self) -> str:
        """Two content words that occur together in some statement: a search a researcher makes."""
        words: list[str] = []
        while len(words) < 2:
            text = self.statement(self.language(), promise=self.dice.chance(0.4))
            words = [
                w.strip(".,:;\"'()")
                for w in text.split()
                if w.lower() not in STOPWORDS and not w.isdigit() and len(w) > 2
            ]
        return " ".join(self.dice.rng.sample(words, 2))
