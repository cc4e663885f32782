"""Writing a data-rights letter: a pure function of what the person typed, for one response.

The name, e-mail address and details come from the POST and go only into the returned text.
Nothing here stores, caches or logs them (DESIGN.md, "Rights letter": generated per request,
never stored; privacy model 8). The letter is written in the chosen language through gettext;
when that is not English, the English text is returned beside it, so that the company can read
it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from .laws import LAWS, Law, Missing, Right

ENGLISH = "en"


class NoSuchRight(Exception):
    """The chosen law gives no such right: `reason` says so (translated when raised)."""

    def __init__(self, law: Law, request: str, missing: Missing) -> None:
        super().__init__(str(missing.reason))
        self.law = law
        self.request = request
        self.missing = missing


@dataclass(frozen=True)
class Addressee:
    """The company and its public privacy contact (voice.models.PrivacyContact)."""

    name: str
    email: str = ""
    web_form: str = ""
    postal: str = ""


@dataclass(frozen=True)
class Letter:
    language: str
    subject: str
    text: str
    english_subject: str | None  # None when the letter is in English
    english_text: str | None
    law: Law
    request: str
    right: Right

    def as_download(self) -> str:
        """The text file offered for download: the letter, and the English one after it."""
        parts = [self.text]
        if self.english_text is not None:
            parts += ["", "-" * 60, self.english_text]
        return "\n".join(parts) + "\n"


def _request_paragraphs(law: Law, request: str) -> list[str]:
    """What the letter asks for, in the active language."""
    if request == "access":
        return [
            _("Please confirm whether you process personal data about me and, if you do, send "
              "me a copy of it with the purposes of the processing, the categories of data, "
              "who has received it, how long you will keep it and where you obtained it."),
            _("In particular, please tell me whether you have used or use my personal data "
              "(including anything I wrote, uploaded, recorded, labelled or reviewed) to train, "
              "test or improve artificial intelligence systems; which systems; and whether any "
              "decision about me is taken by automated means, including profiling, with "
              "meaningful information about the logic involved and its consequences for me."),
        ]
    if request == "objection":
        if law.key == "ccpa":
            return [
                _("I direct you not to sell or share my personal information, and to limit "
                  "the use and disclosure of my sensitive personal information to what is "
                  "necessary to provide the services I asked for."),
                _("I also ask you not to use my personal information to train, test or improve "
                  "artificial intelligence systems, and to tell me whether you have done so."),
            ]
        if law.key == "dpdp":
            return [
                _("I withdraw my consent to the processing of my personal data to train, test "
                  "or improve artificial intelligence systems. Please stop that processing, "
                  "have your data processors stop it too, and confirm this to me in writing."),
            ]
        return [
            _("I object to the use of my personal data to train, test or improve artificial "
              "intelligence systems, including machine-learning models, and ask you to stop it."),
            _("Please confirm in writing that you have stopped, and tell me which systems my "
              "data has already been used for."),
        ]
    if request == "erasure":
        return [
            _("Please erase the personal data you hold about me, including copies in data sets "
              "used to train, test or improve artificial intelligence systems, and tell every "
              "recipient you have shared it with."),
            _("Please confirm what you have erased, and tell me the legal reason for anything "
              "you keep."),
        ]
    if request == "human_review":
        return [
            _("A decision about me was taken by automated means. I ask that a person review "
              "it, I want to express my point of view, and I contest the decision."),
            _("Please explain how the decision was reached, including the criteria and the "
              "data about me that were used."),
        ]
    raise ValueError(request)  # pragma: no cover - callers check the request first


def _compose(addressee: Addressee, law: Law, request: str, right: Right, *, name: str,
             email: str, details: str) -> tuple[str, str]:
    """The subject and the text, in the active language."""
    provisions = ", ".join(right.provisions)
    cited = f"{law.short}: {provisions}"
    subject = _("Data protection request (%(cited)s)") % {"cited": cited}
    lines = [_("To: %(company)s, privacy and data protection team") % {"company": addressee.name}]
    if addressee.email:
        lines.append(_("E-mail: %(email)s") % {"email": addressee.email})
    if addressee.web_form:
        lines.append(_("Request form: %(url)s") % {"url": addressee.web_form})
    if addressee.postal:
        lines.append(_("Address: %(postal)s") % {"postal": addressee.postal})
    lines += [_("Subject: %(subject)s") % {"subject": subject}, "",
              _("Dear privacy team,"), "",
              _("I am writing to exercise my rights under the %(law)s (%(cited)s).")
              % {"law": law.name, "cited": cited}, ""]
    for paragraph in _request_paragraphs(law, request):
        lines += [paragraph, ""]
    if details:
        lines += [_("Details to help you find my data:"), details, ""]
    lines += [str(law.deadline_for(request).text), "",
              _("Please send your answer to %(email)s. If you need to confirm who I am, ask me "
                "only for what is necessary for that.") % {"email": email}, "",
              _("Yours sincerely,"), name, email]
    return subject, "\n".join(lines)


def compose(addressee: Addressee, law_key: str, request: str, *, name: str, email: str,
            details: str = "", language: str = ENGLISH) -> Letter:
    """The letter, in `language` (and in English beside it). Raises KeyError for an unknown
    law or request, NoSuchRight when the law gives no such right."""
    law = LAWS[law_key]
    right = law.rights[request]
    if isinstance(right, Missing):
        raise NoSuchRight(law, request, right)
    details = details.strip()
    with translation.override(language):
        subject, text = _compose(addressee, law, request, right, name=name, email=email,
                                 details=details)
    english_subject = english_text = None
    if language != ENGLISH:
        with translation.override(ENGLISH):
            english_subject, english_text = _compose(addressee, law, request, right, name=name,
                                                     email=email, details=details)
    return Letter(language=language, subject=subject, text=text, english_subject=english_subject,
                  english_text=english_text, law=law, request=request, right=right)
