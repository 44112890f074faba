"""A realistic fictional summary to render, for tests and the benchmark (no real programme's words)."""

from django.template.loader import render_to_string

_SENTENCES = [
    "Participants from both sides described how closing the crossing had changed daily life in the valley.",
    "Several noted that the last ceasefire had failed for want of a channel to report incidents.",
    "One participant suggested that a joint technical committee on water could meet without a mandate.",
    "Others cautioned that any committee would need to be deniable at first, and owned by neither capital.",
    "The facilitators summarised the areas of convergence and asked each side to test them quietly at home.",
    "A former official observed that ideas travel further when officials can present them as their own.",
    "The group returned twice to the question of sequencing: confidence-building first, or guarantees first.",
    "It was agreed that the next workshop would work through a draft text rather than general principles.",
]


def sample_summary_html(*, pages: int = 20) -> str:
    """About ``pages`` A4 pages of headings, paragraphs and a table."""
    sections = [
        {
            "heading": f"Session {number}: perceptions and options",
            "paragraphs": [" ".join(_SENTENCES[(number + offset) % len(_SENTENCES)] for offset in range(5))]
            * 5,
        }
        for number in range(1, round((pages - 2) * 1.2) + 1)
    ]
    rows = [
        {
            "number": number,
            "option": _SENTENCES[number % len(_SENTENCES)][:70],
            "stage": ["idea", "developed", "shared with officials", "taken up"][number % 4],
            "follow_up": "Facilitators to circulate a note before the next workshop.",
        }
        for number in range(1, 41)
    ]
    return render_to_string(
        "sealing/sample_summary.html",
        {
            "title": "Workshop 3 — non-attributed summary",
            "codename": "BLUE HERON",
            "sections": sections,
            "rows": rows,
        },
    )


def sample_summary_markdown(*, pages: int = 20) -> str:
    """A summary body in Markdown, as a rapporteur writes it, filling about ``pages`` A4 pages of the sealed
    summary (dialogues/summaries/documents.py, cover included): sessions with headings, paragraphs, lists, a
    quotation and a table."""
    stages = ["idea", "developed", "shared with officials", "taken up"]
    blocks = []
    for number in range(1, max(1, round((pages - 2) * 1.45)) + 1):
        sentences = [_SENTENCES[(number + offset) % len(_SENTENCES)] for offset in range(len(_SENTENCES))]
        blocks.append(f"## Session {number}: perceptions and options")
        blocks += [" ".join(sentences[start : start + 4]) for start in (0, 2, 4)]
        blocks.append("### Points of convergence")
        blocks.append("\n".join(f"- {sentence}" for sentence in sentences[5:8]))
        if number % 3 == 0:
            blocks.append(f"> {sentences[1]}")
        if number % 4 == 0:
            blocks.append(
                "### Follow-up\n\n1. Facilitators circulate a note.\n2. Each side tests it at home."
            )
    blocks.append("## Options discussed")
    options = [sentence[:70].rsplit(" ", 1)[0] for sentence in _SENTENCES]
    rows = [
        f"| {number} | {options[number % len(options)]} | {stages[number % 4]} | "
        "Facilitators to circulate a note before the next workshop. |"
        for number in range(1, 21)
    ]
    blocks.append("\n".join(["| # | Option | Stage | Follow-up |", "|---|---|---|---|", *rows]))
    return "\n\n".join(blocks) + "\n"
