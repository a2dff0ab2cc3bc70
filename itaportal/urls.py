from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments import views as assessment_views

# The admin's titles say whose it is, not "Django administration".
admin.site.site_header = admin.site.site_title = _("ITA Portal administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("accounts/", include("itaportal.accounts.urls")),
    path("help/", include("itaportal.help.urls")),
    path("orgs/", include("assessments.urls")),
    # The ITA frameworks belong to no organisation: supervisors and superusers only.
    path("frameworks/", assessment_views.framework_list, name="frameworks"),
    path(
        "frameworks/<int:framework_id>/copy/",
        assessment_views.framework_copy_view,
        name="framework_copy",
    ),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "itaportal.errors.page_not_found"
handler403 = "itaportal.accounts.views.permission_denied"
