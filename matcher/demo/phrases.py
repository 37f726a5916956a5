"""Sentence templates for the two sides of the demo texts.

The challenge side speaks the SME's language (problems, symptoms, money, time) in
``en``, ``es``, ``it``, ``fr`` and ``tr``; the capability side speaks the language of
research and offers (English).  The two sides share no template.

Slots: ``{t}``/``{t2}`` a challenge-side term (see :mod:`matcher.demo.topics` for the
grammar each language's terms follow), ``{tech}``/``{tech2}``/``{tech3}`` capability-side
terms, ``{other}`` a term of an unrelated topic (noise), ``{pain}`` a generic complaint,
``{city}``, ``{n}``, ``{year}``, ``{month}``, ``{equip}``.
"""

from __future__ import annotations

Bank = dict[str, tuple[str, ...]]

# --------------------------------------------------------------------------------------
# Challenge side
# --------------------------------------------------------------------------------------

CONTEXT: Bank = {
    "en": (
        "We are a small engineering company based in {city} with {n} people.",
        "Small firm from {city}, {n} employees, mostly serving OEM customers.",
        "Our company was founded in {year} in {city} and today employs {n} people.",
        "We are a family business near {city}; we design and build equipment for industrial customers.",
    ),
    "es": (
        "Somos una pyme de ingeniería de {city} con {n} empleados.",
        "Empresa familiar fundada en {year} en {city}; hoy somos {n} personas.",
        "Somos una empresa pequeña de {city} que trabaja sobre todo para clientes industriales.",
    ),
    "it": (
        "Siamo una PMI di {city} con {n} dipendenti.",
        "Azienda a conduzione familiare fondata nel {year} a {city}, oggi siamo in {n}.",
        "Siamo una piccola azienda di {city} che lavora soprattutto per clienti industriali.",
    ),
    "fr": (
        "Nous sommes une PME d'ingénierie basée à {city}, avec {n} salariés.",
        "Entreprise familiale créée en {year} à {city}, nous sommes aujourd'hui {n} personnes.",
        "Petite entreprise située à {city}, nous travaillons surtout pour des clients industriels.",
    ),
    "tr": (
        "{city} merkezli, {n} çalışanı olan bir mühendislik firmasıyız.",
        "{year} yılında kurulmuş bir aile şirketiyiz; bugün {n} kişi çalışıyoruz.",
        "Ağırlıklı olarak sanayi müşterilerine çalışan küçük bir firmayız.",
    ),
}

PROBLEM: Bank = {
    "en": (
        "We have recurring problems with {t}.",
        "For months we have been struggling with {t} and {pain}.",
        "Main issue: {t}.",
        "The biggest headache right now is {t}; {pain}.",
        "Since last year {t} has become a real problem for us.",
        "Our customers keep complaining about {t}.",
    ),
    "es": (
        "Tenemos problemas recurrentes con {t}.",
        "Desde hace meses luchamos con {t} y además {pain}.",
        "Nuestro principal problema: {t}.",
        "Los clientes se quejan cada vez más, sobre todo por {t}.",
    ),
    "it": (
        "Abbiamo problemi ricorrenti con {t}.",
        "Da mesi combattiamo con {t} e in più {pain}.",
        "Il nostro problema principale: {t}.",
        "I clienti si lamentano sempre di più, soprattutto per {t}.",
    ),
    "fr": (
        "Nous avons des problèmes récurrents avec {t}.",
        "Depuis des mois nous nous battons avec {t}, et en plus {pain}.",
        "Notre principal problème : {t}.",
        "Les réclamations de nos clients concernent surtout {t}.",
    ),
    "tr": (
        "{t} ile ilgili sürekli sorun yaşıyoruz.",
        "Aylardır {t} ile uğraşıyoruz, üstelik {pain}.",
        "En büyük sorunumuz: {t}.",
        "Müşteri şikayetlerinin çoğu {t} ile ilgili.",
    ),
}

