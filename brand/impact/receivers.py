"""The impact figures are recomputed when a pay run is posted and when a certificate is issued,
revoked or reissued (saved in any way)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from brand.impact.tasks import recompute_after_commit
from wages.models import PayRun
from workshops.models import Certificate


@receiver(post_save, sender=PayRun, dispatch_uid="brand.impact.pay_run_posted")
def pay_run_saved(sender, instance, update_fields=None, **kwargs):
    if instance.status == PayRun.Status.POSTED and (
        update_fields is None or "status" in update_fields
    ):
        recompute_after_commit()


@receiver(post_save, sender=Certificate, dispatch_uid="brand.impact.certificate_saved")
def certificate_saved(sender, instance, **kwargs):
    recompute_after_commit()
