"""Render a checked derivation as Markdown with LaTeX (pure: returns a string, no I/O).

The output is deterministic (no dates, no dictionaries in arbitrary order), so a committed
render can be compared byte for byte with a fresh one.
"""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.check import Report, check

_TAGS = {"Q": "quoted from the paper", "R": "reconstruction of an unreadable display "
         "equation: a claim to check", "D": "derived here", "F": "from a follow-up paper"}


def _math(expr) -> str:
    return sp.latex(expr)


def _pairs(pairs) -> str:
    return ", ".join(f"${_math(a)} \\to {_math(b)}$" for a, b in pairs)


def describe(why, numbers: dict) -> str:
    """A short human description of a justification (Markdown with inline LaTeX).

    Examples
    --------
    >>> describe(S.Algebra(), {})
    'algebra, checked by sympy simplification'
    """
    note = f" ({why.note})" if getattr(why, "note", "") else ""
    if isinstance(why, S.Algebra):
        return "algebra, checked by sympy simplification" + note
    if isinstance(why, S.SumOfTerms):
        terms = " + ".join(f"\\left({_math(t)}\\right)" for t in why.terms)
        return f"the difference of the two sides equals ${terms}$, each term nonnegative" + note
    if isinstance(why, S.NoCounterexample):
        return (f"the negation has no solution for ${_math(why.var)} \\in "
                f"{_math(why.domain)}$ (sympy `solveset`)" + note)
    if isinstance(why, S.Monotone):
        end = "" if why.end is sp.oo else f" up to ${_math(why.end)}$"
        return (f"monotonicity in ${_math(why.var)}$ from ${_math(why.var)} = "
                f"{_math(why.start)}${end}; the derivative's sign: "
                + describe(why.derivative, numbers) + note)
    if isinstance(why, S.PositiveFactor):
        return (f"the factor ${_math(why.factor)}$ is positive; for the rest, "
                + describe(why.rest, numbers) + note)
    if isinstance(why, S.Substitution):
        return f"step {numbers.get(why.source, why.source)} with {_pairs(why.subs)}" + note
    if isinstance(why, S.Rewrite):
        return (f"step {numbers.get(why.source, why.source)} rewritten with the equalities "
                "of step(s) " + ", ".join(str(numbers.get(u, u)) for u in why.using) + note)
    if isinstance(why, S.Given):
        return f"step {numbers.get(why.source, why.source)}" + note
    if isinstance(why, S.Chain):
        return "steps " + ", ".join(str(numbers.get(s, s)) for s in why.sources) \
            + " chained" + note
    if isinstance(why, S.FromLemma):
        where = f"proved in `{why.lemma.proved_in}`" if why.lemma.proved_in else "cited"
        hyps = "; hypotheses: " + "; ".join(
            f"${_math(h)}$" for h in why.lemma.hypotheses) if why.lemma.hypotheses else ""
        return (f"lemma *{why.lemma.name}* ({where}) with {_pairs(why.subs)}{hyps}, "
                "each hypothesis checked" + note)
    if isinstance(why, S.Numeric):
        return (f"**numeric**: certified interval arithmetic at {why.prec} bits for "
                f"${_math(why.var)} \\in [{_math(why.lo)}, {_math(why.hi)}]$" + note)
    if isinstance(why, S.Assumption):
        return "**assumption** (not verified): " + why.reason
    if isinstance(why, S.Cited):
        return "**cited standard fact** (not machine-checked): " + why.fact
    return type(why).__name__


