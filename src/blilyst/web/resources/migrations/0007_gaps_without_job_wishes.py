"""Job gaps recorded before job wishes were kept out of stored gaps: drop the household's own words
(``occupations``) from their parameters and rewrite their detail without them."""

from django.db import migrations


def scrub(apps, schema_editor):
    from django.utils import translation

    from blilyst import matching as m
    from blilyst.web.resources.matchinputs import PERSONAL_GAP_PARAMS, gap_text

    MatchingGap = apps.get_model("resources", "MatchingGap")
    for row in MatchingGap.objects.filter(kind="job").iterator():
        params = {k: v for k, v in row.params.items() if k not in PERSONAL_GAP_PARAMS}
        if params == row.params:
            continue
        code = params.get("code", "job_none")
        gap = m.Gap(row.kind, row.key, code, {k: v for k, v in params.items() if k != "code"})
        with translation.override("nb"):
            row.detail = gap_text(gap)[:300]
        row.params = params
        row.save(update_fields=["params", "detail"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_offers")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
