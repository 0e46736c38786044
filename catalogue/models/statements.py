"""Bank statements and their lines (``catalogue.statements``).

A **statement** is one file the bank sent (ISO 20022 camt.053 or SWIFT MT940), kept with the
SHA-256 of its bytes: the same file imported twice is one statement. Its **lines** are the
bank's entries, each written once at import with what the bank said; only its match changes,
once, from *unmatched* to an order (``catalogue.statements.matching``):

    credit ─┬─ its order's reference and the whole amount still owed ─▶ matched (order paid)
            ├─ less than still owed ───────────────────────────────────▶ partial
            ├─ more than still owed ───────────────────────────────────▶ over (excess owed back)
            ├─ its order is paid already ──────────────────────────────▶ duplicate (all owed back)
            └─ no order found ─────────────────────────────────────────▶ unmatched (manual match)
    debit ─────────────────────────────────────────────────────────────▶ debit (shown only)
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from catalogue.models.money import money_field_options


class BankStatement(models.Model):
    class Format(models.TextChoices):
        CAMT053 = "camt.053", _("ISO 20022 camt.053")
        MT940 = "mt940", _("SWIFT MT940")

    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    statement_id = models.CharField(_("bank's statement id"), max_length=35)
    iban = models.CharField(_("account"), max_length=34)
    currency = models.CharField(_("currency"), max_length=3)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"))
    opening_balance = MoneyField(_("opening balance"), **money_field_options())
    closing_balance = MoneyField(_("closing balance"), **money_field_options())
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-to_date", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        permissions = [
            ("import_bankstatement", _("Can import bank statements")),
            ("match_statementline", _("Can match a statement's line to an order by hand")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_date__lte=F("to_date")), name="bank_statement_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="bank_statement_sha256_hex"
            ),
            models.CheckConstraint(
                condition=Q(opening_balance_currency=F("currency"))
                & Q(closing_balance_currency=F("currency")),
                name="bank_statement_one_currency",
            ),
        ]

    def __str__(self):
        return f"{self.iban} {self.statement_id} ({self.to_date.isoformat()})"


class StatementLineQuerySet(models.QuerySet):
    def paying(self):
        """Lines that paid toward their order (in full, in part, or with something over)."""
        return self.filter(state__in=("matched", "partial", "over"))

    def received_for(self, order) -> Decimal:
        """What bank transfers have paid toward ``order`` so far (excesses owed back left out)."""
        total = (
            self.paying()
            .filter(order=order)
            .aggregate(total=Sum(F("amount") - F("excess")))["total"]
        )
        return Decimal(total or 0)


class StatementLine(models.Model):
    class Direction(models.TextChoices):
        CREDIT = "credit", _("credit")
        DEBIT = "debit", _("debit")

    class State(models.TextChoices):
        UNMATCHED = "unmatched", _("unmatched")
        MATCHED = "matched", _("matched")
        PARTIAL = "partial", _("partial payment")
        OVER = "over", _("overpayment")
        DUPLICATE = "duplicate", _("duplicate payment")
        DEBIT = "debit", _("debit")

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position in the file"))
    # The statement's account, kept on the line so the database refuses one bank entry twice.
    iban = models.CharField(_("account"), max_length=34)
    booking_date = models.DateField(_("booking date"))
    value_date = models.DateField(_("value date"))
    amount = MoneyField(_("amount"), **money_field_options())
    direction = models.CharField(_("credit or debit"), max_length=6, choices=Direction.choices)
    bank_reference = models.CharField(_("bank's entry reference"), max_length=70, blank=True)
    remittance = models.CharField(_("remittance information"), max_length=500, blank=True)
    reference = models.CharField(_("payment reference"), max_length=40, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("counterparty's account"), max_length=34, blank=True)
    state = models.CharField(_("match"), max_length=10, choices=State.choices)
    order = models.ForeignKey(
        "catalogue.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    # What the payer is owed back: the part over what the order still needed, or all of a
    # second payment of a paid order.
    excess = MoneyField(_("owed back to the payer"), **money_field_options(), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("matched by hand by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        indexes = [models.Index(fields=["state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="statement_line_once_per_position"
            ),
            models.UniqueConstraint(
                fields=["iban", "bank_reference"],
                condition=~Q(bank_reference=""),
                name="statement_line_bank_entry_once",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="statement_line_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(excess__gte=0) & Q(excess__lte=F("amount")),
                name="statement_line_excess_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(direction="debit", state="debit", order__isnull=True)
                | Q(direction="credit", state="unmatched", order__isnull=True)
                | Q(
                    direction="credit",
                    state__in=["matched", "partial", "over", "duplicate"],
                    order__isnull=False,
                ),
                name="statement_line_state_matches_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["over", "duplicate"], excess__gt=0)
                | (~Q(state__in=["over", "duplicate"]) & Q(excess=0)),
                name="statement_line_excess_only_when_over",
            ),
            models.CheckConstraint(
                condition=~Q(state="duplicate") | Q(excess=F("amount")),
                name="statement_line_duplicate_owed_back_whole",
            ),
            models.CheckConstraint(
                condition=Q(matched_by__isnull=True) | Q(matched_at__isnull=False),
                name="statement_line_matched_by_when",
            ),
            models.CheckConstraint(
                condition=Q(reference="") | Q(reference__regex=r"^RF[0-9]{2}[A-Z0-9]+$"),
                name="statement_line_reference_compact",
            ),
            models.CheckConstraint(
                condition=Q(counterparty_iban="") | Q(counterparty_iban__regex=r"^[A-Z0-9]+$"),
                name="statement_line_counterparty_iban_compact",
            ),
        ]

    def __str__(self):
        return f"{self.statement_id}/{self.position}"

    @property
    def received(self):
        """What this line paid toward its order (the amount less what is owed back)."""
        return self.amount - self.excess
