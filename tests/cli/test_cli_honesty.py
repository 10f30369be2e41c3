"""`blilyst honesty FILE --kommune K`: the check from the command line, with a capacity file."""

from __future__ import annotations

import json

from blilyst.cli import main
from blilyst.plan.capacity import Capacity

CAPACITY = Capacity(
    housing={"rental": 0, "for_sale": 2},
    housing_prices={"rental": (), "for_sale": (1_500_000, 3_200_000)},
    kindergarten_free={**dict.fromkeys(range(1, 12), 2), 12: 0},
    vacancies={"health": 3},
    occupations={"sykepleier": 3},
)


def _files(tmp_path, text: str):
    campaign = tmp_path / "kampanje.txt"
    campaign.write_text(text, encoding="utf-8")
    capacity = tmp_path / "capacity.json"
    capacity.write_text(json.dumps(CAPACITY.to_dict()), encoding="utf-8")
    return campaign, capacity


def test_a_nynorsk_text_gets_verdicts_and_a_nynorsk_rewrite(tmp_path, capsys):
    campaign, capacity = _files(tmp_path, "Vi har ledige barnehageplassar heile året. Vi kan ikkje love bustad.")
    assert main(["honesty", str(campaign), "--kommune", "kviteseid", "--capacity", str(capacity)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4028 Kviteseid")
    assert "[Ikke dekket] Barnehageplasser" in out
    assert "Ærlig omskriving: Vi har ledige barnehageplassar 11 av 12 månader; i desember er det venteliste." in out
    assert "bustad" not in out.split("«")[-1]  # the negated sentence is not a claim


def test_json_output_and_thresholds_from_the_options(tmp_path, capsys):
    campaign, capacity = _files(tmp_path, "Vi har rimelige boliger til salgs og ledige stillinger for sykepleiere.")
    args = ["honesty", str(campaign), "-k", "4028", "--capacity", str(capacity), "--price-limit", "2000000"]
    assert main([*args, "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["subject"], c["verdict"]) for c in data["claims"]] == [("for_sale", "supported"), ("jobs", "supported")]
    assert data["claims"][0]["reason"].startswith("The housing register has 2 homes for sale available, 1 of them")


def test_bad_input_is_one_line_saying_what_to_do(tmp_path, capsys):
    campaign, capacity = _files(tmp_path, "Vi har ledige barnehageplasser hele året for alle.")
    assert main(["honesty", str(tmp_path / "nothing.txt"), "--kommune", "4028", "--capacity", str(capacity)]) == 1
    assert "finnes ikke; oppgi stien til en tekstfil med kampanjen" in capsys.readouterr().err
    capacity.write_text("{not json", encoding="utf-8")
    assert main(["honesty", str(campaign), "--kommune", "4028", "--capacity", str(capacity), "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: --capacity: ") and "is not valid JSON" in err and "\n" not in err
    assert main(["honesty", str(campaign), "--kommune", "atlantis", "--capacity", str(capacity)]) == 1


def test_the_global_language_holds_and_a_bad_threshold_is_refused(tmp_path, capsys):
    campaign, capacity = _files(tmp_path, "Vi har ledige barnehageplasser hele året for alle.")
    assert main(["--lang", "en", "honesty", str(campaign), "-k", "4028", "--capacity", str(capacity)]) == 0
    out = capsys.readouterr().out
    assert "[Unsupported] Kindergarten places" in out
    assert "Honest rewrite: Vi har ledige barnehageplasser 11 av 12 måneder" in out  # the text's own language
    assert main(["honesty", str(campaign), "-k", "4028", "--capacity", str(capacity), "--many", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert "--many/--rent-limit/--price-limit: «many» må være minst 1, fikk 0" in err and "\n" not in err  # bokmål
