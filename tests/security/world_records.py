"""The records the permission matrix is walked over, kept by ``tests.security.world``'s
``build_world``: a worker's register (stays, consents, contracts, fitness, safety), another
workshop, production and its pay run, the ledger, the inventory and training."""

from workshops.models import (
    SKU,
    DeductionCategory,
    FitnessClearance,
    Prison,
    ProductionRecord,
    Region,
    Stay,
    Trade,
    Worker,
    WorkingTimePolicy,
    Workshop,
    WorkshopSupervisor,
)
from workshops.register.assignments import assign_worker
from workshops.register.consents import record_consent
from workshops.register.contracts import create_contract


def build_register(users) -> dict:
    """One of everything in the register, in workshops supervised by different people."""
    import datetime
    from decimal import Decimal

    from djmoney.money import Money

    day = datetime.date(2026, 1, 1)
    region = Region.objects.create(name="North", slug="north")
    prison = Prison.objects.create(
        name="North Prison", slug="north-prison", region=region, population="mixed"
    )
    trade = Trade.objects.get(slug="pottery")
    workshops = [
        Workshop.objects.create(
            name=f"Workshop {n}",
            slug=f"workshop-{n}",
            public_name=f"Studio {n}",
            prison=prison,
            trade=trade,
            kind=Workshop.Kind.PARTNER,
        )
        for n in (1, 2)
    ]
    supervision = WorkshopSupervisor.objects.create(
        workshop=workshops[0], user=users["supervisor"], start=day
    )
    WorkshopSupervisor.objects.create(
        workshop=workshops[1], user=users["supervisor_other"], start=day
    )
    worker = Worker.objects.create(
        reference="W-TEST01",
        legal_name="Secret Legalname 4471",
        prison_number="SECRET-PN-4471",
        sex="female",
    )
    stay = Stay.objects.create(worker=worker, prison=prison, start=day)
    clearance = FitnessClearance.objects.create(worker=worker, cleared_on=day)
    from workshops.models import Partner

    partner = Partner.objects.create(name="Acme", slug="acme", legal_name="Acme Ltd")
    contract = create_contract(
        workshop=workshops[0],
        partner=partner,
        reference="C-1",
        hourly_rate=Money(Decimal("6.5"), "EUR"),
        labour_charge_per_hour=Money(Decimal("9"), "EUR"),
        awarded_on=day,
        start=day,
    )
    assignment = assign_worker(worker=worker, workshop=workshops[0], start=day)
    category = DeductionCategory.objects.create(code="family", name="Family")
    consent = record_consent(worker=worker, kind="work", signed_on=day, partner_slug="acme")
    policy = WorkingTimePolicy.objects.create(
        effective_from=day, max_hours_per_day=Decimal(8), max_hours_per_week=Decimal(40)
    )
    sku = SKU.objects.create(code="POT-001", name="Bowl", workshop=workshops[0])
    return {
        "region": region.pk,
        "prison": prison.pk,
        "workshop": workshops[0].pk,
        "supervision": supervision.pk,
        "worker": worker.pk,
        "stay": stay.pk,
        "clearance": clearance.pk,
        "partner": partner.pk,
        "contract": contract.pk,
        "assignment": assignment.pk,
        "category": category.pk,
        "consent": consent.pk,
        "policy": policy.pk,
        "sku": sku.pk,
        **build_production(users, workshops[0], worker, sku),
        **build_other_workshop(users, workshops[1], prison),
    }


def build_other_workshop(users, workshop, prison) -> dict:
    """A day of production in the second workshop, corrected by its own supervisor: what
    supervisor_other reads in the audit log, and supervisor must not."""
    import datetime
    from decimal import Decimal

    from workshops.production import correct_production

    day = datetime.date(2026, 2, 3)
    worker = Worker.objects.create(
        reference="W-OTHER02", legal_name="Other Legalname", prison_number="PN-OTHER02"
    )
    Stay.objects.create(worker=worker, prison=prison, start=day)
    FitnessClearance.objects.create(worker=worker, cleared_on=day)
    assign_worker(worker=worker, workshop=workshop, start=day)
    record = ProductionRecord.objects.create(
        worker=worker,
        workshop=workshop,
        day=day,
        sku=SKU.objects.create(code="POT-002", name="Plate", workshop=workshop),
        hours=Decimal(5),
        supervisor=users["supervisor_other"],
    )
    correct_production(
        record=record,
        hours=Decimal(4),
        pieces=0,
        rejects=0,
        supervisor_note="",
        user=users["supervisor_other"],
    )
    return {"record_other": record.pk}


