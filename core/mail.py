"""E-mail goes out through a background task, so a page never waits on a mail server and a
failed send is retried by the task backend rather than lost with the request."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *, subject: str, body: str, to: list[str], html: str = "", reply_to: str = ""
) -> int:
    """Send one message; returns the number sent (1). Arguments are plain JSON values, because
    the database backend stores them."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
