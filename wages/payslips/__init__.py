"""Payslips, by what happens where: ``generation`` (make a posted run's slips, once each),
``content`` (what a slip says, read a batch of lines at a time), ``documents`` (print one slip,
join stored slips into one PDF), ``tasks`` (the job after posting), ``access`` (who reads which
slips), the screens in ``views`` and ``admin``; the command ``manage.py payslips``."""
