"""Suggestions and their outcomes: who may see a match, and what a decision changes.

One module per job:

- :mod:`.rules`: the match-decision state machine (steps, sides, contact steps) as data;
- :mod:`.visibility`: which suggestions and records a caller may see, and as which side;
- :mod:`.disclosure`: private challenges (anonymised summaries, contact before disclosure);
- :mod:`.views`: a match record as one caller may see it;
- :mod:`.decisions`: decisions and contact steps on a record, and the graph edges they add;
- :mod:`.stored`: storing suggestions as match records and reading them back;
- :mod:`.exports`: pseudonymised match exports;
- :mod:`.relationships`: relationship reads, additions and removals.

Callers import the module they need (``from matcher.services.outcomes import decisions``).
"""
