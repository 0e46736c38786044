"""Transfer and release (issue 22): what a worker's move means for pay. ``handlers`` (the hooks
``workshops`` calls on transfer and release, and on a posted pay run), ``unpaid`` (the final pay:
work no posted run has paid), ``back_wages`` (back wages at release, as far as their payers have
paid), ``payouts`` (paying a released worker out: the operations), ``receipts`` (the receipt PDF)
and the screens in ``views`` and ``admin``. Inside ``wages``, import from those modules."""