PAIN: Bank = {
    "en": (
        "our line keeps stopping",
        "we need to cut scrap",
        "costs keep going up",
        "we lose hours every week",
        "deliveries are late",
        "we are losing orders to cheaper competitors",
        "nobody in house really understands it",
    ),
    "es": (
        "la línea se para continuamente",
        "tenemos que reducir el desperdicio",
        "los costes no paran de subir",
        "perdemos horas cada semana",
        "las entregas llegan tarde",
    ),
    "it": (
        "la linea si ferma in continuazione",
        "dobbiamo ridurre gli scarti",
        "i costi continuano a salire",
        "perdiamo ore ogni settimana",
        "le consegne sono in ritardo",
    ),
    "fr": (
        "la ligne s'arrête sans cesse",
        "nous devons réduire les rebuts",
        "les coûts ne cessent d'augmenter",
        "nous perdons des heures chaque semaine",
        "les livraisons sont en retard",
    ),
    "tr": (
        "hat sürekli duruyor",
        "hurdayı azaltmamız gerekiyor",
        "maliyetler sürekli artıyor",
        "her hafta saatler kaybediyoruz",
        "teslimatlar gecikiyor",
    ),
}

PAIN_SENTENCE: dict[str, str] = {
    "en": "On top of that, {pain}.",
    "es": "Además, {pain}.",
    "it": "Inoltre {pain}.",
    "fr": "En plus, {pain}.",
    "tr": "Üstelik {pain}.",
}

ELABORATE: Bank = {
    "en": (
        "The problem gets worse in summer, when we run three shifts.",
        "When it happens an operator has to stop everything and check by hand.",
        "We estimate that it costs us several thousand euros every month.",
        "Our biggest customer has already asked us for a corrective action plan.",
        "We changed supplier twice but nothing really changed.",
        "The older machines are the worst, some of them are more than fifteen years old.",
    ),
    "es": (
        "El problema empeora en verano, cuando trabajamos a tres turnos.",
        "Cuando ocurre, un operario tiene que parar todo y revisar a mano.",
        "Calculamos que nos cuesta varios miles de euros al mes.",
        "Nuestro cliente principal ya nos ha pedido un plan de acciones correctivas.",
        "Hemos cambiado dos veces de proveedor sin ninguna mejora real.",
    ),
    "it": (
        "Il problema peggiora d'estate, quando lavoriamo su tre turni.",
        "Quando succede, un operatore deve fermare tutto e controllare a mano.",
        "Stimiamo che ci costi diverse migliaia di euro al mese.",
        "Il nostro cliente principale ci ha già chiesto un piano di azioni correttive.",
        "Abbiamo cambiato fornitore due volte senza veri miglioramenti.",
    ),
    "fr": (
        "Le problème s'aggrave en été, quand nous tournons en trois-huit.",
        "Quand cela arrive, un opérateur doit tout arrêter et vérifier à la main.",
        "Nous estimons que cela nous coûte plusieurs milliers d'euros par mois.",
        "Notre principal client nous a déjà demandé un plan d'actions correctives.",
        "Nous avons changé deux fois de fournisseur sans réelle amélioration.",
    ),
    "tr": (
        "Sorun yazın, üç vardiya çalıştığımız dönemde daha da kötüleşiyor.",
        "Bu olduğunda bir operatör her şeyi durdurup elle kontrol etmek zorunda kalıyor.",
        "Bunun bize ayda birkaç bin avroya mal olduğunu tahmin ediyoruz.",
        "En büyük müşterimiz bizden şimdiden bir düzeltici faaliyet planı istedi.",
        "İki kez tedarikçi değiştirdik ama gerçek bir iyileşme olmadı.",
    ),
}

