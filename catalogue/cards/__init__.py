"""Card payment through Stripe hosted Checkout (DESIGN.md, "catalogue/"): card data never touches
this server, which keeps a deployment at PCI SAQ A."""
