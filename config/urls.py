from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Fact-check desk"
admin.site.site_title = "Fact-check desk"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("factcheck.api.urls")),
    path("", include("factcheck.public.urls")),  # /fact-checks/..., feeds, /sitemap.xml
]

# JSON errors under /api/, Django's pages elsewhere (factcheck/api/exceptions.py).
handler400 = "factcheck.api.exceptions.handler400"
handler403 = "factcheck.api.exceptions.handler403"
handler404 = "factcheck.api.exceptions.handler404"
handler500 = "factcheck.api.exceptions.handler500"