def build_production(users, workshop, worker, sku) -> dict:
    """A day of production in the first workshop, imported, locked by a pay run and adjusted,
    and a safety incident there."""
    import datetime
    from decimal import Decimal

    from workshops.models import ProductionRecord, SafetyIncident
    from workshops.production import adjust_production, import_production, lock_production

    day = datetime.date(2026, 2, 2)
    header = (
        "date,worker,workshop,product_sku,hours,pieces,rejects,supervisor,supervisor_note,legacy"
    )
    row = f"{day},{worker.reference},{workshop.slug},{sku.code},7,30,1,supervisor,,"
    source = import_production(f"{header}\n{row}\n".encode(), file_name="day.csv").source
    record = ProductionRecord.objects.get()
    lock = lock_production(ProductionRecord.objects.all(), "PR-TEST")
    adjustment = adjust_production(
        record=record, hours=Decimal(6), pieces=28, rejects=1, reason="Recount", user=users["admin"]
    )
    incident = SafetyIncident.objects.create(
        workshop=workshop,
        occurred_on=day,
        severity=SafetyIncident.Severity.FIRST_AID,
        worker=worker,
        description="Secret incident 6613",
    )
    training = build_training(users, workshop, worker, day)
    return {
        **training,
        **build_inventory(users, workshop, sku, day),
        **build_ledger(users, day),
        **build_worker_accounts(worker),
        "record": record.pk,
        "production_import": source.pk,
        "lock": lock.pk,
        "adjustment": adjustment.pk,
        "incident": incident.pk,
        "day": day.isoformat(),
    }


def build_pay_run_line(payrun: int):
    """One line of the pay run, for the other workshop's worker (whom nothing deletes here)."""
    from decimal import Decimal

    from wages.models import PayRunLine

    return PayRunLine.objects.create(
        run_id=payrun,
        worker=Worker.objects.get(reference="W-OTHER02"),
        hours=Decimal(4),
        gross=Decimal("8.00"),
        own_spending=Decimal("8.00"),
        payers={"own": "8.00"},
    )


def build_worker_accounts(worker) -> dict:
    """The worker's own-spending account, with nothing posted: its statement is empty."""
    from wages.models import Account

    Account.objects.create(
        code=f"worker:{worker.reference}:own-spending",
        name="Own spending",
        kind="liability",
        currency="EUR",
        worker=worker,
        purpose="own-spending",
    )
    return {}


def build_releases(users) -> dict:
    """Two released workers of North Prison: one ready to pay out, one paid out (with its
    receipt); both released through the register's operation, which opens their settlements."""
    import datetime

    from wages.models import ReleaseSettlement
    from wages.releases.payouts import release_payout
    from workshops.register.assignments import release_worker

    day, released_on = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    prison = Prison.objects.get(slug="north-prison")
    settlements = {}
    for name, reference in (("releasesettlement", "W-READY03"), ("paidsettlement", "W-PAID04")):
        worker = Worker.objects.create(
            reference=reference, legal_name=f"Legal {reference}", prison_number=f"PN-{reference}"
        )
        Stay.objects.create(worker=worker, prison=prison, start=day)
        release_worker(worker=worker, on=released_on, user=users["programme"])
        settlements[name] = ReleaseSettlement.objects.get(worker=worker)
    release_payout(settlement=settlements["paidsettlement"], method="cash", user=users["finance"])
    return {name: settlement.pk for name, settlement in settlements.items()}


def build_ledger(users, day) -> dict:
    """Two accounts, a journal in a closed chain, a closed period and a verification."""
    import datetime
    from decimal import Decimal

    from djmoney.money import Money

    from wages.ledger import close_chain, close_period, open_chain, post_journal
    from wages.models import (
        Account,
        BackWagesReceipt,
        LabourInvoice,
        LedgerVerification,
        MarketWageBenchmark,
        PayPolicy,
        PayRate,
        PayRun,
    )
    from workshops.models import Partner

    bank = Account.objects.create(code="bank", name="Bank", kind="asset", currency="EUR")
    wages = Account.objects.create(code="wages", name="Wages", kind="expense", currency="EUR")
    chain = open_chain("run-1")
    journal = post_journal(
        key="j-1",
        on=day,
        lines=[(wages, Decimal("70.00")), (bank, Decimal("-70.00"))],
        memo="Pay",
        chain=chain,
    )
    checkpoint = close_chain(chain)
    closed = close_period(day, user=users["finance"])
    verification = LedgerVerification.objects.create(
        run_by=users["auditor"], journals=1, checkpoints=1, problems=[], seconds=Decimal("0.01")
    )
    policy = PayPolicy.objects.create(
        effective_from=day,
        minimum_wage=Money("5.00", "EUR"),
        floor_share=Decimal(45),
        training_rate=Money("1.00", "EUR"),
        sales_share=Decimal(10),
    )
    rate = PayRate.objects.create(
        trade=Trade.objects.get(slug="pottery"), hourly=Money("2.50", "EUR"), effective_from=day
    )
    payrun = PayRun.objects.create(
        reference="PR-world",
        prison=Prison.objects.first(),
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        currency="EUR",
        created_by=users["finance"],
    )
    receipt = BackWagesReceipt.objects.create(
        key="world-receipt",
        payer="own",
        amount=Decimal("40.00"),
        currency="EUR",
        received_on=day,
        source="Budget release BR-1",
        recorded_by=users["finance"],
    )
    benchmark = MarketWageBenchmark.objects.create(
        trade=Trade.objects.get(slug="pottery"),
        region=Region.objects.first(),
        hourly=Money("7.00", "EUR"),
        source="National statistics office, wage survey",
        observed_on=day,
    )
    invoice = LabourInvoice.objects.create(
        number="LI-2026-000009",
        year=2026,
        sequence=9,
        partner=Partner.objects.get(slug="acme"),
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
        issued_on=datetime.date(2026, 4, 2),
        due_on=datetime.date(2026, 5, 2),
        currency="EUR",
        labour=Decimal("120.00"),
        wages_charged=Decimal("80.00"),
        back_wages=Decimal("0.00"),
        total=Decimal("120.00"),
        language="en",
        journal_key="labour-invoice:LI-2026-000009",
        issued_by=users["finance"],
    )
    return {
        "labourinvoice": invoice.pk,
        "paypolicy": policy.pk,
        "payrate": rate.pk,
        "payrun": payrun.pk,
        "backwagesreceipt": receipt.pk,
        "benchmark": benchmark.pk,
        "account": bank.pk,
        "journal": journal.pk,
        "checkpoint": checkpoint.pk,
        "periodclose": closed.pk,
        "verification": verification.pk,
    }