TRIED: Bank = {
    "en": (
        "We tried to fix it ourselves but we lack the know-how.",
        "Our supplier could not help us.",
        "An external consultant looked at it two years ago, without much result.",
        "We have some data but we do not know how to use it.",
    ),
    "es": (
        "Intentamos resolverlo internamente pero nos falta conocimiento.",
        "Nuestro proveedor no ha sabido ayudarnos.",
        "Un consultor externo lo estudió hace dos años, sin grandes resultados.",
        "Tenemos algunos datos pero no sabemos cómo aprovecharlos.",
    ),
    "it": (
        "Abbiamo provato a risolverlo internamente ma ci mancano le competenze.",
        "Il nostro fornitore non è riuscito ad aiutarci.",
        "Un consulente esterno ci ha lavorato due anni fa, con scarsi risultati.",
        "Abbiamo dei dati ma non sappiamo come usarli.",
    ),
    "fr": (
        "Nous avons essayé de le régler en interne mais il nous manque le savoir-faire.",
        "Notre fournisseur n'a pas pu nous aider.",
        "Un consultant externe s'y est penché il y a deux ans, sans grand résultat.",
        "Nous avons des données mais nous ne savons pas les exploiter.",
    ),
    "tr": (
        "Sorunu kendi imkanlarımızla çözmeye çalıştık ama yeterli bilgimiz yok.",
        "Tedarikçimiz bize yardımcı olamadı.",
        "İki yıl önce dışarıdan bir danışmanla çalıştık ama pek sonuç alamadık.",
        "Elimizde bazı veriler var ama nasıl kullanacağımızı bilmiyoruz.",
    ),
}

JARGON: Bank = {
    "en": ("Someone mentioned {tech} as a possible approach, but we are not sure.",),
    "es": ("Nos han hablado de {tech} como posible solución, pero no estamos seguros.",),
    "it": ("Ci hanno parlato di {tech} come possibile soluzione, ma non ne siamo sicuri.",),
    "fr": ("On nous a parlé de {tech} comme piste possible, mais nous ne sommes pas sûrs.",),
    "tr": ("Bize {tech} önerildi ama emin değiliz.",),
}

GOAL: Bank = {
    "en": (
        "We want to understand what is going on with {t} and fix it for good.",
        "Goal: fewer stoppages and a clear plan for {t}.",
        "We would like a practical solution for {t}, not a theoretical study.",
        "Ideally we would halve the problems with {t} within a year.",
    ),
    "es": (
        "Queremos entender qué pasa con {t} y resolverlo de una vez.",
        "Objetivo: menos paradas y un plan claro para {t}.",
        "Buscamos una solución práctica para {t}, no un estudio teórico.",
    ),
    "it": (
        "Vogliamo capire cosa succede con {t} e risolverlo una volta per tutte.",
        "Obiettivo: meno fermi e un piano chiaro per {t}.",
        "Cerchiamo una soluzione pratica per {t}, non uno studio teorico.",
    ),
    "fr": (
        "Nous voulons comprendre ce qui se passe avec {t} et régler le problème une fois pour toutes.",
        "Objectif : moins d'arrêts et un plan clair pour {t}.",
        "Nous cherchons une solution pratique pour {t}, pas une étude théorique.",
    ),
    "tr": (
        "{t} konusunda neler olduğunu anlamak ve sorunu kalıcı olarak çözmek istiyoruz.",
        "Hedefimiz: daha az duruş ve {t} için net bir plan.",
        "{t} için teorik bir çalışma değil, pratik bir çözüm arıyoruz.",
    ),
}

SECONDARY: Bank = {
    "en": (
        "We are also interested in {t2}.",
        "Related to this, {t2} is also on our list.",
        "A second point: {t2}.",
    ),
    "es": ("También nos interesa todo lo relacionado con {t2}.", "Un segundo punto: {t2}."),
    "it": ("Ci interessa anche tutto ciò che riguarda {t2}.", "Un secondo punto: {t2}."),
    "fr": ("Nous nous intéressons aussi à tout ce qui concerne {t2}.", "Un deuxième point : {t2}."),
    "tr": ("{t2} konusu da gündemimizde.", "İkinci bir konu: {t2}."),
}

