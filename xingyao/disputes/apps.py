from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "xingyao.disputes"
    label = "disputes"
    verbose_name = "矛盾纠纷"

    def ready(self) -> None:
        from django.urls import reverse

        from xingyao.disputes import (
            queries,  # noqa: F401 - registers the home page's task source
            sources,
        )
        from xingyao.stars.sources import register_source

        def cases(village, year):  # type: ignore[no-untyped-def]
            return f"{reverse('disputes:list')}?village={village.pk}&year={year}"

        def zero(village, year):  # type: ignore[no-untyped-def]
            return f"{reverse('disputes:zero')}?unit={village.code}&year={year}"

        register_source("disputes.success_rate", "矛盾纠纷调解成功率", "%", sources.success_rate, cases)
        register_source("disputes.pre_litigation_count", "诉前调解成功件数", "件", sources.pre_litigation_count, cases)
        register_source("safety.zero_petitions", "零上访", "是/否", sources.zero_petitions, zero)
        register_source("safety.zero_accidents", "零事故", "是/否", sources.zero_accidents, zero)
        register_source("safety.zero_cases", "零案件", "是/否", sources.zero_cases, zero)
