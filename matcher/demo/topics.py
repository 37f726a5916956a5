"""Latent engineering topics behind the demo texts, with their vocabulary banks.

Every demo text is written from one or more of these topics.  Each topic carries two
*separate* vocabularies so that matching is not a matter of copying words:

* ``lay``: how an SME talks about the problem, in each of the five languages
  (``en`` bare nouns; ``es``/``it``/``fr`` with their article, so that templates only
  put them after prepositions that never contract with an article; ``tr`` in the
  nominative, used before postpositions such as *ile ilgili* or *konusunda*);
* ``tech``: how a research group, an academic or a facility describes its offer
  (English, the language of publications).

The two banks share a few content words (``welding``, ``battery``...), as real texts do,
but never whole phrases.  Topic ids never appear in any generated text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One latent engineering topic.

    Attributes
    ----------
    id : str
        Stable identifier, used only in ``ground_truth/``.
    label : str
        Human-readable label, for ``topics.json`` and the docs.
    family : str
        Coarse field; two topics of the same family are *related* (grade 1).
    councils : tuple of str
        Councils where the topic is a regional speciality.
    sector, nace : str
        Sector label and NACE Rev.2 code of SMEs working on it.
    skills : tuple of str
        Skill tags (English) for required skills, student skills and academic expertise.
    equipment : tuple of str
        Labs or machines that serve it (facility side).
    lay : dict of str to tuple of str
        Challenge-side terms per language.
    tech : tuple of str
        Capability-side terms (English).
    """

    id: str
    label: str
    family: str
    councils: tuple[str, ...]
    sector: str
    nace: str
    skills: tuple[str, ...]
    equipment: tuple[str, ...]
    lay: dict[str, tuple[str, ...]]
    tech: tuple[str, ...]


def _t(
    id: str,
    label: str,
    family: str,
    councils: str,
    sector: str,
    nace: str,
    skills: str,
    equipment: str,
    en: str,
    es: str,
    it: str,
    fr: str,
    tr: str,
    tech: str,
) -> Topic:
    """Build a :class:`Topic` from ``|``-separated strings (keeps the bank readable)."""

    def split(s: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in s.split("|") if p.strip())

    return Topic(
        id=id,
        label=label,
        family=family,
        councils=split(councils),
        sector=sector,
        nace=nace,
        skills=split(skills),
        equipment=split(equipment),
        lay={"en": split(en), "es": split(es), "it": split(it), "fr": split(fr), "tr": split(tr)},
        tech=split(tech),
    )