DISTRACTOR: Bank = {
    "en": (
        "Last year we moved to a new building.",
        "Most of our turnover comes from exports to Germany.",
        "We already work with {other} but that part is under control.",
        "We are also renewing our ERP, which takes a lot of management time.",
    ),
    "es": (
        "El año pasado nos trasladamos a una nave nueva.",
        "La mayor parte de la facturación viene de la exportación.",
        "Ya trabajamos con {other}, pero esa parte está bajo control.",
    ),
    "it": (
        "L'anno scorso ci siamo trasferiti in un nuovo capannone.",
        "Gran parte del fatturato viene dall'export.",
        "Lavoriamo già con {other}, ma quella parte è sotto controllo.",
    ),
    "fr": (
        "L'an dernier nous avons déménagé dans un nouveau bâtiment.",
        "L'essentiel de notre chiffre d'affaires vient de l'export.",
        "Nous travaillons déjà avec {other}, mais cette partie est maîtrisée.",
    ),
    "tr": (
        "Geçen yıl yeni bir binaya taşındık.",
        "Cironun büyük kısmı ihracattan geliyor.",
        "{other} konusunda sorun yok, o kısım kontrol altında.",
    ),
}

ASK: dict[str, Bank] = {
    "consultancy": {
        "en": (
            "A team of students could analyse the problem and propose improvements.",
            "We would be happy to host a student team for a semester.",
        ),
        "es": ("Un equipo de estudiantes podría analizar el problema y proponer mejoras.",),
        "it": ("Un gruppo di studenti potrebbe analizzare il problema e proporre miglioramenti.",),
        "fr": ("Une équipe d'étudiants pourrait analyser le problème et proposer des améliorations.",),
        "tr": ("Bir öğrenci ekibi sorunu analiz edip iyileştirme önerileri sunabilir.",),
    },
    "placement": {
        "en": (
            "We would welcome a researcher who could spend a few months in our workshop.",
            "An academic working with us on site for some weeks would help a lot.",
        ),
        "es": ("Nos gustaría acoger a un investigador durante unos meses en nuestro taller.",),
        "it": ("Saremmo felici di ospitare un ricercatore per qualche mese in azienda.",),
        "fr": ("Nous serions heureux d'accueillir un chercheur quelques mois dans nos ateliers.",),
        "tr": ("Birkaç ay boyunca atölyemizde çalışacak bir akademisyeni ağırlamak isteriz.",),
    },
    "partner": {
        "en": ("We are looking for a partner in another country for a joint project or an EU proposal.",),
        "es": ("Buscamos un socio en otro país para un proyecto conjunto o una propuesta europea.",),
        "it": ("Cerchiamo un partner in un altro paese per un progetto comune o una proposta europea.",),
        "fr": (
            "Nous cherchons un partenaire dans un autre pays pour un projet commun ou un dépôt européen.",
        ),
        "tr": ("Ortak bir proje ya da AB başvurusu için başka bir ülkeden ortak arıyoruz.",),
    },
}

