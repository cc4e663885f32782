"""A small, hand-typed table of rates so the demo works before any reference data is loaded.

services.get_rates() uses it only while the reference tables are empty (no snapshot loaded).
Run `visiblework refdata load DIR` for the full data.

Where the numbers come from - typed by hand from these files, values unchanged:
- exchange rates: World Bank, World Development Indicators, PA.NUS.FCRF "Official exchange
  rate (LCU per US$, period average)", file wdi_pa.nus.fcrf.csv (as published by the
  datasets/world-development-indicators repository). Licence: CC BY 4.0.
- PPP factors: World Bank, World Development Indicators, PA.NUS.PPP "PPP conversion factor,
  GDP (LCU per international $)", file wdi_pa.nus.ppp.csv (same repository). CC BY 4.0.
- regions: UNSD M49 "Developed / Developing Countries" (2020, the last version that has it),
  file country-codes_datasets_2020_with_developed.csv from datasets/country-codes. PDDL.

Years 2019-2025, where they exist. Gaps are kept, not filled: Venezuela has no exchange rate
after 2017 (its last value, 2017 in bolívares fuertes, is kept to show the redenomination)
and no PPP factor after 2011, Syria no rate after 2022; Germany's exchange rate is the euro
area's (EMU).
"""

from __future__ import annotations

from decimal import Decimal

from visiblework.refdata.regions import NORTH, SOUTH

YEARS = range(2019, 2026)

# iso2: (iso3, name, current currency, region)
COUNTRIES: dict[str, tuple[str, str, str, str]] = {
    "US": ("USA", "United States of America", "USD", NORTH),
    "DE": ("DEU", "Germany", "EUR", NORTH),
    "GB": ("GBR", "United Kingdom", "GBP", NORTH),
    "BR": ("BRA", "Brazil", "BRL", SOUTH),
    "IN": ("IND", "India", "INR", SOUTH),
    "KE": ("KEN", "Kenya", "KES", SOUTH),
    "MG": ("MDG", "Madagascar", "MGA", SOUTH),
    "NG": ("NGA", "Nigeria", "NGN", SOUTH),
    "PH": ("PHL", "Philippines", "PHP", SOUTH),
    "SY": ("SYR", "Syrian Arab Republic", "SYP", SOUTH),
    "VE": ("VEN", "Venezuela", "VED", SOUTH),
}

# PA.NUS.FCRF, local currency units per US$: economy -> (currency of the values, {year: value})
EXCHANGE_RATES: dict[str, tuple[str, dict[int, str]]] = {
    "USA": ("USD", {2019: "1", 2020: "1", 2021: "1", 2022: "1", 2023: "1", 2024: "1", 2025: "1"}),
    "EMU": ("EUR", {
        2019: "0.893276257067409", 2020: "0.875506396987998", 2021: "0.84549413889045",
        2022: "0.949623753156941", 2023: "0.924839558470698", 2024: "0.923889546117607",
        2025: "0.88496895841236"}),
    "GBR": ("GBP", {
        2019: "0.783445110011929", 2020: "0.779999576697153", 2021: "0.727064944688323",
        2022: "0.811301715827773", 2023: "0.804538906734353", 2024: "0.782414580986262",
        2025: "0.759473957338608"}),
    "BRA": ("BRL", {
        2019: "3.9444710972507", 2020: "5.15517878751281", 2021: "5.39440078962503",
        2022: "5.16397029102111", 2023: "4.99437976287199", 2024: "5.3889349057096",
        2025: "5.58728623856661"}),
    "IND": ("INR", {
        2019: "70.4203405359551", 2020: "74.0995668836052", 2021: "73.9180128154351",
        2022: "78.6044905829916", 2023: "82.5992764460784", 2024: "83.669281580941",
        2025: "87.1584483507393"}),
    "KEN": ("KES", {
        2019: "101.99129838935", 2020: "106.450780158517", 2021: "109.637746592367",
        2022: "117.865989201682", 2023: "139.846383759617", 2024: "134.822483279332",
        2025: "129.302572099377"}),
    "MDG": ("MGA", {
        2019: "3618.32185816072", 2020: "3787.75405817574", 2021: "3829.97784932976",
        2022: "4096.11618374535", 2023: "4429.57921419022", 2024: "4525.42472099152",
        2025: "4529.75125196405"}),
    "NGA": ("NGN", {
        2019: "306.920951495222", 2020: "358.810797258297", 2021: "401.152029220779",
        2022: "425.979158066857", 2023: "645.194067883201", 2024: "1478.96519740023",
        2025: "1518.38094813368"}),
    "PHL": ("PHP", {
        2019: "51.7957826517332", 2020: "49.6240960026328", 2021: "49.2545977288412",
        2022: "54.477785837205", 2023: "55.630363223193", 2024: "57.2906550699734",
        2025: "57.5050971489715"}),
    # Syria: the series stops in 2022.
    "SYR": ("SYP", {2019: "436.5", 2020: "877.945250896057", 2021: "1256",
                    2022: "2505.74691085873"}),
    # Venezuela: the series stops in 2017 and is in bolívares fuertes (VEF): no VES or VED
    # rate exists for 2019-2025.
    "VEN": ("VEF", {2017: "9.975"}),
}

