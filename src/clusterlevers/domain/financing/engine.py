"""The vectorised yearly step of the financing model.

Every array has shape (draws, clusters); time is the only loop. Equations (docs/financing-model.md):

    G   = L * p(t) * ((1 - phi) + phi * 2 * perf), capped by the match and the capped share
    F   = M * fee
    S   = M * s_max * V^gamma
    J   = theta * M * v_proj * (0.3 + 0.7 V) * (1 + g_call)^t   (public-origin share pi_pub)
    E   = e * M^beta
    K   = FTE * wage + K0;  Res' = Res + Rev - K
    FTE' = FTE + (h_up | h_down) * (FTE* - FTE),  FTE* = (Rev_expected + rho * Res' - K0) / wage, where
          Rev_expected swaps this year's grant for the lowest planned grant of the next n_plan years
          (the board knows the contract's profile, not the caps or gates)
    V'  = V + lambda * min(FTE / FTE_ref, 1) * (1 - V) - delta * 1[FTE < 1] * V
    M'  = M * (1 - churn) + (M_cap - M)+ * (1 - exp(-a_rec * FTE / M_cap))   (about a_rec * FTE * (1 - M/M_cap)
          while recruits are few; never overshoots capacity),  churn = c0 + c1 * max(0, fee / WTP - 1),
          WTP = w0 + w1 * V
    dissolved after n_floor consecutive years with FTE < FTE_min or M < M_min, or merged when weak
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .parameters import ParameterFile
from .programme import Programme

STREAMS = ("program_grant", "other_public", "membership_fees", "paid_services", "overheads_public",
           "overheads_private", "sponsorship_events")
PUBLIC_STREAMS = ("program_grant", "other_public", "overheads_public")
PROJECT_BASE = 0.3  # project volume at zero maturity, share of full volume (part of the J equation)


@dataclass
class Noise:
    """Random numbers for one block of draws; identical across designs (common random numbers)."""

    u_params: np.ndarray   # (n_params, B)
    z_params: np.ndarray   # (n_params, B, CMAX)
    u_tier: np.ndarray     # (B, CMAX)
    u_maturity: np.ndarray  # (B, CMAX)
    perf: np.ndarray       # (T, B, CMAX) standard normal
    merge: np.ndarray      # (T, B, CMAX) uniform


@dataclass
class BlockOut:
    """Per-year portfolio sums per draw (T, B) and per-cluster facts (B, C)."""

    sums: dict[str, np.ndarray]
    alive: np.ndarray          # (T, B, C) bool, alive during year t
    viable: np.ndarray         # (T, B, C) bool, alive and non-program revenue covers a minimum team
    rev_before_end: np.ndarray  # (B, C) revenue in the last full grant year (nan if out of range)
    rev_at_end: np.ndarray     # (B, C) revenue in the first year after the grant
    full: dict[str, np.ndarray] = field(default_factory=dict)  # (T, B, C) when recorded


def initial_state(prog: Programme, spec: ParameterFile, P: dict[str, np.ndarray], noise: Noise
                  ) -> dict[str, np.ndarray]:
    rule = spec.rule("maturity_focus").model_extra or {}
    tiers = rule["values"]
    B, C = P["fee"].shape
    ut = noise.u_tier[:, :C]
    um = noise.u_maturity[:, :C]
    if prog.maturity_focus == "tiered_ladder":
        names = list(rule["ladder_weights"])
        weights = np.array([float(rule["ladder_weights"][n]) for n in names])
        edges = np.cumsum(weights / weights.sum())
        idx = np.minimum(np.searchsorted(edges, ut, side="right"), len(names) - 1)
        scale_by = np.array([float(tiers[n]["scale"]) for n in names])
        lo_by = np.array([float(tiers[n]["maturity"][0]) for n in names])
        hi_by = np.array([float(tiers[n]["maturity"][1]) for n in names])
        s, lo, hi = scale_by[idx], lo_by[idx], hi_by[idx]
    else:
        t = tiers[prog.maturity_focus]
        s = np.full((B, C), float(t["scale"]))
        lo, hi = np.full((B, C), float(t["maturity"][0])), np.full((B, C), float(t["maturity"][1]))
    m_floor = P["floor_members"]
    M = np.maximum(P["members_initial"] * s, m_floor)
    FTE = P["staff_initial"] * s
    state = {
        "M": M,
        "FTE": FTE,
        "V": lo + um * (hi - lo),
        "Mcap": np.maximum(P["member_capacity"] * s, 1.2 * M),
        "q": P["match_capacity"] * s,
        "Res": P["initial_reserves"] * (FTE * P["wage"] + P["fixed_cost"]),
    }
    return state


def run_block(prog: Programme, spec: ParameterFile, P: dict[str, np.ndarray], noise: Noise, years: int,
              record_full: bool = False) -> BlockOut:
    B, C = P["fee"].shape
    st = initial_state(prog, spec, P, noise)
    M, FTE, V, Res, Mcap, q = st["M"], st["FTE"], st["V"], st["Res"], st["Mcap"], st["q"]
    alive = np.ones((B, C), dtype=bool)
    gated = np.zeros((B, C), dtype=bool)
    strikes = np.zeros((B, C), dtype=np.int8)
    profile = prog.profile(years)
    look = int(P["planning_years"].flat[0])
    padded = prog.profile(years + look + 1)
    ahead = np.array([padded[t + 1:t + 1 + look].min() for t in range(years)])  # lowest planned level ahead
    caps = prog.cap_by_year(years)
    t_end = prog.grant_end_index
    org_factor = prog.org_share + P["overhead_rate"] * (1.0 - prog.org_share)  # (B, C)
    lam = P["learning_rate"] * prog.learning_boost
    gamma = P["service_gamma"]
    beta = P["sponsorship_exponent"]
    min_team_cost = P["min_team_staff"] * P["wage"] + P["fixed_cost"]
    floor_years = P["floor_years"]
    sums: dict[str, np.ndarray] = {k: np.zeros((years, B)) for k in (
        *STREAMS, "revenue", "program_money", "program_planned", "members", "staff", "alive", "cost")}
    alive_hist = np.zeros((years, B, C), dtype=bool)
    viable_hist = np.zeros((years, B, C), dtype=bool)
    rev_before = np.full((B, C), np.nan)
    rev_at = np.full((B, C), np.nan)
    full: dict[str, np.ndarray] = {}
    if record_full:
        for k in (*STREAMS, "revenue", "program_money", "members", "staff", "maturity", "reserves", "cost"):
            full[k] = np.zeros((years, B, C))
        full["alive"] = np.zeros((years, B, C), dtype=bool)

    for t in range(years):
        a = alive.astype(float)
        call = (1.0 + P["call_trend"]) ** t
        F = M * P["fee"]
        S = M * P["service_max"] * V ** gamma
        vol = M * P["project_volume"] * (PROJECT_BASE + (1.0 - PROJECT_BASE) * V) * call
        J = P["overhead_rate"] * vol
        Jpub = J * P["project_public_origin"]
        Jpriv = J - Jpub
        E = P["sponsorship_scale"] * M ** beta
        Oth = P["other_public"]
        private = F + S + E + Jpriv

        # program grant: planned level x performance link, then the caps
        perf = np.clip(V + P["performance_noise"] * noise.perf[t, :, :C], 0.0, 1.0)
        planned = prog.grant_keur * profile[t]
        g_total = planned * ((1.0 - prog.phi) + prog.phi * 2.0 * perf)
        if prog.gate_every:
            g_total = np.where(gated, 0.0, g_total)
        if prog.match_ratio > 0.0:
            raised = private + (q * M * (PROJECT_BASE + (1.0 - PROJECT_BASE) * V) if prog.projects_match else 0.0)
            g_total = np.minimum(g_total, raised / prog.match_ratio)
        G = g_total * org_factor
        if caps is not None and profile[t] > 0:
            cap = caps[t]
            limit = np.maximum(cap / (1.0 - cap) * private - Oth - Jpub, 0.0)
            G = np.minimum(G, limit)
            g_total = G / org_factor
        G = G * a
        g_total = g_total * a
        Oth = Oth * a
        F, S, Jpub, Jpriv, E = F * a, S * a, Jpub * a, Jpriv * a, E * a
        rev = G + Oth + F + S + Jpub + Jpriv + E
        cost = (FTE * P["wage"] + P["fixed_cost"]) * a

        if t == t_end - 1:
            rev_before = np.where(alive, rev, np.nan)
        if t == t_end:
            rev_at = rev.copy()
        alive_hist[t] = alive
        viable_hist[t] = alive & (rev - G >= min_team_cost)
        for name, arr in zip(STREAMS, (G, Oth, F, S, Jpub, Jpriv, E), strict=True):
            sums[name][t] = arr.sum(axis=1)
        sums["revenue"][t] = rev.sum(axis=1)
        sums["program_money"][t] = g_total.sum(axis=1)
        sums["program_planned"][t] = (planned * a).sum(axis=1)
        sums["members"][t] = (M * a).sum(axis=1)
        sums["staff"][t] = (FTE * a).sum(axis=1)
        sums["alive"][t] = a.sum(axis=1)
        sums["cost"][t] = cost.sum(axis=1)
        if record_full:
            for name, arr in zip(STREAMS, (G, Oth, F, S, Jpub, Jpriv, E), strict=True):
                full[name][t] = arr
            full["revenue"][t] = rev
            full["program_money"][t] = g_total
            full["members"][t] = M * a
            full["staff"][t] = FTE * a
            full["maturity"][t] = V * a
            full["reserves"][t] = Res * a
            full["cost"][t] = cost
            full["alive"][t] = alive

        # ---- update the state for next year
        Res = Res + rev - cost
        # expected revenue next year: the board knows the planned grant profile (not the caps or gates)
        nxt = ahead[t] / profile[t] if profile[t] > 0 else 1.0
        expected = rev - G + G * nxt if nxt != 1.0 else rev
        target = np.maximum((expected + P["reserve_draw"] * Res - P["fixed_cost"]) / P["wage"], 0.0)
        FTE = FTE + np.where(target > FTE, P["hire_speed"], P["cut_speed"]) * (target - FTE)
        V = V + lam * np.minimum(FTE / P["staff_reference"], 1.0) * (1.0 - V) - P["maturity_decay"] * (FTE < 1.0) * V
        V = np.clip(V, 0.0, 1.0)
        wtp = P["wtp_base"] + P["wtp_value"] * V
        churn = np.clip(P["churn_base"] + P["churn_fee_sensitivity"] * np.maximum(P["fee"] / np.maximum(wtp, 1e-6)
                                                                                   - 1.0, 0.0), 0.0, 0.9)
        pool = np.maximum(Mcap - M, 0.0)  # recruit from the remaining pool; never overshoots capacity
        M = M * (1.0 - churn) + pool * (1.0 - np.exp(-P["recruitment"] * FTE / Mcap))
        if t + 1 == t_end and prog.transition != "permanent_core":
            M = M * (1.0 - P["grant_end_churn"])
        if prog.gate_every and t + 1 < prog.horizon and (t + 1) % prog.gate_every == 0:
            gated |= perf < prog.gate_threshold
        weak = (FTE < P["floor_staff"]) | (M < P["floor_members"])
        strikes = np.where(weak & alive, strikes + 1, 0).astype(np.int8)
        merged = weak & (noise.merge[t, :, :C] < P["merge_probability"])
        alive = alive & ~(strikes >= floor_years) & ~merged

    return BlockOut(sums=sums, alive=alive_hist, viable=viable_hist, rev_before_end=rev_before, rev_at_end=rev_at,
                    full=full)
