"""Customers' returns: the buyer asks from their order's page (``views``), order fulfilment
accepts or refuses in the back office (``admin``), each through ``operations``."""
