"""Render a checked derivation as Markdown with LaTeX (pure: returns a string, no I/O).

The output is deterministic (no dates, no dictionaries in arbitrary order), so a committed
render can be compared byte for byte with a fresh one.
"""

from __future__ import annotations

import re

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.check import Report, check
from lab.derivation.checkers import UNVERIFIED
from lab.derivation.glossary import glossary
from lab.derivation.ranges import describe as describe_range

_TAGS = {"Q": "quoted from the paper", "R": "reconstruction of an unreadable display "
         "equation: a claim to check", "D": "derived here", "F": "from a follow-up paper"}


_REFERENCE = re.compile(r"\[\[(\w+)\]\]")


def _math(expr) -> str:
    return sp.latex(expr)


def resolve_references(text: str, numbers: dict) -> str:
    """Replace ``[[label]]`` in prose by "step N" (the step's number), so that prose never
    carries a stale step number; an unknown label is left visibly as "step ??label??".

    Examples
    --------
    >>> resolve_references("by [[base]]", {"base": 3})
    'by step 3'
    """
    return _REFERENCE.sub(lambda m: f"step {numbers.get(m.group(1), '??' + m.group(1) + '??')}",
                          text)


def claim_latex(claim) -> str:
    """A claim as display LaTeX (a conjunction's parts joined by "and").

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> claim_latex(S.Conjunction((S.rel(x, "<=", 1), S.rel(0, "<=", x))))
    'x \\\\leq 1 \\\\quad\\\\text{and}\\\\quad 0 \\\\leq x'
    """
    if isinstance(claim, S.Conjunction):
        return " \\quad\\text{and}\\quad ".join(_math(part) for part in claim.parts)
    return _math(claim)


def _pairs(pairs) -> str:
    shown = [(a, b) for a, b in pairs if _math(a) != _math(b)]  # not "L_0 -> L_0"
    return ", ".join(f"${_math(a)} \\to {_math(b)}$" for a, b in shown) or "its own symbols"


def _describe_lemma(why: S.FromLemma, numbers: dict) -> str:
    lemma = why.lemma
    where = f"proved in `{lemma.proved_in}`" if lemma.proved_in else "cited"
    hyps = lemma.hypotheses
    if not hyps:
        checked = "it has no hypotheses"
    else:
        listed = "; ".join(h.text if isinstance(h, S.Proposition) else f"${_math(h)}$"
                           for h in hyps)
        count = "the hypothesis" if len(hyps) == 1 else f"all {len(hyps)} hypotheses"
        checked = f"{count} checked: {listed}"
    return f"lemma *{lemma.name}* ({where}) with {_pairs(why.subs)}; {checked}"


def _describe_nested(why, numbers: dict) -> str | None:
    """Descriptions of the justifications that contain others."""
    if isinstance(why, S.Monotone):
        end = "" if why.end is sp.oo else f" up to ${_math(why.end)}$"
        return (f"monotonicity in ${_math(why.var)}$ from ${_math(why.var)} = "
                f"{_math(why.start)}${end}; the derivative's sign: "
                + describe(why.derivative, numbers))
    if isinstance(why, S.PositiveFactor):
        return (f"the factor ${_math(why.factor)}$ is positive; for the rest, "
                + describe(why.rest, numbers))
    if isinstance(why, S.Cases):
        return "cases " + "; ".join(
            f"${_math(why.var)} \\in {_math(i)}$: {describe(j, numbers)}" for i, j in why.pieces)
    if isinstance(why, S.AllOf):
        return "each part: " + "; ".join(f"({k}) {describe(j, numbers)}"
                                         for k, j in enumerate(why.parts, start=1))
    if isinstance(why, S.FromLemma):
        return _describe_lemma(why, numbers)
    return None


def _describe_reference(why, numbers: dict) -> str | None:
    """Descriptions of the justifications that point at earlier steps."""
    if isinstance(why, S.Substitution):
        return f"step {numbers.get(why.source, why.source)} with {_pairs(why.subs)}"
    if isinstance(why, S.Rewrite):
        return (f"step {numbers.get(why.source, why.source)} rewritten with the equalities "
                "of step(s) " + ", ".join(str(numbers.get(u, u)) for u in why.using))
    if isinstance(why, S.Given):
        return f"step {numbers.get(why.source, why.source)}"
    if isinstance(why, S.Chain):
        return "steps " + ", ".join(str(numbers.get(s, s)) for s in why.sources) + " chained"
    return None


def describe(why, numbers: dict) -> str:
    """A short human description of a justification (Markdown with inline LaTeX).

    Examples
    --------
    >>> describe(S.Algebra(), {})
    'algebra, checked by sympy simplification'
    """
    note = f" ({why.note})" if getattr(why, "note", "") else ""
    text = _describe_nested(why, numbers) or _describe_reference(why, numbers)
    if text is not None:
        return text + note
    if isinstance(why, S.Algebra):
        return "algebra, checked by sympy simplification" + note
    if isinstance(why, S.SumOfTerms):
        terms = " + ".join(f"\\left({_math(t)}\\right)" for t in why.terms)
        return f"the difference of the two sides equals ${terms}$, each term nonnegative" + note
    if isinstance(why, S.NoCounterexample):
        return (f"the negation has no solution for ${_math(why.var)} \\in "
                f"{_math(why.domain)}$ (sympy `solveset`)" + note)
    if isinstance(why, S.Numeric):
        return (f"**numeric**: certified interval arithmetic at {why.prec} bits for "
                f"${_math(why.var)} \\in [{_math(why.lo)}, {_math(why.hi)}]$" + note)
    if isinstance(why, S.Assumption):
        return "**assumption** (a hypothesis of the statement, not verified): " + why.reason
    if isinstance(why, S.Cited):
        return "**cited standard fact** (not machine-checked): " + why.fact
    if isinstance(why, S.Unchecked):
        return "**unchecked step of this proof** (not machine-checked): " + why.reason
    return type(why).__name__


