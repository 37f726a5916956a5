"""The six Cluster Growth Councils and the regional colour of the demo programme.

Universities are named after the council's real university (the programme is led by
them); every other organisation, person and project in the demo data is fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.types import Council


@dataclass(frozen=True)
class Region:
    """A council plus what the generator needs to dress its records.

    Attributes
    ----------
    council : Council
        The council record.
    language : str
        The local language of its challenges (``"en"`` for Cork).
    hei_name, park_name, hei_domain : str
        Its university, its science park, and a fictitious e-mail domain.
    cities : tuple of str
        Towns of the region where SMEs sit.
    first_names, surnames : tuple of str
        Name stock for fictitious people.
    sme_weight : float
        Share of the programme's SMEs in this council.
    """

    council: Council
    language: str
    hei_name: str
    park_name: str
    hei_domain: str
    cities: tuple[str, ...]
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    sme_weight: float


def _split(s: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in s.split("|"))


_ES_FIRST = _split(
    "Lucía|Carmen|María|Elena|Paula|Marta|Laura|Sara|Alba|Irene|Javier|Alejandro|Pablo|Daniel|"
    "Sergio|Manuel|Antonio|David|Álvaro|Jorge|Raquel|Nerea|Rocío|Adrián|Iván|Rubén|Noelia|Andrés"
)
_ES_LAST = _split(
    "García|Fernández|López|Martínez|Sánchez|Pérez|Gómez|Ruiz|Díaz|Moreno|Muñoz|Jiménez|Romero|"
    "Navarro|Torres|Domínguez|Vázquez|Ramos|Gil|Serrano|Molina|Ortega|Delgado|Castro|Rubio|Marín"
)

REGIONS: dict[str, Region] = {
    "malaga": Region(
        Council("malaga", "Málaga Cluster Growth Council", "Málaga", "ES61", "Andalucía", "ES", ("es", "en")),
        "es",
        "Universidad de Málaga",
        "Málaga Parque Tecnológico (demo)",
        "uma.example.es",
        _split("Málaga|Campanillas|Marbella|Vélez-Málaga|Antequera|Torremolinos|Alhaurín de la Torre|Coín"),
        _ES_FIRST,
        _ES_LAST,
        0.18,
    ),
    "alcala": Region(
        Council(
            "alcala",
            "Alcalá de Henares Cluster Growth Council",
            "Alcalá de Henares",
            "ES30",
            "Comunidad de Madrid",
            "ES",
            ("es", "en"),
        ),
        "es",
        "Universidad de Alcalá",
        "Parque Científico-Tecnológico de Alcalá (demo)",
        "uah.example.es",
        _split(
            "Alcalá de Henares|Torrejón de Ardoz|Madrid|Getafe|Coslada|Tres Cantos|Leganés|Arganda del Rey"
        ),
        _ES_FIRST,
        _ES_LAST,
        0.15,
    ),
    "bologna": Region(
        Council(
            "bologna",
            "Bologna Cluster Growth Council",
            "Bologna",
            "ITH5",
            "Emilia-Romagna",
            "IT",
            ("it", "en"),
        ),
        "it",
        "Università di Bologna",
        "Tecnopolo Emilia (demo)",
        "unibo.example.it",
        _split("Bologna|Modena|Imola|Casalecchio di Reno|Maranello|Reggio Emilia|Sasso Marconi|Ferrara"),
        _split(
            "Giulia|Francesca|Chiara|Sara|Martina|Elisa|Valentina|Federica|Alessandro|Marco|Luca|Matteo|"
            "Andrea|Davide|Simone|Stefano|Lorenzo|Giovanni|Paolo|Roberta|Silvia|Enrico|Tommaso|Beatrice"
        ),
        _split(
            "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|"
            "Costa|Giordano|Mancini|Rizzo|Lombardi|Moretti|Barbieri|Fontana|Santoro|Mariani|Rinaldi"
        ),
        0.20,
    ),
    "cork": Region(
        Council("cork", "Cork Cluster Growth Council", "Cork", "IE05", "Southern Ireland", "IE", ("en",)),
        "en",
        "University College Cork",
        "Cork Marine and Medtech Park (demo)",
        "ucc.example.ie",
        _split("Cork|Ringaskiddy|Carrigaline|Cobh|Mallow|Little Island|Midleton|Bandon"),
        _split(
            "Aoife|Niamh|Ciara|Sinéad|Orla|Siobhán|Emma|Sarah|Róisín|Clodagh|Seán|Conor|Cian|Darragh|"
            "Eoin|Patrick|Liam|Ciarán|Dónal|Fionn|Brian|Declan|Mairéad|Kevin"
        ),
        _split(
            "Murphy|Kelly|O'Sullivan|Walsh|O'Brien|Byrne|Ryan|O'Connor|O'Neill|McCarthy|Lynch|Murray|"
            "Quinn|Moore|McLoughlin|O'Mahony|Buckley|Hegarty|Crowley|Sheehan|Barry|Cronin|Fitzgerald|Coughlan"
        ),
        0.14,
    ),
    "istanbul": Region(
        Council(
            "istanbul", "Istanbul Cluster Growth Council", "İstanbul", "TR10", "İstanbul", "TR", ("tr", "en")
        ),
        "tr",
        "İstanbul Teknik Üniversitesi",
        "İstanbul Teknopark (demo)",
        "itu.example.tr",
        _split("Tuzla|Pendik|Kadıköy|Ümraniye|Başakşehir|Esenyurt|Sarıyer|Maslak"),
        _split(
            "Ayşe|Elif|Zeynep|Merve|Selin|Büşra|Esra|Defne|Ece|Mehmet|Mustafa|Ahmet|Emre|Burak|Can|Murat|"
            "Kerem|Onur|Serkan|Deniz|Gökhan|Tuğba|Hakan|İrem"
        ),
        _split(
            "Yılmaz|Kaya|Demir|Şahin|Çelik|Yıldız|Yıldırım|Öztürk|Aydın|Özdemir|Arslan|Doğan|Kılıç|Aslan|"
            "Çetin|Kara|Koç|Kurt|Özkan|Şimşek|Polat|Erdoğan|Aksoy|Güneş"
        ),
        0.18,
    ),
    "paris": Region(
        Council(
            "paris", "Paris Cluster Growth Council", "Paris", "FR10", "Île-de-France", "FR", ("fr", "en")
        ),
        "fr",
        "Université Paris-Saclay",
        "Campus Innovation Saclay (demo)",
        "saclay.example.fr",
        _split("Paris|Saclay|Palaiseau|Massy|Nanterre|Versailles|Créteil|Saint-Denis"),
        _split(
            "Camille|Léa|Manon|Chloé|Inès|Sarah|Julie|Clara|Louise|Pauline|Thomas|Nicolas|Julien|Maxime|"
            "Hugo|Antoine|Lucas|Mathieu|Romain|Guillaume|Claire|Benoît|Sophie|Yann"
        ),
        _split(
            "Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefebvre|"
            "Michel|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|Bonnet|Dupont"
        ),
        0.15,
    ),
}

#: Council codes in a fixed order (the order of the files and of the summary).
COUNCIL_CODES: tuple[str, ...] = ("malaga", "alcala", "bologna", "cork", "istanbul", "paris")

#: Academic departments per topic family.
DEPARTMENTS: dict[str, str] = {
    "manufacturing": "Department of Mechanical and Industrial Engineering",
    "automotive": "Department of Mechanical and Industrial Engineering",
    "energy": "Department of Electrical Engineering",
    "aerospace": "Department of Aerospace Engineering",
    "agri": "Department of Agricultural and Biosystems Engineering",
    "ict": "Department of Computer Science and Telecommunications",
    "health": "Department of Chemical and Biomedical Engineering",
    "marine": "Department of Civil and Marine Engineering",
    "textile": "Department of Textile and Materials Engineering",
    "management": "School of Business and Innovation",
}

#: Student disciplines per topic family.
DISCIPLINES: dict[str, tuple[str, ...]] = {
    "manufacturing": ("mechanical engineering", "industrial engineering", "mechatronics"),
    "automotive": ("mechanical engineering", "automotive engineering"),
    "energy": ("electrical engineering", "energy engineering"),
    "aerospace": ("aerospace engineering", "materials engineering"),
    "agri": ("agricultural engineering", "mechanical engineering"),
    "ict": ("computer science", "telecommunications engineering", "data science"),
    "health": ("biomedical engineering", "chemical engineering"),
    "marine": ("civil engineering", "ocean engineering"),
    "textile": ("textile engineering", "materials engineering"),
    "management": ("business administration", "engineering management"),
}