#: Facility needs, keyed by the facility kind the challenge needs.
FACILITY_ASK: dict[str, Bank] = {
    "lab": {
        "en": ("We have no test bench of our own, so we need access to a lab for tests on {t}.",),
        "es": ("No tenemos banco de ensayos propio: necesitamos un laboratorio para hacer pruebas con {t}.",),
        "it": ("Non abbiamo un banco prova: ci serve un laboratorio per fare prove con {t}.",),
        "fr": ("Nous n'avons pas de banc d'essai : il nous faut un laboratoire pour des essais sur {t}.",),
        "tr": ("Kendi test düzeneğimiz yok; {t} ile ilgili testler için bir laboratuvara ihtiyacımız var.",),
    },
    "equipment": {
        "en": (
            "We would need a few days on specialised equipment that we cannot afford to buy.",
            "We would need some time on a {equip}, which we cannot afford to buy.",
        ),
        "es": ("Necesitaríamos unos días de uso de un equipo especializado que no podemos comprar.",),
        "it": (
            "Ci servirebbero alcuni giorni su un'attrezzatura specialistica che non possiamo permetterci.",
        ),
        "fr": (
            "Il nous faudrait quelques jours sur un équipement spécialisé que nous ne pouvons pas acheter.",
        ),
        "tr": ("Satın alamayacağımız özel bir cihazı birkaç gün kullanmamız gerekiyor.",),
    },
    "hot_desk": {
        "en": ("Two of our engineers need a desk close to the university for a few months.",),
        "es": (
            "Dos de nuestros ingenieros necesitan un puesto de trabajo cerca de la universidad unos meses.",
        ),
        "it": (
            "Due nostri ingegneri avrebbero bisogno di una scrivania vicino all'università per qualche mese.",
        ),
        "fr": (
            "Deux de nos ingénieurs ont besoin d'un poste de travail près de l'université quelques mois.",
        ),
        "tr": ("İki mühendisimizin birkaç ay boyunca üniversiteye yakın bir çalışma masasına ihtiyacı var.",),
    },
    "access_point": {
        "en": ("We would like our staff to get access to the university library, seminars and labs.",),
        "es": (
            "Queremos que nuestro personal tenga acceso a la biblioteca, los seminarios y los laboratorios.",
        ),
        "it": (
            "Vorremmo che il nostro personale potesse accedere alla biblioteca, ai seminari e ai laboratori.",
        ),
        "fr": (
            "Nous aimerions que notre personnel ait accès à la bibliothèque, aux séminaires et aux labos.",
        ),
        "tr": (
            "Çalışanlarımızın üniversitenin kütüphanesine, seminerlerine ve laboratuvarlarına erişmesini "
            "istiyoruz.",
        ),
    },
}

LOGISTICS: Bank = {
    "en": ("Budget is limited but we can cover travel.", "We could start in {month}.", "Timing is flexible."),
    "es": (
        "El presupuesto es limitado pero podemos cubrir los desplazamientos.",
        "Podríamos empezar en {month}.",
        "Los plazos son flexibles.",
    ),
    "it": (
        "Il budget è limitato ma possiamo coprire le trasferte.",
        "Potremmo iniziare a {month}.",
        "I tempi sono flessibili.",
    ),
    "fr": (
        "Le budget est limité mais nous pouvons prendre en charge les déplacements.",
        "Nous pourrions commencer en {month}.",
        "Le calendrier est flexible.",
    ),
    "tr": (
        "Bütçemiz sınırlı ama ulaşım masraflarını karşılayabiliriz.",
        "{month} ayında başlayabiliriz.",
        "Zamanlama esnek.",
    ),
}

MONTHS: Bank = {
    "en": ("January", "March", "May", "September", "October"),
    "es": ("enero", "marzo", "mayo", "septiembre", "octubre"),
    "it": ("gennaio", "marzo", "maggio", "settembre", "ottobre"),
    "fr": ("janvier", "mars", "mai", "septembre", "octobre"),
    "tr": ("Ocak", "Mart", "Mayıs", "Eylül", "Ekim"),
}

TITLE: Bank = {
    "en": ("Help with {t}", "Problems with {t}", "{t}: looking for support", "Need expertise on {t}"),
    "es": ("Ayuda con {t}", "Problemas con {t}", "Buscamos apoyo: {t}"),
    "it": ("Aiuto con {t}", "Problemi con {t}", "Cerchiamo supporto: {t}"),
    "fr": ("Problèmes avec {t}", "Recherche d'appui : {t}", "Besoin d'aide pour {t}"),
    "tr": ("{t} konusunda destek", "{t} ile ilgili sorunlar", "Destek arıyoruz: {t}"),
}

