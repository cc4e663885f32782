"""Shared fixtures: the personas (anonymous, worker, representative, editor, admin) and a
small catalogue of known cases whose facet counts the tests can state exactly."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import translation

from visiblework.accounts.models import Role, User
from visiblework.accounts.services import create_editor
from visiblework.cases.indexing import deferred_indexing
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    ActorLink,
    Case,
    CaseActor,
    CaseCountry,
    CaseStatus,
    Source,
    Taxonomy,
    Term,
)
from visiblework.cases.vocabularies import install_built_in

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
NGINX = "nginx"
PASSWORD = "correct horse battery staple"


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost, for the tests' own users: the deployed settings' hasher costs
    about 0.1 s a password, which was a seventh of the suite's time. Passwords are still argon2
    hashes; tests/test_security.py checks the deployed hasher itself."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_report_header(config) -> str | None:
    if on_postgres():
        return ("database: PostgreSQL; the tests marked database_independent are left out "
                "(the run on SQLite answers them)")
    return None


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, leave out the tests marked `database_independent`: they use no test
    database (the demo, the benchmarks', the backups' and the crash tests' commands run on data
    folders and scratch PostgreSQL databases of their own, the privacy checks of the release
    engine on data frames), so the SQLite run has already given their answer."""
    if not on_postgres():
        return
    kept, left_out = split_database_independent(items)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def split_database_independent(items: list) -> tuple[list, list]:
    """(the other tests, the tests marked `database_independent`). A test so marked that asks
    for the database is a mistake, and stops the run."""
    kept, marked = [], []
    for item in items:
        if not item.get_closest_marker("database_independent"):
            kept.append(item)
            continue
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
                getattr(item, "fixturenames", ())):
            raise pytest.UsageError(f"{item.nodeid} is marked database_independent but uses "
                                    "the database")
        marked.append(item)
    return kept, marked


