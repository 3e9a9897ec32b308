"""Impact estimators: Callaway-Sant'Anna (cs), two-way fixed effects (twfe), PSM with DiD (psm)."""
