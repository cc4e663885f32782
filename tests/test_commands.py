"""The smaller commands of the README: createeditor, loadseed, reindex, migrate."""

import pytest
from django.core.management import CommandError, call_command

from visiblework.accounts.models import User
from visiblework.cases.models import Case, SearchDocument


@pytest.mark.django_db
def test_createeditor_makes_a_staff_editor_and_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("VISIBLEWORK_PASSWORD", "a long editor passphrase")
    call_command("createeditor", "alice")
    alice = User.objects.get(username="alice")
    assert alice.is_staff and alice.is_editor and not alice.is_superuser
    assert alice.check_password("a long editor passphrase")
    monkeypatch.setenv("VISIBLEWORK_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("createeditor", "bob")
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_loadseed_and_reindex_rebuild_the_catalogue(vocabularies, capsys):
    call_command("loadseed")
    count = Case.published.count()
    assert count >= 15
    SearchDocument.objects.all().delete()
    call_command("reindex")
    assert SearchDocument.objects.count() == count
    assert "reindexed" in capsys.readouterr().out


@pytest.mark.django_db
def test_loadseed_reports_a_broken_file_clearly(vocabularies, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": [{"slug": "x", "title": "X", "summary": "s", '
                   '"justice_areas": ["no-such-term"]}]}')
    with pytest.raises(CommandError, match="unknown justice_area term"):
        call_command("loadseed", "--file", str(bad))
    assert not Case.objects.filter(slug="x").exists()


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
