"""Registers with Wagtail what each compliance area exposes: the data the rules read
(``compliance.register.admin``)."""

from wagtail.admin.viewsets import viewsets

from compliance.register import admin as register_admin

viewsets.register(register_admin.ComplianceDataGroup())
