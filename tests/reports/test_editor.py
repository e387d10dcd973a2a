"""The report editor: sections beside their facts, autosave with word count, the submit without JavaScript,
chosen quotes, the list page. The facts are a small stand-in (annual_facts is another engineer's), with the
member count read from the database so that changed data shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.models import AuditEntry
from fagnett.evaluations.models import (
    Answer,
    Evaluation,
    EvaluationForm,
    Question,
    QuestionKind,
    Response,
)
from fagnett.networks.models import LocalChapter, Membership, Network, Role
from fagnett.reports import services
from fagnett.reports.models import AnnualReport, Narrative, ReportStatus
from fagnett.reports.sections import SECTIONS
from tests.conftest import add_member, login
from tests.helpers import count_queries, nb
from tests.reports.sample_facts import sample_facts

YEAR = 2024
NOW = dt.datetime(2025, 3, 3, 14, 3, tzinfo=ZoneInfo("Europe/Oslo"))
HTMX = {"HX-Request": "true"}
MEMBER_BASE = 900


def fake_annual_facts(network: Network, year: int, *, quote_ids: Any = ()) -> dict[str, Any]:
    """The sample facts, with the member count taken from the stored memberships (900 + the number)."""
    facts = sample_facts()
    facts["year"] = year
    facts["as_of"] = f"{year}-12-31"
    facts["network"]["name"] = network.name
    facts["network"]["slug"] = network.slug
    facts["members"]["at_year_end"] = MEMBER_BASE + Membership.objects.filter(network=network).count()
    facts["evaluations"][0]["quotes"] = [
        text for text in Answer.objects.filter(pk__in=list(quote_ids)).values_list("text", flat=True)
    ]
    return facts


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fake_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fagnett.reports.content.annual_facts", fake_annual_facts)


def words(n: int) -> str:
    with translation.override("nb"):
        return translation.ngettext("%(n)s word", "%(n)s words", n) % {"n": n}


def edit_url(network: Network, year: int = YEAR) -> str:
    return reverse("reports:edit", args=[network.slug, year])


def narrative_url(network: Network, section: str, year: int = YEAR) -> str:
    return reverse("reports:narrative", args=[network.slug, year, section])


def draft(network: Network, year: int = YEAR) -> AnnualReport:
    return AnnualReport.objects.create(network=network, year=year)


def text_evaluation(
    network: Network, title: str, day: dt.date, answers: list[str], *, minimum: int = 1
) -> list[Answer]:
    activity = Activity.objects.create(
        network=network, kind=ActivityKind.STUDY_DAY, title=title, starts_on=day, ends_on=day
    )
    form = EvaluationForm.objects.create(
        network=network, title=f"Skjema {title}", min_responses_shown=minimum
    )
    question = Question.objects.create(form=form, text="Hva tar du med deg?", kind=QuestionKind.TEXT)
    evaluation = Evaluation.objects.create(
        form=form,
        activity=activity,
        opens_at=dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.UTC),
        closes_at=dt.datetime(day.year, day.month, day.day, 20, tzinfo=dt.UTC),
    )
    created = []
    for text in answers:
        response = Response.objects.create(evaluation=evaluation, submitted_on=day)
        created.append(Answer.objects.create(response=response, question=question, text=text))
    return created


# The editor page ----------------------------------------------------------------------------------------


def test_it_shows_every_section_in_the_template_order_with_its_prompt(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    page = login(client, alice).get(edit_url(network)).content.decode()
    positions = [page.index(f'id="fn-narrative-{section.key}"') for section in SECTIONS]
    assert positions == sorted(positions)
    chapter_position = page.index('id="fn-narrative-chapter--stavanger"')
    assert positions[-2] < chapter_position < positions[-1]  # after "chapters", before "collaboration"
    for section in SECTIONS:
        assert escape(nb(str(section.prompt))) in page


def test_it_shows_the_computed_facts_beside_the_narrative(
    client: Client, alice: User, network: Network
) -> None:
    page = login(client, alice).get(edit_url(network)).content.decode()
    members = MEMBER_BASE + Membership.objects.filter(network=network).count()
    activities = page.index('id="fn-narrative-activities"')
    assert str(members) in page[activities : page.index('id="fn-narrative-goals"')]


def test_the_editor_does_not_create_a_report_on_reading(
    client: Client, alice: User, network: Network
) -> None:
    assert login(client, alice).get(edit_url(network)).status_code == 200
    assert not AnnualReport.objects.exists()


def test_each_narrative_field_autosaves_through_htmx(client: Client, alice: User, network: Network) -> None:
    page = login(client, alice).get(edit_url(network)).content.decode()
    assert f'hx-post="{narrative_url(network, "purpose")}"' in page
    assert 'hx-trigger="input changed delay:1s, blur"' in page
    assert 'id="fn-narrative-purpose-status" role="status" aria-live="polite"' in page
    assert words(0) in page


def test_autosave_stores_the_text_and_answers_the_time_and_the_word_count(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    response = client.post(
        narrative_url(network, "purpose"),
        {"tekst-purpose": "Vi arbeider for barn og familier."},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert nb("Saved at %(time)s", time="14.03") in body
    assert f'<span id="fn-narrative-purpose-words" hx-swap-oob="true">{words(6)}</span>' in body
    report = AnnualReport.objects.get(network=network, year=YEAR)
    assert report.narratives.get(section="purpose").text == "Vi arbeider for barn og familier."
    page = client.get(edit_url(network)).content.decode()
    assert "Vi arbeider for barn og familier." in page
    assert words(6) in page


def test_autosave_of_a_chapter_section_uses_the_chapter_key(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    login(client, alice)
    response = client.post(
        narrative_url(network, "chapter:stavanger"), {"tekst-chapter--stavanger": "Et godt år."}, headers=HTMX
    )
    assert response.status_code == 200
    assert Narrative.objects.get(section="chapter:stavanger").text == "Et godt år."


def test_autosave_without_htmx_saves_and_goes_back_to_the_editor(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(narrative_url(network, "economy"), {"text": "Tilskudd."})
    assert response.status_code == 302
    assert response["Location"].startswith(edit_url(network))
    assert Narrative.objects.get(section="economy").text == "Tilskudd."


@pytest.mark.parametrize("section", ["finnes-ikke", "chapter:", "chapter:bergen", "chapter:stavanger"])
def test_autosave_of_an_unknown_section_is_404(
    client: Client, alice: User, network: Network, other_network: Network, section: str
) -> None:
    # "stavanger" is no chapter of this network here, and "bergen" is a chapter of another network only.
    LocalChapter.objects.create(network=other_network, name="Bergen", slug="bergen")
    response = login(client, alice).post(narrative_url(network, section), {"text": "x"}, headers=HTMX)
    assert response.status_code == 404
    assert not Narrative.objects.exists()


def test_autosave_answers_405_to_a_get(client: Client, alice: User, network: Network) -> None:
    assert login(client, alice).get(narrative_url(network, "purpose")).status_code == 405


def test_a_text_over_20000_characters_is_refused_with_a_clear_error(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(narrative_url(network, "purpose"), {"text": "Kort."}, headers=HTMX)
    response = client.post(narrative_url(network, "purpose"), {"text": "x" * 20_001}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert nb("Not saved: %(error)s", error="")[:5] in body
    assert "20 001" in body and "20 000" in body
    assert Narrative.objects.get(section="purpose").text == "Kort."


def test_an_unchanged_text_is_not_saved_or_logged_again(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(narrative_url(network, "purpose"), {"text": "Samme."}, headers=HTMX)
    client.post(narrative_url(network, "purpose"), {"text": "Samme."}, headers=HTMX)
    assert AuditEntry.objects.filter(action="reports.narrative").count() == 1


def test_the_audit_log_holds_the_section_key_and_never_the_text(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    secret = "Hemmelig formulering om Lise Hansen"
    client.post(narrative_url(network, "purpose"), {"text": secret}, headers=HTMX)
    client.post(edit_url(network), {"tekst-economy": secret})
    entries = AuditEntry.objects.filter(action="reports.narrative")
    assert {entry.data["section"] for entry in entries} == {"purpose", "economy"}
    for entry in AuditEntry.objects.all():
        assert "Hemmelig" not in f"{entry.fields} {entry.data} {entry.target_label}"


def test_the_save_button_saves_every_narrative_without_javascript(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    response = login(client, alice).post(
        edit_url(network),
        {"tekst-purpose": "Formål.", "tekst-economy": "Økonomi.", "tekst-chapter--stavanger": "Lokalt."},
    )
    assert response.status_code == 302
    texts = dict(Narrative.objects.values_list("section", "text"))
    assert texts == {"purpose": "Formål.", "economy": "Økonomi.", "chapter:stavanger": "Lokalt."}


def test_the_save_button_shows_a_too_long_text_as_an_error_at_its_field(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(
        edit_url(network), {"tekst-purpose": "x" * 20_001, "tekst-economy": "Økonomi."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ds-error-summary" in page
    assert 'href="#id_tekst-purpose"' in page
    assert not Narrative.objects.exists()


def test_a_published_report_is_read_only_in_the_editor_with_a_reopen_button(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    client.post(narrative_url(network, "purpose"), {"text": "Publisert tekst."}, headers=HTMX)
    client.post(reverse("reports:publish", args=[network.slug, YEAR]))
    page = client.get(edit_url(network)).content.decode()
    assert "<textarea" not in page
    assert "Publisert tekst." in page
    assert reverse("reports:reopen", args=[network.slug, YEAR]) in page
    assert nb("Reopen") in page
    response = client.post(narrative_url(network, "purpose"), {"text": "Endret."}, headers=HTMX)
    assert nb("Not saved: %(error)s", error="")[:5] in response.content.decode()
    response = client.post(edit_url(network), {"tekst-purpose": "Endret."})
    assert response.status_code == 302
    assert Narrative.objects.get(section="purpose").text == "Publisert tekst."


# Chosen quotes ------------------------------------------------------------------------------------------


def test_the_years_free_text_answers_are_offered_as_quotes_with_the_activity_not_the_respondent(
    client: Client, alice: User, network: Network
) -> None:
    text_evaluation(network, "Fagdag om smerte", dt.date(YEAR, 10, 17), ["Svært lærerikt.", "Godt."])
    page = login(client, alice).get(edit_url(network)).content.decode()
    assert "Svært lærerikt." in page and "Fagdag om smerte" in page and "17.10.2024" in page
    study_days = page.index('id="fn-narrative-study_days"')
    assert study_days < page.index('name="sitater"') < page.index('id="fn-narrative-themes"')


def test_quotes_of_suppressed_evaluations_other_years_and_other_networks_are_not_offered(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    text_evaluation(network, "For få svar", dt.date(YEAR, 5, 2), ["Bare én."], minimum=3)
    text_evaluation(network, "I fjor", dt.date(YEAR - 1, 5, 2), ["Fra i fjor."])
    text_evaluation(other_network, "Annet nettverk", dt.date(YEAR, 5, 2), ["Fra Bergen."])
    page = login(client, alice).get(edit_url(network)).content.decode()
    assert "Bare én." not in page and "Fra i fjor." not in page and "Fra Bergen." not in page
    assert 'name="sitater"' not in page


def test_chosen_quotes_are_saved_and_quoted_in_the_report(
    client: Client, alice: User, network: Network
) -> None:
    ours = text_evaluation(network, "Fagdag", dt.date(YEAR, 10, 17), ["Lærerikt.", "Nyttig."])
    response = login(client, alice).post(edit_url(network), {"sitater": [ours[1].pk]})
    assert response.status_code == 302
    report = AnnualReport.objects.get(network=network, year=YEAR)
    assert report.chosen_quotes == [ours[1].pk]
    assert AuditEntry.objects.filter(action="reports.quotes").exists()
    page = client.get(reverse("reports:report", args=[network.slug, YEAR])).content.decode()
    assert "Nyttig." in page
    assert "Lærerikt." not in page


def test_only_the_networks_quotable_answers_of_the_year_can_be_chosen(
    alice: User, network: Network, other_network: Network
) -> None:
    ours = text_evaluation(network, "Fagdag", dt.date(YEAR, 10, 17), ["Lærerikt.", "Nyttig."])
    old = text_evaluation(network, "I fjor", dt.date(YEAR - 1, 5, 2), ["Fra i fjor."])
    few = text_evaluation(network, "For få", dt.date(YEAR, 5, 2), ["Alene."], minimum=3)
    theirs = text_evaluation(other_network, "Annet", dt.date(YEAR, 5, 2), ["Fra Bergen."])
    report = draft(network)
    chosen = services.choose_quotes(
        report, [ours[1].pk, old[0].pk, few[0].pk, theirs[0].pk, 999_999], actor=alice
    )
    assert chosen == [ours[1].pk]
    report.refresh_from_db()
    assert report.chosen_quotes == [ours[1].pk]


def test_a_forged_quote_id_in_the_editor_form_is_refused(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    text_evaluation(network, "Fagdag", dt.date(YEAR, 10, 17), ["Lærerikt."])
    theirs = text_evaluation(other_network, "Annet", dt.date(YEAR, 5, 2), ["Fra Bergen."])
    response = login(client, alice).post(edit_url(network), {"sitater": [theirs[0].pk]})
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert not AnnualReport.objects.exists()


# The list page ------------------------------------------------------------------------------------------


def test_the_list_shows_every_year_from_the_first_membership_with_its_status(
    client: Client, alice: User, network: Network
) -> None:
    AnnualReport.objects.create(
        network=network,
        year=2022,
        status=ReportStatus.PUBLISHED,
        public=True,
        published_at=dt.datetime(2023, 2, 1, 10, tzinfo=dt.UTC),
        snapshot={"facts": fake_annual_facts(network, 2022), "narratives": {}},
    )
    draft(network, 2024)
    page = login(client, alice).get(reverse("reports:list", args=[network.slug])).content.decode()
    for year in range(2020, 2026):  # alice's membership starts in 2020; today is 2025
        assert f'<th scope="row">{year}</th>' in page
    assert '<th scope="row">2019</th>' not in page
    assert nb("Published %(date)s", date="01.02.2023") in page
    assert nb("Make a draft for %(year)s", year="2025") in page
    assert nb("Open the draft for %(year)s", year="2024") in page
    assert edit_url(network, 2023) in page


def test_readers_see_only_published_reports_in_the_list(
    client: Client, rolf: User, alice: User, network: Network
) -> None:
    draft(network, 2024)
    page = login(client, rolf).get(reverse("reports:list", args=[network.slug])).content.decode()
    assert '<th scope="row">2024</th>' not in page
    assert nb("No annual reports have been published yet.") in page
    assert "rediger" not in page


def test_the_list_page_runs_a_fixed_number_of_queries(client: Client, alice: User, network: Network) -> None:
    url = reverse("reports:list", args=[network.slug])
    login(client, alice)
    client.get(url)
    before = count_queries(lambda: client.get(url))
    for index in range(5):
        add_member(network, None, f"p{index}@example.no", Role.RESOURCE_PERSON, dt.date(2015 + index, 1, 1))
        draft(network, 2016 + index)
        Activity.objects.create(
            network=network,
            kind=ActivityKind.GATHERING,
            title=f"Samling {index}",
            starts_on=dt.date(2014, 1, 1 + index),
            ends_on=dt.date(2014, 1, 1 + index),
        )
    assert count_queries(lambda: client.get(url)) == before
    assert '<th scope="row">2014</th>' in client.get(url).content.decode()
