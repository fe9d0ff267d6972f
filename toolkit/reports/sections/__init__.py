"""The bodies of the post-mortem's sections, one module per part of the report.

Each function takes the :class:`~toolkit.reports.postmortem.PostmortemReport` and returns
a safe display block (:mod:`toolkit.reports.blocks`): :mod:`.overview` (title, header,
summary, impact), :mod:`.measures` (milestones, durations, severity audit, response
times, resolution criteria, definitions), :mod:`.events` (the merged timeline as a table
and a figure), :mod:`.cadence` (update cadence and promises), :mod:`.writeup` (5 Whys,
action items, what went well and wrong, lessons, follow-up); :mod:`.people` says who
people are and who to hide.
"""
