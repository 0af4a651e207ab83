"""The real collaboration as demo data: organisations from the 2016 invitation and people to sign in as."""
from datetime import date

from app.models.organisation import (BOKMAL, HEALTH_TRUST, NEUTRAL, NYNORSK, PRIVATE_NONPROFIT, RESEARCH_INSTITUTE,
                                     STATE_AGENCY, UNIVERSITY)
from workflows.roles import ADMIN, ADVISER, MUNICIPALITY_CONTACT, PROJECT_MEMBER, SIGNATORY, STEERING_MEMBER

REFORM = date(2020, 1, 1)  # Vestland county: every municipality here got a new number (shared/DOMAIN.md)
# official name, 2016 number, region in the invitation, målform, number from 01.01.2020 (None: merged that day,
# see shared/DOMAIN.md; the merger is recorded as such, not as a new number)
MUNICIPALITIES = [
    ("Bergen kommune", "1201", "Vertskommune", NEUTRAL, "4601"),
    ("Askøy kommune", "1247", "Bergensregionen", NEUTRAL, "4627"),
    ("Fjell kommune", "1246", "Bergensregionen", NEUTRAL, None),
    ("Sund kommune", "1245", "Bergensregionen", NEUTRAL, None),
    ("Øygarden kommune", "1259", "Bergensregionen", NEUTRAL, None),
    ("Os kommune", "1243", "Bergensregionen", NYNORSK, None),
    ("Fusa kommune", "1241", "Bergensregionen", NYNORSK, None),
    ("Austevoll kommune", "1244", "Bergensregionen", NYNORSK, "4625"),
    ("Samnanger kommune", "1242", "Bergensregionen", NYNORSK, "4623"),
    ("Lindås kommune", "1263", "Nordhordland", NYNORSK, None),
    ("Meland kommune", "1256", "Nordhordland", NYNORSK, None),
    ("Radøy kommune", "1260", "Nordhordland", NYNORSK, None),
    ("Austrheim kommune", "1264", "Nordhordland", NYNORSK, "4632"),
    ("Fedje kommune", "1265", "Nordhordland", NYNORSK, "4633"),
    ("Masfjorden kommune", "1266", "Nordhordland", NYNORSK, "4634"),
    ("Modalen kommune", "1252", "Nordhordland", NYNORSK, "4629"),
    ("Osterøy kommune", "1253", "Nordhordland", NYNORSK, "4630"),
    ("Gulen kommune", "1411", "Nordhordland", NYNORSK, "4635"),
    ("Voss kommune", "1235", "Voss og omland", NYNORSK, None),
    ("Granvin herad", "1234", "Voss og omland", NYNORSK, None),
    ("Vaksdal kommune", "1251", "Voss og omland", NYNORSK, "4628"),
    ("Ulvik herad", "1233", "Voss og omland", NYNORSK, "4620"),
    ("Eidfjord kommune", "1232", "Voss og omland", NYNORSK, "4619"),
    ("Kvam herad", "1238", "Voss og omland", NYNORSK, "4622"),
]
# The successors of the 2020 mergers (shared/DOMAIN.md): official name, number, region, målform. They are in the
# register from their first day; the mergers themselves are recorded in the story (app/demo/history.py).
SUCCESSORS = [
    ("Øygarden kommune", "4626", "Bergensregionen", NEUTRAL),
    ("Bjørnafjorden kommune", "4624", "Bergensregionen", NYNORSK),
    ("Alver kommune", "4631", "Nordhordland", NYNORSK),
    ("Voss herad", "4621", "Voss og omland", NYNORSK),
]
HOST_NUMBER = "1201"
HOST = {"org_number": "964338531", "mailbox": "postmottak@bergen.kommune.no", "is_host": True}

