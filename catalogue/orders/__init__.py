"""Orders after they are placed: their lifecycle (``lifecycle``), the journals their money posts
(``journals``), the e-mails their buyer receives (``emails``), the buyer's own page of their
order (``views``), and the back office's views."""
