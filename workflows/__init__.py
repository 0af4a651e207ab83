"""Workflow definitions (pure state machines, no web or database code)."""

from .base import (
    ADMIN,
    ADVISER,
    CHAIR,
    FAMILIES,
    MUNICIPALITY_CONTACT,
    PROJECT_MEMBER,
    PROPOSER,
    ROLES,
    SIGNATORY,
    STEERING_MEMBER,
    SYSTEM,
    GuardFailed,
    IllegalTransition,
    TransitionSpec,
    UnknownState,
    UnknownTrigger,
    Workflow,
    WorkflowError,
)
from .conference import REGISTRATION
from .cost_key import COST_KEY
from .dates import add_years, notice_last_day
from .membership import MEMBERSHIP, next_date, reply_open
from .minutes import MINUTES
from .news import NEWS
from .representative import REPRESENTATIVE
from .subgroup import SUBGROUP

WORKFLOWS = {workflow.name: workflow for workflow in (MEMBERSHIP, SUBGROUP, REPRESENTATIVE, COST_KEY, NEWS,
                                                                   REGISTRATION, MINUTES)}

__all__ = [
    "ADMIN",
    "ADVISER",
    "CHAIR",
    "COST_KEY",
    "FAMILIES",
    "MEMBERSHIP",
    "MINUTES",
    "MUNICIPALITY_CONTACT",
    "NEWS",
    "PROJECT_MEMBER",
    "PROPOSER",
    "REGISTRATION",
    "REPRESENTATIVE",
    "ROLES",
    "SIGNATORY",
    "STEERING_MEMBER",
    "SUBGROUP",
    "SYSTEM",
    "WORKFLOWS",
    "GuardFailed",
    "IllegalTransition",
    "TransitionSpec",
    "UnknownState",
    "UnknownTrigger",
    "Workflow",
    "WorkflowError",
    "add_years",
    "next_date",
    "notice_last_day",
    "reply_open",
]
