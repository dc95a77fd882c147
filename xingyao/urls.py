from django.urls import include, path

from xingyao.api import api

urlpatterns = [
    path("", include("xingyao.home.urls")),
    path("", include("xingyao.core.urls")),
    path("accounts/", include("xingyao.accounts.urls")),
    path("units/", include("xingyao.places.urls")),
    path("assessments/", include("xingyao.assessments.urls")),
    path("public/", include("xingyao.assessments.public_urls")),
    path("stars/", include("xingyao.stars.urls")),
    path("grid/", include("xingyao.grid.urls")),
    path("disputes/", include("xingyao.disputes.urls")),
    path("partylife/", include("xingyao.partylife.urls")),
    path("economy/", include("xingyao.economy.urls")),
    path("ledgers/", include("xingyao.ledgers.urls")),
    path("notices/", include("xingyao.notices.urls")),
    path("inspections/", include("xingyao.inspections.urls")),
    path("livability/", include("xingyao.livability.urls")),
    path("briefings/", include("xingyao.briefings.urls")),
    path("reports/", include("xingyao.reports.urls")),
    path("api/v1/", api.urls),
]

# Chinese error pages inside the layout (JSON under /api/).
handler400 = "xingyao.core.views.bad_request"
handler403 = "xingyao.core.views.permission_denied"
handler404 = "xingyao.core.views.page_not_found"
handler500 = "xingyao.core.views.server_error"
