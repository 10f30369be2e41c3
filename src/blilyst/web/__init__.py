"""blilyst's web application: the Django project (settings, urls) and one app per area.

Apps: ``accounts`` (users, municipalities, roles), ``analysis`` (statistics pages); the
newcomer service (``newcomers``), resources and matching (``resources``) and the plan
(``planning``) join them. Shared code lives in small named modules under ``web/lib/``;
tenancy (who may see which municipality's data) lives in ``web/lib/tenancy.py`` only.
"""
