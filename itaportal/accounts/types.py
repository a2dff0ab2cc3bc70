"""Request type for views behind @login_required, so `request.user` is our User."""

from django.http import HttpRequest

from itaportal.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
