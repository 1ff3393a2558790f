"""The conversations, one module per feature. None of them imports a channel."""

from __future__ import annotations

from core.engine import Hooks
from core.router import Router
from handlers import (
    admin,
    broadcast,
    dashboard_access,
    forms,
    legal_aid,
    legal_aid_admin,
    lessons,
    monitoring,
    privacy,
    reports,
    review,
    settings,
    start,
)


def routers() -> list[Router]:
    """Every feature's routes, in the order the engine joins them."""
    return [
        start.router,
        settings.router,
        privacy.router,
        lessons.router,
        legal_aid.router,
        legal_aid_admin.router,
        forms.router,
        reports.router,
        review.router,
        broadcast.router,
        monitoring.router,
        admin.router,
        dashboard_access.router,
    ]


def hooks() -> Hooks:
    return Hooks(home=start.show_main_menu, not_understood=start.not_understood, onboarding=start.onboarding)
