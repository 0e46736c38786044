from core.formatting import django_formats

DATE_FORMAT, DATETIME_FORMAT = django_formats("en")
