"""The demo's releases and a transfer after pay (``wages.releases``), seeded after the pay runs.

The register released three workers (``brand.demo.register_content.RELEASES``), which opened
their settlements; the pay runs then paid their work. Here finance pays out the one released
first (Jebel Qantar, paid by August's and September's runs) by bank transfer, with its receipt;
the one released in Ain Zahra in September stays ready to pay out (the browser journey pays it);
the one released in Wadi Sahel in October waits for its final pay (October is not run there yet)
until ``brand.demo.sales_share`` posts Wadi Sahel's next run, which pays it: then it is ready too.
And one worker of Jebel Qantar's tailoring workshop, paid for August and September, is
transferred to Wadi Sahel on the demo's today: the audit log shows the balances carried."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from brand.demo import register_content as data
from brand.demo.register import reference_of
from wages.models import ReleaseSettlement
from wages.releases.payouts import release_payout
from wages.releases.unpaid import refresh_status
from workshops.models import Prison, Stay, Worker
from workshops.register.assignments import transfer_worker

DEMO_IBAN = "FR76 3000 6000 0112 3456 7890 189"  # a published example IBAN: valid, nobody's
PAID_OUT = ("jebel-qantar-tailoring", 8)
TRANSFERRED = ("jebel-qantar-tailoring", 3, "wadi-sahel")


def seed_releases() -> dict:
    finance = get_user_model().objects.get(username="finance")
    for settlement in ReleaseSettlement.objects.exclude(status=ReleaseSettlement.Status.PAID):
        refresh_status(settlement)
    paid = ReleaseSettlement.objects.filter(worker__reference=reference_of(*PAID_OUT)).first()
    if paid is not None and paid.status == ReleaseSettlement.Status.READY:
        release_payout(settlement=paid, method="transfer", iban=DEMO_IBAN, user=finance)
    workshop, number, prison = TRANSFERRED
    worker = Worker.objects.filter(reference=reference_of(workshop, number)).first()
    if (
        worker is not None
        and not Stay.objects.filter(worker=worker, start=data.DEMO_TODAY).exists()
    ):
        transfer_worker(
            worker=worker,
            to_prison=Prison.objects.get(slug=prison),
            on=data.DEMO_TODAY,
            user=get_user_model().objects.get(username="programme"),
        )
    return dict(
        ReleaseSettlement.objects.values_list("status").order_by("status").annotate(n=Count("pk"))
    )
