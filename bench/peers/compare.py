"""Run blilyst's projection engine side by side with the R peers ccmpp and befproj.

Usage (from the repository root; needs R with the peers installed, see docs/peers.md)::

    .venv/bin/python bench/peers/compare.py [--cases box62,thailand,kviteseid5,all357,umea,kviteseid,bef357]
                                           [--out bench/peers/results.json]

Every case writes identical inputs for both engines, runs the peer through ``Rscript
bench/peers/peers.R`` and blilyst's :func:`blilyst.demography.projection.project` in this process,
and reports the largest absolute and relative differences and the wall-clock time of each engine
(the peers' time is measured inside R around the projection calls only; blilyst's with
``time.perf_counter`` around ``project``; both the best of ``--reps`` repetitions).

The peers' code is not copied here: ccmpp and befproj are called as installed R packages, and
this file only converts inputs between their layouts and blilyst's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from blilyst.axes import FEMALE
from blilyst.demography.projection import advance, project

HERE = Path(__file__).resolve().parent
PEERS_R = HERE / "peers.R"
KVITESEID = "4028"


# --------------------------------------------------------------------------------------------
# plumbing
# --------------------------------------------------------------------------------------------
def write_case(d: Path, dims: dict, **arrays) -> None:
    d.mkdir(parents=True, exist_ok=True)
    (d / "dims.txt").write_text("".join(f"{k} {v}\n" for k, v in dims.items()))
    for name, arr in arrays.items():
        np.ascontiguousarray(arr, dtype="<f8").tofile(d / f"{name}.bin")


def run_r(mode: str, d: Path) -> dict[str, float]:
    proc = subprocess.run(["Rscript", str(PEERS_R), mode, str(d)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript {mode} failed:\n{proc.stderr[-3000:]}")
    return {k: float(v) for k, v in (line.split() for line in (d / "timing.txt").read_text().splitlines())}


def read_out(d: Path, name: str, shape: tuple[int, ...]) -> np.ndarray:
    return np.fromfile(d / name, dtype="<f8").reshape(shape)


def timed(fn, reps: int):
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def diff(a: np.ndarray, b: np.ndarray, floor: float = 1.0) -> dict[str, float]:
    """Largest absolute difference (persons) and relative difference (cells with b >= floor)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    ad = np.abs(a - b)
    big = np.abs(b) >= floor
    rel = float((ad[big] / np.abs(b[big])).max()) if big.any() else 0.0
    return {"max_abs": float(ad.max()), "max_rel": rel}


# --------------------------------------------------------------------------------------------
# inputs from the snapshot
# --------------------------------------------------------------------------------------------
def life_table_5(mx: np.ndarray, top: int = 85) -> np.ndarray:
    """5-year survival ratios (sex, A+1) for groups 0-4..(top-5)-(top-1), top+ from single-year
    m(x) (sex, 0..110+): S0 = 5L0/(5 l0), S[a] = 5L(a)/5L(a-1), the last closed group into the
    open one T(top)/T(top-5), the open group T(top+5)/T(top) (PHG 2001, ch. 6)."""
    ax = np.full(mx.shape, 0.5)
    ax[..., 0] = 0.1
    qx = np.clip(mx / (1 + (1 - ax) * mx), 0, 1)
    qx[..., -1] = 1.0
    lx = np.concatenate([np.ones((*mx.shape[:-1], 1)), np.cumprod(1 - qx, axis=-1)[..., :-1]], axis=-1)
    dx = lx * qx
    Lx = lx - (1 - ax) * dx
    Lx[..., -1] = lx[..., -1] / mx[..., -1]
    Tx = np.cumsum(Lx[..., ::-1], axis=-1)[..., ::-1]
    L5 = np.stack([Lx[..., a : a + 5].sum(axis=-1) for a in range(0, top, 5)], axis=-1)  # closed groups
    A = top // 5 + 1
    s = np.empty((*mx.shape[:-1], A + 1))
    s[..., 0] = L5[..., 0] / 5.0
    s[..., 1 : A - 1] = L5[..., 1:] / L5[..., :-1]
    s[..., A - 1] = Tx[..., top] / Tx[..., top - 5]
    s[..., A] = Tx[..., top + 5] / Tx[..., top]
    return s


