"""Security events from Django's and django-axes' signals: logged, and sessions kept track of."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from brand.sessions import end_all_sessions, session_started
from core.security_log import log_security_event, pseudonym

User = get_user_model()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    session_started(request, user)
    log_security_event("login.succeeded", request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    log_security_event("login.failed", request, account=pseudonym(username), level=logging.WARNING)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    log_security_event("logout", request, user=user)


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_security_event(
        "login.locked_out", request, account=pseudonym(username or ""), level=logging.WARNING
    )


@receiver(pre_save, sender=User)
def remember_whether_active(sender, instance, **kwargs):
    if instance.pk:
        instance._was_active = (
            User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        )


@receiver(post_save, sender=User)
def end_sessions_of_the_deactivated(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        ended = end_all_sessions(instance)
        log_security_event("user.deactivated", user=instance, sessions_ended=ended)
