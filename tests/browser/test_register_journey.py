"""A programme manager keeps the register in a real browser: adds a worker, records their stay,
assigns them to a workshop, records their consent to partner work and then its withdrawal."""

import datetime

import pytest
from playwright.sync_api import expect

from brand.demo.seed import DEMO_PASSWORD
from core.testing.browser import admin_login
from workshops.models import Assignment, Consent, Partner, Stay, Worker, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, field, search):
    """Pick a record in a Wagtail chooser dialog, as a person does. The button is found by its
    field, not its text: Wagtail words it once per process, in whatever language is active then."""
    page.locator(
        f"xpath=//input[@id='id_{field}']/preceding-sibling::div[1]//div[@class='unchosen']/button"
    ).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox").first.fill(search)
    dialog.get_by_role("link", name=search).first.click()
    expect(dialog).to_be_hidden()


def fill_date(page, name, value):
    """Type a date as a keyboard user does and leave the field with Tab, which closes its date
    picker. The picker opens 100 ms after the field takes focus: Tab is pressed only once it
    shows, or under load it opens after the field was left and stays over the form, taking the
    click on Save."""
    field = page.get_by_role("textbox", name=name)
    field.fill(value)
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    try:
        expect(pickers).to_have_count(1)
    except AssertionError:  # under load the focus event can pass before the picker is bound
        field.click()
        expect(pickers).to_have_count(1, timeout=10_000)
    field.press("Tab")
    expect(pickers).to_have_count(0)


def save(page):
    """Save once no date picker shows (under load one can still be fading out and swallow the
    click), and wait for the page the form leads to before looking for its message: under CI
    load a save can take longer than the usual five seconds."""
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    with page.expect_navigation(timeout=20_000):
        page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages .success")).to_be_visible(timeout=20_000)


def test_programme_manager_adds_assigns_and_records_and_withdraws_consent(page, demo):
    workshop = Workshop.objects.filter(contracts__isnull=False).select_related("prison").first()
    partner = Partner.objects.get(contracts__workshop=workshop)
    admin_login(page, demo, "programme", DEMO_PASSWORD)

    page.goto(demo + "/admin/workshops/worker/new/")
    page.get_by_role("textbox", name="Reference").fill("W-JRNY01")
    page.get_by_role("textbox", name="Legal name").fill("Journey Person")
    page.get_by_role("textbox", name="Prison number").fill("PN-JRNY-01")
    page.get_by_role("combobox", name="Sex").select_option("female")
    save(page)

    page.goto(demo + "/admin/workshops/stay/new/")
    choose(page, "worker", "W-JRNY01")
    choose(page, "prison", workshop.prison.name)
    fill_date(page, "From", "2026-10-01")
    save(page)

    page.goto(demo + "/admin/workshops/assignment/new/")
    choose(page, "worker", "W-JRNY01")
    choose(page, "workshop", workshop.name)
    fill_date(page, "From", "2026-10-05")
    save(page)

    page.goto(demo + "/admin/workshops/consent/new/")
    choose(page, "worker", "W-JRNY01")
    page.get_by_role("combobox", name="Kind").select_option("work")
    choose(page, "partner", partner.name)
    fill_date(page, "Signed on", "2026-10-03")
    save(page)

    consent = Consent.objects.get(worker__reference="W-JRNY01")
    page.goto(demo + f"/admin/workshops/consent/edit/{consent.pk}/")
    fill_date(page, "Withdrawn on", "2026-11-01")
    save(page)

    worker = Worker.objects.get(reference="W-JRNY01")
    assert (worker.legal_name, worker.prison_number) == ("Journey Person", "PN-JRNY-01")
    assert list(Stay.objects.filter(worker=worker).values_list("prison", "start")) == [
        (workshop.prison.pk, datetime.date(2026, 10, 1))
    ]
    assert Assignment.objects.get(worker=worker).workshop == workshop
    consent.refresh_from_db()
    assert (consent.partner, str(consent.withdrawn_on)) == (partner, "2026-11-01")
