"""Refunds of paid orders and the credit notes that record them (issue 21): the operations
(``operations``), what each refund takes back from each line (``splitting``), the credit notes'
numbers (``credit_notes``) and PDFs (``documents``), the journals (``journals``), the buyer's
e-mail (``emails``) and the screens (``admin``, ``admin_views``, ``views``)."""
