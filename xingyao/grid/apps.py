from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "xingyao.grid"
    label = "grid"
    verbose_name = "网格事件"

    def ready(self) -> None:
        from django.urls import reverse

        from xingyao.grid import queries  # noqa: F401 - registers the home page's task source
        from xingyao.grid.sources import events_closed_on_time_rate
        from xingyao.stars.sources import register_source

        def closed_events(village, year):  # type: ignore[no-untyped-def]
            return f"{reverse('grid:events')}?tab=closed&village={village.pk}&since={year}-01-01&until={year}-12-31"

        register_source(
            "grid.events_closed_on_time_rate", "网格事件按期办结率", "%", events_closed_on_time_rate, closed_events
        )
