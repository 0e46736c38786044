"""Back-office screens for training: programme managers keep courses, enrolments and
assessments; supervisors record attendance for their workshops (``training_views``), which lists
read-only, scoped like production."""

from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import register_read_only
from workshops.models import Assessment, Course, Enrolment, TrainingAttendance
from workshops.production_admin import ReadOnlyViewSet

register_read_only(TrainingAttendance)


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "doc-full-inverse"
    inspect_view_enabled = True
    list_display = ["code", "qualification", "level", "trade", "required_hours", "is_active"]
    list_filter = ["trade", "is_active"]
    search_fields = ["code", "qualification"]
    list_export = [
        "code",
        "qualification",
        "level",
        "awarding_body",
        "trade",
        "required_hours",
        "assessment",
    ]


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    icon = "user"
    inspect_view_enabled = True
    list_display = ["worker", "course", "enrolled_on", "withdrawn_on"]
    list_filter = ["course"]
    search_fields = ["worker__reference"]
    list_export = ["worker", "course", "enrolled_on", "withdrawn_on"]


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "tick-inverse"
    inspect_view_enabled = True
    list_display = ["enrolment", "assessed_on", "outcome", "assessor"]
    list_filter = ["outcome"]
    search_fields = ["enrolment__worker__reference"]
    list_export = ["enrolment", "assessed_on", "outcome", "assessor", "notes"]


class TrainingAttendanceViewSet(ReadOnlyViewSet):
    model = TrainingAttendance
    icon = "time"
    list_display = ["day", "enrolment", "workshop", "hours", "trainer", "breaches", "lock"]
    list_filter = ["workshop", "day"]
    search_fields = ["enrolment__worker__reference"]
    list_export = ["day", "enrolment", "workshop", "hours", "trainer", "note", "breaches", "lock"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enrolment__worker", "enrolment__course", "workshop", "lock")
        )
