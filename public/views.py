"""Public pages: thin views over ``selectors`` and ``presenters``; every page GET/HEAD only."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck import ratings
from public import presenters, selectors
from public.caching import conditional_public, set_last_modified
from public.claimreview import datafeed_build, factcheck_slug, jsonld_dumps

PAGE_SIZE = 20


def _render(request, template: str, context: dict | None = None, *, nav: str = "", status: int = 200):
    context = {"organisation_name": settings.ORGANISATION_NAME, "nav": nav, **(context or {})}
    return render(request, template, context, status=status)


@require_safe
@conditional_public
def factcheck_list(request):
    rating = request.GET.get("rating", "")
    rating = rating if rating in ratings.BY_KEY else ""
    search = " ".join(request.GET.get("q", "").split())[: selectors.SEARCH_MAX_CHARS]
    listing = selectors.factchecks_listed(rating=rating, search=search)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "cards": [presenters.factcheck_card(claim) for claim in page.object_list],
        "scale": ratings.SCALE,
        "rating": rating,
        "search": search,
        "filtered": bool(rating or search),
    }
    response = _render(request, "public/factcheck_list.html", context, nav="list")
    set_last_modified(response, selectors.listing_last_modified())
    return response


@require_safe
@conditional_public
def factcheck_detail(request, slug: str):
    """200 when published, 301 to the canonical slug, 410 once withdrawn, 404 otherwise."""
    pk = slug.rsplit("-", 1)[-1]
    if not pk.isdigit() or len(pk) > 18:
        raise Http404("No such fact-check")
    claim = selectors.factcheck_for_page(pk=int(pk))
    if claim is None:
        raise Http404("No such fact-check")
    if not selectors.is_published(claim):
        if selectors.was_published(claim):
            return _render(request, "public/factcheck_gone.html", status=410)
        raise Http404("No such fact-check")
    canonical = factcheck_slug(claim=claim)
    if slug != canonical:
        return HttpResponsePermanentRedirect(reverse("public:factcheck_detail", kwargs={"slug": canonical}))
    response = _render(request, "public/factcheck_detail.html", {"fc": presenters.factcheck_detail(claim)})
    set_last_modified(response, selectors.factcheck_last_modified(claim))
    return response


@require_safe
@conditional_public
def rating_scale(request):
    scale = [presenters.rating_badge(r.key) | {"meaning": r.meaning} for r in ratings.SCALE]
    context = {"scale": scale, "best": ratings.BEST_RATING, "worst": ratings.WORST_RATING}
    return _render(request, "public/rating_scale.html", context, nav="scale")


@require_safe
@conditional_public
def feed_json(request):
    """Every published fact-check as a schema.org DataFeed of ClaimReview (import_claimreview reads it)."""
    claims = list(selectors.factchecks_for_feed())
    feed_url = settings.SITE_URL + reverse("public:feed_json")
    feed = datafeed_build(claims=claims, feed_url=feed_url)
    response = HttpResponse(jsonld_dumps(feed, compact=True), content_type="application/json; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, readable by other desks
    set_last_modified(response, selectors.listing_last_modified())
    return response
