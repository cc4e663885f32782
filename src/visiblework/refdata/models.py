"""Reference data: countries, exchange rates and PPP conversion factors.

The rows are loaded from public data sets by `visiblework refdata load DIR` (see loader.py,
which names the sources and their licences) and are read through services.get_rates().
Values are stored exactly as published (rounded to 15 significant digits) together with the
ISO 4217 code of the unit they are expressed in, which is not always the country's current
currency: see loader.SERIES_UNITS.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import regions

# Wide enough for every value in the World Bank series from 2000 on: up to 12 integer digits
# and 28 decimals, so that Venezuela's PPP factor (2.68e-11 bolívares digitales) keeps its
# 15 significant digits.
RATE = {"max_digits": 40, "decimal_places": 28}


class Region(models.TextChoices):  # the keys and labels of refdata/regions.py
    NORTH = regions.NORTH, regions.REGION_LABELS[regions.NORTH]
    SOUTH = regions.SOUTH, regions.REGION_LABELS[regions.SOUTH]
    UNKNOWN = "", _("Unknown")


class IncomeGroup(models.TextChoices):
    LOW = "L", _("Low income")
    LOWER_MIDDLE = "LM", _("Lower-middle income")
    UPPER_MIDDLE = "UM", _("Upper-middle income")
    HIGH = "H", _("High income")


class Country(models.Model):
    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("current currency (ISO 4217)"), max_length=3, blank=True)
    developed = models.BooleanField(_("developed (UNSD, 2020)"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)

    class Meta:
        ordering = ["iso2"]
        indexes = [models.Index(fields=["region"], name="refdata_country_region_idx")]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.iso2} {self.name}"


class ExchangeRate(models.Model):
    """World Bank WDI PA.NUS.FCRF: local currency units per US$, period average."""

    country = models.CharField(_("economy (ISO 3166 alpha-3, or EMU)"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    lcu_per_usd = models.DecimalField(_("units of currency per US$"), **RATE)
    currency = models.CharField(_("currency of the value (ISO 4217)"), max_length=3)

    class Meta:
        ordering = ["country", "year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="refdata_rate_country_year"),
        ]
        indexes = [models.Index(fields=["currency", "year"], name="refdata_rate_currency_idx")]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.lcu_per_usd} {self.currency}/USD"


class PPPFactor(models.Model):
    """World Bank WDI PA.NUS.PPP: local currency units per international $ (GDP)."""

    country = models.CharField(_("economy (ISO 3166 alpha-3)"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    lcu_per_intl = models.DecimalField(_("units of currency per international $"), **RATE)
    currency = models.CharField(_("currency of the value (ISO 4217)"), max_length=3)

    class Meta:
        ordering = ["country", "year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="refdata_ppp_country_year"),
        ]
        indexes = [models.Index(fields=["year"], name="refdata_ppp_year_idx")]
        verbose_name = _("PPP conversion factor")
        verbose_name_plural = _("PPP conversion factors")

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.lcu_per_intl} {self.currency}/Int$"


class IncomeClass(models.Model):
    """World Bank historical income classification (OGHIST), by GNI data year."""

    country = models.CharField(_("economy (ISO 3166 alpha-3)"), max_length=3)
    year = models.PositiveSmallIntegerField(_("GNI data year"))
    group = models.CharField(_("income group"), max_length=2, choices=IncomeGroup.choices)

    class Meta:
        ordering = ["country", "year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="refdata_income_country_year"),
        ]
        indexes = [models.Index(fields=["year", "group"], name="refdata_income_year_idx")]
        verbose_name = _("income classification")
        verbose_name_plural = _("income classifications")

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {self.group}"


class SnapshotOrigin(models.TextChoices):
    PACKAGE = "package", _("the snapshot shipped in the package")
    FOLDER = "folder", _("files loaded with refdata load")


class Snapshot(models.Model):
    """One load of the reference data: the digest of the files read and what was loaded.

    The latest one is the data in use (services.get_rates()); its digest keys the per-process
    cache and is what a release cites. `migrate` loads the snapshot shipped in the package
    (packaged.py) unless the one in use was made later (`made_on`).
    """

    digest = models.CharField(_("SHA-256 of the source files"), max_length=64, unique=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    origin = models.CharField(_("origin"), max_length=8, choices=SnapshotOrigin.choices,
                              default=SnapshotOrigin.FOLDER)
    made_on = models.DateField(_("made on"), null=True, blank=True, help_text=_(
        "the date the packaged snapshot was made, or the day the files were loaded"))
    files = models.JSONField(_("source files"), default=dict)
    counts = models.JSONField(_("rows loaded"), default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"
        verbose_name = _("reference data snapshot")
        verbose_name_plural = _("reference data snapshots")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.loaded_at:%Y-%m-%d})"