#: SME self-description (partner search), in the SME's voice; skills and techniques stay in
#: English, as SMEs often list them.
SME_DESCRIPTION: Bank = {
    "en": (
        "{name} is a {size} engineering company from {city} with {n} employees, active in {sector}.",
        "Our know-how covers {skill} and {skill2}.",
        "We have delivered projects involving {tech}.",
        "We supply customers across Europe and are open to joint projects.",
    ),
    "es": (
        "{name} es una empresa de ingeniería de {city} con {n} empleados.",
        "Competencias principales: {skill}, {skill2}.",
        "Hemos realizado proyectos relacionados con {tech}.",
        "Trabajamos con clientes de toda Europa y estamos abiertos a proyectos conjuntos.",
    ),
    "it": (
        "{name} è un'azienda di ingegneria di {city} con {n} dipendenti.",
        "Competenze principali: {skill}, {skill2}.",
        "Abbiamo realizzato progetti legati a {tech}.",
        "Lavoriamo con clienti in tutta Europa e siamo aperti a progetti comuni.",
    ),
    "fr": (
        "{name} est une entreprise d'ingénierie située à {city}, avec {n} salariés.",
        "Compétences principales : {skill}, {skill2}.",
        "Nous avons mené des projets autour de {tech}.",
        "Nous travaillons avec des clients dans toute l'Europe et sommes ouverts aux projets communs.",
    ),
    "tr": (
        "{name}, {city} merkezli ve {n} çalışanı olan bir mühendislik firmasıdır.",
        "Başlıca yetkinliklerimiz: {skill}, {skill2}.",
        "{tech} alanında projeler gerçekleştirdik.",
        "Avrupa'nın dört bir yanındaki müşterilerle çalışıyoruz ve ortak projelere açığız.",
    ),
}

# --------------------------------------------------------------------------------------
# Capability side (English, research and offer language)
# --------------------------------------------------------------------------------------

METHODS: tuple[str, ...] = (
    "finite element modelling",
    "machine learning",
    "Bayesian optimisation",
    "design of experiments",
    "physics-based simulation",
    "statistical analysis",
    "a hybrid data-driven approach",
    "laboratory-scale experiments",
    "field measurements",
    "multi-objective optimisation",
)

PUB_MOTIVATION: tuple[str, ...] = (
    "Interest in {tech} is growing across industrial applications.",
    "Industrial adoption of {tech} remains limited by cost and reliability.",
    "Research on {tech} has intensified in recent years.",
    "Progress in {tech} is a prerequisite for competitive production systems.",
    "Manufacturers increasingly ask for validated methods in {tech}.",
)
PUB_CONTEXT: tuple[str, ...] = (
    "Small and medium-sized manufacturers in particular lack affordable tools in this area.",
    "Regulatory requirements and customer audits add further pressure on reliability.",
    "The topic is closely linked to energy efficiency and to the digitalisation of production.",
    "Several European roadmaps identify it as a priority for the coming decade.",
    "Industrial partners provided data and access to their production sites.",
)
PUB_GAP: tuple[str, ...] = (
    "However, existing approaches rarely consider {tech2} under realistic operating conditions.",
    "Most previous studies are restricted to laboratory settings.",
    "Little is known about the behaviour of {tech2} at industrial scale.",
    "Current models neglect the coupling between {tech} and {tech2}.",
)
PUB_METHOD: tuple[str, ...] = (
    "In this paper we propose a method for {tech} that combines {method} with {tech2}.",
    "We present an experimental study of {tech} based on {method}.",
    "This work investigates {tech} through {method}.",
    "A framework for {tech2} is developed using {method}.",
)
PUB_EXPERIMENT: tuple[str, ...] = (
    "The approach is validated on {n} industrial case studies.",
    "Experiments were carried out on a purpose-built test rig.",
    "Data from {n} months of operation were collected and analysed.",
    "A sensitivity analysis identifies the dominant parameters.",
    "Two reference configurations from the literature are reproduced for comparison.",
    "Uncertainty in the measured quantities is propagated through the model.",
)
PUB_RESULT: tuple[str, ...] = (
    "Results show a {x}% improvement over the baseline.",
    "The proposed model reduces the prediction error by {x}% with a modest computational cost.",
    "Measurements agree with the simulations within {x}%.",
    "The method outperforms three state-of-the-art alternatives.",
)
PUB_CONCLUSION: tuple[str, ...] = (
    "The findings provide design guidelines for {tech2}.",
    "Future work will address integration with {tech3}.",
    "The results open the way to industrial deployment of {tech}.",
)
PUB_NOISE: tuple[str, ...] = (
    "Links with {noise} are briefly discussed.",
    "A comparison with {noise} is given in the appendix.",
)

