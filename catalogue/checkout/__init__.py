"""The checkout: one form (``forms``, ``views``), the payment methods (``payments``), and the one
operation that places an order (``placing.place_order``), with its numbers (``numbers``) and the
confirmation e-mail (``emails``)."""
