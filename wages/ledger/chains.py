"""Chains of journals: opening one, and closing one with a signed checkpoint of its head.
The hashes and signatures are formed in ``wages.ledger.hashing``."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wages.ledger.hashing import (
    CHECKPOINT_FORM,
    checkpoint_content,
    sign_checkpoint,
)
from wages.ledger.hashing import digest as content_hash
from wages.models import Chain, Checkpoint

CHECKPOINT_LOCK = 7_340_001  # the advisory lock that serialises appending checkpoints


def open_chain(name: str) -> Chain:
    chain, _created = Chain.objects.get_or_create(name=name)
    return chain


@transaction.atomic
def close_chain(chain: Chain) -> Checkpoint:
    """Close ``chain`` and append its head to the checkpoint sequence (numbers without gaps:
    the last checkpoint is locked while the next is written), signed with the ledger key
    (``LedgerKeysMissing`` when none is configured: nothing is closed unsigned)."""
    chain = Chain.objects.select_for_update().get(pk=chain.pk)
    if chain.closed_at is not None:
        checkpoint = Checkpoint.objects.filter(chain_name=chain.name).first()
        if checkpoint is None:
            raise ValidationError(
                _(
                    "The chain %(chain)s is closed but has no checkpoint: verify the ledger (Ledger → Verify the ledger) to find out why."
                )
                % {"chain": chain.name}
            )
        return checkpoint
    if connection.vendor == "postgresql":
        # One checkpoint is appended at a time (there may be no row to lock yet); SQLite
        # serialises writers anyway.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
    last = Checkpoint.objects.order_by("-sequence").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.hash if last else ""
    content = checkpoint_content(
        sequence=sequence,
        chain=chain.name,
        length=chain.length,
        head=chain.head,
        previous=previous,
        form=CHECKPOINT_FORM,
    )
    signature = sign_checkpoint(content)
    checkpoint = Checkpoint.objects.create(
        sequence=sequence,
        chain_name=chain.name,
        length=chain.length,
        head=chain.head,
        previous=previous,
        hash=content_hash(content),
        form=CHECKPOINT_FORM,
        key_id=signature.key_id,
        signature=signature.value,
    )
    chain.closed_at = timezone.now()
    chain.save(update_fields=["closed_at"])
    return checkpoint
