"""Vocational training: courses leading to accredited qualifications, enrolments, attendance and
assessments (Mandela Rules 98-99 and 104; UN model strategy No. 11: qualifications "similar to
those issued in the community").

Attendance is time the person is occupied: it counts toward the working-time limits with
production (DESIGN.md, "Working time"), so it is recorded through ``workshops.training.attendance``. A pay run
that pays attendance holds it by the run's production lock (``lock``), like the records it pays,
so each hour is paid exactly once, however late it was recorded.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.translated_text import TranslatedTextField, in_language


class Course(models.Model):
    """A course leading to an accredited qualification. ``code`` is ours (a slug);
    ``qualification_code`` is the awarding body's, printed on the certificate. The qualification,
    level and awarding body have translations, printed in the holder's chosen language."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    trade = models.ForeignKey(
        "workshops.Trade", verbose_name=_("trade"), on_delete=models.PROTECT, related_name="courses"
    )
    qualification = models.CharField(
        _("qualification"),
        max_length=200,
        help_text=_("The accredited qualification's name, as the awarding body writes it."),
    )
    qualification_translations = TranslatedTextField(
        _("qualification in other languages"), max_length=200
    )
    qualification_code = models.CharField(
        _("qualification code"),
        max_length=60,
        help_text=_("The awarding body's code for the qualification, as it prints it."),
    )
    level = models.CharField(_("level"), max_length=60, help_text=_("e.g. EQF level 3"))
    level_translations = TranslatedTextField(_("level in other languages"), max_length=60)
    awarding_body = models.CharField(_("awarding body"), max_length=200)
    awarding_body_translations = TranslatedTextField(
        _("awarding body in other languages"), max_length=200
    )
    required_hours = models.DecimalField(_("hours required"), max_digits=6, decimal_places=2)
    assessment = models.CharField(
        _("assessment required"),
        max_length=200,
        help_text=_("What the awarding body assesses, e.g. a practical test and an interview."),
    )
    is_active = models.BooleanField(_("open for enrolment"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_hours__gt=0),
                name="course_requires_hours",
                violation_error_message=_("A course requires more than 0 hours."),
            )
        ]

    def __str__(self):
        return f"{self.qualification} ({self.level})"

    def qualification_in(self, language: str | None = None) -> str:
        return in_language(self.qualification, self.qualification_translations, language)

    def translated(self, language: str) -> dict:
        """The qualification, level and awarding body that have a translation in ``language``."""
        pairs = {
            "qualification": self.qualification_translations,
            "level": self.level_translations,
            "awarding_body": self.awarding_body_translations,
        }
        return {key: texts[language] for key, texts in pairs.items() if texts.get(language)}


class Enrolment(models.Model):
    worker = models.ForeignKey(
        "workshops.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["worker", "course"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "course"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_open_enrolment_per_course",
                violation_error_message=_("This worker is already enrolled on this course."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("enrolled_on")),
                name="enrolment_withdrawn_after_enrolling",
                violation_error_message=_("A withdrawal cannot come before the enrolment."),
            ),
        ]

    def __str__(self):
        return f"{self.worker} · {self.course.code}"

    def active_on(self, day) -> bool:
        return self.enrolled_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


class TrainingAttendance(models.Model):
    """Hours a worker spent in one training session (one record per enrolment and day)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendance"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="training_attendance",
        help_text=_("The workshop whose supervisor recorded the session."),
    )
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    trainer = models.CharField(_("trainer"), max_length=120)
    note = models.CharField(_("note"), max_length=500, blank=True)
    breaches = models.CharField(_("working-time breaches"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lock = models.ForeignKey(
        "workshops.ProductionLock",
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="attendance",
        help_text=_("The pay run that pays these hours; attendance it pays no longer changes."),
    )

    class Meta:
        ordering = ["-day", "enrolment"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"],
                name="one_attendance_per_enrolment_and_day",
                violation_error_message=_("Attendance for this enrolment and day is recorded."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=Decimal(24)),
                name="attendance_hours_within_a_day",
                violation_error_message=_("Hours are more than 0 and at most 24."),
            ),
            models.CheckConstraint(
                condition=Q(breaches="") | ~Q(note=""),
                name="attendance_breach_has_reason",
                violation_error_message=_(
                    "Hours over the working-time limits need a reason in the note."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} {self.day} {self.hours}"


class Assessment(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("not yet passed")
        DEFERRED = "deferred", _("deferred")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    assessor = models.CharField(
        _("assessor"), max_length=120, help_text=_("The awarding body's assessor.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-assessed_on"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.enrolment} {self.assessed_on} {self.get_outcome_display()}"
