"""The real collaboration as demo data: organisations from the 2016 invitation and people to sign in as."""
from app.models.organisation import INSTITUTION, MUNICIPALITY
from workflows.roles import ADMIN, ADVISER, MUNICIPALITY_CONTACT, PROJECT_MEMBER, SIGNATORY, STEERING_MEMBER

# name, 2016 number, region in the invitation, name and number from 2020
MUNICIPALITIES = [
    ("Bergen", "1201", "Vertskommune", "Bergen", "4601"),
    ("Askøy", "1247", "Bergensregionen", "Askøy", "4627"),
    ("Fjell", "1246", "Bergensregionen", "Øygarden", "4626"),
    ("Sund", "1245", "Bergensregionen", "Øygarden", "4626"),
    ("Øygarden", "1259", "Bergensregionen", "Øygarden", "4626"),
    ("Os", "1243", "Bergensregionen", "Bjørnafjorden", "4624"),
    ("Fusa", "1241", "Bergensregionen", "Bjørnafjorden", "4624"),
    ("Austevoll", "1244", "Bergensregionen", "Austevoll", "4625"),
    ("Samnanger", "1242", "Bergensregionen", "Samnanger", "4623"),
    ("Lindås", "1263", "Nordhordland", "Alver", "4631"),
    ("Meland", "1256", "Nordhordland", "Alver", "4631"),
    ("Radøy", "1260", "Nordhordland", "Alver", "4631"),
    ("Austrheim", "1264", "Nordhordland", "Austrheim", "4632"),
    ("Fedje", "1265", "Nordhordland", "Fedje", "4633"),
    ("Masfjorden", "1266", "Nordhordland", "Masfjorden", "4634"),
    ("Modalen", "1252", "Nordhordland", "Modalen", "4629"),
    ("Osterøy", "1253", "Nordhordland", "Osterøy", "4630"),
    ("Gulen", "1411", "Nordhordland", "Gulen", "4635"),
    ("Voss", "1235", "Voss og omland", "Voss herad", "4621"),
    ("Granvin", "1234", "Voss og omland", "Voss herad", "4621"),
    ("Vaksdal", "1251", "Voss og omland", "Vaksdal", "4628"),
    ("Ulvik", "1233", "Voss og omland", "Ulvik", "4620"),
    ("Eidfjord", "1232", "Voss og omland", "Eidfjord", "4619"),
    ("Kvam", "1238", "Voss og omland", "Kvam", "4622"),
]

INSTITUTIONS = [
    "Universitetet i Bergen",
    "Høgskulen på Vestlandet",
    "NORCE Helse",
    "Helse Bergen",
    "Folkehelseinstituttet",
    "Haraldsplass Diakonale Sykehus",
]

# email, name, title, organisation (municipality name or institution), roles
PEOPLE = [
    ("admin@bergen.kommune.no", "Ingrid Halvorsen", "Systemansvarlig", "Bergen", [ADMIN]),
    ("marianne.solbakk@bergen.kommune.no", "Marianne N. Solbakk", "FoU-rådgiver", "Bergen",
     [ADVISER, PROJECT_MEMBER]),
    ("nina.mevold@bergen.kommune.no", "Nina Mevold", "Kommunaldirektør", "Bergen",
     [SIGNATORY, STEERING_MEMBER]),
    ("kari.nordtveit@lindas.kommune.no", "Kari Nordtveit", "Kommunalsjef helse og omsorg", "Lindås",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("olav.hauge@lindas.kommune.no", "Olav Hauge", "Rådmann", "Lindås", [SIGNATORY, STEERING_MEMBER]),
    ("siri.lie@voss.kommune.no", "Siri Lie", "Fagleiar helse og omsorg", "Voss",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("anders.bakke@voss.kommune.no", "Anders Bakke", "Rådmann", "Voss", [SIGNATORY]),
    ("tone.myklebust@askoy.kommune.no", "Tone Myklebust", "Kommunalsjef helse", "Askøy",
     [MUNICIPALITY_CONTACT, PROJECT_MEMBER]),
    ("per.vik@askoy.kommune.no", "Per Vik", "Rådmann", "Askøy", [SIGNATORY]),
    ("hilde.eide@osteroy.kommune.no", "Hilde Eide", "Kommunalsjef helse og omsorg", "Osterøy",
     [MUNICIPALITY_CONTACT]),
    ("jon.solheim@osteroy.kommune.no", "Jon Solheim", "Rådmann", "Osterøy", [SIGNATORY]),
    ("marit.fjeld@fjell.kommune.no", "Marit Fjeld", "Kommunalsjef helse og omsorg", "Fjell",
     [MUNICIPALITY_CONTACT]),
    ("ragnhild.tveit@kvam.herad.no", "Ragnhild Tveit", "Kommunalsjef helse og omsorg", "Kvam",
     [MUNICIPALITY_CONTACT]),
    ("eva.saelen@fjell.kommune.no", "Eva Sælen", "Kommunedirektør", "Fjell", [SIGNATORY]),
    ("liv.instanes@uib.no", "Liv Instanes", "Professor", "Universitetet i Bergen", [PROJECT_MEMBER]),
    ("erik.aase@hvl.no", "Erik Aase", "Dosent", "Høgskulen på Vestlandet", [PROJECT_MEMBER]),
    ("gunn.rosland@helse-bergen.no", "Gunn Røsland", "Direktør", "Helse Bergen", [STEERING_MEMBER]),
]
# Made in the 2026 story (app/demo/history.py) without a password: Austevoll's new contact, invited by link.
LATER_CONTACT = ("trude.bjelland@austevoll.kommune.no", "Trude Bjelland", "Einingsleiar helse og omsorg", "Austevoll",
                 [MUNICIPALITY_CONTACT])
# Every account the demo makes.
EMAILS = frozenset([email for email, *_ in PEOPLE] + [LATER_CONTACT[0]])

ORGANISATION_KINDS = {MUNICIPALITY: MUNICIPALITIES, INSTITUTION: INSTITUTIONS}