def build_inventory(users, workshop, sku, day) -> dict:
    """A batch of the workshop's SKU received into stock, and a reservation holding some of it."""
    import datetime

    from django.utils import timezone

    from workshops.inventory import receive_batch, reserve

    batch = receive_batch(
        sku=sku, quantity=40, made_from=day, made_to=day, user=users["supervisor"], key="b-1"
    )
    reservation = reserve(
        [(sku, 3)], key="checkout-1", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    return {
        "batch": batch.pk,
        "stock": sku.stock.pk,
        "movement": sku.stock.movements.first().pk,
        "reservation": reservation.pk,
        "workshop_stock": workshop.pk,
    }


def build_training(users, workshop, worker, day) -> dict:
    """A course in the workshop's trade, the worker enrolled, a session attended and assessed."""
    from decimal import Decimal

    from workshops.models import Assessment, Course, Enrolment
    from workshops.training.attendance import record_attendance
    from workshops.training.certificates import issue_certificate

    course = Course.objects.create(
        code="pottery-2",
        trade=workshop.trade,
        qualification="Potter",
        level="EQF level 2",
        awarding_body="National Vocational Authority",
        required_hours=Decimal(1),
        assessment="Practical test",
    )
    enrolment = Enrolment.objects.create(worker=worker, course=course, enrolled_on=day)
    attendance = record_attendance(
        enrolment=enrolment,
        workshop=workshop,
        day=day,
        hours="1",
        trainer="T. Trainer",
        user=users["supervisor"],
    )
    assessment = Assessment.objects.create(
        enrolment=enrolment, assessed_on=day, outcome="passed", assessor="A. Assessor"
    )
    # The name the holder chose: never their legal name unless they choose it.
    certificate = issue_certificate(
        enrolment=enrolment, holder_name="Sam Potter", user=users["programme"], on=day
    )
    return {
        "certificate": certificate.pk,
        "certificate_public_id": certificate.public_id,
        "course": course.pk,
        "enrolment": enrolment.pk,
        "attendance": attendance.pk,
        "assessment": assessment.pk,
    }


def build_payslip(users, ids: dict) -> dict:
    """A posted pay run with one slip, W-TEST01's, for work in the first workshop (which
    supervisor supervises, and supervisor_other does not); its PDF is a real one-page PDF."""
    import datetime
    import io

    from pypdf import PdfWriter

    from core.private_files import store_generated_file
    from wages.ledger import open_chain
    from wages.models import PayRun, PayRunLine, Payslip

    run = PayRun.objects.create(
        reference="PR-world-posted",
        prison_id=ids["prison"],
        period_start=datetime.date(2025, 12, 1),
        period_end=datetime.date(2025, 12, 31),
        currency="EUR",
        created_by=users["finance"],
        status=PayRun.Status.APPROVED,
        approved_hash="0" * 64,
        chain=open_chain("payrun:PR-world-posted"),
        workers=1,
    )
    PayRunLine.objects.create(
        run=run,
        worker_id=ids["worker"],
        gross=0,
        own_spending=0,
    )
    # Posted after its line: PostgreSQL refuses a line added to a posted run.
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.POSTED)
    run.status = PayRun.Status.POSTED
    writer, pdf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=420, height=595)
    writer.write(pdf)
    document = store_generated_file(
        pdf.getvalue(),
        name="payslip-PR-world-posted-W-TEST01.pdf",
        purpose="payslip",
        content_type="application/pdf",
    )
    payslip = Payslip.objects.create(
        run=run,
        worker_id=ids["worker"],
        document=document,
        sha256=document.sha256,
        pages=1,
        language="en",
    )
    payslip.workshops.add(ids["workshop"])
    return {"postedrun": run.pk, "payslip": payslip.pk, "payslip_file": document.pk}
