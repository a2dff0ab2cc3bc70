"""Django's password rules, unchanged, saying themselves in the portal's Thai.

Django's Thai catalogue lacks the rules' help texts and refusals, so a person setting a password
read them in English. Each validator here keeps its library's check and only words it anew;
settings.AUTH_PASSWORD_VALIDATORS names these.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from itaportal import thai


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Not like your username, name or e-mail.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it needs at least %(n)s character.",
            "The password is too short: it needs at least %(n)s characters.",
            self.min_length,
        ) % {"n": thai.digits(self.min_length)}

    def get_help_text(self) -> str:
        return ngettext(
            "At least %(n)s character.", "At least %(n)s characters.", self.min_length
        ) % {"n": thai.digits(self.min_length)}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("The password is too common: anyone could guess it.")

    def get_help_text(self) -> str:
        return _("Not a common password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("The password is all digits.")

    def get_help_text(self) -> str:
        return _("Not only digits.")