def render_markdown(derivation: S.Derivation, report: Report | None = None) -> str:
    """Render ``derivation`` (checked now unless ``report`` is given) as Markdown.

    Parameters
    ----------
    derivation : Derivation
    report : Report, optional
        The result of :func:`lab.derivation.check.check` on ``derivation``.

    Returns
    -------
    str
        The document, ending in a newline.

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, rel
    >>> x = sp.Symbol("x")
    >>> d = Derivation("demo", "Demo", "Doubling.", (Step("s", rel(x + x, "==", 2 * x),
    ...     Algebra()),), "Done.", (("D", "by hand"),))
    >>> render_markdown(d).splitlines()[0]
    '# Demo'
    """
    report = report if report is not None else check(derivation)
    numbers = {step.label: i for i, step in enumerate(derivation.steps, start=1)}
    out = [f"# {derivation.title}", ""]
    verdict = "every step verified" if report.ok else (
        f"**CHECK FAILED** at step(s) {', '.join(str(r.index) for r in report.failures)}")
    out += [f"> Machine-checked derivation `{derivation.name}` ({len(derivation.steps)} steps; "
            f"{verdict}). Regenerate with `python -m lab derive {derivation.name}`, check with "
            f"`python -m lab derive {derivation.name} --check`.", ""]
    out += ["## Statement", "", derivation.statement.strip(), ""]
    out += ["## Assumptions and unverified facts", ""]
    items = [f"- **Assumption** (step {numbers[s.label]}): {s.why.reason}"
             + (f" &nbsp; ${_math(s.claim)}$" if s.claim is not None else "")
             for s in derivation.steps if isinstance(s.why, S.Assumption)]
    items += [f"- **Cited** (standard, not machine-checked): {fact}" for fact in report.cited]
    items += [f"- **Imported lemma** {text}" for text in report.imported]
    items += [f"- **Numeric** (certified, not symbolic): {how}" for how in report.numeric]
    out += items if items else ["None: every step below is verified symbolically."]
    out.append("")
    if derivation.symbols:
        out += ["## Symbols", ""]
        out += [f"- ${_math(sym)}$: {meaning}" for sym, meaning in derivation.symbols]
        out.append("")
    out += ["## Derivation", ""]
    by_label = {r.label: r for r in report.results}
    for i, step in enumerate(derivation.steps, start=1):
        result = by_label.get(step.label)
        head = f"**Step {i}** (`{step.label}`)."
        out.append(f"{head} {step.text.strip()}".rstrip())
        out.append("")
        if step.claim is not None:
            out += ["$$", _math(step.claim), "$$", ""]
        detail = result.detail if result is not None else "not checked"
        if result is None or not result.ok:
            check_text = f"*Check (**FAILED**):* {detail}."
        elif isinstance(step.why, (S.Assumption, S.Cited)):
            check_text = "*Not verified:* taken without proof, listed at the top."
        else:
            check_text = f"*Check (verified):* {detail}."
        out.append(f"*Justification:* {describe(step.why, numbers)}. {check_text}")
        out.append("")
    out += ["## Conclusion", "", derivation.conclusion.strip(), ""]
    if derivation.notes:
        out += ["## Notes", "", derivation.notes.strip(), ""]
    out += ["## Sources (provenance, in PAPER.md's tags)", ""]
    out += [f"- **[{tag}]** ({_TAGS.get(tag, 'unknown tag')}): {text}"
            for tag, text in derivation.provenance]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_to_tex(text: str) -> str:
    """Light Markdown -> LaTeX for prose: bold, italics, code; math passes through."""
    import re

    parts = re.split(r"(\$\$.*?\$\$|\$.*?\$)", text, flags=re.S)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append(part)
            continue
        part = part.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%")
        part = part.replace("#", "\\#").replace("_", "\\_")
        part = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", part)
        part = re.sub(r"\*(.+?)\*", r"\\emph{\1}", part)
        part = re.sub(r"`(.+?)`", r"\\texttt{\1}", part)
        out.append(part)
    return "".join(out)


def render_latex(derivation: S.Derivation, report: Report | None = None) -> str:
    """Render ``derivation`` as a standalone LaTeX document (same content as the Markdown).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, rel
    >>> x = sp.Symbol("x")
    >>> d = Derivation("demo", "Demo", "Doubling.", (Step("s", rel(x + x, "==", 2 * x),
    ...     Algebra()),), "Done.", (("D", "by hand"),))
    >>> render_latex(d).splitlines()[0]
    '\\\\documentclass{article}'
    """
    md = render_markdown(derivation, report)
    lines = ["\\documentclass{article}", "\\usepackage{amsmath,amssymb}",
             "\\begin{document}"]
    in_math = False
    for line in md.splitlines():
        if line == "$$":
            lines.append("\\]" if in_math else "\\[")
            in_math = not in_math
        elif in_math:
            lines.append(line)
        elif line.startswith("# "):
            lines.append(f"\\section*{{{_md_to_tex(line[2:])}}}")
        elif line.startswith("## "):
            lines.append(f"\\subsection*{{{_md_to_tex(line[3:])}}}")
        elif line.startswith("> "):
            lines.append(f"\\begin{{quote}}{_md_to_tex(line[2:])}\\end{{quote}}")
        elif line.startswith("- "):
            lines.append(f"\\noindent$\\bullet$ {_md_to_tex(line[2:])}\\par")
        else:
            lines.append(_md_to_tex(line))
    lines.append("\\end{document}")
    return "\n".join(lines) + "\n"


def render_index(items) -> str:
    """The Markdown index of ``proofs/``: one row per derivation.

    Parameters
    ----------
    items : iterable of (Derivation, Report)

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, rel
    >>> x = sp.Symbol("x")
    >>> d = Derivation("demo", "Demo", "Doubling.", (Step("s", rel(x + x, "==", 2 * x),
    ...     Algebra()),), "Done.", (("D", "by hand"),))
    >>> "[Demo](demo.md)" in render_index([(d, check(d))])
    True
    """
    out = ["# Machine-checked derivations", "",
           "Each file below is generated from the Python module of the same name by "
           "`python -m lab derive --all` and kept fresh by `python -m lab derive --all "
           "--check` (and the test suite). Every step is checked by sympy, or by certified "
           "interval arithmetic where a step is labelled *numeric*; assumptions and cited "
           "standard facts are listed at the top of each document.", "",
           "| derivation | steps | verdict | assumptions | cited facts | imported lemmas "
           "| numeric steps |",
           "|---|---|---|---|---|---|---|"]
    for derivation, report in sorted(items, key=lambda item: item[0].name):
        assumptions = sum(isinstance(s.why, S.Assumption) for s in derivation.steps)
        verdict = "verified" if report.ok else "**FAILED**"
        out.append(f"| [{derivation.title}]({derivation.name}.md) | "
                   f"{len(derivation.steps)} | {verdict} | {assumptions} | "
                   f"{len(report.cited)} | {len(report.imported)} | {len(report.numeric)} |")
    return "\n".join(out) + "\n"
