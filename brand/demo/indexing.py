"""Search and reference indexes updated once per object after seeding, not on every save.

Seeding saves each page several times (created, revised, published, translated, published in each
language), and Wagtail updates the search index and the reference index (what uses which image or
page) on every save: most of the demo's seeding time. While ``indexed_once()`` is open, the
search index is not touched (``seed_demo`` runs ``update_index`` afterwards) and the reference
index is updated once for each object saved, when the block ends without an error.
"""

from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

REMEMBER = "brand.demo.indexing.remember"


@contextmanager
def indexed_once():
    saved = {}

    def remember(sender, instance, raw=False, **kwargs):
        if not raw and sender in ReferenceIndex.tracked_models:
            saved[(sender._meta.app_label, sender._meta.model_name, str(instance.pk))] = True

    searched = [
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]
    for model in searched:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(remember, weak=False, dispatch_uid=REMEMBER)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid=REMEMBER)
        for model in searched:
            post_save.connect(post_save_signal_handler, sender=model)
    for app_label, model_name, pk in saved:
        update_reference_index_task.enqueue(app_label, model_name, pk)
