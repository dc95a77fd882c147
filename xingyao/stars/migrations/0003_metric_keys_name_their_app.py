from django.db import migrations

# The “三零” metrics are registered by the disputes app, and a metric key names the app that registers it.
RENAMED = {
    "safety.zero_petitions": "disputes.zero_petitions",
    "safety.zero_accidents": "disputes.zero_accidents",
    "safety.zero_cases": "disputes.zero_cases",
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    indicator = apps.get_model("stars", "Indicator")
    for old, new in RENAMED.items():
        indicator.objects.filter(data_source=old).update(data_source=new)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    indicator = apps.get_model("stars", "Indicator")
    for old, new in RENAMED.items():
        indicator.objects.filter(data_source=new).update(data_source=old)


class Migration(migrations.Migration):
    dependencies = [("stars", "0002_star_review_department")]

    operations = [migrations.RunPython(forwards, backwards)]
