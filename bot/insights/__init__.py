"""Team insights: what keeps going wrong and whether promises are kept, for the team as a whole.

Nothing here reads, counts or shows anything per agent: the queries select no agent or user
column, so a digest or report cannot rank anybody (a works council's and the agents' condition).

    figures.py  the store's reviews, promises and feedback -> weekly figures with trends
    charts.py   the figures as PNG charts (matplotlib's Agg backend), each with alt text
    digest.py   the weekly digest: its text, the Slack and Teams senders, the exactly-once schedule
    report.py   the self-contained HTML report for a team lead
"""