def group5(x: np.ndarray, top: int = 85) -> np.ndarray:
    """Sum single-year ages (last axis, 0..105+) into 0-4, ..., (top-5)-(top-1), top+."""
    parts = [x[..., a : a + 5].sum(axis=-1) for a in range(0, top, 5)] + [x[..., top:].sum(axis=-1)]
    return np.stack(parts, axis=-1)


class SnapshotInputs:
    """The bundled snapshot and blilyst's trend rates (estimated on first use)."""

    def __init__(self):
        from blilyst.demography.scenarios import _srb
        from blilyst.stats.snapshot import load_snapshot

        self.snap = load_snapshot()
        self.srb = _srb(self.snap)
        self._rs = None

    @property
    def rs(self):
        if self._rs is None:
            from blilyst.demography.rates import estimate_rates

            self._rs = estimate_rates(snapshot=self.snap)
        return self._rs

    def __iter__(self):  # snap, rs, srb, mortality_array
        from blilyst.demography.rates import mortality_array

        return iter((self.snap, self.rs, self.srb, mortality_array))


# --------------------------------------------------------------------------------------------
# ccmpp cases
# --------------------------------------------------------------------------------------------
BOX62 = dict(
    fert=[0, 0, 0, 0.012, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 3e-04, 0, 0, 0, 0, 0, 0, 0],
    surv=[
        0.994974,
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
    ],
    pop=[
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
    ],
    mig=[
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
    ],
)


def ccmpp_case(tmp: Path, name: str, base, surv, fert, mig, srb, steps, interval, reps=1, rounds=1):
    """base (R,2,A); surv (RS,T,2,A+1); fert (R,T,A); mig (R,T,2,A) annual proportions (period).

    ``rounds`` alternates the peer (``reps`` repetitions inside R) and blilyst (``reps``
    repetitions) that many times and keeps each one's best, so that both meet the same load."""
    R, _, A = base.shape
    RS = surv.shape[0]
    d = tmp / name
    write_case(
        d,
        {"R": R, "T": steps, "A": A, "RS": RS, "interval": interval, "srb": repr(float(srb)), "reps": reps},
        base=base,
        surv=surv,
        fert=fert,
        mig=mig,
    )
    s_eng = np.moveaxis(surv, 0, 1)  # (T, RS, 2, A+1)
    f_eng = np.moveaxis(fert, 0, 1)
    m_eng = np.moveaxis(mig, 0, 1)
    t_peer, t_bl = {}, float("inf")
    for _ in range(rounds):
        for k, v in run_r("ccmpp", d).items():
            t_peer[k] = min(v, t_peer.get(k, float("inf")))
        res, t = timed(
            lambda: project(
                base,
                s_eng,
                f_eng,
                steps,
                srb=srb,
                interval=interval,
                net_migration_rates=m_eng,
                migration_timing="period",
            ),
            reps,
        )
        t_bl = min(t_bl, t)
    out_c = read_out(d, "out_c.bin", (R, steps + 1, 2, A))
    out_r = read_out(d, "out_r.bin", (R, steps + 1, 2, A))
    ours = np.moveaxis(res.population, 0, 1)  # (R, T+1, 2, A)
    return (
        {
            "case": name,
            "regions": R,
            "steps": steps,
            "interval": interval,
            "age_groups": A,
            "vs_ccmpp_c": diff(ours, out_c),
            "vs_ccmpp_r": diff(ours, out_r),
            "ccmpp_c_vs_r": diff(out_c, out_r),
            "total_last_step": {"blilyst": float(ours[:, -1].sum()), "ccmpp_c": float(out_c[:, -1].sum())},
            "seconds": {"blilyst": t_bl, **t_peer},
            "rounds": rounds,
            "reps": reps,
        },
        ours,
        out_c,
    )