PROJECT: tuple[str, ...] = (
    "Project {acr} ({y1}-{y2}), funded by {funder}, addressed {tech}.",
    "Our group led the work package on {tech2}.",
    "Together with {n} industrial partners we developed a demonstrator for {tech}.",
    "The consortium brought together universities and SMEs from {countries}.",
    "We contributed models and test campaigns on {tech2}, validated at TRL {trl}.",
    "Results were transferred to partner companies through training sessions and joint prototypes.",
    "The project delivered an open dataset and {n} peer-reviewed publications.",
    "A follow-up collaboration on {tech3} started after the project.",
)
FUNDERS: tuple[str, ...] = (
    "Horizon Europe",
    "Horizon 2020",
    "the regional innovation agency",
    "the national research council",
    "Interreg Europe",
    "an industrial consortium",
)

CV: tuple[str, ...] = (
    "{Level} student in {discipline} at {hei}.",
    "Skills: {skills}.",
    "Languages: {langs}.",
    "Interested in {tech} and {tech2}.",
    "Internship at a {sector} company, where I worked on {tech}.",
    "Final-year thesis on {tech}.",
    "Member of the university Formula Student team.",
    "Teaching assistant for an introductory programming course.",
)
COURSEWORK: tuple[str, ...] = (
    "Course project: {title}.",
    "We studied {tech} using {method}.",
    "Our team built a small prototype and measured its performance.",
    "The report compared {tech} with {tech2}.",
    "I was responsible for the data analysis and the final presentation.",
    "The project received the highest mark of the cohort.",
)

FACILITY_TEXT: dict[str, tuple[str, ...]] = {
    "lab": (
        "The {name} at {host} offers a fully equipped space for {tech} and {tech2}.",
        "Its main instrument is a {equip}, operated by an experienced technician.",
        "External users can book it by the day or by the week.",
        "Typical work includes test campaigns, prototype validation and student projects.",
    ),
    "equipment": (
        "{host} makes its {equip} available to companies of the programme.",
        "The instrument is suited to {tech} and related measurements.",
        "Training is required before first use; assisted sessions are possible.",
    ),
    "hot_desk": (
        "Hot desks in an open-plan space at {host}, with meeting rooms and fast internet.",
        "Users join the park's networking events and can meet the resident start-ups.",
        "Bookable by the week; a locker and a visitor badge are included.",
    ),
    "access_point": (
        "University access point at {host}: library, seminars, and guided access to teaching labs.",
        "Visiting company staff receive a campus card and a contact person.",
        "A good entry point for firms that want to get to know research groups.",
    ),
}

RG_DESCRIPTION: tuple[str, ...] = (
    "The {name} at {hei} works on {tech}, {tech2} and {tech3}.",
    "We develop models, prototypes and test methods together with industry.",
    "Our group has {n} researchers and runs regular projects with companies.",
)

HEI_DESCRIPTION: tuple[str, ...] = (
    "{name} is a public university with strong engineering schools.",
    "Its research groups cover {techs}.",
    "The university coordinates the regional Cluster Growth Council and hosts students from across Europe.",
)
