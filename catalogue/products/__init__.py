"""Browsing the shop: the listing of a shop or category (``listing``), a product's page
(``detail``), and the reads both make in a fixed number of queries (``selectors``)."""