def _header(derivation: S.Derivation, report: Report) -> list:
    if report.ok:
        verdict = report.counts()
    else:
        failed = ", ".join(str(r.index) for r in report.failures)
        verdict = f"**CHECK FAILED** at step(s) {failed}; {report.counts()}"
    return [f"# {derivation.title}", "",
            f"> Machine-checked derivation `{derivation.name}`: {verdict}. Regenerate with "
            f"`python -m lab derive {derivation.name}`, check with "
            f"`python -m lab derive {derivation.name} --check`.", ""]


def _unverified_items(derivation: S.Derivation, report: Report, numbers: dict) -> list:
    items = [f"- **Assumption** (step {numbers[s.label]}): {s.why.reason}"
             + (f" &nbsp; ${claim_latex(s.claim)}$" if s.claim is not None
                and not isinstance(s.claim, S.Proposition) else "")
             for s in derivation.steps if isinstance(s.why, S.Assumption)]
    items += [f"- **Cited standard fact** (not machine-checked): {fact}"
              for fact in report.cited]
    items += [f"- **Unchecked step of this proof** (step {numbers[s.label]}): {s.why.reason}"
              for s in derivation.steps if isinstance(s.why, S.Unchecked)]
    items += [f"- **Imported lemma** {text}" for text in report.imported]
    items += [f"- **Numeric** (certified, not symbolic): {how}" for how in report.numeric]
    return items or ["None: every step below is verified symbolically."]


def _step_lines(i: int, step: S.Step, result, numbers: dict) -> list:
    out = [f"**Step {i}** (`{step.label}`). {step.text.strip()}".rstrip(), ""]
    where = describe_range(result.range) if result is not None and result.ok else ""
    if isinstance(step.claim, S.Proposition):
        out += [f"> {step.claim.text}" + (f" &nbsp; (for ${where}$)" if where else ""), ""]
    elif step.claim is not None:
        tail = f" \\qquad \\text{{for }} {where}" if where else ""
        out += ["$$", claim_latex(step.claim) + tail, "$$", ""]
    detail = result.detail if result is not None else "not checked"
    if result is None or not result.ok:
        check_text = f"*Check (**FAILED**):* {detail}."
    elif isinstance(step.why, UNVERIFIED):
        check_text = "*Not verified:* taken without proof, listed at the top."
    else:
        check_text = f"*Check (verified):* {detail}."
    out += [f"*Justification:* {describe(step.why, numbers)}. {check_text}", ""]
    return out


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
    out = _header(derivation, report)
    out += ["## Statement", "", derivation.statement.strip(), ""]
    out += ["## Assumptions and unverified facts", ""]
    out += _unverified_items(derivation, report, numbers) + [""]
    rows = glossary(derivation)
    if rows:
        out += ["## Symbols", ""]
        out += [f"- ${name}$: {meaning or '**(no meaning given)**'}" for name, meaning in rows]
        out.append("")
    out += ["## Derivation", ""]
    by_label = {r.label: r for r in report.results}
    for i, step in enumerate(derivation.steps, start=1):
        out += _step_lines(i, step, by_label.get(step.label), numbers)
    out += ["## Conclusion", "", derivation.conclusion.strip(), ""]
    if derivation.notes:
        out += ["## Notes", "", derivation.notes.strip(), ""]
    out += ["## Sources (provenance, in PAPER.md's tags)", ""]
    out += [f"- **[{tag}]** ({_TAGS.get(tag, 'unknown tag')}): {text}"
            for tag, text in derivation.provenance]
    return resolve_references("\n".join(out), numbers).rstrip("\n") + "\n"


def _md_to_tex(text: str) -> str:
    """Light Markdown -> LaTeX for prose: bold, italics, code; math passes through."""
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
           "--check` (and the test suite). A step is *verified* when sympy (or certified "
           "interval arithmetic, for a step labelled *numeric*) checks it; assumptions "
           "(hypotheses of the statement), cited standard facts and unchecked proof steps "
           "are counted apart and listed at the top of each document.", "",
           "| derivation | steps verified | check | assumptions | cited facts "
           "| unchecked steps | imported lemmas | numeric certificates |",
           "|---|---|---|---|---|---|---|---|"]
    for derivation, report in sorted(items, key=lambda item: item[0].name):
        verdict = "passes" if report.ok else "**FAILED**"
        out.append(f"| [{derivation.title}]({derivation.name}.md) | "
                   f"{report.verified} of {len(report.results)} | {verdict} | "
                   f"{len(report.assumptions)} | {len(report.cited)} | "
                   f"{len(report.unchecked)} | {len(report.imported)} | "
                   f"{len(report.numeric)} |")
    return "\n".join(out) + "\n"
