"""The roles, named once: what a user can be given, and what only a workflow step can hold."""
from .i18n import N_


ADMIN = "admin"
ADVISER = "adviser"
MUNICIPALITY_CONTACT = "municipality_contact"
PROJECT_MEMBER = "project_member"
STEERING_MEMBER = "steering_member"
SIGNATORY = "signatory"
# The roles a person is given, in the order the pages list them, with their labels.
ROLE_LABELS = {
    ADMIN: N_("Administrator"),
    ADVISER: N_("FoU-rådgiver"),
    MUNICIPALITY_CONTACT: N_("Kontaktperson"),
    PROJECT_MEMBER: N_("Medlem av prosjektgruppen"),
    STEERING_MEMBER: N_("Medlem av styringsgruppen"),
    SIGNATORY: N_("Signaturberettiget"),
}
USER_ROLES = tuple(ROLE_LABELS)

# Never given to a person: the clock, whoever filed a proposal and a subgroup's chair (each held on that one object,
# see a model's roles_of).
SYSTEM = "system"
PROPOSER = "proposer"
CHAIR = "chair"
ROLES = frozenset({*USER_ROLES, SYSTEM, PROPOSER, CHAIR})
