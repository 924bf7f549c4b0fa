"""Word lists in French, Spanish, Portuguese, German and Arabic: news sentences in each language.

Real words of each language (no transliterations; Arabic names and places in Arabic script),
built the same way as the English of bench/vocabulary.py: an actor, a verb, an object and a
qualifier make a statement, with findings, filler sentences, titles and quoted speakers
around it. Sentences are chosen so that the words agree without a grammar engine: subjects
are singular (Arabic: feminine, with feminine verbs), German objects are accusative and only
follow verbs and prepositions that take one, French and Spanish never put an object after
`de` or `à` (which would contract with its article).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """What a writer needs to write claims, sources and findings in one language."""

    code: str
    actors: tuple[str, ...]
    promise_verbs: tuple[str, ...]
    fact_verbs: tuple[str, ...]
    # Topics of objects, each drawn with a Zipf skew; {place} and {country} are filled in.
    objects: tuple[tuple[str, ...], ...]
    qualifiers: tuple[str, ...]  # {n}, {year}, {place}
    finding_subjects: tuple[str, ...]  # plural: the findings' verbs are plural
    findings: tuple[str, ...]  # {object}, {n}, {year}
    fillers: tuple[str, ...]  # {actor}, {object}, {place}, {country}, {weekday}, {year}, ...
    titles: tuple[str, ...]  # {actor}, {object}, {year}
    weekdays: tuple[str, ...]
    countries: tuple[str, ...]
    # Where a speaker is quoted in a source: (before the quote, after it), {speaker} filled in.
    quote: tuple[str, str]
    last_names: tuple[str, ...]
    # (male first names, female first names) and roles as (masculine, feminine).
    first_names: tuple[tuple[str, ...], tuple[str, ...]]
    roles: tuple[tuple[str, str], ...]
    # Words a researcher would not search for, left out of generated queries.
    stop_words: frozenset[str]
    places: tuple[str, ...]  # commonest first (drawn with a Zipf skew)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(pair.split("/")) for pair in _split(text))  # type: ignore[misc]


def _places(
    laayoune: str,
    tangier: str,
    fez: str,
    tetouan: str,
    seville: str,
    lisbon: str,
    cairo: str,
    algiers: str,
) -> tuple[str, ...]:
    """Places for a language written in Latin script: the names that change with it (exonyms)
    among those every language writes alike, commonest first (drawn with a Zipf skew)."""
    return (
        "Dakhla", laayoune, "Rabat", "Casablanca", tangier, fez, "Marrakech", "Agadir", "Oujda",
        "Kenitra", tetouan, "Nador", "Essaouira", "Ouarzazate", "Errachidia", "Safi",
        "Khouribga", "Guelmim", "Smara", algiers, "Oran", "Tunis", "Sfax", cairo, "Dakar",
        "Nouakchott", "Lagos", "Abuja", "Accra", "Nairobi", "Madrid", seville, "Valencia",
        lisbon, "Porto", "Paris", "Lyon", "Marseille", "Bordeaux", "Toulouse", "Berlin",
        "Hamburg", "Amsterdam", "Doha", "Amman", "Istanbul", "Ankara", "Dubai", "Riyadh",
        "Tokyo", "Osaka", "Mumbai", "Jakarta", "Hanoi", "Lima", "Santiago", "Quito",
        "Montevideo", "Toronto", "Montreal", "Oslo", "Stockholm", "Helsinki", "Budapest",
    )  # fmt: skip


LATIN_MALE = tuple(
    "Youssef Karim Omar Hassan Mehdi Daniel Ibrahim Pierre Carlos Ahmed Rachid Hugo Samir Kwame "
    "Tariq Hamza Walid Adam Miguel Luis Paul Victor Jonas Tomas".split()
)
LATIN_FEMALE = tuple(
    "Fatima Amina Leila Nadia Salma Sofia Maria Aisha Claire Elena Lucia Zineb Ines Chloe Grace "
    "Mariam Anna Rania Nour Yasmine Imane Sara Laura Rosa Julia".split()
)
LATIN_LAST = tuple(
    "Benali Alaoui Tazi Bennani Mansouri Haddad Chraibi Fassi Berrada Amrani Kettani Dubois "
    "Martin Lefebvre Moreau Garcia Fernandez Lopez Martinez Silva Santos Costa Pereira Ferreira "
    "Schmidt Weber Fischer Wagner Becker Diallo Traore Keita".split()
)

FRENCH = Vocabulary(
    code="fr",
    places=_places(
        "Laâyoune", "Tanger", "Fès", "Tétouan", "Séville", "Lisbonne", "Le Caire", "Alger"
    ),
    actors=_split(
        "Le gouvernement|Le ministère|La mairie|Le parlement|Le Premier ministre|"
        "La banque centrale|Le ministère de la Santé|Le ministère des Affaires étrangères|"
        "Le ministère des Finances|L'opposition|La coalition au pouvoir|Le conseil régional"
    ),
    promise_verbs=_split(
        "va ouvrir|va construire|va réduire|va augmenter|va doubler|va réformer|va financer|"
        "a promis de réduire|a promis de lancer|va signer|va supprimer|va étendre"
    ),
    fact_verbs=_split(
        "a doublé|a réduit|a augmenté|a ouvert|a supprimé|a triplé|a approuvé|a rejeté|"
        "a signé|a gelé|a annulé|a financé"
    ),
    objects=(
        _split(
            "un référendum sur la nouvelle constitution|le nombre de sièges au parlement|"
            "les règles de financement des campagnes|les listes électorales|"
            "les élections municipales|la commission anticorruption|la loi sur la "
            "décentralisation|la limitation des mandats des maires"
        ),
        _split(
            "un consulat à {place}|les relations diplomatiques avec {country}|un accord "
            "commercial avec {country}|des sanctions contre {country}|les visas exigés par "
            "{country}|un sommet à {place}|la coopération militaire avec {country}|"
            "un consulat général à {place}"
        ),
        _split(
            "le salaire minimum|les subventions au carburant|l'impôt sur le revenu|"
            "le déficit budgétaire|le chômage des jeunes diplômés|l'inflation|"
            "les exportations de phosphate|la dette publique|le prix du pain|"
            "les pensions des enseignants retraités|une ligne ferroviaire à grande vitesse "
            "vers {place}|le port de {place}|une usine de dessalement à {place}|"
            "les recettes du tourisme|les importations de blé"
        ),
        _split(
            "les lits d'hôpital à {place}|la couverture vaccinale|le nombre d'infirmières|"
            "la mortalité maternelle|les dispensaires ruraux|le prix des médicaments|"
            "l'assurance maladie|un hôpital universitaire à {place}|les cas de paludisme|"
            "le dépistage du cancer"
        ),
    ),
    qualifiers=_split(
        "de {n} pour cent|en {year}|avant la fin de {year}|depuis {year}|d'ici {n} mois|"
        "pour la première fois depuis {year}|à {place}|dans tout le pays|"
        "de {n} milliards de dirhams|malgré la sécheresse|après les élections"
    ),
    finding_subjects=_split(
        "Les documents budgétaires|Les statistiques officielles|Les archives judiciaires|"
        "Les rapports de la Banque mondiale|Les chiffres du ministère|Les rapports de la Cour "
        "des comptes|Les images satellites|Les journalistes locaux|Les données douanières|"
        "Les données de l'OMS"
    ),
    findings=_split(
        "montrent une variation de {n} pour cent pour {object} en {year}|"
        "ne confirment pas le chiffre avancé sur {object}|confirment l'annonce concernant "
        "{object}|montrent que les travaux pour {object} n'avaient pas commencé en {year}|"
        "chiffrent le coût pour {object} à {n} millions|contredisent l'affirmation sur "
        "{object}|indiquent qu'une décision sur {object} était déjà prévue en {year}"
    ),
    fillers=_split(
        "{actor} a tenu une conférence de presse à {place} {weekday}.|L'annonce fait suite à "
        "des semaines de négociations.|Les critiques jugent incomplets les chiffres sur "
        "{object}.|Le gouvernement n'a pas répondu aux questions sur {object}.|"
        "Le rapport annuel a été publié en {year}.|Des observateurs à {place} ont salué la "
        "déclaration.|L'opposition a réclamé un débat sur {object}.|Des manifestations ont "
        "eu lieu à {place} le {weekday} suivant.|Un porte-parole a cité l'enquête de {year}."
    ),
    titles=_split("Ce que l'on sait sur {object} ({year})|{actor} et {object} : le point"),
    weekdays=_split("lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"),
    countries=_split(
        "l'Espagne|la France|l'Algérie|la Tunisie|l'Égypte|le Sénégal|la Mauritanie|"
        "le Nigeria|le Portugal|l'Italie|l'Allemagne|le Qatar|la Turquie|la Chine|"
        "le Japon|l'Inde|le Brésil|le Canada|la Russie|les États-Unis"
    ),
    quote=("{speaker}, a déclaré : « ", " »."),
    last_names=LATIN_LAST,
    first_names=(LATIN_MALE, LATIN_FEMALE),
    roles=_pairs(
        "ministre de la Santé/ministre de la Santé|ministre des Finances/ministre des Finances|"
        "Premier ministre/Première ministre|chef de l'opposition/cheffe de l'opposition|"
        "maire/maire|gouverneur/gouverneure|porte-parole du parti/porte-parole du parti|"
        "député/députée|ambassadeur/ambassadrice|dirigeant syndical/dirigeante syndicale|"
        "sénateur/sénatrice|président de région/présidente de région"
    ),
    stop_words=frozenset(
        "le la les l un une des de du d à au aux en et ou pour par sur dans avec sans sous "
        "va a ont été est son sa ses ce cette qui que qu il elle ne pas plus se s entre "
        "depuis avant après contre vers fin".split()
    ),
)

SPANISH = Vocabulary(
    code="es",
    places=_places("El Aaiún", "Tánger", "Fez", "Tetuán", "Sevilla", "Lisboa", "El Cairo", "Argel"),
    actors=_split(
        "El gobierno|El ministerio|El ayuntamiento|El parlamento|El presidente|"
        "El banco central|El ministerio de Sanidad|El ministerio de Asuntos Exteriores|"
        "El ministerio de Hacienda|La oposición|La coalición de gobierno|El consejo regional"
    ),
    promise_verbs=_split(
        "abrirá|construirá|reducirá|aumentará|duplicará|reformará|financiará|"
        "prometió reducir|se comprometió a lanzar|firmará|eliminará|ampliará"
    ),
    fact_verbs=_split(
        "duplicó|redujo|aumentó|abrió|eliminó|triplicó|aprobó|rechazó|firmó|congeló|"
        "canceló|financió"
    ),
    objects=(
        _split(
            "un referéndum sobre la nueva constitución|el número de escaños del parlamento|"
            "las normas de financiación de campañas|el censo electoral|las elecciones "
            "municipales|la comisión anticorrupción|la ley de descentralización|"
            "el límite de mandatos de los alcaldes"
        ),
        _split(
            "un consulado en {place}|la embajada en {country}|un acuerdo comercial con "
            "{country}|sanciones contra {country}|los visados para ciudadanos de {country}|"
            "una cumbre en {place}|la cooperación militar con {country}|"
            "un consulado general en {place}"
        ),
        _split(
            "el salario mínimo|los subsidios al combustible|el impuesto sobre la renta|"
            "el déficit presupuestario|el desempleo juvenil|la inflación|"
            "las exportaciones de fosfato|la deuda pública|el precio del pan|"
            "las pensiones de los maestros jubilados|una línea de alta velocidad hacia "
            "{place}|el puerto de {place}|una planta desalinizadora en {place}|"
            "los ingresos por turismo|las importaciones de trigo"
        ),
        _split(
            "las camas de hospital en {place}|la cobertura de vacunación|el número de "
            "enfermeras|la mortalidad materna|los centros de salud rurales|el precio de los "
            "medicamentos|el seguro médico|un hospital universitario en {place}|los casos "
            "de malaria|el cribado del cáncer"
        ),
    ),
    qualifiers=_split(
        "un {n} por ciento|en {year}|antes de finales de {year}|desde {year}|en {n} meses|"
        "por primera vez desde {year}|en {place}|en todo el país|en {n} mil millones de "
        "dírhams|pese a la sequía|tras las elecciones"
    ),
    finding_subjects=_split(
        "Los documentos presupuestarios|Las estadísticas oficiales|Los registros judiciales|"
        "Los informes del Banco Mundial|Las cifras del ministerio|Los informes del Tribunal "
        "de Cuentas|Las imágenes de satélite|Los periodistas locales|Los datos de aduanas|"
        "Los datos de la OMS"
    ),
    findings=_split(
        "muestran un cambio del {n} por ciento en {object} en {year}|no respaldan la cifra "
        "dada sobre {object}|confirman el anuncio sobre {object}|muestran que las obras "
        "para {object} no habían empezado en {year}|sitúan el gasto en {object} en {n} "
        "millones|contradicen la afirmación sobre {object}|sugieren que una medida sobre "
        "{object} ya estaba prevista en {year}"
    ),
    fillers=_split(
        "{actor} dio una rueda de prensa en {place} el {weekday}.|El anuncio llegó tras "
        "semanas de negociaciones con {country}.|Los críticos dijeron que las cifras sobre "
        "{object} eran incompletas.|El gobierno no respondió a las preguntas sobre "
        "{object}.|El informe anual se publicó en {year}.|Los observadores en {place} "
        "celebraron la declaración.|La oposición pidió un debate sobre {object}.|"
        "Hubo protestas en {place} el {weekday} siguiente.|Un portavoz citó la encuesta de "
        "{year}."
    ),
    titles=_split("Lo que sabemos sobre {object} ({year})|{actor} y {object}: las claves"),
    weekdays=_split("lunes|martes|miércoles|jueves|viernes|sábado|domingo"),
    countries=_split(
        "España|Francia|Argelia|Túnez|Egipto|Senegal|Mauritania|Nigeria|Portugal|Italia|"
        "Alemania|Catar|Turquía|China|Japón|India|Brasil|Canadá|Rusia|Estados Unidos"
    ),
    quote=("{speaker}, afirmó: «", "»."),
    last_names=LATIN_LAST,
    first_names=(LATIN_MALE, LATIN_FEMALE),
    roles=_pairs(
        "ministro de Sanidad/ministra de Sanidad|ministro de Hacienda/ministra de Hacienda|"
        "presidente del gobierno/presidenta del gobierno|líder de la oposición/líder de la "
        "oposición|alcalde/alcaldesa|gobernador/gobernadora|portavoz del partido/portavoz del "
        "partido|diputado/diputada|embajador/embajadora|líder sindical/líder sindical|"
        "senador/senadora|presidente regional/presidenta regional"
    ),
    stop_words=frozenset(
        "el la los las lo un una unos unas de del al a en y o para por con sin sobre entre "
        "desde antes tras contra su sus que se es fue ha hacia finales".split()
    ),
)

PORTUGUESE = Vocabulary(
    code="pt",
    places=_places("El Aaiún", "Tânger", "Fez", "Tetuão", "Sevilha", "Lisboa", "Cairo", "Argel"),
    actors=_split(
        "O governo|O ministério|A câmara municipal|O parlamento|O primeiro-ministro|"
        "O banco central|O ministério da Saúde|O ministério dos Negócios Estrangeiros|"
        "O ministério das Finanças|A oposição|A coligação no poder|O conselho regional"
    ),
    promise_verbs=_split(
        "vai abrir|vai construir|vai reduzir|vai aumentar|vai duplicar|vai reformar|"
        "vai financiar|prometeu reduzir|comprometeu-se a lançar|vai assinar|vai eliminar|"
        "vai alargar"
    ),
    fact_verbs=_split(
        "duplicou|reduziu|aumentou|abriu|eliminou|triplicou|aprovou|rejeitou|assinou|"
        "congelou|cancelou|financiou"
    ),
    objects=(
        _split(
            "um referendo sobre a nova constituição|o número de deputados|as regras de "
            "financiamento das campanhas|os cadernos eleitorais|as eleições autárquicas|"
            "a comissão anticorrupção|a lei da descentralização|a limitação de mandatos"
        ),
        _split(
            "um consulado em {place}|a embaixada em {country}|um acordo comercial com "
            "{country}|sanções contra {country}|os vistos para cidadãos de {country}|"
            "uma cimeira em {place}|a cooperação militar com {country}|"
            "um consulado-geral em {place}"
        ),
        _split(
            "o salário mínimo|os subsídios aos combustíveis|o imposto sobre o rendimento|"
            "o défice orçamental|o desemprego jovem|a inflação|as exportações de fosfato|"
            "a dívida pública|o preço do pão|as pensões dos professores reformados|"
            "uma linha de alta velocidade para {place}|o porto de {place}|uma central de "
            "dessalinização em {place}|as receitas do turismo|as importações de trigo"
        ),
        _split(
            "as camas hospitalares em {place}|a cobertura vacinal|o número de enfermeiros|"
            "a mortalidade materna|os centros de saúde rurais|o preço dos medicamentos|"
            "o seguro de saúde|um hospital universitário em {place}|os casos de malária|"
            "o rastreio do cancro"
        ),
    ),
    qualifiers=_split(
        "em {n} por cento|em {year}|até ao final de {year}|desde {year}|em {n} meses|"
        "pela primeira vez desde {year}|em {place}|em todo o país|em {n} mil milhões de "
        "dirhams|apesar da seca|depois das eleições"
    ),
    finding_subjects=_split(
        "Os documentos orçamentais|As estatísticas oficiais|Os registos judiciais|"
        "Os relatórios do Banco Mundial|Os números do ministério|Os relatórios do Tribunal "
        "de Contas|As imagens de satélite|Os jornalistas locais|Os dados aduaneiros|"
        "Os dados da OMS"
    ),
    findings=_split(
        "mostram uma variação de {n} por cento sobre {object} em {year}|não confirmam o "
        "número avançado sobre {object}|confirmam o anúncio sobre {object}|mostram que as "
        "obras para {object} ainda não tinham começado em {year}|estimam em {n} milhões o "
        "custo da medida sobre {object}|contradizem a afirmação sobre {object}|sugerem que "
        "uma medida sobre {object} já estava prevista em {year}"
    ),
    fillers=_split(
        "{actor} deu uma conferência de imprensa em {place} na {weekday}.|O anúncio surgiu "
        "após semanas de negociações.|Os críticos disseram que os números sobre {object} "
        "estavam incompletos.|O governo não respondeu às perguntas sobre {object}.|"
        "O relatório anual foi publicado em {year}.|Os observadores em {place} saudaram a "
        "declaração.|A oposição pediu um debate sobre {object}.|Houve protestos em {place} "
        "na {weekday} seguinte.|Um porta-voz citou o inquérito de {year}."
    ),
    titles=_split("O que sabemos sobre {object} ({year})|{actor} e {object}: o essencial"),
    weekdays=_split(
        "segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira"  # feminine: na …
    ),
    countries=_split(
        "Espanha|França|Argélia|Tunísia|Egito|Senegal|Mauritânia|Nigéria|Angola|Itália|"
        "Alemanha|Catar|Turquia|China|Japão|Índia|Brasil|Moçambique|Rússia|Cabo Verde"
    ),
    quote=("{speaker}, afirmou: «", "»."),
    last_names=LATIN_LAST,
    first_names=(LATIN_MALE, LATIN_FEMALE),
    roles=_pairs(
        "ministro da Saúde/ministra da Saúde|ministro das Finanças/ministra das Finanças|"
        "primeiro-ministro/primeira-ministra|líder da oposição/líder da oposição|"
        "presidente da câmara/presidente da câmara|governador/governadora|porta-voz do "
        "partido/porta-voz do partido|deputado/deputada|embaixador/embaixadora|dirigente "
        "sindical/dirigente sindical|senador/senadora|presidente regional/presidente regional"
    ),
    stop_words=frozenset(
        "o a os as um uma de do da dos das em no na nos nas e ou para por com sem sobre "
        "entre desde antes depois contra seu sua vai ao aos pelo pela se até final".split()
    ),
)

GERMAN = Vocabulary(
    code="de",
    places=_places(
        "Laâyoune", "Tanger", "Fès", "Tétouan", "Sevilla", "Lissabon", "Kairo", "Algier"
    ),
    actors=_split(
        "Die Regierung|Das Ministerium|Der Stadtrat|Das Parlament|Der Ministerpräsident|"
        "Die Zentralbank|Das Gesundheitsministerium|Das Außenministerium|"
        "Das Finanzministerium|Die Opposition|Die Regierungskoalition|Der Regionalrat"
    ),
    # Present tense for what will happen, as German news writes it: no verb at the end.
    promise_verbs=_split(
        "eröffnet|baut|senkt|erhöht|verdoppelt|reformiert|finanziert|verspricht|"
        "unterzeichnet|erweitert|modernisiert|plant"
    ),
    fact_verbs=_split(
        "verdoppelte|senkte|erhöhte|eröffnete|strich|verdreifachte|genehmigte|"
        "unterzeichnete|halbierte|finanzierte|erweiterte|reduzierte"
    ),
    objects=(
        _split(
            "ein Referendum über die neue Verfassung|das Wahlalter|die Zahl der "
            "Parlamentssitze|die Regeln der Wahlkampffinanzierung|das Wählerverzeichnis|"
            "die Kommunalwahlen|die Antikorruptionskommission|das Dezentralisierungsgesetz"
        ),
        _split(
            "ein Konsulat in {place}|die Botschaft in {country}|ein Handelsabkommen mit "
            "{country}|Sanktionen gegen {country}|die Visumpflicht für Bürger aus {country}|"
            "einen Gipfel in {place}|die militärische Zusammenarbeit mit {country}|"
            "ein Generalkonsulat in {place}"
        ),
        _split(
            "den Mindestlohn|die Treibstoffsubventionen|die Einkommensteuer|das "
            "Haushaltsdefizit|die Jugendarbeitslosigkeit|die Inflation|die Phosphatexporte|"
            "die Staatsverschuldung|den Brotpreis|die Renten pensionierter Lehrer|"
            "eine Schnellbahnstrecke nach {place}|den Hafen von {place}|eine "
            "Meerwasserentsalzungsanlage in {place}|die Einnahmen aus dem Tourismus|"
            "die Weizenimporte"
        ),
        _split(
            "die Krankenhausbetten in {place}|die Impfquote|die Zahl der Pflegekräfte|"
            "die Müttersterblichkeit|die Landarztpraxen|die Arzneimittelpreise|"
            "die Krankenversicherung|ein Universitätsklinikum in {place}|die Malariafälle|"
            "die Krebsvorsorge"
        ),
    ),
    qualifiers=_split(
        "um {n} Prozent|im Jahr {year}|bis Ende {year}|seit {year}|innerhalb von {n} "
        "Monaten|zum ersten Mal seit {year}|in {place}|im ganzen Land|um {n} Milliarden "
        "Dirham|trotz der Dürre|nach den Wahlen"
    ),
    finding_subjects=_split(
        "Haushaltsdokumente|Offizielle Statistiken|Gerichtsakten|Berichte der Weltbank|"
        "Zahlen des Ministeriums|Berichte des Rechnungshofs|Satellitenbilder|Lokale "
        "Reporter|Zolldaten|Daten der WHO"
    ),
    findings=_split(
        "zeigen eine Veränderung um {n} Prozent für {object} im Jahr {year}|stützen die "
        "genannte Zahl über {object} nicht|bestätigen die Ankündigung über {object}|"
        "zeigen, dass die Arbeiten für {object} bis {year} nicht begonnen hatten|beziffern "
        "die Kosten für {object} auf {n} Millionen|widersprechen der Behauptung über "
        "{object}|deuten darauf hin, dass eine Entscheidung über {object} schon {year} "
        "geplant war"
    ),
    fillers=_split(
        "{actor} gab am {weekday} in {place} eine Pressekonferenz.|Die Ankündigung folgte "
        "auf wochenlange Gespräche mit {country}.|Kritiker nannten die Zahlen über {object} "
        "unvollständig.|Die Regierung beantwortete keine Fragen über {object}.|"
        "Der Jahresbericht wurde {year} veröffentlicht.|Beobachter in {place} begrüßten die "
        "Erklärung.|Die Opposition forderte eine Debatte über {object}.|Am folgenden "
        "{weekday} gab es Proteste in {place}.|Ein Sprecher zitierte die Umfrage von {year}."
    ),
    titles=_split("Was wir über {object} wissen ({year})|Der Faktencheck: {actor} und die Zahlen"),
    weekdays=_split("Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag"),
    countries=_split(
        "Spanien|Frankreich|Algerien|Tunesien|Ägypten|Senegal|Mauretanien|Nigeria|Portugal|"
        "Italien|Österreich|Katar|Polen|China|Japan|Indien|Brasilien|Kanada|Russland|Marokko"
    ),
    quote=("{speaker}, sagte: „", "“."),
    last_names=LATIN_LAST,
    first_names=(LATIN_MALE, LATIN_FEMALE),
    roles=_pairs(
        "Gesundheitsminister/Gesundheitsministerin|Finanzminister/Finanzministerin|"
        "Ministerpräsident/Ministerpräsidentin|Oppositionsführer/Oppositionsführerin|"
        "Bürgermeister/Bürgermeisterin|Gouverneur/Gouverneurin|Parteisprecher/"
        "Parteisprecherin|Abgeordneter/Abgeordnete|Botschafter/Botschafterin|"
        "Gewerkschaftschef/Gewerkschaftschefin|Senator/Senatorin|Regionalpräsident/"
        "Regionalpräsidentin"
    ),
    stop_words=frozenset(
        "der die das den dem des ein eine einen einem einer und oder für mit von zu zum im "
        "in am an auf bis seit nach vor gegen bei aus um über ende jahr".split()
    ),
)

# Modern Standard Arabic as Moroccan and Middle Eastern outlets write it. Every actor is
# grammatically feminine (a ministry, a government, authorities), so are the verbs.
ARABIC = Vocabulary(
    code="ar",
    actors=_split(
        "الحكومة|الوزارة|رئاسة الحكومة|وزارة الصحة|وزارة الخارجية|وزارة المالية|"
        "المعارضة|الأغلبية الحكومية|الجماعة|السلطات المحلية|الجهة|اللجنة البرلمانية"
    ),
    promise_verbs=_split(
        "ستفتح|ستبني|ستخفض|سترفع|ستضاعف|ستصلح|ستمول|وعدت بتخفيض|تعهدت بإطلاق|ستوقع|ستلغي|ستوسع"
    ),
    fact_verbs=_split("ضاعفت|خفضت|رفعت|فتحت|ألغت|قلصت|وافقت على|رفضت|وقعت|جمدت|وسعت|مولت"),
    objects=(
        _split(
            "استفتاء على الدستور الجديد|عدد المقاعد البرلمانية|قواعد تمويل الحملات "
            "الانتخابية|اللوائح الانتخابية|الانتخابات الجماعية|هيئة مكافحة الفساد|"
            "قانون اللامركزية|عدد النساء في البرلمان"
        ),
        _split(
            "قنصلية في {place}|السفارة في {country}|اتفاقية تجارية مع {country}|عقوبات على "
            "{country}|التأشيرات لمواطني {country}|قمة في {place}|التعاون العسكري مع "
            "{country}|قنصلية عامة في {place}"
        ),
        _split(
            "الحد الأدنى للأجور|دعم المحروقات|الضريبة على الدخل|عجز الميزانية|بطالة الشباب "
            "حاملي الشهادات|التضخم|صادرات الفوسفاط|الدين العمومي|سعر الخبز|معاشات الأساتذة "
            "المتقاعدين|خط القطار فائق السرعة إلى {place}|ميناء {place}|محطة لتحلية مياه "
            "البحر في {place}|عائدات السياحة|واردات القمح"
        ),
        _split(
            "الأسرة في مستشفيات {place}|نسبة التلقيح|عدد الممرضين|وفيات الأمهات|المراكز "
            "الصحية في العالم القروي|أسعار الأدوية|التغطية الصحية|مستشفى جامعي في {place}|"
            "حالات الملاريا|الكشف المبكر عن السرطان"
        ),
    ),
    qualifiers=_split(
        "بنسبة {n} في المائة|في {year}|قبل نهاية {year}|منذ {year}|خلال {n} أشهر|لأول مرة "
        "منذ {year}|في {place}|في جميع أنحاء البلاد|بمبلغ {n} مليار درهم|رغم الجفاف|بعد "
        "الانتخابات"
    ),
    finding_subjects=_split(
        "وثائق الميزانية|الإحصاءات الرسمية|السجلات القضائية|تقارير البنك الدولي|أرقام "
        "الوزارة|تقارير المجلس الأعلى للحسابات|صور الأقمار الصناعية|مراسلون محليون|"
        "بيانات الجمارك|بيانات منظمة الصحة العالمية"
    ),
    findings=_split(
        "تظهر تغيرا بنسبة {n} في المائة في {object} سنة {year}|لا تدعم الرقم المقدم بشأن "
        "{object}|تؤكد الإعلان المتعلق ب{object}|تظهر أن الأشغال الخاصة ب{object} لم تبدأ "
        "حتى {year}|تقدر كلفة {object} ب{n} مليون|تناقض التصريح بشأن {object}|تشير إلى أن "
        "قرارا بشأن {object} كان مقررا منذ {year}"
    ),
    fillers=_split(
        "عقدت {actor} ندوة صحفية في {place} يوم {weekday}.|جاء الإعلان بعد أسابيع من "
        "المفاوضات مع {country}.|قال منتقدون إن الأرقام المتعلقة ب{object} غير مكتملة.|"
        "لم تجب الحكومة عن الأسئلة حول {object}.|نشر التقرير السنوي في {year}.|رحب "
        "مراقبون في {place} بالتصريح.|طالبت المعارضة بنقاش حول {object}.|خرجت احتجاجات "
        "في {place} يوم {weekday} الموالي.|استشهد متحدث باسم الوزارة بدراسة {year}."
    ),
    titles=_split("ما نعرفه عن {object} ({year})|{actor} و{object}: تحقق من الأرقام"),
    weekdays=_split("الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد"),
    countries=_split(
        "إسبانيا|فرنسا|الجزائر|تونس|مصر|السنغال|موريتانيا|نيجيريا|البرتغال|إيطاليا|"
        "ألمانيا|قطر|تركيا|الصين|اليابان|الهند|البرازيل|الولايات المتحدة|روسيا|الأردن"
    ),
    # "In the statement of X: «…»": no verb to agree with the speaker.
    quote=("وجاء في تصريح {speaker}: «", "»."),
    last_names=_split(
        "بنعلي|العلوي|التازي|بناني|الإدريسي|المنصوري|حداد|الشرايبي|الفاسي|برادة|العمراني|"
        "الكتاني|الحموشي|بوريطة|أخنوش|لقجع|الميراوي|بنموسى|زنيبر|الرحماني"
    ),
    first_names=(
        _split("يوسف|كريم|عمر|حسن|مهدي|إبراهيم|أحمد|رشيد|سمير|حمزة|وليد|طارق|محمد|عبد الله"),
        _split("فاطمة|أمينة|ليلى|نادية|سلمى|عائشة|زينب|إيمان|سارة|رانية|نور|ياسمين|مريم|خديجة"),
    ),
    roles=_pairs(
        "وزير الصحة/وزيرة الصحة|وزير المالية/وزيرة المالية|وزير الخارجية/وزيرة الخارجية|"
        "رئيس الحكومة/رئيسة الحكومة|زعيم المعارضة/زعيمة المعارضة|عمدة المدينة/عمدة المدينة|"
        "والي الجهة/والية الجهة|الناطق باسم الحزب/الناطقة باسم الحزب|النائب البرلماني/"
        "النائبة البرلمانية|السفير/السفيرة|الكاتب العام للنقابة/الكاتبة العامة للنقابة|"
        "رئيس الجهة/رئيسة الجهة"
    ),
    stop_words=frozenset("في من على إلى مع عن و أن إن قبل بعد منذ خلال حتى ب ل".split()),
    places=_split(
        "الداخلة|العيون|الرباط|الدار البيضاء|طنجة|فاس|مراكش|أكادير|وجدة|القنيطرة|تطوان|"
        "مكناس|الناظور|الصويرة|ورزازات|الرشيدية|آسفي|بني ملال|خريبكة|كلميم|السمارة|"
        "الجزائر العاصمة|وهران|تونس العاصمة|صفاقس|القاهرة|الإسكندرية|دكار|نواكشوط|مدريد|"
        "باريس|لشبونة|الدوحة|عمان|إسطنبول|دبي|الرياض|بيروت"
    ),
)

FOREIGN = {
    vocabulary.code: vocabulary for vocabulary in (FRENCH, SPANISH, PORTUGUESE, GERMAN, ARABIC)
}
