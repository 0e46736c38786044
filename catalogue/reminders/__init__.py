"""Overdue invoices: the daily reminders to their buyers (``sending``), and the list finance reads
(``reports``)."""
