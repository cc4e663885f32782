"""Turning the bytes of a file into text: the encoding it names, or a guess (UTF-16 with a
byte-order mark, UTF-8, Windows-1252, Latin-1) with a clear error for files that are not text."""

from __future__ import annotations

import codecs

from django.utils.translation import gettext as _

from .problems import ImportFileError


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text. With no encoding given: UTF-16 if it has a byte-order mark, else UTF-8
    (with or without a BOM), else Windows-1252, else Latin-1 (which never fails)."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(_("Unknown encoding: %(encoding)s") % {"encoding": encoding}) from None
        if codec == "utf-8":
            codec = "utf-8-sig"
        try:
            return raw.decode(codec), encoding
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not in %(encoding)s (byte %(position)d). Leave out the encoding to "
                  "let the importer guess, or name the right one.")
                % {"encoding": encoding, "position": exc.start}) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if raw.count(b"\x00") > max(8, len(raw) // 20):
        raise ImportFileError(_("This does not look like a text file (it is full of NUL bytes: "
                                "binary, or UTF-16 without a byte-order mark). Save it as CSV "
                                "in UTF-8."))
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"
