"""Views for tests/core/test_page_cache.py: one for each kind of answer the page cache must keep
or refuse, each counting how often it ran."""

from collections import Counter

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.template import RequestContext, Template
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache

RUNS = Counter()


def counted(view):
    def wrapper(request, *args, **kwargs):
        RUNS[request.path] += 1
        return view(request, *args, **kwargs)

    return wrapper


@counted
def plain(request):
    return HttpResponse(f"language {get_language()}")


@counted
def shelf(request):
    """A page with the visitor's cart count, as the shop's header will show from the session."""
    return HttpResponse(f"Cart ({request.session.get('cart', 0)})")


@counted
def form(request):
    template = Template('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render(RequestContext(request)))


@counted
def message(request):
    messages.info(request, "Saved.")
    template = Template("{% for message in messages %}{{ message }}{% endfor %}")
    return HttpResponse(template.render(RequestContext(request)))


@counted
def cookie(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("seen", "yes")
    return response


@counted
@cache_control(private=True)
def private(request):
    return HttpResponse("private")


@counted
@never_cache
def never(request):
    return HttpResponse("never")


@counted
def varies(request):
    response = HttpResponse("varies")
    response["Vary"] = "User-Agent"
    return response


@counted
def session_write(request):
    request.session["visited"] = True
    return HttpResponse("remembered")


@counted
def missing(request):
    return HttpResponse("not here", status=404)


@counted
def stream(request):
    return StreamingHttpResponse(iter([b"streamed"]))


urlpatterns = [
    path("plain/", plain),
    path("shelf/", shelf),
    path("form/", form),
    path("message/", message),
    path("cookie/", cookie),
    path("private/", private),
    path("never/", never),
    path("varies/", varies),
    path("session-write/", session_write),
    path("missing/", missing),
    path("stream/", stream),
    path("admin/plain/", plain),
    path("en/checkout/", plain),
]
