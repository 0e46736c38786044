"""Private files (consent documents, spreadsheets, payslips, reports): checked by content, stored
outside the public media folder, and served only through a permission-checked view.

Who may read which file is the apps' business, not core's: each app registers a Wagtail hook
``bridgework_private_file_access(user) -> Q | None`` saying which files that user may see, and
the serving view fetches through the union of those filters, so a file the user may not see is a
404 (its existence is not revealed). Superusers see every file.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.uploads import FileKind, check_upload

ACCESS_HOOK = "bridgework_private_file_access"


def private_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class PrivateFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), storage=private_storage, upload_to="%Y/%m/", max_length=200)
    purpose = models.CharField(
        _("purpose"), max_length=40, help_text=_("What the file is for, e.g. consent, payslip.")
    )
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("private file")
        verbose_name_plural = _("private files")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="private_file_not_empty"),
        ]

    def __str__(self):
        return self.original_name


def store_private_file(
    uploaded, *, purpose: str, allowed: tuple[FileKind, ...], user=None
) -> PrivateFile:
    """Check ``uploaded`` by content and size, then store it privately; ``UploadRefused``
    otherwise, with nothing stored."""
    kind = check_upload(uploaded, allowed=allowed, max_bytes=settings.PRIVATE_FILE_MAX_BYTES)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    with transaction.atomic():
        private = PrivateFile(
            purpose=purpose,
            original_name=uploaded.name[:200],
            content_type=kind.content_type,
            size=uploaded.size,
            sha256=digest.hexdigest(),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        private.file.save(f"{uuid.uuid4().hex}.{kind.extensions[0]}", uploaded, save=False)
        private.save()
    return private


def store_generated_file(
    content: bytes, *, name: str, purpose: str, content_type: str
) -> PrivateFile:
    """Store a document the system made (an invoice, a payslip) privately, with its SHA-256: the
    same bytes are served on every download."""
    from django.core.files.base import ContentFile

    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    private = PrivateFile(
        purpose=purpose,
        original_name=name[:200],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    private.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    private.save()
    return private


def visible_private_files(user):
    """The files ``user`` may read: what the apps' access hooks allow, nothing by default."""
    if not user.is_authenticated or not user.is_active:
        return PrivateFile.objects.none()
    if user.is_superuser:
        return PrivateFile.objects.all()
    allowed = [q for q in (fn(user) for fn in hooks.get_hooks(ACCESS_HOOK)) if q is not None]
    if not allowed:
        return PrivateFile.objects.none()
    condition = allowed[0]
    for q in allowed[1:]:
        condition |= q
    return PrivateFile.objects.filter(condition)
