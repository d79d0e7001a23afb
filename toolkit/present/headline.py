"""One headline sentence that puts a service's cost per job outcome in context.

A service can be judged worse than evidence-based services and better than all the
services in the study at once; two badges side by side then read as a contradiction.
:func:`cost_per_job_headline` says both in one sentence, to lead the details.
Pure: it takes the judgement words (``better``, ``similar``, ``worse``,
``no_judgement``) by band set (``evidence_based``, ``all_sites``).
"""

from __future__ import annotations

from collections.abc import Mapping

#: Who each set of bands stands for, in the headline.
GROUPS = {
    "evidence_based": "good-practice (evidence-based) services",
    "all_sites": "the average of all services in the study",
}
#: How a judgement on cost per job outcome reads: (comparison word, its preposition).
COST_WORDS = {
    "better": ("less", "than"),
    "worse": ("more", "than"),
    "similar": ("about the same", "as"),
}
#: The name used until the user names the service.
UNNAMED = "Your service"


def cost_per_job_headline(name: str, judgements: Mapping[str, str]) -> str | None:
    """The sentence, or None when no set of bands gave a judgement.

    >>> cost_per_job_headline("Your service", {"evidence_based": "worse", "all_sites": "better"})
    'Your service costs more per job outcome than good-practice (evidence-based) services, but less than the average of all services in the study.'
    """
    judged = [
        (band_set, judgements[band_set])
        for band_set in GROUPS
        if judgements.get(band_set) in COST_WORDS
    ]
    if not judged:
        return None
    who = name.strip() or UNNAMED
    (first_set, first), *rest = judged
    word, prep = COST_WORDS[first]
    if not rest:
        return f"{who} costs {word} per job outcome {prep} {GROUPS[first_set]}."
    ((second_set, second),) = rest
    if first == second:
        return (
            f"{who} costs {word} per job outcome {prep} both {GROUPS[first_set]} and "
            f"{GROUPS[second_set]}."
        )
    other_word, other_prep = COST_WORDS[second]
    joiner = "but" if {first, second} == {"better", "worse"} else "and"
    return (
        f"{who} costs {word} per job outcome {prep} {GROUPS[first_set]}, {joiner} "
        f"{other_word} {other_prep} {GROUPS[second_set]}."
    )
