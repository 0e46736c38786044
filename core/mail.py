"""E-mail goes out through a background task, so a page never waits on a mail server and a
failed send is retried by the task backend rather than lost with the request."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from core.i18n import render_in_language


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


def send_templated_email(
    *, template: str, context: dict, to: list[str], language: str, reply_to: str = ""
):
    """Render ``{template}_subject.txt``, ``{template}.txt`` and ``{template}.html`` in ``language``
    (a customer's e-mail in the order's language, a worker's in their own) and queue the message.

    Rendering happens here, in the caller's process, so the task carries finished text and a
    worker never needs the objects the templates read.
    """
    subject = render_in_language(f"{template}_subject.txt", context, language=language)
    return send_email.enqueue(
        subject=" ".join(subject.split()),
        body=render_in_language(f"{template}.txt", context, language=language),
        html=render_in_language(f"{template}.html", context, language=language),
        to=to,
        reply_to=reply_to,
    )
