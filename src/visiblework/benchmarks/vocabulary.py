"""Words for synthetic case text, in the languages the project serves.

Not user-facing: these are data, chosen so that the full-text index sees a realistic mix of
frequent and rare words, accents (é, ñ) and a right-to-left script. Words are drawn with
Zipf-like weights (the first words of each list are the most frequent).
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words("""
workers data labour pay platform hours wage unpaid task annotation moderation content
contract company training model hidden work people workers' outsourced vendor client
system dataset labelling labellers moderators reviewers trauma surveillance cameras
drivers delivery voices recordings photos homes chatbot assistant safety filter raters
ranking search ads quality rejected tasks payments fees accounts suspended deactivated
quotas targets timers metrics productivity overtime nights weekends piece rate minimum
living wage union organising strike petition lawsuit court ruling regulator complaint
inquiry report investigation journalists researchers leaked documents interviews survey
kenya philippines india venezuela madagascar nigeria uganda colombia brazil syria
refugees camps students gig economy crowdwork microtasks captcha clicks feedback thumbs
images video audio transcription translation speech text toxic violent graphic abuse
mental health counselling wellness breaks rotation nda secrecy confidentiality
algorithm automated automation artificial intelligence machine learning self-driving
cars sensors monitoring warehouse scanners productivity score disciplined fired
subcontractor agency intermediary bpo offshore nearshore remote online marketplace
currency dollars exchange rate late payment withheld arbitrary rejection appeal
qualification test unpaid waiting screened returned instructions guidelines changed
verification identity selfie biometric consent opt out purpose disclosure transparency
""")

FRENCH = _words("""
travailleurs données travail salaire plateforme heures rémunération tâches annotation
modération contenu contrat entreprise formation modèle caché sous-traitance prestataire
client étiquetage modérateurs traumatisme surveillance caméras livreurs chauffeurs voix
enregistrements photos domicile assistant sécurité évaluateurs classement publicité
rejetées paiements frais comptes suspendus objectifs cadences nuit week-end minimum
syndicat grève pétition procès tribunal régulateur plainte enquête journalistes
chercheurs documents entretiens madagascar antananarivo numérique microtâches clics
images vidéo audio transcription traduction violent graphique santé mentale pauses
confidentialité algorithme automatisé intelligence artificielle apprentissage
capteurs entrepôt productivité licenciés intermédiaire délocalisé à distance marché
devise dollars taux retard retenue arbitraire rejet appel qualification attente
consignes vérification identité consentement finalité transparence précarité
""")

SPANISH = _words("""
trabajadores datos trabajo salario plataforma horas pago tareas anotación moderación
contenido contrato empresa formación modelo oculto subcontratación proveedor cliente
etiquetado moderadores trauma vigilancia cámaras repartidores conductores voces
grabaciones fotos hogares asistente seguridad evaluadores clasificación anuncios
rechazadas pagos comisiones cuentas suspendidas metas ritmo noche mínimo sindicato
huelga petición demanda tribunal regulador queja investigación periodistas
investigadores documentos entrevistas venezuela colombia caracas bogotá economía
microtareas clics imágenes vídeo audio transcripción traducción violento gráfico
salud mental pausas confidencialidad algoritmo automatizado inteligencia artificial
aprendizaje sensores almacén productividad despedidos intermediario remoto mercado
moneda dólares tipo cambio retraso retenido arbitrario rechazo apelación espera
instrucciones verificación identidad consentimiento finalidad transparencia niñez
""")

SWAHILI = _words("""
wafanyakazi data kazi mshahara jukwaa saa malipo kazi-ndogo uwekaji lebo udhibiti
maudhui mkataba kampuni mafunzo siri mkandarasi mteja wasimamizi kiwewe ufuatiliaji
kamera madereva sauti picha nyumbani msaidizi usalama tathmini matangazo kukataliwa
ada akaunti zimesimamishwa malengo usiku kima chini chama mgomo ombi kesi mahakama
mdhibiti malalamiko uchunguzi waandishi watafiti nyaraka mahojiano kenya nairobi
uganda kampala tanzania uchumi mibofyo sauti unukuzi tafsiri vurugu afya akili
mapumziko usiri algoriti akili-bandia mashine ghala tija kufukuzwa wakala mbali soko
sarafu dola kiwango kuchelewa kuzuiliwa haki rufaa kusubiri maelekezo utambulisho
ridhaa madhumuni uwazi unyonyaji
""")

ARABIC = _words("""
عمال بيانات عمل أجور منصة ساعات دفع مهام تصنيف إشراف محتوى عقد شركة تدريب نموذج خفي
تعهيد مورد عميل وسم مشرفون صدمة مراقبة كاميرات سائقون أصوات تسجيلات صور منازل مساعد
سلامة تقييم إعلانات مرفوضة مدفوعات رسوم حسابات موقوفة أهداف ليل حد أدنى نقابة إضراب
عريضة دعوى محكمة منظم شكوى تحقيق صحفيون باحثون وثائق مقابلات سوريا لبنان الأردن مصر
لاجئون مخيمات اقتصاد نقرات صوت نسخ ترجمة عنف صحة نفسية استراحة سرية خوارزمية ذكاء
اصطناعي تعلم آلي مستودع إنتاجية فصل وسيط عن بعد سوق عملة دولار سعر تأخير حجب تعسفي
رفض استئناف انتظار تعليمات هوية موافقة غرض شفافية استغلال
""")

LANGUAGES: dict[str, list[str]] = {
    "en": ENGLISH, "fr": FRENCH, "es": SPANISH, "sw": SWAHILI, "ar": ARABIC,
}
# Share of cases written in each language.
LANGUAGE_WEIGHTS: dict[str, float] = {"en": 0.6, "fr": 0.1, "es": 0.12, "sw": 0.09, "ar": 0.09}

# Syllables for actor names: Zipf-used, so a few actors are named in many cases (the long tail).
SYLLABLES = _words("""
ka lo mi ra te su na vo de li xa qu bri zen tor mar sol vel cor dex nia ta pa ro ki
""")
SUFFIXES = [
    "Data", "AI", "Labs", "Sourcing", "Tasks", "Annotate", "Works", "Cloud", "Digital",
    "Solutions", "Analytics", "Robotics", "Vision", "Voice", "Logistics", "Delivery", "Mobility",
    "Systems", "Group", "Holdings", "Ventures", "Global", "Africa", "Latam", "Asia",
]
GROUPS = [
    "Content moderators", "Data labellers", "Delivery drivers", "Warehouse workers",
    "Students", "Refugees", "Gig workers", "Voice recorders", "Search raters", "Transcribers",
    "Mototaxi riders", "Call centre agents", "Teachers", "Patients", "Tenants",
]
WELL_KNOWN_PLATFORMS = [
    "Remotasks", "Appen", "Clickworker", "Amazon Mechanical Turk", "Toloka", "Scale AI", "Sama",
    "CloudFactory", "Prolific", "Outlier", "DataAnnotation", "Telus International", "TaskUs",
    "Majorel", "iMerit", "Hive", "Microworkers", "Neevo", "OneForma", "Isahit", "Playment",
    "Samasource", "Lionbridge", "Teleperformance", "Spare5", "Mighty AI", "Cogito", "Upwork",
]
WELL_KNOWN_CLIENTS = [
    "OpenAI", "Meta", "Google", "Microsoft", "Amazon", "Anthropic", "TikTok", "Tesla", "Apple",
    "Uber", "Baidu", "Nvidia", "Samsung", "Cruise", "Waymo", "Walmart", "Snap", "X Corp",
]
OUTLETS = [
    "TIME", "Rest of World", "The Guardian", "Le Monde", "El País", "Daily Nation",
    "Al Jazeera", "Wired", "The Verge", "MIT Technology Review", "Mediapart", "El Universal",
    "The Standard", "Mada Masr", "Bloomberg", "Reuters", "Fairwork", "Data Workers' Inquiry",
    "Untold Stories", "Coda Story",
]

# Countries named in cases, with weights (data-work hubs and big AI clients first) and the
# region used for the synthetic "region" term. Global North follows UNSD's former
# "developed" grouping; the rest is Global South.
CASE_COUNTRIES: list[tuple[str, float]] = [
    ("KE", 9), ("US", 9), ("PH", 7), ("IN", 7), ("VE", 5), ("UG", 4), ("NG", 4), ("MG", 3),
    ("CO", 3), ("BR", 3), ("GB", 3), ("DE", 3), ("FR", 3), ("SY", 2), ("LB", 2), ("EG", 2),
    ("PK", 2), ("BD", 2), ("GH", 2), ("ZA", 2), ("ET", 2), ("RW", 1.5), ("TZ", 1.5),
    ("CN", 1.5), ("ID", 1.5), ("VN", 1), ("MY", 1), ("MX", 1), ("AR", 1), ("PE", 1),
    ("MA", 1), ("TN", 1), ("JO", 1), ("IQ", 1), ("TR", 1), ("ES", 1), ("IT", 1), ("NL", 1),
    ("IE", 1), ("PL", 1), ("RO", 1), ("UA", 1), ("JP", 1), ("KR", 1), ("AU", 1), ("CA", 1),
    ("SE", 0.5), ("FI", 0.5), ("SN", 0.5), ("CI", 0.5), ("CM", 0.5), ("NP", 0.5), ("LK", 0.5),
]
NORTH = frozenset({"US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "PL", "RO", "UA", "JP",
                   "AU", "CA", "SE", "FI"})
COUNTRY_LANGUAGE = {"VE": "es", "CO": "es", "MX": "es", "AR": "es", "PE": "es", "ES": "es",
                    "MG": "fr", "FR": "fr", "SN": "fr", "CI": "fr", "CM": "fr", "MA": "fr",
                    "TN": "fr", "KE": "sw", "UG": "sw", "TZ": "sw", "RW": "sw", "SY": "ar",
                    "LB": "ar", "EG": "ar", "JO": "ar", "IQ": "ar"}
