"""The double-entry ledger (DESIGN.md, "Ledger"): all money that moves, for wages and for the shop.

An **account** is typed (asset, liability, income, expense, equity) and holds one currency; a
worker's sub-accounts (own spending, family, release savings, back wages owed) are liabilities
that name the worker. A **journal** is one posting: its **entries** sum to zero in each currency
(an entry's amount is positive for a debit, negative for a credit). Journals are immutable once
posted; an error is corrected by a reversing journal, and a journal is reversed at most once.

Tamper evidence: journals are hash-chained within their **chain** (a pay run, a day of shop
journals): each journal's hash covers its content and the hash before it. When a chain is closed
its head is appended to the global, gap-free **checkpoint** sequence, each checkpoint hashing the
one before, so an altered amount, a removed journal and a whole deleted chain are all detected by
``verify_ledger``. Each checkpoint is signed with the ledger's Ed25519 key, which lives in the
configuration and never in the database, so whoever can write the database still cannot make a
checkpoint that verifies. A **period close** forbids postings dated on or before its day.

Amounts have three decimal places, enough for every currency's minor unit (0 for JPY, 2 for EUR,
3 for TND); ``wages.ledger`` refuses an amount finer than its own currency's unit. What a hash
covers is versioned by its ``form`` (``wages.ledger_hashing``), so rows hashed before a change of
form verify as they were.

Change it only through ``wages.ledger``. On PostgreSQL the database refuses UPDATE and DELETE of
journals, entries and checkpoints, an unbalanced journal at commit, and a posting into a closed
period (migration 0001); TRUNCATE of any ledger table, and a closed chain changing or opening
again (migration 0007); on SQLite the model layer holds the same rules.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Every amount of money: 12 digits before the point and 3 after. A currency's minor unit has at
# most 3 decimals, and 15 significant digits are what SQLite's numbers keep exactly, so an amount
# reads back as it was written on both databases. ``wages.ledger`` refuses what does not fit, in
# words.
AMOUNT = {"max_digits": 15, "decimal_places": 3}
AMOUNT_LIMIT = 10 ** (AMOUNT["max_digits"] - AMOUNT["decimal_places"])  # amounts are below it


class Account(models.Model):
    class Kind(models.TextChoices):
        ASSET = "asset", _("asset")
        LIABILITY = "liability", _("liability")
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expense")
        EQUITY = "equity", _("equity")

    code = models.CharField(_("code"), max_length=120)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    # What a worker's account is for ("own-spending", "back-wages", "category:<id>"): with the
    # worker, how posting finds it. The code names the worker by the reference they had when it
    # was made, and journal hashes cover the code, so it is never renamed and never searched.
    purpose = models.CharField(_("purpose"), max_length=60, blank=True, default="", db_default="")
    # The sum of the account's entries, kept by posting; ``verify_ledger`` recomputes it.
    balance = models.DecimalField(_("balance (debit +)"), default=0, editable=False, **AMOUNT)

    class Meta:
        ordering = ["code", "currency"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["code", "currency"], name="one_account_per_code"),
            models.UniqueConstraint(
                fields=["worker", "purpose", "currency"],
                condition=Q(worker__isnull=False),
                name="one_account_per_worker_and_purpose",
            ),
            models.CheckConstraint(
                condition=Q(worker__isnull=True) | ~Q(purpose=""),
                name="worker_account_has_a_purpose",
                violation_error_message=_("A worker's account says what it is for."),
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.currency})"


class Chain(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)  # payrun:<reference (150)>
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    length = models.PositiveIntegerField(_("journals"), default=0)
    head = models.CharField(_("head hash"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("chain")
        verbose_name_plural = _("chains")

    def __str__(self):
        return self.name


class Journal(models.Model):
    # payrun:<reference (150)>:<worker (20)>:back-wages-paid
    key = models.CharField(_("key"), max_length=200, unique=True)
    on = models.DateField(_("accounting date"))
    memo = models.CharField(_("memo"), max_length=300)
    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.PROTECT, related_name="journals"
    )
    sequence = models.PositiveIntegerField(_("number in its chain"))
    previous = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)
    # Which published form of content ``hash`` covers (``wages.ledger_hashing``); a row written
    # without one is of the first form.
    form = models.PositiveSmallIntegerField(_("hash form"), db_default=1)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        permissions = [("verify_ledger", _("Can verify the ledger"))]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="journal_once_in_chain"),
            models.CheckConstraint(
                condition=~Q(reverses=models.F("pk")), name="journal_not_reversing_itself"
            ),
            models.CheckConstraint(condition=Q(form__in=[1, 2]), name="journal_known_form"),
        ]
        indexes = [models.Index(fields=["on"])]

    def __str__(self):
        return f"{self.on} {self.memo}"


class Entry(models.Model):
    journal = models.ForeignKey(
        Journal, verbose_name=_("journal"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.DecimalField(_("amount (debit +, credit −)"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "journal"])]

    def __str__(self):
        return f"{self.account.code} {self.amount} {self.currency}"


class Checkpoint(models.Model):
    """A closed chain's head, in a global sequence without gaps, each hashing the one before."""

    sequence = models.PositiveIntegerField(_("number"), unique=True)
    chain_name = models.CharField(_("chain"), max_length=160, unique=True)  # as Chain.name
    length = models.PositiveIntegerField(_("journals"))
    head = models.CharField(_("head hash of the chain"), max_length=64)
    previous = models.CharField(_("previous checkpoint's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)
    form = models.PositiveSmallIntegerField(_("hash form"), db_default=1)
    # Ed25519 over the same canonical content as ``hash``, by the ledger key ``key_id`` (from
    # configuration): from form 2 on, every checkpoint is signed.
    key_id = models.CharField(_("ledger key"), max_length=100, blank=True)
    signature = models.CharField(_("signature"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.CheckConstraint(condition=Q(sequence__gte=1), name="checkpoint_from_one"),
            models.CheckConstraint(condition=Q(form__in=[1, 2]), name="checkpoint_known_form"),
            models.CheckConstraint(
                condition=Q(form=1) | (~Q(key_id="") & ~Q(signature="")),
                name="checkpoint_signed_from_form_2",
            ),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.chain_name}"


class PeriodClose(models.Model):
    """Postings dated on or before ``up_to`` are refused."""

    up_to = models.DateField(_("closed up to and including"), unique=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["-up_to"]
        verbose_name = _("period close")
        verbose_name_plural = _("period closes")

    def __str__(self):
        return str(self.up_to)


class LedgerVerification(models.Model):
    """One run of ``verify_ledger`` from the back office: who ran it, when, and what it found."""

    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    journals = models.PositiveIntegerField(_("journals checked"))
    checkpoints = models.PositiveIntegerField(_("checkpoints checked"))
    problems = models.JSONField(_("problems found"), default=list)
    seconds = models.DecimalField(_("seconds"), max_digits=10, decimal_places=3)

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("ledger verification")
        verbose_name_plural = _("ledger verifications")

    def __str__(self):
        return f"{self.run_at:%Y-%m-%d %H:%M} ({len(self.problems)})"

    @property
    def intact(self) -> bool:
        return not self.problems
