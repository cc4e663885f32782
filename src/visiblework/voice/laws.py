"""The data-protection laws a rights letter can cite: one typed table.

Every provision and every deadline below comes from a source that was looked up and is cited
next to it (``Source``: address and title); the page shows the sources under the letter. Where a
law gives no such right, the table says so (``Missing``) and the form explains it instead of
writing a letter: nothing here is invented. Where we could not verify a number of days, the
deadline says that too.

This is a tool to help people write a letter, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REQUESTS: dict[str, Promise] = {
    "access": _("Access to my data and how it is used to train AI"),
    "objection": _("Objection to (opt-out of) the use of my data to train AI"),
    "erasure": _("Erasure of my data"),
    "human_review": _("Human review of an automated decision about me"),
}


@dataclass(frozen=True)
class Source:
    url: str
    title: str


@dataclass(frozen=True)
class Deadline:
    """The legal answer deadline, as a sentence for the letter (translatable), with sources."""

    text: Promise
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Right:
    """A request the law grounds: the provisions to cite (as the law numbers them)."""

    provisions: tuple[str, ...]
    sources: tuple[Source, ...]
    # What the letter asks for under this law, when it differs from the plain request
    # (e.g. California's opt-out of sale and sharing instead of a general objection).
    note: Promise | None = None
    deadline: Deadline | None = None  # when this request has its own deadline


@dataclass(frozen=True)
class Missing:
    """The law gives no such right: the reason, and what to use instead if anything."""

    reason: Promise
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Law:
    key: str
    name: str
    short: str
    jurisdiction: Promise
    rights: dict[str, Right | Missing]
    deadline: Deadline
    sources: tuple[Source, ...] = field(default=())

    def right(self, request: str) -> Right | Missing:
        return self.rights[request]

    def deadline_for(self, request: str) -> Deadline:
        right = self.rights[request]
        if isinstance(right, Right) and right.deadline is not None:
            return right.deadline
        return self.deadline

    def all_sources(self) -> list[Source]:
        """Every source of this law, each once, in order."""
        seen: dict[str, Source] = {}
        for source in self.sources:
            seen.setdefault(source.url, source)
        for right in self.rights.values():
            for source in right.sources:
                seen.setdefault(source.url, source)
            if isinstance(right, Right) and right.deadline is not None:
                for source in right.deadline.sources:
                    seen.setdefault(source.url, source)
        for source in self.deadline.sources:
            seen.setdefault(source.url, source)
        return list(seen.values())


# --- Sources (looked up with the search tool, December 2026) -----------------------------

GDPR_15 = Source("https://www.aiactblog.nl/en/avg/artikel/15",
                 "Article 15: Right of access by the data subject (official text, EUR-Lex)")
GDPR_15_1_H = Source(
    "https://elsalabdefence.nl/publication/the-right-of-access-in-automated-decision-making-"
    "the-scope-of-article-15-1h-gdpr-in-theory-and-practice/",
    "Custers & Heijne (2022), The right of access in automated decision-making: the scope of "
    "article 15(1)(h) GDPR")
GDPR_17 = Source("https://gameindustry.eu/gdpr/art-17-gdpr",
                 "Right to Erasure (\"Right to be Forgotten\") under Article 17 GDPR")
GDPR_21 = Source("https://gdprhub.eu/index.php?oldid=32851&title=Article_21_GDPR",
                 "Article 21 GDPR - GDPRhub")
GDPR_22 = Source("https://gdprlearninghub.com/article-22-gdpr/",
                 "Article 22 GDPR: Automated individual decision-making, including profiling")
GDPR_12_3 = Source(
    "https://dataprotection.ie/en/faqs/access-and-rectification/"
    "how-long-does-organisation-have-respond-my-access-request",
    "Data Protection Commission (Ireland): How long does an organisation have to respond to "
    "my access request?")
ICO_TIME = Source(
    "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/"
    "right-of-access/what-should-we-consider-when-responding-to-a-request/",
    "ICO: What should we consider when responding to a request?")
DUAA_80 = Source("https://www.legislation.gov.uk/id/ukpga/2025/18/section/80/4/b",
                 "Data (Use and Access) Act 2025, section 80 (legislation.gov.uk)")
DUAA_22C = Source(
    "https://www.kennedyslaw.com/en/thought-leadership/article/2025/the-uk-dua-act-s-reform-"
    "pillars-divergence-from-the-eu-gdpr-automated-decision-making-adm",
    "Kennedys: The UK DUA Act's reform pillars: automated decision-making (Articles 22A-22D)")
CCPA_130 = Source("https://proteuscyber.com/privacy-database/tag/cpra/days",
                  "CCPA/CPRA, Civil Code section 1798.130(a)(2) (text)")
CCPA_LIST = Source("https://proteuscyber.com/privacy-database/ccpa-sec-3-1798120",
                   "CCPA, Civil Code sections 1798.100-1798.185 (index with text)")
CCPA_120 = Source("https://online.flipbuilder.com/bzaa/mvgs/files/basic-html/page22.html",
                  "1798.120 Consumers' Right to Opt Out of Sale or Sharing of Personal "
                  "Information (CCPA as amended by the CPRA)")
CCPA_121 = Source("https://self-law.org/code/ca/civil-code/1798-121",
                  "California Civil Code section 1798.121: Right to Limit Use and Disclosure "
                  "of Sensitive Personal Information")
CCPA_OPT_OUT_TIME = Source(
    "https://www.sorena.io/artifacts/us/california-consumer-privacy-act/"
    "deadlines-and-compliance-calendar",
    "CCPA deadlines (quoting the California Attorney General: opt-out requests within 15 "
    "business days)")
KENYA_26 = Source("https://www.odpc.go.ke/data-subjects/",
                  "Office of the Data Protection Commissioner (Kenya): Rights of a data subject")
KENYA_REGS = Source(
    "https://www.scribd.com/document/669719740/THE-DATA-PROTECTION-GENERAL-REGULATIONS-2021-1",
    "The Data Protection (General) Regulations, 2021 (Kenya Gazette Supplement No. 236, Legal "
    "Notice No. 263)")
KENYA_REG_12 = Source(
    "https://pilihbajumuslim.com/mastah-kampret/wNy02bj5CZilmcjNnL3d3d6MHc0/document/669719740/"
    "THE-DATA-PROTECTION-GENERAL-REGULATIONS-2021-1",
    "The Data Protection (General) Regulations, 2021, regulation 12: Right of erasure (text)")
LGPD_18 = Source("https://privacyhub.com.br/lgpd?article=155", "LGPD, Artigo 18 - Direitos do Titular")
LGPD_19 = Source("https://lgpd-brazil.info/chapter_03/article_19", "LGPD, Article 19")
LGPD_20 = Source(
    "https://baptistaluz.com.br/privacyhub/artigo-20o-direito-de-revisao-de-decisoes-baseadas-"
    "em-tratamentos-automatizados-de-dados-pessoais",
    "LGPD, Artigo 20 - Direito de Revisão de Decisões Automatizadas")
DPDP_11 = Source("https://www.consentx.io/dpdpa/data-principal-rights",
                 "DPDPA Sections 11-14: Data principal rights")
DPDP_12 = Source(
    "https://www.apnilaw.com/bare-act/dpdp/section-12-digital-personal-data-protection-act-"
    "dpdp-right-to-correction-and-erasure-of-personal-data",
    "Section 12 DPDP: Right to correction and erasure of personal data (text)")
DPDP_6_4 = Source("https://www.checkdpdp.in/your-rights/withdraw-consent",
                  "Section 6(4) DPDP Act: withdraw your consent at any time")
DPDP_TIME = Source("https://amlegalsdpdpa.com/insights/data-principal-rights",
                   "Data principal rights under the DPDPA (grievances resolved within 90 days)")
DPDP_RULES = Source(
    "https://www.barandbench.com/amp/story/view-point/meity-notifies-final-digital-personal-"
    "data-protection-rules-2025",
    "MeitY notifies final Digital Personal Data Protection Rules, 2025 (Bar & Bench)")
NDPA_RIGHTS = Source("https://otllaw.com/?p=2366",
                     "Data Subject Rights under the NDPA 2023 (sections 34 to 38)")
NDPA_36 = Source("https://techmeetslaw.org/laws/data-protection-act-2023/section-36-ndpa/",
                 "Section 36, NDPA: Right to object")
NDPA_37 = Source("https://techmeetslaw.org/?p=3116", "Section 37, NDPA: Automated decision making")

# --- The laws ------------------------------------------------------------------------------

_GDPR_DEADLINE = _(
    "Article 12(3) requires you to answer without undue delay and at the latest within one "
    "month of receiving this request. You may extend this by two further months only where "
    "necessary, and you must tell me so, with your reasons, within the first month.")

GDPR = Law(
    key="gdpr", name="General Data Protection Regulation (EU) 2016/679", short="GDPR",
    jurisdiction=_("European Union and European Economic Area"),
    rights={
        "access": Right(("Art. 15", "Art. 15(1)(h)"), (GDPR_15, GDPR_15_1_H)),
        "objection": Right(("Art. 21",), (GDPR_21,)),
        "erasure": Right(("Art. 17",), (GDPR_17,)),
        "human_review": Right(("Art. 22", "Art. 22(3)"), (GDPR_22,)),
    },
    deadline=Deadline(_GDPR_DEADLINE, (GDPR_12_3,)),
)

UK_GDPR = Law(
    key="uk_gdpr", name="UK GDPR and the Data Protection Act 2018", short="UK GDPR",
    jurisdiction=_("United Kingdom"),
    rights={
        "access": Right(("UK GDPR Art. 15", "Art. 15(1)(h)"), (GDPR_15, ICO_TIME)),
        "objection": Right(("UK GDPR Art. 21",), (GDPR_21,)),
        "erasure": Right(("UK GDPR Art. 17",), (GDPR_17,)),
        # Article 22 of the UK GDPR was replaced by Articles 22A-22D (Data (Use and Access)
        # Act 2025, s. 80); Article 22C sets the safeguards, human intervention among them.
        "human_review": Right(("UK GDPR Art. 22C", "Data (Use and Access) Act 2025, s. 80"),
                              (DUAA_80, DUAA_22C)),
    },
    deadline=Deadline(_GDPR_DEADLINE, (ICO_TIME,)),
)

CCPA = Law(
    key="ccpa", name="California Consumer Privacy Act, as amended by the CPRA", short="CCPA/CPRA",
    jurisdiction=_("California, United States"),
    rights={
        "access": Right(("Cal. Civ. Code § 1798.100", "§ 1798.110"), (CCPA_LIST,)),
        "objection": Right(
            ("Cal. Civ. Code § 1798.120", "§ 1798.121"), (CCPA_120, CCPA_121),
            note=_("California law gives no general right to object. It gives the right to opt "
                   "out of the sale or sharing of personal information and to limit the use of "
                   "sensitive personal information: the letter uses those, and asks you not to "
                   "use my data to train AI."),
            deadline=Deadline(_(
                "California's regulations require you to act on a request to opt out as soon as "
                "feasibly possible and no later than 15 business days after receiving it."),
                (CCPA_OPT_OUT_TIME,))),
        "erasure": Right(("Cal. Civ. Code § 1798.105",), (CCPA_LIST,)),
        "human_review": Missing(_(
            "The California Consumer Privacy Act itself gives no right to a human review of an "
            "automated decision. Rules on automated decision-making technology exist in the "
            "regulations, but we have not verified their text, so we do not write this letter.")),
    },
    deadline=Deadline(_(
        "Section 1798.130(a)(2) requires you to answer within 45 days of receiving this "
        "request. You may extend this once by 45 more days when reasonably necessary, if you "
        "tell me so within the first 45 days."), (CCPA_130,)),
)

KENYA_DPA = Law(
    key="kenya_dpa", name="Data Protection Act, 2019 (No. 24 of 2019)", short="Kenya DPA 2019",
    jurisdiction=_("Kenya"),
    rights={
        "access": Right(("s. 26(b)", "Data Protection (General) Regulations 2021, reg. 9"),
                        (KENYA_26, KENYA_REGS)),
        "objection": Right(("s. 26(c)", "Data Protection (General) Regulations 2021, reg. 8"),
                           (KENYA_26, KENYA_REGS)),
        "erasure": Right(("s. 40(1)(b)", "Data Protection (General) Regulations 2021, reg. 12"),
                         (KENYA_REG_12,)),
        "human_review": Right(("Data Protection (General) Regulations 2021, reg. 22",),
                              (KENYA_REGS,)),
    },
    deadline=Deadline(_(
        "The Data Protection (General) Regulations, 2021 set the time within which you must "
        "answer each kind of request; please answer within that time. (We could not verify the "
        "number of days for this request, so this letter does not state one.)"), (KENYA_REGS,)),
)

LGPD = Law(
    key="lgpd", name="Lei Geral de Proteção de Dados Pessoais (Lei nº 13.709/2018)", short="LGPD",
    jurisdiction=_("Brazil"),
    rights={
        "access": Right(("Art. 18, I-II", "Art. 19"), (LGPD_18, LGPD_19)),
        "objection": Right(("Art. 18, § 2º", "Art. 18, IX"), (LGPD_18,)),
        "erasure": Right(("Art. 18, IV", "Art. 18, VI"), (LGPD_18,)),
        "human_review": Right(("Art. 20", "Art. 20, § 1º"), (LGPD_20,)),
    },
    deadline=Deadline(_(
        "Article 19, II requires a clear and complete statement within 15 days of this request "
        "(for confirmation of and access to my data); Article 18, § 4 requires you to tell me "
        "the reasons if you cannot act at once."), (LGPD_19, LGPD_18)),
)

DPDP = Law(
    key="dpdp", name="Digital Personal Data Protection Act, 2023", short="DPDP Act 2023",
    jurisdiction=_("India"),
    rights={
        "access": Right(("s. 11",), (DPDP_11,)),
        "objection": Right(
            ("s. 6(4)",), (DPDP_6_4,),
            note=_("India's DPDP Act gives no right to object. It gives the right to withdraw "
                   "consent at any time, as easily as it was given: the letter withdraws my "
                   "consent to the use of my data to train AI.")),
        "erasure": Right(("s. 12(3)",), (DPDP_12,)),
        "human_review": Missing(_(
            "India's Digital Personal Data Protection Act, 2023 gives no right to a human "
            "review of an automated decision, so we do not write this letter."), (DPDP_11,)),
    },
    deadline=Deadline(_(
        "Under the Digital Personal Data Protection Rules, 2025 a grievance must be answered "
        "within at most 90 days; those rules apply from 13 May 2027. Please answer without "
        "delay."), (DPDP_TIME, DPDP_RULES)),
)

NDPA = Law(
    key="ndpa", name="Nigeria Data Protection Act, 2023", short="NDPA 2023",
    jurisdiction=_("Nigeria"),
    rights={
        "access": Right(("s. 34",), (NDPA_RIGHTS,)),
        "objection": Right(("s. 36",), (NDPA_36,)),
        "erasure": Right(("s. 34",), (NDPA_RIGHTS,)),
        "human_review": Right(("s. 37", "s. 37(3)(a)"), (NDPA_37,)),
    },
    deadline=Deadline(_(
        "Please answer without undue delay. (We could not verify a fixed number of days in the "
        "Act for this request, so this letter does not state one.)"), (NDPA_RIGHTS,)),
)

LAWS: dict[str, Law] = {law.key: law for law in (GDPR, UK_GDPR, CCPA, KENYA_DPA, LGPD, DPDP, NDPA)}


def get(key: str) -> Law | None:
    return LAWS.get(key)