def case_box62(tmp: Path, reps: int):
    b = BOX62
    base = np.array([b["pop"], b["pop"]], dtype=float)[None]
    surv = np.array(b["surv"])[None, None, None, :].repeat(2, axis=2)
    fert = np.array(b["fert"])[None, None]
    mig = np.array(b["mig"])[None, None, None].repeat(2, axis=2)
    out, ours, _ = ccmpp_case(tmp, "box62", base, surv, fert, mig, 1.05, 1, 5, reps)
    printed = [
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
    out["blilyst_vs_printed_box_6_2"] = diff(np.round(ours[0, 1, FEMALE]), np.array(printed, float))
    return out


def case_thailand(tmp: Path, reps: int, ex_dir: Path):
    """ccmpp's own example (Thailand 1960-2000, UN WPP-style 5-year data shipped with ccmpp)."""
    inp = pd.read_csv(ex_dir / "ccmpp_thailand_inputs.csv")
    outp = pd.read_csv(ex_dir / "ccmpp_thailand_output.csv")

    def mat(frame, what):
        x = frame[frame.what == what]
        m = np.zeros((x.row.max(), x.col.max()))
        m[x.row - 1, x.col - 1] = x.value
        return m  # (ages, steps)

    A, T = mat(inp, "fert").shape
    base = np.stack([mat(inp, "base_male")[:, 0], mat(inp, "base_female")[:, 0]])[None]
    surv = np.stack([mat(inp, "surv_male").T, mat(inp, "surv_female").T], axis=1)  # (T, 2, A+1)
    fert = mat(inp, "fert").T  # (T, A)
    mig = np.stack([mat(inp, "mig_male").T, mat(inp, "mig_female").T], axis=1)
    srb = mat(inp, "srb")[0]  # (T,)
    res, t_bl = timed(
        lambda: project(
            base, surv[:, None], fert[:, None], T, srb=srb[:, None], interval=5, net_migration_rates=mig[:, None]
        ),
        reps,
    )
    ours = res.population[:, 0]  # (T+1, 2, A)
    peer = np.stack([mat(outp, "c_male").T, mat(outp, "c_female").T], axis=1)
    peer_r = np.stack([mat(outp, "r_male").T, mat(outp, "r_female").T], axis=1)
    return {
        "case": "thailand",
        "regions": 1,
        "steps": T,
        "interval": 5,
        "age_groups": A,
        "vs_ccmpp_c": diff(ours, peer),
        "vs_ccmpp_r": diff(ours, peer_r),
        "total_last_step": {"blilyst": float(ours[-1].sum()), "ccmpp_c": float(peer[-1].sum())},
        "seconds": {"blilyst": t_bl},
    }


def case_kviteseid5(tmp: Path, reps: int, ctx):
    """Kviteseid 2026, 5-year groups 0-4..80-84, 85+, 10 steps: national HMD life table of the
    last year, HFD fertility of the last year (5-year means), the municipality's net migration
    rates (blilyst's residual estimate, population-weighted into 5-year groups)."""
    snap, rs, srb, mortality_array = ctx
    r = rs.codes.index(KVITESEID)
    mx, _ = mortality_array(snap.mortality, [int(snap.mortality.year.max())])
    surv = life_table_5(mx[0])  # (2, 19)
    fy = snap.fertility[snap.fertility.year == snap.fertility.year.max()]
    asfr = np.zeros(106)
    asfr[fy.age.to_numpy()] = fy.asfr.to_numpy()
    fert5 = group5(asfr) / 5.0
    pop1 = rs.base[r]  # (2, 106)
    base5 = group5(pop1)
    mig5 = group5(rs.migration_rate[r] * pop1) / np.maximum(base5, 1e-9)
    T = 10
    out, *_ = ccmpp_case(
        tmp,
        "kviteseid5",
        base5[None],
        surv[None, None].repeat(T, 1),
        fert5[None, None].repeat(T, 1),
        mig5[None, None].repeat(T, 1),
        srb,
        T,
        5,
        reps,
    )
    return out


def _cohort_start(P: np.ndarray) -> np.ndarray:
    out = np.empty_like(P)
    out[..., 0] = P[..., 0]
    out[..., 1:] = P[..., :-1]
    out[..., -1] += P[..., -1]
    return out


def case_all357(tmp: Path, reps: int, ctx, years: int = 50, rounds: int = 1):
    """All 357 municipalities, single years 0..105+, 50 annual steps, blilyst's trend inputs
    (survival with improvement as ``RateSchedule.survival`` gives it, national or by region, and
    local fertility) and a common net migration schedule (below)."""
    _snap, rs, srb, _ = ctx
    surv = np.moveaxis(rs.survival(years), 0, 1)  # (1 or R, T, 2, 107)
    fert = np.ascontiguousarray(np.moveaxis(rs.fertility(years), 0, 1))  # (R, T, 106)
    # ccmpp takes period proportions (applied to the group's own start population); blilyst's
    # trend rates are by end-of-year cohort. Used as period proportions, any negative rate can ask
    # a group to lose more people than it has (a small municipality with nobody one year younger),
    # which blilyst refuses and ccmpp turns into a negative stock. So both engines get the same
    # well-behaved schedule: the national net migration proportion by sex and age (blilyst's
    # residual estimate summed over the 357 municipalities), negatives and ages 95+ (where the
    # residual of a few hundred people is noise) set to 0.
    nat_m = (rs.migration_rate * _cohort_start(rs.base)).sum(axis=0)
    nat_p = rs.base.sum(axis=0)
    nat_rate = np.divide(nat_m, nat_p, out=np.zeros_like(nat_m), where=nat_p > 0).clip(0, None)
    nat_rate[:, 95:] = 0.0
    period = np.broadcast_to(nat_rate, rs.base.shape)
    mig = np.broadcast_to(period[:, None], (len(rs.codes), years, 2, 106))
    out, ours, peer = ccmpp_case(tmp, "all357", rs.base, surv, fert, mig, srb, years, 1, reps, rounds)
    k = rs.codes.index(KVITESEID)
    out["kviteseid_single_year"] = diff(ours[k], peer[k])
    out["kviteseid_total"] = {"blilyst": float(ours[k, -1].sum()), "ccmpp_c": float(peer[k, -1].sum())}
    # blilyst's naive baseline in the same run: the same engine called once per municipality
    s_eng = np.moveaxis(surv, 0, 1)

    def loop():
        for i in range(len(rs.codes)):
            si = s_eng if s_eng.shape[1] == 1 else s_eng[:, i : i + 1]
            project(
                rs.base[i : i + 1],
                si,
                fert[i : i + 1].swapaxes(0, 1),
                years,
                srb=srb,
                net_migration_rates=period[i : i + 1],
                migration_timing="period",
            )

    out["seconds"]["blilyst_per_municipality_loop"] = min(timed(loop, 1)[1] for _ in range(rounds))

    # the engine's arithmetic alone: blilyst's public one-step function in a loop over years,
    # without project()'s input checks and its births/deaths/flows bookkeeping
    girls = 1.0 / (1.0 + srb)
    s_steps = np.moveaxis(surv, 0, 1)  # (T, 1 or R, 2, 107)
    f_steps = np.moveaxis(fert, 0, 1)  # (T, R, 106)

    def steps_only():
        P = rs.base.copy()
        for t in range(years):
            P, _, _ = advance(P, period * P, s_steps[t], f_steps[t], girls, with_deaths=False)
        return P

    last, out["seconds"]["blilyst_advance_only"] = timed(steps_only, reps * rounds)
    out["advance_only_vs_project"] = diff(last, ours[:, -1])
    return out


# --------------------------------------------------------------------------------------------
# befproj cases
# --------------------------------------------------------------------------------------------
def befproj_to_engine(start, q, asfr, inrate, outrate, intnet, natpop, girls=0.486) -> dict:
    """blilyst's engine on befproj's inputs (all (R, T, 2, 101) by age x on 1 January, start (R,2,101),
    natpop (T,2,101), asfr (R,T,101)).

    The conversion keeps every count the inputs imply: survival of the cohort aged x is 1-q[x];
    befproj applies the out-migration rate to the survivors, so the rate on the start population
    is o[x](1-q[x]); in-migrants are inrate[x]*natpop[x] plus the international net, given as
    counts by end-of-year cohort; newborns are not exposed to mortality (S0 = 1), and the birth
    sex ratio is 0.514/0.486. befproj has no open age group (the oldest cohort gets older each
    year, with q = 0.3 above 100): blilyst gets ages 0..100+T+1 so its open group stays empty.
    """
    R, T = q.shape[:2]
    A = 101 + T + 1
    S = np.zeros((T, R, 2, A + 1))
    S[..., 0] = 1.0
    S[..., 1:102] = np.moveaxis(1.0 - q, 1, 0)
    S[..., 102:A] = 0.7
    S[..., A] = 0.7
    rate = np.zeros((T, R, 2, A))
    rate[..., 1:102] = -np.moveaxis(outrate * (1.0 - q), 1, 0)
    counts = np.zeros((T, R, 2, A))
    counts[..., 1:102] = np.moveaxis(inrate * natpop[None] + intnet, 1, 0)
    fert = np.zeros((T, R, A))
    fert[..., 1:102] = np.moveaxis(asfr, 1, 0)  # befproj's rate for age x applies to the cohort at x+1 at year end
    base = np.zeros((R, 2, A))
    base[..., :101] = start
    return dict(
        base=base,
        survival=S,
        fertility=fert,
        steps=T,
        srb=(1 - girls) / girls,
        net_migration=counts,
        net_migration_rates=rate,
        migration_timing="cohort",
    )


def engine_to_befproj(res):
    """Engine result -> (R, T+1, 2, 101) stocks with 100+ summed, as befproj prints them."""
    pop = res.population.copy()
    pop[..., 100] = pop[..., 100:].sum(axis=-1)
    return np.moveaxis(pop[..., :101], 0, 1), res  # (R, T+1, 2, 101) with 100+ as befproj prints it


def befproj_case(tmp: Path, name: str, start, q, asfr, inrate, outrate, intnet, natpop, year, reps=1):
    R, T = q.shape[:2]
    d = tmp / name
    # R reads (A, S, T, R) column-major = NumPy (R, T, S, A) C order
    write_case(
        d,
        {"R": R, "T": T, "year": year, "reps": reps},
        start=start,
        q=q,
        asfr=asfr,
        inrate=inrate,
        outrate=outrate,
        intnet=intnet,
        natpop=natpop,
    )
    t_peer = run_r("befproj", d)
    peer = read_out(d, "out_bef.bin", (R, T + 1, 2, 101))
    kw = befproj_to_engine(start, q, asfr, inrate, outrate, intnet, natpop)
    res, t_bl = timed(lambda: project(**kw), reps)
    ours, _ = engine_to_befproj(res)
    tot_p = peer.sum(axis=(2, 3))
    tot_o = ours.sum(axis=(2, 3))
    out = {
        "case": name,
        "regions": R,
        "steps": T,
        "vs_befproj": diff(ours, peer),
        "total_rel_diff_max": float(np.abs(tot_o / tot_p - 1).max()),
        "seconds": {"blilyst": t_bl, **t_peer},
    }
    if R <= 5:
        comp = pd.read_csv(d / "components_bef.csv")
        c0 = comp[(comp.region == 1)].iloc[1:]
        out["first_years"] = {
            "births_befproj": c0["births.tot"].to_numpy()[:3].round(3).tolist(),
            "births_blilyst": res.births[:3, 0].sum(axis=-1).round(3).tolist(),
            "total_befproj": tot_p[0, [1, 2, 3, -1]].round(2).tolist(),
            "total_blilyst": tot_o[0, [1, 2, 3, -1]].round(2).tolist(),
        }
    return out, ours, peer


def _by_age(df: pd.DataFrame, value: str) -> np.ndarray:
    return df.sort_values("age")[value].to_numpy(float)


def umea_inputs(ex_dir: Path):
    """befproj's example data (Umeå 2019, 12 years) in the (R, T, S, A) layout."""
    sp = pd.read_csv(ex_dir / "befproj_startpop.csv").sort_values("age")
    asm = pd.read_csv(ex_dir / "befproj_assump.csv")
    cols = [c for c in asm.columns if c.startswith("ar_")]

    def cat(k):
        return asm[asm.category == k].sort_values("age")[cols].to_numpy(float).T  # (T, 101)

    sexes = lambda m, w: np.stack([cat(m), cat(w)], axis=1)[None]  # noqa: E731  (1, T, 2, 101)
    start = np.stack([sp.men.to_numpy(float), sp.women.to_numpy(float)])[None]
    return dict(
        start=start,
        q=sexes("asdr_men", "asdr_women"),
        asfr=cat("asfr")[None],
        inrate=sexes("inmig.rates.men", "inmig.rates.women"),
        outrate=sexes("outmig.rates.men", "outmig.rates.women"),
        intnet=sexes("intermig.net.men", "intermig.net.women"),
        natpop=sexes("natpop.men", "natpop.women")[0],
    )


def kviteseid_bef_inputs(ctx, years: int, codes: list[str] | None = None):
    """befproj-style inputs from the snapshot: national q(x) and ASFR of the last data year, gross
    in- and out-migration by age from the Telemark file (Kviteseid, 2016-2025, sexes split evenly
    as the file has no sex), in-migration per person of the national population, no separate
    international term (the Telemark moves include it). ``codes``: start populations of these
    municipalities with Kviteseid's rates (the timing task)."""
    from blilyst.demography.rates import engine_survival, mortality_array

    snap = ctx.snap
    mx, _ = mortality_array(snap.mortality, [int(snap.mortality.year.max())])
    s = engine_survival(mx[0])  # (2, 107): index a = cohort a-1 -> a
    q = 1.0 - s[:, 1:102]  # by age x at 1 January, x = 0..100
    fy = snap.fertility[snap.fertility.year == snap.fertility.year.max()]
    asfr_end = np.zeros(106)
    asfr_end[fy.age.to_numpy()] = fy.asfr.to_numpy()
    asfr = asfr_end[1:102]  # rate by age at the end of the year, indexed by age at the start
    pop = snap.population
    mig = snap.migration_by_age[snap.migration_by_age.municipality == KVITESEID]
    yrs = sorted(mig.year.unique())
    kv = pop[pop.municipality == KVITESEID]
    nat = snap.national_population
    out_n = np.zeros(101)
    start_n = np.zeros((2, 101))
    in_n = np.zeros(101)
    nat_n = np.zeros((2, 101))
    for y in yrs:
        m = mig[mig.year == y].set_index("age")
        end_age = np.clip(m.index.to_numpy(), 1, 101) - 1  # age at 1 January of the cohort
        np.add.at(out_n, end_age, m.out_migration.to_numpy(float))
        np.add.at(in_n, end_age, m.in_migration.to_numpy(float))
        for si, sx in enumerate(("male", "female")):
            p = kv[(kv.year == y) & (kv.sex == sx)].set_index("age").population.reindex(range(106), fill_value=0)
            start_n[si] += np.r_[p.to_numpy(float)[:100], p.to_numpy(float)[100:].sum()]
            n = nat[(nat.year == y) & (nat.sex == sx)].set_index("age").population.reindex(range(106), fill_value=0)
            nat_n[si] += np.r_[n.to_numpy(float)[:100], n.to_numpy(float)[100:].sum()]
    surv_n = start_n.sum(axis=0) * (1 - q.mean(axis=0))
    outrate = np.divide(out_n, surv_n, out=np.zeros(101), where=surv_n > 0).clip(0, 0.9)
    inrate = np.divide(0.5 * in_n, nat_n, out=np.zeros((2, 101)), where=nat_n > 0)
    last = int(pop.year.max())
    natpop_last = np.zeros((2, 101))
    for si, sx in enumerate(("male", "female")):
        n = nat[(nat.year == last) & (nat.sex == sx)].set_index("age").population.reindex(range(106), fill_value=0)
        natpop_last[si] = np.r_[n.to_numpy(float)[:100], n.to_numpy(float)[100:].sum()]
    codes = codes or [KVITESEID]
    _cube_codes, _, cube = snap.population_cube(municipalities=codes, years=[last])
    base = cube[0]  # (R, 2, 106)
    start = np.concatenate([base[..., :100], base[..., 100:].sum(axis=-1, keepdims=True)], axis=-1)
    R, T = len(codes), years
    rep = lambda x: np.broadcast_to(x, (R, T, *np.shape(x))).copy()  # noqa: E731
    return dict(
        start=start,
        q=rep(q),
        asfr=rep(asfr),
        inrate=rep(inrate),
        outrate=rep(np.stack([outrate, outrate])),
        intnet=np.zeros((R, T, 2, 101)),
        natpop=np.broadcast_to(natpop_last, (T, 2, 101)).copy(),
    ), last


def case_umea(tmp: Path, reps: int, ex_dir: Path):
    inp = umea_inputs(ex_dir)
    out, _ours, _peer = befproj_case(tmp, "umea", **inp, year=2019, reps=reps)
    # method decomposition: switch off one process at a time, in both engines
    no_mig = dict(inp, inrate=0 * inp["inrate"], outrate=0 * inp["outrate"], intnet=0 * inp["intnet"])
    out["without_migration"] = befproj_case(tmp, "umea_nomig", **no_mig, year=2019)[0]["vs_befproj"]
    no_fert = dict(inp, asfr=0 * inp["asfr"])
    out["without_births"] = befproj_case(tmp, "umea_nofert", **no_fert, year=2019)[0]["vs_befproj"]
    no_both = dict(no_mig, asfr=0 * inp["asfr"])
    out["mortality_only"] = befproj_case(tmp, "umea_mort", **no_both, year=2019)[0]["vs_befproj"]
    # befproj's own printed result: the population at the end, Umeå 2031 (bef_raw)
    raw = pd.read_csv(ex_dir / "befproj_raw.csv")
    out["befproj_2031_total_published_run"] = float(raw[raw.year == 2031][["men_2", "women_2"]].to_numpy().sum())
    return out


def case_kviteseid_bef(tmp: Path, reps: int, ctx, years: int = 20):
    inp, last = kviteseid_bef_inputs(ctx, years)
    out, _ours, _peer = befproj_case(tmp, "kviteseid_bef", **inp, year=last, reps=reps)
    out["base_year"] = last
    return out


def case_bef357(tmp: Path, reps: int, ctx, years: int = 50):
    codes, _, _ = ctx.snap.population_cube()
    inp, last = kviteseid_bef_inputs(ctx, years, codes=list(codes))
    out, *_ = befproj_case(tmp, "bef357", **inp, year=last, reps=reps)
    return out


CASES = ("box62", "thailand", "kviteseid5", "all357", "umea", "kviteseid", "bef357")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--reps", type=int, default=3, help="repetitions of the small cases (best is reported)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="all357: alternate ccmpp and blilyst this many times, keeping each one's best",
    )
    ap.add_argument("--out", default=str(HERE / "results.json"))
    args = ap.parse_args(argv)
    cases = args.cases.split(",")
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    proc = subprocess.run(
        [
            "Rscript",
            "-e",
            "cat(R.version.string, as.character(packageVersion('ccmpp')), "
            "as.character(packageVersion('befproj')), sep='|')",
        ],
        capture_output=True,
        text=True,
    )
    results["machine"]["r"] = proc.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="blilyst-peers-") as t:
        tmp = Path(t)
        ex_dir = tmp / "examples"
        run_r_examples = subprocess.run(
            ["Rscript", str(PEERS_R), "examples", str(ex_dir)], capture_output=True, text=True
        )
        if run_r_examples.returncode != 0:
            raise RuntimeError(run_r_examples.stderr)
        ctx = SnapshotInputs() if set(cases) & {"kviteseid5", "all357", "kviteseid", "bef357"} else None
        for c in cases:
            t0 = time.perf_counter()
            if c == "box62":
                r = case_box62(tmp, args.reps)
            elif c == "thailand":
                r = case_thailand(tmp, args.reps, ex_dir)
            elif c == "kviteseid5":
                r = case_kviteseid5(tmp, args.reps, ctx)
            elif c == "all357":
                r = case_all357(tmp, args.reps, ctx, rounds=args.rounds)
            elif c == "umea":
                r = case_umea(tmp, args.reps, ex_dir)
            elif c == "kviteseid":
                r = case_kviteseid_bef(tmp, args.reps, ctx)
            elif c == "bef357":
                r = case_bef357(tmp, 1, ctx)
            else:
                raise SystemExit(f"unknown case {c!r}; choose from {', '.join(CASES)}")
            results[c] = r
            print(json.dumps(r, indent=1), f"\n[{c}: {time.perf_counter() - t0:.1f} s]", flush=True)
            Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
