"""Orders after they are placed: their lifecycle (``lifecycle``), the journals their money posts
(``journals``), the e-mails their buyer receives (``emails``), and the back office's views."""
