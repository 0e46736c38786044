"""E-mail through django-tasks: sent at once by the immediate backend (the default)."""

from django.core import mail
from django_tasks import TaskResultStatus

from core.mail import send_email


def test_send_email_runs_immediately_by_default(settings):
    result = send_email.enqueue(
        subject="Your order", body="Thank you.", to=["buyer@example.org"], html="<p>Thank you.</p>"
    )

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.body, message.to, message.from_email) == (
        "Your order",
        "Thank you.",
        ["buyer@example.org"],
        settings.DEFAULT_FROM_EMAIL,
    )
    assert message.alternatives[0].content == "<p>Thank you.</p>"
