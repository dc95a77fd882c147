from django.apps import AppConfig

from xingyao.core.apps import register_parts


class AccountsConfig(AppConfig):
    name = "xingyao.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from xingyao.accounts.queries import people_at
        from xingyao.places.hooks import add_to_unit_page

        register_parts(self, "audit_labels", "menu")
        add_to_unit_page("people", people_at)
