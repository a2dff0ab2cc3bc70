from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from itaportal.accounts import views
from itaportal.accounts.forms import PasswordSetForm
from itaportal.accounts.login import ThrottledLoginView

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        ThrottledLoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done")
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=PasswordSetForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", views.language_set, name="language"),
    path("orgs/<int:org_id>/people/", views.people, name="people"),
    path("orgs/<int:org_id>/people/new/", views.person_edit, name="person_new"),
    path("orgs/<int:org_id>/people/<int:user_id>/", views.person_edit, name="person_edit"),
    path(
        "orgs/<int:org_id>/people/<int:user_id>/password/",
        views.person_password,
        name="person_password",
    ),
    path("orgs/<int:org_id>/audit/", views.audit_log, name="audit"),
    path("orgs/<int:org_id>/audit/export.xlsx", views.audit_export, name="audit_export"),
]
