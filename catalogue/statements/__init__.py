"""Bank statements (camt.053, MT940) imported by finance officers and matched to the invoice
orders they pay: ``parsing`` reads a file, ``matching`` matches its credits, ``importing`` holds
the operations, ``admin`` the back-office screens."""
