"""Preston, Heuveline & Guillot (2001), *Demography*, Box 6.2: Sweden, females, 1993 -> 1998,
5-year age groups 0..80+ (85+ after one step is printed as 80-84 + 85+), with net migration.

The inputs and the printed 1998 populations are the book's figures (as also used by the R package
ccmpp's tests, github.com/markalava/CCMPP); males get the same inputs so both sexes are checked.
"""

import numpy as np
import pytest

from blilyst.axes import FEMALE, MALE
from blilyst.demography.projection import project

FERT = [0, 0, 0, 0.012, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 3e-04, 0, 0, 0, 0, 0, 0, 0]
SURV_0 = 0.994974  # 5L0 / (5 l0)
SURV = [
    0.999298474130982,
    0.999523271204374,
    0.999255384875458,
    0.998733211018043,
    0.998519868845054,
    0.998071361638878,
    0.997059972117285,
    0.995306031333712,
    0.992182641549444,
    0.987776734283712,
    0.981527675199983,
    0.970465422882409,
    0.952606955959568,
    0.923471809204568,
    0.86986034386444,
    0.774955902248557,
    0.517928194893993,
]
POP_1993 = [
    293395,
    248369,
    240012,
    261346,
    285209,
    314388,
    281290,
    286923,
    304108,
    324946,
    247613,
    211351,
    215140,
    221764,
    223506,
    183654,
    254414,
]
MIG_RATES = [
    0.00466265614615109,
    0.00334180191569801,
    0.0028040264653434,
    0.00403296778982651,
    0.00647945892310551,
    0.00523556878761276,
    0.00388922464360624,
    0.00219919630005263,
    0.00116406013653044,
    0.000686267872200304,
    0.000868290437093367,
    0.000799617697574178,
    0.000599609556567816,
    0.000477985606320232,
    0.000416096212182223,
    0.000326701297004149,
    0.000334101110787928,
]
# Box 6.2, females on 1 January 1998 (the last figure is 80-84 plus 85+ as printed: 142 565 + 131 966)
FEMALES_1998 = [
    302392,
    298682,
    252007,
    244150,
    268267,
    293515,
    320624,
    284767,
    288031,
    303166,
    322062,
    243989,
    205841,
    205516,
    205270,
    194771,
    142565 + 131966,
]
MALES_0_4_1998 = 317340  # same survival as females, SRB 1.05


def _box62(**kw):
    base = np.array([POP_1993, POP_1993], dtype=float)[None]  # (1 region, 2 sexes, 17 ages)
    surv = np.array([SURV_0, *SURV])
    rates = np.array(MIG_RATES)
    return project(base, surv, np.array(FERT), steps=1, interval=5, srb=1.05, net_migration_rates=rates, **kw)


def test_box_6_2_females_1998_to_the_printed_person():
    res = _box62()
    assert np.round(res.population[1, 0, FEMALE]).astype(int).tolist() == FEMALES_1998


def test_box_6_2_males_get_srb_times_the_girls():
    res = _box62()
    males = np.round(res.population[1, 0, MALE]).astype(int)
    assert males[0] == MALES_0_4_1998
    assert males[1:].tolist() == FEMALES_1998[1:]


def test_box_6_2_total_births_in_the_five_years():
    # Births 1993-97 implied by the box: girls surviving to 0-4 were 302 392 - half the 0-4 migrants
    res = _box62()
    girls = res.births[0, 0, FEMALE]
    half_mig_0 = 0.5 * 5 * MIG_RATES[0] * POP_1993[0]
    assert girls * SURV_0 + half_mig_0 == pytest.approx(302392, abs=0.5)
    assert res.births[0, 0].sum() == pytest.approx(girls * 2.05, rel=1e-12)


def test_box_6_2_accounts_balance():
    res = _box62()
    assert np.abs(res.account_residual()).max() < 1e-6
