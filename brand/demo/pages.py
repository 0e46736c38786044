"""Demo pages made again on every run: a parent's child of a slug, created or brought up to
date, and published."""

from wagtail.models import Page


def published_child(parent: Page, model, slug: str, **fields):
    """The child page of that slug, created or updated and published."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page
