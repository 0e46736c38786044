"""A worker's money in the back office: their sub-accounts and statements (``statements``,
``views``), and their purchases from the prison's shop (``spending``, ``purchase_file``,
``purchase_import``, ``spending_views``); ``admin`` registers the screens."""