# PA.NUS.PPP, local currency units per international $: economy -> (currency, {year: value})
PPP_FACTORS: dict[str, tuple[str, dict[int, str]]] = {
    "USA": ("USD", {2019: "1", 2020: "1", 2021: "1", 2022: "1", 2023: "1", 2024: "1", 2025: "1"}),
    "DEU": ("EUR", {2019: "0.717745", 2020: "0.706836", 2021: "0.706697", 2022: "0.688423",
                    2023: "0.701054", 2024: "0.700862", 2025: "0.709983"}),
    "GBR": ("GBP", {2019: "0.669665", 2020: "0.653446", 2021: "0.668934", 2022: "0.633175",
                    2023: "0.660709", 2024: "0.664153", 2025: "0.677133"}),
    "BRA": ("BRL", {
        2019: "2.21644520759583", 2020: "2.26491117477417", 2021: "2.37927412986755",
        2022: "2.41165555900142", 2023: "2.44559278607045", 2024: "2.48371015372826",
        2025: "2.55440835439356"}),
    "IND": ("INR", {
        2019: "20.2395000457764", 2020: "20.3193664550781", 2021: "20.7278957366943",
        2022: "20.4927049140107", 2023: "20.4553387219722", 2024: "20.4522424138694",
        2025: "20.0886288014602"}),
    "KEN": ("KES", {
        2019: "42.6559524536133", 2020: "42.8165397644043", 2021: "42.3316535949707",
        2022: "42.2702192058264", 2023: "42.969527633291", 2024: "43.2560168752789",
        2025: "43.5471478663385"}),
    "MDG": ("MGA", {
        2019: "1121.69445800781", 2020: "1145.66564941406", 2021: "1173.85522460938",
        2022: "1202.91523559392", 2023: "1257.99067013858", 2024: "1318.76161308914",
        2025: "1390.29172218468"}),
    "NGA": ("NGN", {
        2019: "129.647445678711", 2020: "134.639099121094", 2021: "146.717681884766",
        2022: "147.997232013642", 2023: "158.178769064314", 2024: "176.079684596458",
        2025: "195.022548515709"}),
    "PHL": ("PHP", {
        2019: "19.7382965087891", 2020: "19.4414348602295", 2021: "19.37526512146",
        2022: "19.0815308222484", 2023: "19.2473611347953", 2024: "19.3265525181874",
        2025: "19.069580238078"}),
    "SYR": ("SYP", {2019: "163.027435302734", 2020: "237.009140014648",
                    2021: "417.322418212891", 2022: "807.95702765744"}),
    # Venezuela: the series stops in 2011, so nothing for 2019-2025.
}


def countries() -> list[tuple[str, str, str, str, str]]:
    """(iso2, iso3, name, currency, region) of each country of the table."""
    return [(iso2, iso3, name, currency, region)
            for iso2, (iso3, name, currency, region) in COUNTRIES.items()]


def _rows(table: dict[str, tuple[str, dict[int, str]]]) -> list[tuple[str, int, Decimal, str]]:
    return [(iso3, year, Decimal(value), currency)
            for iso3, (currency, values) in table.items() for year, value in values.items()]


def fcrf_rows() -> list[tuple[str, int, Decimal, str]]:
    return _rows(EXCHANGE_RATES)


def ppp_rows() -> list[tuple[str, int, Decimal, str]]:
    return _rows(PPP_FACTORS)