@pytest.fixture(autouse=True)
def _quick_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.conftest.QuickArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty per-process caches (core/versioned.py): no kept pages,
    facet index, remembered actor names or reference data from another test."""
    from visiblework.core.versioned import clear_all

    clear_all()
    yield
    clear_all()
    translation.activate(settings.LANGUAGE_CODE)  # a ?lang= request must not leak into the next test


# --- Personas ----------------------------------------------------------------------------------


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def anonymous_other() -> Client:
    """A second anonymous visitor, in another browser."""
    return Client()


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def worker_user(db) -> User:
    return User.objects.create_user("quiet-river-42", password=PASSWORD, role=Role.WORKER)


@pytest.fixture
def worker(worker_user) -> Client:
    return _login(worker_user)


@pytest.fixture
def representative_user(db) -> User:
    return User.objects.create_user("rep-acme", password=PASSWORD, role=Role.REPRESENTATIVE)


@pytest.fixture
def representative(representative_user) -> Client:
    return _login(representative_user)


@pytest.fixture
def editor_user(db) -> User:
    return create_editor("ed", PASSWORD)


@pytest.fixture
def editor(editor_user) -> Client:
    return _login(editor_user)


@pytest.fixture
def admin_user_persona(db) -> User:
    return create_editor("root", PASSWORD, admin=True)


@pytest.fixture
def admin(admin_user_persona) -> Client:
    return _login(admin_user_persona)


PERSONAS = ["anonymous", "worker", "representative", "editor", "admin"]


# --- A catalogue of known cases ----------------------------------------------------------------


@dataclass
class Catalogue:
    cases: dict[str, Case]
    actors: dict[str, Actor]


def _term(taxonomy: str, slug: str) -> Term:
    return Term.objects.get(taxonomy__key=taxonomy, slug=slug)


def make_case(slug: str, *, title: str, year: int | None, summary: str, body: str = "",
              terms: dict[str, list[str]] | None = None, countries: list[str] | None = None,
              actors: list[tuple[Actor, str]] | None = None, sources: list[dict] | None = None,
              status: str = CaseStatus.PUBLISHED) -> Case:
    with deferred_indexing():  # one reindex of the case, not one per part
        case = Case.objects.create(slug=slug, title=title, year=year, summary=summary, body=body,
                                   status=status)
        case.terms.set([_term(tax, s) for tax, slugs in (terms or {}).items() for s in slugs])
        for code in countries or []:
            CaseCountry.objects.create(case=case, code=code)
        for actor, role in actors or []:
            CaseActor.objects.create(case=case, actor=actor, role=role)
        for order, source in enumerate(sources or [], start=1):
            Source.objects.create(case=case, order=order, **source)
    return case


@pytest.fixture
def vocabularies(db):
    """The built-in taxonomies and terms. The migrations install them; a test that commits
    (`transaction=True`) empties every table when it ends, so after one they are installed
    again. Writing them over when they are there cost each test about 0.03 s (a save and its
    signals per term)."""
    if not Taxonomy.objects.exists():
        install_built_in(Taxonomy, Term)


@pytest.fixture
def catalogue(vocabularies) -> Catalogue:
    """Five published cases, one draft and one retracted, with known terms:

    | case        | year | justice areas        | region       | countries | actors            |
    | kenya       | 2023 | economic             | south        | KE, US    | openai(client), sama(vendor) |
    | madagascar  | 2023 | economic, human-rights | south      | MG        | sama(vendor)      |
    | drivers     | 2021 | economic             | north        | US        | amazon(deployer)  |
    | recruiting  | 2014 | economic, gender     | north        | US        | amazon(developer) |
    | midas       | 2013 | economic             | north        | US        | michigan(deployer)|
    | draft       | 2022 | economic             | south        | KE        | openai            |
    | retracted   | 2020 | economic             | south        | KE        | openai            |
    """
    # Searched and counted once, at the end, as an import does (each part written would
    # otherwise reindex its case: about forty reindexes a test).
    with deferred_indexing():
        openai = Actor.objects.create(slug="openai", name="OpenAI", kind="company", country="US")
        ActorAlias.objects.create(actor=openai, name="Open AI")
        sama = Actor.objects.create(slug="sama", name="Sama", kind="vendor", country="US")
        ActorLink.objects.create(source=sama, kind="vendor_of", target=openai)
        amazon = Actor.objects.create(slug="amazon", name="Amazon", kind="company", country="US")
        michigan = Actor.objects.create(slug="michigan-uia", name="Michigan Unemployment Insurance "
                                        "Agency", kind="government", country="US")
        south = {"justice_area": ["economic-justice"], "region": ["global-south"]}
        cases = {
            "kenya": make_case(
                "kenya", title="Kenyan workers labelled toxic text for under two dollars an hour",
                year=2023,
                summary="Data workers in Nairobi read and labelled graphic content for a chatbot.",
                body="Contractors in the **United States** earned about $15 an hour.",
                terms={**south, "impact": ["exploitation-of-workers", "psychological-harm"],
                       "layer": ["content-moderation", "annotation"]},
                countries=["KE", "US"], actors=[(openai, "client"), (sama, "vendor")],
                sources=[{"url": "https://time.com/6247678/", "title": "Exclusive: OpenAI Used "
                          "Kenyan Workers", "publisher": "TIME", "date": "2023-01-18"}]),
            "madagascar": make_case(
                "madagascar", title="Smart cameras watched by people in Madagascar", year=2023,
                summary="Workers in Antananarivo watch video feeds that clients believe an "
                        "algorithm watches.",
                terms={"justice_area": ["economic-justice", "human-rights"],
                       "region": ["global-south"], "layer": ["human-labour-presented-as-ai"]},
                countries=["MG"], actors=[(sama, "vendor")]),
            "drivers": make_case(
                "drivers", title="Delivery drivers do unpaid homework for the cameras that watch "
                "them", year=2021,
                summary="Drivers must complete off-the-clock training after camera alerts.",
                terms={"justice_area": ["economic-justice"], "region": ["global-north"],
                       "impact": ["surveillance", "wage-theft"],
                       "layer": ["surveillance-trained-work"]},
                countries=["US"], actors=[(amazon, "deployer")]),
            "recruiting": make_case(
                "recruiting", title="A recruiting tool that penalised women", year=2014,
                summary="A résumé-ranking model learned to downgrade the word women's.",
                terms={"justice_area": ["economic-justice", "gender-justice"],
                       "region": ["global-north"], "impact": ["discrimination"]},
                countries=["US"], actors=[(amazon, "developer")],
                sources=[{"url": "https://example.org/reuters", "title": "Amazon scraps secret AI "
                          "recruiting tool", "publisher": "Reuters", "date": "2018-10-10"}]),
            "midas": make_case(
                "midas", title="MiDAS falsely accused 40,000 people of fraud", year=2013,
                summary="An automated system flagged unemployment claimants without review.",
                terms={"justice_area": ["economic-justice"], "region": ["global-north"],
                       "impact": ["denial-of-services"]},
                countries=["US"], actors=[(michigan, "deployer")]),
            "draft": make_case(
                "draft", title="An unpublished draft about Kenya", year=2022,
                summary="Not yet reviewed.", terms=south, countries=["KE"],
                actors=[(openai, "client")], status=CaseStatus.DRAFT),
            "retracted": make_case(
                "retracted", title="A retracted case about Kenya", year=2020,
                summary="Withdrawn after review.", terms=south, countries=["KE"],
                actors=[(openai, "client")], status=CaseStatus.RETRACTED),
        }
    return Catalogue(cases, {"openai": openai, "sama": sama, "amazon": amazon,
                             "michigan-uia": michigan})


# --- Jobs --------------------------------------------------------------------------------------


def cases_read_by(monkeypatch, module, name: str = "case_rows") -> list[int]:
    """The case ids `module.<name>` (a reader of case rows) is asked for from now on."""
    read: list[int] = []
    real = getattr(module, name)

    def counted(case_ids, **kwargs):
        read.extend(case_ids)
        return real(case_ids, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return read


@pytest.fixture
def jobs_run_here(monkeypatch) -> list[list[str]]:
    """Jobs run in this process, at once, instead of in a process of their own (an in-memory
    test database cannot be shared with another process). Returns the arguments of each job
    started. Jobs start once their row is committed: wrap the request that starts one in
    `django_capture_on_commit_callbacks(execute=True)`."""
    from django.core.management import CommandError, call_command

    from visiblework.core import jobs

    started: list[list[str]] = []

    def launch(job, args: list[str]) -> None:
        started.append(args)
        # A failed job's process exits with an error; what went wrong is in the job.
        with contextlib.suppress(CommandError):
            call_command(*args, f"--job={job.pk}")

    monkeypatch.setattr(jobs, "launch", launch)
    return started


# --- Browser -----------------------------------------------------------------------------------


def chromium_or_fail():
    """Chromium's path; in CI its absence fails the test, elsewhere it skips it."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must `apt-get install -y chromium`")
    pytest.skip(f"{CHROMIUM} is not installed")


def nginx_or_fail() -> str:
    """nginx's path; in CI its absence fails the test, elsewhere it skips it."""
    found = shutil.which(NGINX) or shutil.which(NGINX, path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if IN_CI:
        pytest.fail("nginx is missing: .ci/run must `apt-get install -y nginx`")
    pytest.skip("nginx is not installed")