TOPICS: tuple[Topic, ...] = (
    # --- general manufacturing -------------------------------------------------------------
    _t(
        "T01",
        "predictive maintenance with vibration sensors",
        "manufacturing",
        "bologna|istanbul|alcala",
        "industrial machinery",
        "C28.9",
        "condition monitoring|signal processing|vibration analysis|machine learning",
        "vibration test rig|data acquisition system",
        "unexpected breakdowns|bearings that fail without warning|machine downtime|noisy gearboxes|"
        "maintenance costs",
        "las averías imprevistas|los rodamientos que fallan sin aviso|las paradas de máquina|"
        "el coste de mantenimiento",
        "i guasti improvvisi|i cuscinetti che si rompono senza preavviso|i fermi macchina|"
        "i costi di manutenzione",
        "les pannes imprévues|les roulements qui lâchent sans prévenir|les arrêts machine|"
        "le coût de la maintenance",
        "beklenmedik arızalar|uyarı vermeden bozulan rulmanlar|makine duruşları|bakım maliyetleri",
        "condition monitoring|vibration signature analysis|remaining useful life estimation|"
        "accelerometer networks|spectral kurtosis|fault diagnosis of rotating machinery",
    ),
    _t(
        "T02",
        "machine vision for quality inspection",
        "manufacturing",
        "bologna|paris|malaga",
        "industrial automation",
        "C28.9",
        "computer vision|image processing|deep learning|python",
        "industrial camera bench|hyperspectral camera",
        "manual visual checks|defective parts reaching customers|surface scratches|"
        "inspection at the end of the line|rejected batches",
        "la inspección visual manual|las piezas defectuosas que llegan al cliente|los arañazos en superficie|"
        "el control de calidad al final de línea",
        "il controllo visivo manuale|i pezzi difettosi che arrivano al cliente|i graffi superficiali|"
        "il controllo qualità a fine linea",
        "le contrôle visuel manuel|les pièces défectueuses livrées aux clients|les rayures de surface|"
        "le contrôle qualité en fin de ligne",
        "elle yapılan görsel kontrol|müşteriye giden hatalı parçalar|"
        "yüzey çizikleri|hat sonu kalite kontrolü",
        "automated optical inspection|convolutional neural networks for defect detection|"
        "structured light imaging|anomaly detection on images|"
        "camera calibration|few-shot defect segmentation",
    ),
    _t(
        "T03",
        "robotic welding automation",
        "manufacturing",
        "bologna|istanbul",
        "metal fabrication",
        "C25.1",
        "robot programming|welding engineering|offline programming|metallurgy",
        "robotic welding cell|weld inspection station",
        "welding robots|cracked weld seams|spatter|welding jigs|rework on welded frames",
        "el robot de soldadura|los cordones de soldadura agrietados|"
        "las salpicaduras|los utillajes de soldadura",
        "il robot di saldatura|i cordoni di saldatura criccati|gli spruzzi|le maschere di saldatura",
        "le robot de soudage|les cordons de soudure fissurés|les projections|les gabarits de soudage",
        "kaynak robotu|çatlayan kaynak dikişleri|kaynak sıçraması|kaynak fikstürleri",
        "arc welding|adaptive seam tracking|weld bead geometry|offline robot path planning|"
        "gas metal arc process control|laser-arc hybrid welding",
    ),
    _t(
        "T04",
        "PLC and SCADA modernisation",
        "manufacturing",
        "alcala|istanbul|cork",
        "industrial automation",
        "C33.2",
        "PLC programming|SCADA|industrial networks|IEC 61131-3",
        "PLC training rack|industrial network testbed",
        "old control cabinets|obsolete controllers|spare parts we cannot find|operator screens|"
        "machines that do not talk to each other",
        "los armarios de control antiguos|los autómatas obsoletos|las pantallas de operario",
        "i quadri elettrici vecchi|i PLC obsoleti|i pannelli operatore",
        "les armoires de commande vieillissantes|les automates obsolètes|les écrans opérateur",
        "eski kumanda panoları|eskimiş PLC sistemleri|operatör ekranları",
        "IEC 61131-3 control software|OPC UA information models|SCADA architecture migration|"
        "industrial Ethernet|control logic refactoring|virtual commissioning",
    ),
    _t(
        "T05",
        "lean production and scrap reduction",
        "manufacturing",
        "malaga|istanbul|cork",
        "general manufacturing",
        "C25.6",
        "lean manufacturing|six sigma|statistical process control|operations management",
        "learning factory|metrology room",
        "too much scrap|long changeovers|work in progress piling up|late deliveries|quality complaints",
        "el exceso de chatarra|los cambios de formato largos|los retrasos en las entregas",
        "gli scarti eccessivi|i cambi formato troppo lunghi|i ritardi nelle consegne",
        "les rebuts trop nombreux|les changements de série trop longs|les retards de livraison",
        "yüksek hurda oranı|uzun kalıp değişim süreleri|geciken teslimatlar",
        "value stream mapping|single-minute exchange of die|statistical process control|"
        "root cause analysis|overall equipment effectiveness|design of experiments",
    ),
    _t(
        "T06",
        "metal additive manufacturing",
        "manufacturing",
        "bologna|malaga|istanbul",
        "precision engineering",
        "C25.6",
        "additive manufacturing|design for AM|materials science|CAD",
        "laser powder bed fusion printer|CT scanner",
        "3D printed metal parts|porosity in printed parts|expensive tooling|spare parts on demand",
        "las piezas metálicas impresas en 3D|la porosidad de las piezas impresas|los utillajes caros",
        "i pezzi metallici stampati in 3D|la porosità dei pezzi stampati|gli stampi costosi",
        "les pièces métalliques imprimées en 3D|la porosité des pièces imprimées|l'outillage coûteux",
        "3B yazıcıyla basılan metal parçalar|basılı parçalardaki gözeneklilik|pahalı kalıplar",
        "laser powder bed fusion|topology optimisation|lattice structures|residual stress in AM parts|"
        "Ti-6Al-4V microstructure|directed energy deposition",
    ),
    _t(
        "T07",
        "high-speed packaging machinery",
        "manufacturing",
        "bologna",
        "packaging machinery",
        "C28.29",
        "mechanical design|motion control|packaging technology|PLC programming",
        "packaging test line|high-speed camera",
        "packaging lines|film jams|cartons that open badly|format changes on the wrapper|sealing jaws",
        "la línea de envasado|los atascos del film|el cambio de formato de la envolvedora",
        "la linea di confezionamento|gli inceppamenti del film|il cambio formato dell'incartonatrice|"
        "le ganasce saldanti",
        "la ligne d'emballage|les bourrages de film|le changement de format de l'encartonneuse",
        "paketleme hattı|film sıkışmaları|sarma makinesinin format değişimi",
        "flow-wrapping dynamics|heat-sealing process windows|cam profile synthesis|"
        "flexible packaging materials|cartoning mechanisms|web tension control",
    ),
    _t(
        "T08",
        "servo motion control and mechatronics",
        "manufacturing",
        "bologna|paris",
        "mechatronics",
        "C28.4",
        "mechatronics|control engineering|servo drives|MATLAB/Simulink",
        "servo drive test bench|motion control lab",
        "axes that vibrate|positioning errors|servo motors overheating|machines that are too slow",
        "los ejes que vibran|los errores de posicionamiento|los servomotores que se calientan",
        "gli assi che vibrano|gli errori di posizionamento|i servomotori che scaldano",
        "les axes qui vibrent|les erreurs de positionnement|les servomoteurs qui chauffent",
        "titreşen eksenler|konumlandırma hataları|aşırı ısınan servo motorlar",
        "model predictive control|vibration suppression|trajectory planning|electronic cams|"
        "multibody dynamics|observer-based control",
    ),
    _t(
        "T09",
        "precision machining of aerospace components",
        "aerospace",
        "malaga|istanbul",
        "aerospace components",
        "C30.3",
        "CNC machining|CAM programming|metrology|tool wear analysis",
        "5-axis machining centre|coordinate measuring machine",
        "titanium brackets|tool wear|chatter marks|tolerances our customer asks for|long machining cycles",
        "los soportes de titanio|el desgaste de herramienta|"
        "las marcas de vibración|las tolerancias del cliente",
        "le staffe in titanio|l'usura degli utensili|le vibrazioni in lavorazione|le tolleranze del cliente",
        "les supports en titane|l'usure des outils|le broutage|les tolérances du client",
        "titanyum braketler|takım aşınması|tırlama izleri|müşterinin istediği toleranslar",
        "five-axis milling|chatter stability lobes|tool condition monitoring|difficult-to-cut alloys|"
        "surface integrity|cutting force modelling",
    ),
    # --- automotive -------------------------------------------------------------------------
    _t(
        "T10",
        "electric vehicle powertrain testing",
        "automotive",
        "bologna|istanbul",
        "automotive",
        "C29.3",
        "automotive engineering|electric drives|test engineering|CAN bus",
        "powertrain dynamometer|climatic chamber",
        "electric drivetrains|range of our vehicles|tests for homologation|e-axles|inverter failures in cars",
        "la cadena de tracción eléctrica|la autonomía de nuestros vehículos|las pruebas de homologación",
        "la trasmissione elettrica|l'autonomia dei nostri veicoli|le prove di omologazione",
        "la chaîne de traction électrique|l'autonomie de nos véhicules|les essais d'homologation",
        "elektrikli aktarma organları|araçlarımızın menzili|homologasyon testleri",
        "e-axle efficiency mapping|hardware-in-the-loop testing|drive cycle simulation|"
        "permanent magnet synchronous machines|powertrain NVH|thermal derating",
    ),
    _t(
        "T11",
        "lightweight automotive structures",
        "automotive",
        "bologna|malaga",
        "automotive",
        "C29.3",
        "structural analysis|FEM|materials engineering|crash simulation",
        "crash test sled|universal testing machine",
        "heavy chassis parts|aluminium frames|weight of our trailers|crash tests",
        "las piezas del chasis demasiado pesadas|los bastidores de aluminio|el peso de los remolques",
        "i componenti del telaio troppo pesanti|i telai in alluminio|il peso dei rimorchi",
        "les pièces de châssis trop lourdes|les cadres en aluminium|le poids des remorques",
        "ağır şasi parçaları|alüminyum çerçeveler|römorklarımızın ağırlığı",
        "crashworthiness|multi-material joining|finite element crash models|high-strength steels|"
        "fatigue of aluminium extrusions|structural adhesives",
    ),
    # --- energy and electrical ------------------------------------------------------------------
    _t(
        "T12",
        "photovoltaic plant monitoring",
        "energy",
        "alcala|malaga",
        "renewable energy",
        "D35.1",
        "photovoltaics|energy data analytics|electrical engineering|python",
        "solar simulator|electroluminescence imaging rig",
        "solar panels|soiling on our panels|inverters that trip|production lower than expected|hot spots",
        "las placas solares|la suciedad en los paneles|la producción más baja de lo previsto",
        "i pannelli solari|lo sporco sui pannelli|la produzione più bassa del previsto",
        "les panneaux solaires|l'encrassement des panneaux|la production plus faible que prévu",
        "güneş panelleri|panellerdeki kirlenme|beklenenden düşük üretim",
        "PV performance ratio|electroluminescence imaging|soiling loss models|"
        "module degradation analysis|irradiance forecasting|string-level fault detection",
    ),
    _t(
        "T13",
        "smart grids and demand response",
        "energy",
        "alcala|paris",
        "energy services",
        "D35.1",
        "power systems|optimisation|energy markets|data analysis",
        "microgrid laboratory|real-time grid simulator",
        "electricity bills|peak demand charges|our microgrid|selling surplus energy",
        "la factura eléctrica|los picos de demanda|la venta de excedentes",
        "la bolletta elettrica|i picchi di consumo|la vendita delle eccedenze",
        "la facture d'électricité|les pics de consommation|la revente du surplus",
        "elektrik faturaları|talep zirveleri|fazla enerjinin satışı",
        "demand-side flexibility|distribution grid optimisation|microgrid energy management|"
        "aggregator bidding strategies|load forecasting|state estimation",
    ),
    _t(
        "T14",
        "power electronics and inverters",
        "energy",
        "alcala|paris",
        "electrical equipment",
        "C27.1",
        "power electronics|circuit design|EMC|thermal management",
        "power electronics lab|EMC chamber",
        "converters that overheat|electrical noise|EMC test failures|bulky power supplies",
        "los convertidores que se sobrecalientan|el ruido eléctrico|los ensayos de compatibilidad",
        "i convertitori che si surriscaldano|i disturbi elettrici|le prove di compatibilità",
        "les convertisseurs qui surchauffent|les perturbations électriques|les essais de compatibilité",
        "aşırı ısınan dönüştürücüler|elektriksel gürültü|EMC test başarısızlıkları",
        "wide-bandgap semiconductors|silicon carbide MOSFETs|soft-switching topologies|"
        "conducted emissions|gate driver design|converter thermal modelling",
    ),
    _t(
        "T15",
        "battery management systems",
        "energy",
        "alcala|istanbul|paris",
        "electrical equipment",
        "C27.2",
        "battery engineering|embedded systems|electrochemistry|state estimation",
        "battery cycling station|climatic chamber",
        "battery packs|batteries that age too fast|cells that heat up|charging times",
        "las baterías que envejecen demasiado rápido|las celdas que se calientan|los tiempos de carga",
        "le batterie che invecchiano troppo in fretta|le celle che si scaldano|i tempi di ricarica",
        "les batteries qui vieillissent trop vite|les cellules qui chauffent|les temps de charge",
        "çabuk yaşlanan bataryalar|ısınan hücreler|şarj süreleri",
        "state-of-charge estimation|lithium-ion degradation modelling|cell balancing|"
        "Kalman filtering|thermal runaway|second-life battery storage",
    ),
    _t(
        "T16",
        "energy efficiency in buildings",
        "energy",
        "alcala|paris|cork",
        "building services",
        "F43.2",
        "building physics|HVAC engineering|energy auditing|BIM",
        "thermal test cell|infrared thermography kit",
        "heating costs in our workshop|air conditioning|energy audits|cold offices",
        "el gasto en calefacción|el aire acondicionado|las auditorías energéticas",
        "le spese di riscaldamento|l'aria condizionata|le diagnosi energetiche",
        "les frais de chauffage|la climatisation|les audits énergétiques",
        "ısıtma giderleri|klima sistemleri|enerji denetimleri",
        "building energy simulation|heat pump control|thermal bridging|BIM-based energy modelling|"
        "occupancy-driven HVAC control|envelope retrofit",
    ),
    _t(
        "T17",
        "electric motor design and drives",
        "energy",
        "alcala|bologna",
        "electrical equipment",
        "C27.1",
        "electrical machines|motor control|FEM|power electronics",
        "motor test bench|power analyser",
        "motors that consume too much|pumps and fans|motor efficiency class|burnt windings",
        "los motores que consumen demasiado|las bombas y ventiladores|los bobinados quemados",
        "i motori che consumano troppo|le pompe e i ventilatori|gli avvolgimenti bruciati",
        "les moteurs qui consomment trop|les pompes et ventilateurs|les bobinages grillés",
        "çok enerji tüketen motorlar|pompalar ve fanlar|yanan sargılar",
        "synchronous reluctance machines|field-oriented control|electromagnetic finite element analysis|"
        "variable speed drives|motor loss separation|sensorless control",
    ),
    # --- aerospace and defence --------------------------------------------------------------
    _t(
        "T18",
        "composite materials for aircraft",
        "aerospace",
        "istanbul|malaga",
        "aerospace components",
        "C30.3",
        "composites|materials testing|structural analysis|NDT",
        "autoclave|ultrasonic C-scan",
        "carbon fibre panels|delamination|curing times|resin that does not cure evenly",
        "los paneles de fibra de carbono|la delaminación|los tiempos de curado",
        "i pannelli in fibra di carbonio|la delaminazione|i tempi di cura della resina",
        "les panneaux en fibre de carbone|le délaminage|les temps de cuisson",
        "karbon fiber paneller|delaminasyon|kürleme süreleri",
        "carbon fibre reinforced polymers|out-of-autoclave curing|ultrasonic non-destructive testing|"
        "automated fibre placement|impact damage tolerance|thermoplastic composites",
    ),
    _t(
        "T19",
        "UAV flight control and avionics",
        "aerospace",
        "istanbul|malaga|paris",
        "aerospace and defence",
        "C30.3",
        "avionics|control engineering|embedded C|sensor fusion",
        "drone flight arena|wind tunnel",
        "our drones|drones that drift in the wind|flight time|autopilot boards",
        "nuestros drones|los drones que derivan con el viento|la autonomía de vuelo",
        "i nostri droni|i droni che derivano con il vento|l'autonomia di volo",
        "nos drones|les drones qui dérivent avec le vent|l'autonomie de vol",
        "insansız hava araçlarımız|rüzgarda sürüklenen dronlar|uçuş süresi",
        "UAV attitude control|GNSS/INS sensor fusion|autonomous navigation|DO-178C avionics software|"
        "fixed-wing flight dynamics|swarm coordination",
    ),
    _t(
        "T20",
        "radar and RF electronics",
        "aerospace",
        "istanbul|paris",
        "aerospace and defence",
        "C26.3",
        "RF engineering|antenna design|signal processing|electromagnetics",
        "anechoic chamber|vector network analyser",
        "antennas|signal loss|radio interference|radar modules",
        "las antenas|la pérdida de señal|las interferencias de radio",
        "le antenne|la perdita di segnale|le interferenze radio",
        "les antennes|la perte de signal|les interférences radio",
        "antenler|sinyal kaybı|radyo girişimi",
        "phased array antennas|FMCW radar signal processing|microwave circuit design|"
        "radar cross-section|beamforming|electromagnetic compatibility",
    ),
    # --- agri-tech ---------------------------------------------------------------------------
    _t(
        "T21",
        "precision irrigation and agri-tech sensing",
        "agri",
        "malaga|alcala",
        "agricultural machinery",
        "C28.3",
        "agronomy|IoT sensors|data analysis|hydraulics",
        "greenhouse testbed|soil sensor lab",
        "water for our greenhouses|irrigation controllers|drip lines that clog|water bills of growers",
        "el agua de los invernaderos|los programadores de riego|los goteros que se obstruyen",
        "l'acqua delle serre|le centraline di irrigazione|i gocciolatori che si intasano",
        "l'eau des serres|les programmateurs d'irrigation|les goutteurs qui se bouchent",
        "seralarımızdaki su|sulama kontrol üniteleri|tıkanan damlama hatları",
        "soil moisture sensing|evapotranspiration models|deficit irrigation scheduling|"
        "remote sensing of crop water stress|fertigation control|wireless sensor networks in agriculture",
    ),
    _t(
        "T22",
        "agricultural harvesting machinery",
        "agri",
        "malaga|istanbul",
        "agricultural machinery",
        "C28.3",
        "mechanical design|agricultural engineering|robotics|hydraulics",
        "field robotics test track|hydraulics lab",
        "harvesters|fruit damaged during picking|olive shakers|labour shortage at harvest",
        "las cosechadoras|la fruta dañada en la recolección|los vibradores de olivo",
        "le macchine per la raccolta|la frutta danneggiata durante la raccolta|gli scuotitori",
        "les machines de récolte|les fruits abîmés à la cueillette|les vibreurs à olives",
        "hasat makineleri|toplama sırasında zarar gören meyveler|zeytin silkeleme makineleri",
        "robotic fruit picking|canopy shaking dynamics|agricultural vehicle hydraulics|"
        "soft grippers|crop detection with depth cameras|harvest logistics",
    ),
    # --- ICT, networks and digital engineering ---------------------------------------------------
    _t(
        "T23",
        "smart city sensing and urban mobility",
        "ict",
        "malaga|paris",
        "ICT services",
        "J62.0",
        "data engineering|GIS|urban planning|IoT sensors",
        "urban living lab|traffic sensor testbed",
        "parking in the city centre|traffic jams around our depots|bus delays|street lighting",
        "el aparcamiento en el centro|los atascos en la ciudad|el alumbrado público",
        "il parcheggio in centro|il traffico in città|l'illuminazione pubblica",
        "le stationnement en centre-ville|les embouteillages urbains|l'éclairage public",
        "şehir merkezinde otopark|şehir içi trafik sıkışıklığı|sokak aydınlatması",
        "urban mobility analytics|traffic flow estimation|open data platforms for cities|"
        "origin-destination matrices|smart parking|spatio-temporal forecasting",
    ),
    _t(
        "T24",
        "cybersecurity for industrial control systems",
        "ict",
        "malaga|paris|alcala",
        "ICT services",
        "J62.0",
        "cybersecurity|network security|IEC 62443|penetration testing",
        "OT security testbed|cyber range",
        "ransomware|remote access to our machines|passwords on the shop floor|a cyber attack last year",
        "el ransomware|el acceso remoto a las máquinas|un ciberataque el año pasado",
        "il ransomware|l'accesso remoto alle macchine|un attacco informatico l'anno scorso",
        "les rançongiciels|l'accès à distance aux machines|une cyberattaque l'an dernier",
        "fidye yazılımları|makinelere uzaktan erişim|geçen yılki siber saldırı",
        "intrusion detection for industrial networks|IEC 62443 risk assessment|network segmentation|"
        "anomaly detection in Modbus traffic|secure remote maintenance|threat modelling",
    ),
    _t(
        "T25",
        "low-power IoT connectivity",
        "ict",
        "paris|cork|malaga",
        "telecommunications",
        "C26.3",
        "embedded systems|wireless communications|IoT|C programming",
        "RF shielded room|IoT gateway lab",
        "wireless sensors|batteries in our sensors|lost data from the field|coverage in remote sites",
        "los sensores inalámbricos|las pilas de los sensores|la cobertura en zonas remotas",
        "i sensori wireless|le batterie dei sensori|la copertura nelle zone isolate",
        "les capteurs sans fil|les piles des capteurs|la couverture dans les zones isolées",
        "kablosuz sensörler|sensörlerimizin pilleri|uzak sahalardaki kapsama",
        "LoRaWAN|NB-IoT|energy harvesting|duty-cycling protocols|low-power wide-area networks|"
        "firmware over-the-air updates",
    ),
    _t(
        "T26",
        "private 5G networks",
        "ict",
        "paris|istanbul",
        "telecommunications",
        "J61.2",
        "telecommunications|network engineering|5G|cloud computing",
        "5G standalone testbed|edge computing cluster",
        "wifi dropouts in the factory|connectivity for our AGVs|latency|network coverage in the warehouse",
        "los cortes de wifi en la fábrica|la conectividad de los AGV|la latencia",
        "le interruzioni del wifi in fabbrica|la connettività degli AGV|la latenza",
        "les coupures wifi dans l'usine|la connectivité des AGV|la latence",
        "fabrikadaki wifi kesintileri|AGV bağlantısı|gecikme süresi",
        "5G standalone core|network slicing|ultra-reliable low-latency communication|"
        "multi-access edge computing|radio planning|time-sensitive networking",
    ),
    _t(
        "T27",
        "digital twins and simulation",
        "ict",
        "paris|bologna|cork",
        "engineering services",
        "M71.1",
        "simulation|3D modelling|python|systems engineering",
        "virtual reality cave|HPC cluster",
        "trial and error on the shop floor|prototypes that cost too much|planning a new line|"
        "a virtual copy of our plant",
        "las pruebas de ensayo y error en planta|"
        "los prototipos demasiado caros|una copia virtual de la planta",
        "le prove per tentativi in reparto|i prototipi troppo costosi|una copia virtuale dello stabilimento",
        "les essais par tâtonnement en atelier|les prototypes trop coûteux|une copie virtuelle de l'usine",
        "atölyede deneme yanılma|çok pahalı prototipler|tesisimizin sanal bir kopyası",
        "digital twin architectures|discrete-event simulation|reduced-order models|"
        "model-based systems engineering|co-simulation|physics-informed surrogate models",
    ),
    _t(
        "T28",
        "industrial data platforms and edge analytics",
        "ict",
        "malaga|paris|cork",
        "ICT services",
        "J62.0",
        "data engineering|cloud computing|SQL|dashboards",
        "edge computing cluster|data science lab",
        "data scattered in spreadsheets|production reports|"
        "dashboards for management|machine data nobody uses",
        "los datos dispersos en hojas de cálculo|los informes de producción|los cuadros de mando",
        "i dati sparsi nei fogli di calcolo|i report di produzione|i cruscotti per la direzione",
        "les données éparpillées dans des tableurs|les rapports de production|les tableaux de bord",
        "tablolara dağılmış veriler|üretim raporları|yönetim panoları",
        "stream processing|time-series databases|edge-cloud orchestration|data lakehouse design|"
        "MLOps pipelines|semantic data integration",
    ),
    # --- medtech and pharma -------------------------------------------------------------------
    _t(
        "T29",
        "continuous pharmaceutical manufacturing",
        "health",
        "cork",
        "pharmaceutical process",
        "C21.2",
        "chemical engineering|process analytical technology|GMP|chemometrics",
        "pilot continuous granulation line|NIR spectroscopy lab",
        "batch failures|tablet weight variation|cleaning validation|long release testing",
        "los lotes rechazados|la variación de peso de los comprimidos|la validación de limpieza",
        "i lotti scartati|la variabilità di peso delle compresse|la convalida della pulizia",
        "les lots rejetés|la variation de masse des comprimés|la validation du nettoyage",
        "reddedilen partiler|tablet ağırlık farkları|temizlik validasyonu",
        "process analytical technology|continuous twin-screw granulation|near-infrared spectroscopy|"
        "real-time release testing|residence time distribution|quality by design",
    ),
    _t(
        "T30",
        "medical device design and validation",
        "health",
        "cork|paris",
        "medical devices",
        "C32.5",
        "biomedical engineering|ISO 13485|risk management|mechanical design",
        "biomechanics lab|cleanroom assembly bay",
        "CE marking of our device|catheter kinks|usability complaints from nurses|the MDR paperwork",
        "el marcado CE del dispositivo|los catéteres que se doblan|la documentación del MDR",
        "la marcatura CE del dispositivo|i cateteri che si piegano|la documentazione MDR",
        "le marquage CE du dispositif|les cathéters qui se plient|la documentation MDR",
        "cihazımızın CE işareti|bükülen kateterler|MDR dokümantasyonu",
        "design verification testing|ISO 14971 risk analysis|biocompatibility|"
        "catheter mechanics|human factors engineering|MDR technical documentation",
    ),
    _t(
        "T31",
        "cleanroom contamination control and sterilisation",
        "health",
        "cork",
        "pharmaceutical process",
        "C21.2",
        "microbiology|cleanroom technology|HVAC engineering|validation",
        "ISO 7 cleanroom|sterilisation validation lab",
        "particle counts in our cleanroom|sterilisation cycles|contamination of packaging|gowning rules",
        "los recuentos de partículas en sala blanca|los ciclos de esterilización",
        "le conte particellari in camera bianca|i cicli di sterilizzazione",
        "les comptages particulaires en salle blanche|les cycles de stérilisation",
        "temiz odadaki partikül sayıları|sterilizasyon döngüleri",
        "airflow visualisation|hydrogen peroxide decontamination|environmental monitoring|"
        "microbial ingress|sterility assurance|pressure cascade design",
    ),
    # --- marine ---------------------------------------------------------------------------
    _t(
        "T32",
        "wave and tidal energy converters",
        "marine",
        "cork",
        "marine energy",
        "D35.1",
        "ocean engineering|hydrodynamics|control engineering|CFD",
        "wave tank|flume",
        "our wave device|moorings|power take-off|storms that damage our buoy",
        "nuestro dispositivo undimotriz|los amarres|la toma de fuerza",
        "il nostro convertitore di moto ondoso|gli ormeggi|la presa di potenza",
        "notre houlomoteur|les ancrages|la prise de force",
        "dalga enerjisi cihazımız|bağlama halatları|güç alma ünitesi",
        "wave energy converter hydrodynamics|mooring line dynamics|power take-off control|"
        "tidal turbine wake|tank testing at model scale|survivability",
    ),
    _t(
        "T33",
        "corrosion and biofouling in marine structures",
        "marine",
        "cork|istanbul",
        "marine engineering",
        "C33.1",
        "corrosion engineering|materials science|coatings|electrochemistry",
        "salt spray chamber|marine exposure site",
        "rust on offshore steel|barnacles on our hulls|paint that peels|cathodic protection",
        "el óxido en el acero marino|los percebes en los cascos|la pintura que se despega",
        "la ruggine sull'acciaio in mare|i denti di cane sugli scafi|la vernice che si stacca",
        "la rouille sur l'acier en mer|les balanes sur les coques|la peinture qui s'écaille",
        "denizdeki çelikte pas|teknelerdeki midyeler|soyulan boya",
        "marine corrosion mechanisms|antifouling coatings|impressed current cathodic protection|"
        "microbiologically influenced corrosion|accelerated ageing|electrochemical impedance spectroscopy",
    ),
    # --- textiles ---------------------------------------------------------------------------
    _t(
        "T34",
        "textile machinery automation",
        "textile",
        "istanbul",
        "textile machinery",
        "C28.94",
        "mechanical design|automation|textile engineering|PLC programming",
        "weaving pilot line|textile testing lab",
        "looms that stop|yarn breaks|knitting machines|dyeing machines that waste water",
        "los telares que se paran|las roturas de hilo|las máquinas de tejer",
        "i telai che si fermano|le rotture del filo|le macchine per maglieria",
        "les métiers à tisser qui s'arrêtent|les casses de fil|les machines à tricoter",
        "duran dokuma tezgahları|iplik kopmaları|örme makineleri",
        "yarn tension control|loom shedding mechanisms|automated fabric inspection|"
        "energy-efficient dyeing|warp-knitting kinematics|textile process monitoring",
    ),
    _t(
        "T35",
        "technical textiles and smart fabrics",
        "textile",
        "istanbul|bologna",
        "textiles",
        "C13.9",
        "textile engineering|materials science|wearable electronics|chemistry",
        "textile testing lab|fibre spinning line",
        "fabrics for protective clothing|fabrics that tear|flame resistance|sensors in garments",
        "los tejidos para ropa de protección|la resistencia al fuego|los sensores en las prendas",
        "i tessuti per abbigliamento protettivo|la resistenza alla fiamma|i sensori nei capi",
        "les tissus pour vêtements de protection|la résistance au feu|les capteurs dans les vêtements",
        "koruyucu giysi kumaşları|alev dayanımı|giysilerdeki sensörler",
        "electrospun nanofibres|conductive yarns|flame-retardant finishing|e-textile sensors|"
        "nonwoven filtration media|coating of technical fabrics",
    ),
    # --- management ---------------------------------------------------------------------------
    _t(
        "T36",
        "innovation management and product roadmapping",
        "management",
        "paris|cork|alcala",
        "engineering consultancy",
        "M70.2",
        "innovation management|business strategy|market analysis|project management",
        "innovation studio|co-working space",
        "new products that never launch|too many ideas and no plan|EU funding applications|"
        "pricing our services",
        "los productos nuevos que nunca salen|las solicitudes de fondos europeos|el precio de los servicios",
        "i nuovi prodotti che non escono mai|le domande di finanziamento europeo|il prezzo dei servizi",
        "les nouveaux produits qui ne sortent jamais|les dossiers de financement européen|"
        "la tarification des services",
        "hiç piyasaya çıkmayan yeni ürünler|AB fonu başvuruları|hizmet fiyatlandırması",
        "technology roadmapping|open innovation|stage-gate processes|business model innovation|"
        "technology readiness assessment|lean start-up methods",
    ),
)

#: Topic lookup by id.
TOPIC_BY_ID: dict[str, Topic] = {t.id: t for t in TOPICS}
