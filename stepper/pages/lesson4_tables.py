"""Lesson 4's tables as HTML, from the plain dicts of :mod:`stepper.pages.lesson4_lab`, in the
page's language (numbers with its decimal mark). Every figure in them is one the page measured;
cells the page has not measured yet say so."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from stepper.pages import lesson4_lab
from stepper.pages.i18n import localized, text
from stepper.pages.lesson4_figures import label_of

CELL = 'style="padding:4px 10px;border:1px solid #9aa5b1;text-align:right"'
LEFT = 'style="padding:4px 10px;border:1px solid #9aa5b1;text-align:left"'
SUMMARY_METHODS = ("gd", "nesterov", "newton", "lbfgs", "local_sgd", "admm")


def number(value: float | None, spec: str = ".3g") -> str:
    if value is None or not np.isfinite(value):
        return "—"
    return localized(format(value, spec))


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float) -> str:
    """10⁻⁶ for 1e-6 (a power of ten written as such), else the number."""
    exponent = round(float(np.log10(value)))
    if value > 0 and abs(value - 10.0**exponent) <= 1e-12 * 10.0**exponent:
        return "10" + str(exponent).translate(SUPERSCRIPT)
    return number(value, "g")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th {CELL}>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {LEFT if i == 0 else CELL}>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f'<table class="stepper-table {css}" style="border-collapse:collapse;margin:6px 0">'
            f"<tr>{head}</tr>{body}</table>")


def vector(values: Sequence[float]) -> str:
    return "(" + "; ".join(number(v, ".3g") for v in values) + ")"


def pairs_html(pairs: list[dict[str, Any]], paths: dict[str, Any], memory: int) -> str:
    """The pairs (s, y) L-BFGS keeps (its memory holds ``memory``), newest last, and both
    paths' lengths."""
    rows = [[str(p["k"]), vector(p["s"]), vector(p["y"]), number(p["sy"], ".2e"),
             number(p["gamma"])] for p in pairs]
    caption = text("lesson4.pairs.caption", kept=len(pairs), memory=memory,
                   gd=len(paths["gd"]["weights"]) - 1,
                   lbfgs=len(paths["lbfgs"]["weights"]) - 1,
                   gd_gap=paths["gd"]["objective"][-1] - paths["lbfgs"]["objective"][-1])
    return (f"<div>{html.escape(caption)}</div>"
            + table(["k", "s = w₊ − w", "y = ∇J₊ − ∇J", "sᵀy", "sᵀy / yᵀy"], rows,
                    "stepper-lbfgs-pairs"))


def rounds_html(result: dict[str, Any]) -> str:
    """Per method: iterations, rounds, rounds to the tolerance, rate, bytes per round, s per
    round."""
    rows = []
    for name, curve in result["curves"].items():
        rate = curve["rate"]
        kind = text(f"lesson4.rate.{rate['kind']}")
        if rate["kind"] in ("linear", "sublinear") and rate["ratio"] is not None:
            kind += f" (eₖ₊₁/eₖ ≈ {number(rate['ratio'], '.2f')})"
        reached = curve["rounds_to_tol"]
        rows.append([html.escape(label_of(name)), str(curve["iterations"]),
                     str(curve["rounds"][-1]),
                     str(reached) if reached is not None
                     else html.escape(text("lesson4.not_reached", rounds=curve["rounds"][-1])),
                     html.escape(kind), number(curve["bytes_per_round"], ".0f"),
                     number(curve["seconds_per_round"], ".3f"),
                     number(max(curve["gaps"][-1], 0.0), ".1e")])
    header = [text("lesson4.col.method"), text("lesson4.col.iterations"),
              text("lesson4.col.rounds"),
              text("lesson4.col.rounds_to", tolerance=power_of_ten(result["tolerance"])),
              text("lesson4.col.rate"), text("lesson4.col.bytes_per_round"),
              text("lesson4.col.seconds_per_round"), text("lesson4.col.final_gap")]
    return table(header, rows, "stepper-rounds-table")


def total_cost_html(result: dict[str, Any]) -> str:
    """Total cost = cost per round × rounds (to the tolerance, where reached)."""
    rows = []
    for name, curve in result["curves"].items():
        reached = curve["rounds_to_tol"]
        per = curve["seconds_per_round"]
        rows.append([html.escape(label_of(name)), number(per, ".3f"),
                     str(reached) if reached is not None else "—",
                     number(per * reached, ".2f") if reached is not None else "—"])
    return table([text("lesson4.col.method"), text("lesson4.col.seconds_per_round"),
                  text("lesson4.col.rounds_to", tolerance=power_of_ten(result["tolerance"])),
                  text("lesson4.col.total_seconds")], rows, "stepper-total-cost")


