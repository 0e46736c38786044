"""The back-office screens of release settlements (``wages.releases.views``): finance sees what is
unpaid, pays out and downloads the receipt; auditors read and cannot pay."""

import pytest

from tests.brand.builders import build_home
from tests.wages.payrun_builders import D, build_finance_officer, record
from tests.wages.payrun_screens import shown, signed_in
from tests.wages.release_builders import build_released, ledger_state

pytestmark = pytest.mark.django_db
RELEASES = "/admin/wages/releasesettlement/"


@pytest.fixture(autouse=True)
def home():
    return build_home()


def test_finance_pays_out_from_the_settlements_page_and_downloads_the_receipt(client, pay_world):
    settlement = build_released(pay_world)
    signed_in(client, pay_world.approver)

    listing = client.get(RELEASES)
    page = client.get(f"{RELEASES}inspect/{settlement.pk}/")
    paid = client.post(
        f"{RELEASES}{settlement.pk}/pay-out/",
        {"method": "transfer", "iban": "DE89 3704 0044 0532 0130 00"},
        follow=True,
    )
    receipt = client.get(f"{RELEASES}{settlement.pk}/receipt/")

    assert "W-000000" in listing.text and "Ready to pay out" in listing.text
    assert "€21.85" in page.text and 'action="/admin/wages/releasesettlement/' in page.text
    assert shown(paid) == ["W-000000 was paid out €21.85; download the receipt below."]
    assert "Download the receipt (PDF)" in paid.text
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")


def test_the_page_says_what_is_unpaid_and_offers_no_payout(client, pay_world):
    settlement = build_released(pay_world)
    record(pay_world, pay_world.workers[0], pay_world.tailoring, D(2026, 11, 6), "3")
    signed_in(client, pay_world.approver)

    page = client.get(f"{RELEASES}inspect/{settlement.pk}/")

    assert "Waiting for final pay" in page.text
    assert "North Prison: 1 production records, 0 training sessions, 0 adjustments" in page.text
    assert "create the prison's next pay run</a>, ending on Nov 8, 2026" in page.text
    assert "/pay-out/" not in page.text


def test_a_refused_payout_comes_back_in_words_and_changes_nothing(client, pay_world):
    settlement = build_released(pay_world)
    signed_in(client, pay_world.approver)
    before = ledger_state(pay_world.workers[0])

    response = client.post(
        f"{RELEASES}{settlement.pk}/pay-out/", {"method": "transfer", "iban": "XX00"}, follow=True
    )

    assert [m.split(" (")[0] for m in shown(response)] == ["XX00 is not a valid IBAN"]
    assert ledger_state(pay_world.workers[0]) == before


def test_auditors_read_and_cannot_pay_out(client, pay_world):
    settlement = build_released(pay_world)
    auditor = build_finance_officer("auditor-1", role="auditor")
    signed_in(client, auditor)
    before = ledger_state(pay_world.workers[0])

    page = client.get(f"{RELEASES}inspect/{settlement.pk}/")
    refused = client.post(f"{RELEASES}{settlement.pk}/pay-out/", {"method": "cash"})

    assert page.status_code == 200 and "€21.85" in page.text and "/pay-out/" not in page.text
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert ledger_state(pay_world.workers[0]) == before
