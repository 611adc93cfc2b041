from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Fact-check desk"
admin.site.site_title = "Fact-check desk"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("partners.api.urls")),
    path("", include("public.urls")),  # /fact-checks/..., feeds, /sitemap.xml
]

# JSON errors under /api/, Django's pages elsewhere.
handler400 = "core.handlers.handler400"
handler403 = "core.handlers.handler403"
handler404 = "core.handlers.handler404"
handler500 = "core.handlers.handler500"
