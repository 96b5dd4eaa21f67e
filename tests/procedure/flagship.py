"""What the shipped flagship procedure is known to be, shared by the tests that read its Code check."""

#: The points on which the flagship procedure is weaker than the Code, in the order the check gives them.
FLAGSHIP_WEAKER = [
    "stage2.reasons",
    "eligibility.time_limit",
    "stages",
    "ombudsman.access",
    "eligibility.definition",
    "eligibility.exclusions",
    "informal_resolution",
    "stage1.new_issues",
    "responses.reasons",
    "responses.written",
    "ombudsman.contact",
]