# The other parties (shared/DOMAIN.md): kind, målform, official mailbox (postmottak), and their names over time as
# (first day or None for "from the start", name in lists, official name). The day a name changed is taken as the
# first of its year.
OTHER_PARTIES = [
    (UNIVERSITY, BOKMAL, "post@uib.no", [(None, "Universitetet i Bergen", "Universitetet i Bergen")]),
    (UNIVERSITY, NYNORSK, "post@hvl.no", [(None, "Høgskolen i Bergen", "Høgskolen i Bergen"),
                                          (date(2017, 1, 1), "Høgskulen på Vestlandet", "Høgskulen på Vestlandet")]),
    (RESEARCH_INSTITUTE, BOKMAL, "post@norceresearch.no", [
        (None, "Uni Research", "Uni Research AS"),
        (date(2018, 1, 1), "NORCE", "NORCE Norwegian Research Centre AS")]),
    (HEALTH_TRUST, NEUTRAL, "postmottak@helse-bergen.no", [(None, "Helse Bergen", "Helse Bergen HF")]),
    (STATE_AGENCY, NEUTRAL, "folkehelseinstituttet@fhi.no", [(None, "Folkehelseinstituttet", "Folkehelseinstituttet")]),
    (PRIVATE_NONPROFIT, BOKMAL, "post@haraldsplass.no", [
        (None, "Haraldsplass Diakonale Sykehus", "Haraldsplass Diakonale Sykehus")]),
]

# Every person below is invented (names, titles, addresses); only the organisations are real.
# email, name, title, organisation (its name in lists, or a successor's official name), roles
PEOPLE = [
    ("admin@bergen.kommune.no", "Ingrid Halvorsen", "Systemansvarlig", "Bergen", [ADMIN]),
    ("marianne.solbakk@bergen.kommune.no", "Marianne N. Solbakk", "FoU-rådgiver", "Bergen",
     [ADVISER, PROJECT_MEMBER]),
    ("nina.mevold@bergen.kommune.no", "Nina Mevold", "Kommunaldirektør", "Bergen",
     [SIGNATORY, STEERING_MEMBER]),
    ("kari.nordtveit@alver.kommune.no", "Kari Nordtveit", "Kommunalsjef helse og omsorg", "Lindås",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("olav.hauge@alver.kommune.no", "Olav Hauge", "Kommunedirektør", "Lindås", [SIGNATORY, STEERING_MEMBER]),
    ("siri.lie@voss.kommune.no", "Siri Lie", "Fagleiar helse og omsorg", "Voss",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("anders.bakke@voss.kommune.no", "Anders Bakke", "Kommunedirektør", "Voss", [SIGNATORY]),
    ("tone.myklebust@askoy.kommune.no", "Tone Myklebust", "Kommunalsjef helse", "Askøy",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("per.vik@askoy.kommune.no", "Per Vik", "Kommunedirektør", "Askøy", [SIGNATORY]),
    ("hilde.eide@osteroy.kommune.no", "Hilde Eide", "Kommunalsjef helse og omsorg", "Osterøy",
     [MUNICIPALITY_CONTACT]),
    ("jon.solheim@osteroy.kommune.no", "Jon Solheim", "Kommunedirektør", "Osterøy", [SIGNATORY]),
    ("marit.fjeld@oygarden.kommune.no", "Marit Fjeld", "Kommunalsjef helse og omsorg", "Øygarden kommune",
     [MUNICIPALITY_CONTACT]),
    ("ragnhild.tveit@kvam.herad.no", "Ragnhild Tveit", "Kommunalsjef helse og omsorg", "Kvam",
     [MUNICIPALITY_CONTACT]),
    ("eva.saelen@oygarden.kommune.no", "Eva Sælen", "Kommunedirektør", "Øygarden kommune", [SIGNATORY]),
    ("liv.instanes@uib.no", "Liv Instanes", "Professor", "Universitetet i Bergen", [PROJECT_MEMBER]),
    ("erik.aase@hvl.no", "Erik Aase", "Dosent", "Høgskulen på Vestlandet", [PROJECT_MEMBER]),
    ("gunn.rosland@helse-bergen.no", "Gunn Røsland", "Direktør", "Helse Bergen", [STEERING_MEMBER]),
]
# Made in the 2026 story (app/demo/history.py) without a password: Austevoll's new contact, invited by link.
LATER_CONTACT = ("trude.bjelland@austevoll.kommune.no", "Trude Bjelland", "Einingsleiar helse og omsorg", "Austevoll",
                 [MUNICIPALITY_CONTACT])
# Every account the demo makes.
EMAILS = frozenset([email for email, *_ in PEOPLE] + [LATER_CONTACT[0]])
