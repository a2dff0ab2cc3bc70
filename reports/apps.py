from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from measures.approvals import holders_register
        from reports.memos.holders import approved_memos_holding

        # What approved memos froze is not changed below them (measures.approvals).
        holders_register(approved_memos_holding)
