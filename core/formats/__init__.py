"""Django format modules (``FORMAT_MODULE_PATH``): each language's dates written as
``core.formatting`` writes them on screens, so Wagtail's listings and our screens agree."""
