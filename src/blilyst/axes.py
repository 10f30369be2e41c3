"""The one place that knows the demographic axes.

Arrays in blilyst are shaped ``(region, sex, age)`` per year. Ages are single years
0..105 where 105 is the open interval 105+ (as SSB publishes table 07459). Stocks are
populations on 1 January.
"""

from __future__ import annotations

import numpy as np

SEXES: tuple[str, ...] = ("male", "female")
MALE, FEMALE = 0, 1
N_SEXES = len(SEXES)

MAX_AGE = 105  # open-ended last age group: 105 years or older
AGES = np.arange(MAX_AGE + 1)
N_AGES = len(AGES)

WORKING_AGE = (20, 66)  # inclusive, the guidance's and SSB's 20-66
PENSION_AGE = 67

SEX_LABELS_NB = {"male": "Menn", "female": "Kvinner"}
SEX_LABELS_EN = {"male": "Males", "female": "Females"}


def age_band_label(lo: int, hi: int) -> str:
    """``"20–24"``, or ``"90+"`` when the band reaches the open last age group."""
    return f"{lo}+" if hi >= MAX_AGE else f"{lo}–{hi}"
