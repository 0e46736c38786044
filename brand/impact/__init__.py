"""The impact page's figures: computed from the records (``figures``), kept in the cache and
recomputed in the background when a pay run is posted or a certificate issued (``tasks``, called
by the hooks ``brand.wagtail_hooks`` registers for those operations), drawn as SVG bar charts on the server (``charts``) and written in the page's
language (``presentation``)."""
