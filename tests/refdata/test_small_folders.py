"""Loading small hand-made folders: reloading in place, and the error cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from visiblework.refdata.loader import RefdataError, load_refdata
from visiblework.refdata.models import Country, ExchangeRate, Snapshot
from visiblework.refdata.services import get_rates

# --- Errors, on small hand-made folders --------------------------------------------------------

HEADER = "Country Name,Country Code,Year,Value\n"
CODES_HEADER = ("ISO3166-1-Alpha-2,ISO3166-1-Alpha-3,M49,official_name_en,"
                "ISO4217-currency_alphabetic_code\n")


def make_folder(folder: Path, *, fcrf: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "wdi_pa.nus.fcrf.csv").write_text(fcrf if fcrf is not None else (
        HEADER + "Kenya,KEN,2023,139.846383759617\nEuro area,EMU,2023,0.924839558470698\n"
        "Kenya,KEN,1999,70.3\n"))
    (folder / "wdi_pa.nus.ppp.csv").write_text(HEADER + "Kenya,KEN,2023,42.969527633291\n")
    (folder / "country-codes_datasets_test.csv").write_text(
        CODES_HEADER + "KE,KEN,404,Kenya,KES\nDE,DEU,276,Germany,EUR\n,,,Nowhere,\n")
    (folder / "country-codes_datasets_2020_with_developed.csv").write_text(
        "ISO3166-1-Alpha-3,Developed / Developing Countries,ISO4217-currency_alphabetic_code\n"
        "KEN,Developing,KES\nDEU,Developed,EUR\n")
    (folder / "wb_OGHIST_income_history_to2023.csv").write_text(
        ",,2022,2023\nKEN,Kenya,LM,LM\nDEU,Germany,H,H\n,\"Note: a footnote\",,\n")
    return folder


@pytest.mark.django_db
class TestSmallFolders:
    def test_a_small_folder_loads_and_reloads_in_place(self, tmp_path):
        folder = make_folder(tmp_path / "data")
        stats = load_refdata(folder, progress=False)
        assert stats.tables["exchange_rates"].total == 2  # 1999 is left out
        assert ExchangeRate.objects.count() == 2  # the packaged rows not in the folder are removed
        assert get_rates().source == "wdi" and get_rates().version == stats.digest
        assert get_rates().region_of("DE") == "global-north"
        make_folder(folder, fcrf=HEADER + "Kenya,KEN,2023,140\n")
        again = load_refdata(folder, progress=False)
        assert (again.tables["exchange_rates"].updated, again.tables["exchange_rates"].deleted) == (1, 1)
        assert again.digest != stats.digest
        assert ExchangeRate.objects.get(country="KEN", year=2023).lcu_per_usd == 140
        assert get_rates().lcu_per_usd("KES", 2023) == 140

    def test_the_command_loads_a_folder(self, tmp_path, capsys):
        call_command("refdata", "load", str(make_folder(tmp_path / "data")), "--no-progress")
        out = capsys.readouterr().out
        assert "Reference data loaded" in out and "exchange_rates: " in out
        assert ExchangeRate.objects.count() == 2

    def test_a_missing_folder_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="is not a folder"):
            call_command("refdata", "load", str(tmp_path / "nowhere"))

    def test_a_missing_file_is_a_clear_error(self, tmp_path):
        folder = make_folder(tmp_path / "data")
        (folder / "wdi_pa.nus.ppp.csv").unlink()
        with pytest.raises(CommandError, match=r"no file matching wdi_pa\.nus\.ppp"):
            call_command("refdata", "load", str(folder))

    @pytest.mark.parametrize(("content", "message"), [
        ("Country,Year,Value\nKenya,2023,1\n", "missing column"),
        (HEADER + "Kenya,KEN,twenty,1\n", "line 2: cannot read the year"),
        (HEADER + "Kenya,KEN,2023,lots\n", "line 2: cannot read the value"),
        (HEADER + "Kenya,KEN,2023,1\nKenya,KEN,2023,2\n", "appears twice"),
    ])
    def test_a_malformed_file_is_a_clear_error_and_nothing_is_written(self, tmp_path, content,
                                                                      message):
        folder = make_folder(tmp_path / "data", fcrf=content)
        before = (Country.objects.count(), ExchangeRate.objects.count(),
                  list(Snapshot.objects.values_list("digest", "loaded_at")))
        with pytest.raises(CommandError, match=message):
            call_command("refdata", "load", str(folder))
        assert (Country.objects.count(), ExchangeRate.objects.count(),
                list(Snapshot.objects.values_list("digest", "loaded_at"))) == before

    def test_the_loader_raises_its_own_error_for_code(self, tmp_path):
        with pytest.raises(RefdataError):
            load_refdata(tmp_path / "nowhere")
