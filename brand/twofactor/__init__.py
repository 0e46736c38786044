"""Two-factor login for staff: an authenticator app (TOTP) and one-time recovery codes, through
django-otp, wired into the Wagtail admin here because the roles that require it are the brand's.

Finance officers, auditors, programme managers and administrators must enrol at their first login;
anyone who has enrolled must pass the second factor at every login. A password reset only resets
the password: the next login still asks for the second factor (OWASP ASVS 5.0, V6.3 and V6.4).
"""
