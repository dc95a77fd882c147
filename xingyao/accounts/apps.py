from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xingyao.accounts"
    label = "accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from xingyao.accounts import (
            audit_labels,  # noqa: F401 - registers the audit log's words for this app
            menu,
        )
        from xingyao.accounts.queries import people_at
        from xingyao.places.hooks import add_to_unit_page

        menu.register()
        add_to_unit_page("people", people_at)
