"""Serving private files: signed-in users only, through ``visible_private_files``."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core.private_files import visible_private_files


def private_file_response(private) -> FileResponse:
    """A private file as a download nobody caches, sniffs or runs."""
    response = FileResponse(
        private.file.open("rb"),
        as_attachment=True,
        filename=private.original_name,
        content_type=private.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@login_required
def serve_private_file(request, file_id):
    return private_file_response(get_object_or_404(visible_private_files(request.user), pk=file_id))
