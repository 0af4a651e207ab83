"""The roles, named once: what a user can be given, and what only a workflow step can hold."""

ADMIN = "admin"
ADVISER = "adviser"
MUNICIPALITY_CONTACT = "municipality_contact"
PROJECT_MEMBER = "project_member"
STEERING_MEMBER = "steering_member"
SIGNATORY = "signatory"
# The roles a person is given, in the order the pages list them, with their labels.
ROLE_LABELS = {
    ADMIN: "Administrator",
    ADVISER: "FoU-rådgiver",
    MUNICIPALITY_CONTACT: "Kontaktperson",
    PROJECT_MEMBER: "Medlem av prosjektgruppen",
    STEERING_MEMBER: "Medlem av styringsgruppen",
    SIGNATORY: "Signaturberettiget",
}
USER_ROLES = tuple(ROLE_LABELS)

# Never given to a person: the clock, whoever filed a proposal and a subgroup's chair (each held on that one object,
# see a model's roles_of).
SYSTEM = "system"
PROPOSER = "proposer"
CHAIR = "chair"
ROLES = frozenset({*USER_ROLES, SYSTEM, PROPOSER, CHAIR})
