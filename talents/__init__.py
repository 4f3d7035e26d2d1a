"""人才与奖项: the talent registry, awards from nomination to 公示, enterprise technology demands.

How the awards run (one service per step in ``services/awards.py``, the allowed steps in
``states.py``, every step in the audit log):

1. Staff open a round (``AwardRound``: 第 N 届, nomination window, quota, age reference
   date, 公示 days). Nominating units submit through the public form at
   ``/talents/awards/<round>/nominate/`` with a stamped 推荐表 (PDF or image, checked by
   content) — a public form rather than unit accounts, because the nominating units are
   hundreds of societies and county bodies that nominate once a year; the stamped form and
   the staff's eligibility check vouch for the unit, and nobody has accounts to manage.
   The programme's rules (age limit, minimum title, no repeat within N rounds, one
   nomination per person a round) are checked on submission and again by staff.
2. Staff assign reviewers (members of the 评审专家 group, created by a migration). Reviewers
   log in at ``/talents/review/`` and see and score only their own assignments.
3. The ranking (``selectors.round_ranking``, rule in ``selectors.RANKING_RULE``) is computed
   in the database; staff shortlist within the quota, publish the 公示 for its days,
   answer objections, and announce the winners, who enter the registry.
"""