def mllib_html(result: dict[str, Any]) -> str:
    names = result.get("features") or [f"w{j}" for j in range(len(result["ours"]))]
    rows = [[html.escape(str(n)), number(o, ".6f"), number(m, ".6f"), number(abs(o - m), ".1e")]
            for n, o, m in zip(names, result["ours"], result["weights"], strict=False)]
    caption = text("lesson4.mllib.caption", iterations=result["iterations"],
                   gap=float(np.max(np.abs(np.asarray(result["ours"])
                                           - np.asarray(result["weights"])))))
    return (f"<div>{html.escape(caption)}</div>"
            + table([text("lesson4.col.feature"), text("lesson4.col.ours"), "MLlib",
                     "|Δ|"], rows, "stepper-mllib-table"))


def local_sgd_html(result: dict[str, Any]) -> str:
    rows = [[html.escape(text(f"lesson4.split.{run['split']}")), str(run["H"]),
             str(run["rounds_to_tol"]) if run["rounds_to_tol"] is not None else "—",
             number(run["floor"], ".2e")] for run in result["runs"]]
    reached = text("lesson4.col.rounds_to", tolerance=power_of_ten(lesson4_lab.LOCAL_TOLERANCE))
    return table([text("lesson4.col.split"), "H", reached,
                  text("lesson4.col.floor", rounds=len(result["runs"][0]["gaps"]) - 1)],
                 rows, "stepper-local-sgd-table")


def admm_html(result: dict[str, Any]) -> str:
    rows = [[f"ρ = {number(run['rho'], 'g')}", number(run["gaps"][-1], ".2e"),
             number(run["primal"][-1], ".2e"), number(run["dual"][-1], ".2e"),
             number(run["bytes_per_round"], ".0f")] for run in result["runs"]]
    return table(["ρ", "J(z) − J*", text("lesson4.col.primal"), text("lesson4.col.dual"),
                  text("lesson4.col.bytes_per_round")], rows, "stepper-admm-table")


def lasso_html(result: dict[str, Any]) -> str:
    names = result.get("features") or [f"w{j}" for j in range(len(result["z"]))]
    def cell(value: float) -> str:
        return "<b>0</b>" if value == 0.0 else number(value, ".6f")

    rows = [[html.escape(str(n)), cell(z), cell(r)]
            for n, z, r in zip(names, result["z"], result["reference"], strict=False)]
    caption = text("lesson4.lasso.caption", zeros=result["zeros"], penalized=result["penalized"],
                   l1=result["l1"], reference=result["reference_zeros"])
    return (f"<div>{html.escape(caption)}</div>"
            + table([text("lesson4.col.feature"), "z (ADMM)", text("lesson4.col.reference")],
                    rows, "stepper-lasso-table"))


def summary_html(results: dict[str, dict[str, Any]]) -> str:
    """The closing table: per method, rounds to the tolerance and bytes per round (measured
    by the rounds comparison once run), the local work, stragglers and non-IID data."""
    curves = results.get("rounds", {}).get("curves", {})
    non_iid = ""
    if "local_sgd" in results:
        runs = results["local_sgd"]["runs"]
        top = max(run["H"] for run in runs)
        floors = {run["split"]: run["floor"] for run in runs if run["H"] == top}
        non_iid = text("lesson4.summary.non_iid_measured", H=top, iid=floors.get("iid", 0.0),
                       non_iid=floors.get("non_iid", 0.0))
    rows = []
    for name in SUMMARY_METHODS:
        curve = curves.get(name)
        reached = "—" if curve is None or curve["rounds_to_tol"] is None \
            else str(curve["rounds_to_tol"])
        per_round = "—" if curve is None else number(curve["bytes_per_round"], ".0f")
        sensitivity = text(f"lesson4.summary.{name}.non_iid")
        if name == "local_sgd" and non_iid:
            sensitivity += " " + non_iid
        rows.append([html.escape(label_of(name)), reached, per_round,
                     html.escape(text(f"lesson4.summary.{name}.local")),
                     html.escape(text(f"lesson4.summary.{name}.stragglers")),
                     html.escape(sensitivity)])
    header = [text("lesson4.col.method"),
              text("lesson4.col.rounds_to", tolerance=power_of_ten(lesson4_lab.TOLERANCE)),
              text("lesson4.col.bytes_per_round"), text("lesson4.col.local"),
              text("lesson4.col.stragglers"), text("lesson4.col.non_iid")]
    note = "" if curves else f"<div><i>{html.escape(text('lesson4.summary.pending'))}</i></div>"
    return note + table(header, rows, "stepper-summary-table")
