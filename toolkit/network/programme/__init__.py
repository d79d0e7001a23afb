"""The learning-network programme: members, priorities, action learning sets, meetings,
notes, actions, feedback, members' views and the summary and action paper.

``models`` holds the records, ``ranking`` and ``tracking`` the pure measures, ``tables``
the database tables (on the store's ``Base``), ``service`` the operations over the store,
``content`` the candidate issues and evidence cards, ``paper`` the paper's content.
"""
