"""The cooperation agreement's text (the signed Lindås agreement, OCR errors corrected), with its party fields.

Two texts of one version, bokmål (TEXT) and nynorsk (TEXT_NN). One paragraph or bullet ("• ") per line, blocks
separated by blank lines, sections headed "N. Title".
Placeholders in braces are filled from each agreement; {signatures} stands for the signature block.
Changing a text means a new VERSION: agreements already issued keep pointing at the version they were made from.
"""

VERSION = 1

TEXT = """\
1. Parter

Denne avtalen er inngått mellom {host} og {municipality}.

Avtalen er likelydende for alle kommuner i Kunnskapskommunen Helse Omsorg Vest.

Kommune i Kunnskapskommunen Helse Omsorg Vest vurderer opptak av nye kommuner fortløpende.

2. Formål

Samarbeidsavtalen skal styrke relasjonen mellom partene i Kunnskapskommunen Helse Omsorg Vest, og gi \
overordnede føringer for samarbeidets viktigste samarbeidsområder og struktur.

3. Bakgrunn

Økningen i etterspørselen etter helse- og omsorgstjenester er ikke bærekraftig. Behovet for bedre \
ressursutnyttelse, identifisering av beste kliniske praksis, mer optimal organisering og effektiv drift er \
betydelig. I møte med den demografiske utviklingen trenger kommunene forskningsbasert kunnskap om hvilke tiltak og \
virkemidler som gir helseeffekt, og hvordan det totale helse- og omsorgstilbudet kan organiseres for å gi best \
mulig tjenester til de som trenger det.

I tråd med intensjonen i HelseOmsorg 21-strategien, har Bergen kommune tatt initiativ til å etablere samarbeidet \
Kunnskapskommunen Helse Omsorg Vest for å styrke satsingen på forskning, innovasjon og utdanning i helse- og \
omsorgstjenestene. Satsingen er politisk forankret i Bergen bystyre gjennom «Plan for forskning, innovasjon og \
utdanning for helse- og omsorgstjenesten i Bergen kommune 2016-2019», og innrettes mot kommunenes behov for ny \
kunnskap, fornying og kompetanse.

4. Visjon

«Kunnskapskommunen - Helse Omsorg Vest» skal være en foregangsmodell for hvordan kommuner, forsknings- og \
utdanningsinstitusjoner og helseforetak går sammen om å utvikle fremtidens kommunale helse- og omsorgstjenester \
kjennetegnet av kunnskap, kvalitet og effektivitet. Samarbeidet skal resultere i fremragende forskning og \
innovasjon på områder som er relevante for kommunene, og sikre en kunnskapsbaserte utvikling av de kommunale \
helse- og omsorgstjenestene.

5. Avtalens omfang og forhold til andre avtaler

Avtalen forutsetter felles forståelse av partenes rolle, kompetanse og bidrag til samarbeidet. Herunder også en \
grunnlagsforståelse for hver partnerorganisasjons strategiske mål og overordnede målsetning. Likeverdighet ligger \
til grunn for styring, kvalitetssikring, planlegging, gjennomføring, systematisk dokumentasjon og evaluering av \
samarbeidet.

Partene skal alltid opptre som selvstendige parter, og alle samarbeidstiltak må kunne innpasses uten at dette \
kommer i konflikt med partenes regelverk eller overordnede mål og strategier. Samarbeidsavtalen medfører ikke \
endringer av ordinære ansvarsforhold, herunder økonomiske rettigheter og forpliktelser mellom partene.

Partene skal i felleskap oppfordre underavdelinger og underliggende tjenester til aktivt samarbeid. Partene vil \
sørge for at eksisterende avtaler bringes i samsvar med denne overordnede avtalen.

6. Viktige samarbeidsområder

Partene vil samarbeide om forskning, innovasjon og utdanning og etablere felles arenaer og møteplasser for \
kunnskaps- og erfaringsutveksling. Partene vil særlig utvikle samarbeidet innenfor områdene:

• Klinisk praksis
• Organisasjon og ledelse
• Digitale verktøy og velferdsteknologi i helse og omsorg
• Demografiske endringer
• Forebyggende og helsefremmende tiltak
• Samhandlingsreformen og endringer i ansvars- og oppgavefordelingen mellom kommune og stat
• Tverrfaglig og helhetlig tjenesteutvikling
• Brukermedvirkning

Målrettet kompetanseutvikling og kompetanseheving:

• Styrke grunn-, etter- og videreutdanningstilbudet for faggrupper som kommunen ønsker å rekruttere og beholde
• Styrke samarbeidet rundt praksisplasser for studenter
• Synliggjøre resultatene fra «Kunnskapskommunen - Helse Omsorg Vest» og dele erfaringer med relevante \
samarbeidsparter

7. Samarbeidsstruktur og samarbeidsformer

Det er etablert en styringsgruppe som skal sikre et overordnet og strategisk samarbeid mellom partene i \
«Kunnskapskommunen - Helse Omsorg Vest». Partene skal delta i gruppen med øverste administrative leder. \
Styringsgruppen ledes av Bergen kommune. Bergen kommune innkaller til møter i styringsgruppen.

Hovedoppgaven for styringsgruppen er å være pådriver for at intensjonene i HelseOmsorg21 blir fulgt opp, og at \
mulighetene i samarbeidet benyttes i profilering av fagmiljøer i regionen. Styringsgruppen danner en overbygning \
for en prosjektgruppe, og legger føringer for tematiske satsingsområder for samarbeidet.

Styringsgruppen profilerer samarbeidet både i egen organisasjon, regionalt, nasjonalt og internasjonalt, for slik \
å styrke samarbeidet og dets relevans for å løse oppgaver. Styringsgruppen møtes en gang per år.

For å sikre tilstrekkelig fremdrift i samarbeidet er det etablert en prosjektgruppe med følgende mandat:

Prosjektgruppen skal etablere og videreutvikle samarbeidet gjennom å:

• operasjonalisere samarbeidet og foreslå tematiske avgrensninger
• arbeide for et kunnskapsløft og nytenkning i de kommunale helse- og omsorgstjenestene
• formidle informasjon og tilrettelegge for et åpent samarbeid mellom alle nivå i organisasjonene. Dette skal \
blant annet skje gjennom en felles nettside.
• posisjonere aktørene i forhold til å ta del i den forventede finansieringen av helse- og omsorgsforsking og \
utdanning
• være pådriver for formidling av resultatene av samarbeidet og særlig forskningsformidling
• ha ansvar for en årlig fagkonferanse for helse- og omsorgsforskning, innovasjon og utdanning i regionen
• fremme målrettet samarbeid om utdanning innen helse- og omsorgsfeltet, herunder å videreutvikle ordninger med \
praksisutplassering av studenter i kommunene
• fremme samarbeid om innovasjon med aktører i kommunene

Prosjektgruppen kan nedsette undergrupper for å arbeide med spesifikke tema/felt som gruppen ser trenger en \
nærmere drøfting. Ved nedsettelse av slike undergrupper skal det vurderes representasjon fra \
brukerrepresentanter.

8. Kommunal deltakelse og representasjon i Kunnskapskommunen - Helse Omsorg Vest

Samarbeidskommunene i Kunnskapskommunene Helse Omsorg Vest utpeker en representant til styringsgruppen. \
Samarbeidskommunene utpeker to representanter til prosjektgruppen. Representantene velges inn for 2 år om gangen.

Det skal arrangeres et årlig koordineringsmøte for den øverste administrative ledelsen i den kommunale helse- og \
omsorgstjenesten. Koordineringsmøtet utgjør den overordnede styringsstrukturen for den kommunale deltakelsen i \
Kunnskapskommunen - Helse Omsorg Vest.

Ved behov avtales fortløpende avklarings- og koordineringsmøter mellom Bergen kommune og samarbeidskommunene i \
Kunnskapskommunen - Helse Omsorg Vest.

Kommunene i Kunnskapskommunen Helse Omsorg Vest skal foreta en årlig vurdering av samarbeidet.

9. Merkevarebygging

Partene skal bruke logoen som er utviklet for «Kunnskapskommunen - Helse Omsorg Vest» sammen med partenes egne \
logoer i søknader, og når samarbeidet for øvrig omtales eller presenteres internt og eksternt. Informasjon om \
Kunnskapskommunen Helse Omsorg Vests aktiviteter og prosjekter synliggjøres gjennom felles nettsted. Kommunene er \
selv ansvarlig for å publisere saker på egen kommunes nettsted.

10. Administrativ oppfølging

Partene peker ut en administrativ kontaktperson med ansvar for å dekke samarbeidet i egen organisasjon.

11. Økonomi

Partene forplikter seg til å samfinansiere en felles FOU-ressurs til «Kunnskapskommunen - Helse Omsorg Vest». \
Rådgiverressursen skal arbeide for å videreutvikle en kunnskaps- og innovasjonskultur i kommunens helse- og \
omsorgstjenester, og være et bindeledd mellom samarbeidspartene, styringsgruppen, prosjektgruppen, ulike \
forskningsmiljøer og prioriterte forskningsprosjekter. FOU-ressursen skal ha et hovedansvar for \
koordineringsmøtet for kommunene.

Fordelingsnøkkelen for finansieringen av ressursen vedtas av styringsgruppen for en treårsperiode. Ved behov kan \
styringsgruppen også vurdere å øke opp FOU-ressursen, med de følger det får for finansieringen. Kommunene har \
avtalt en konkret sum.

12. Informasjonsutveksling

Partene holder hverandre gjensidig informert om større planer og tiltak av betydning for utvikling av \
samarbeidet. Det skal være en lav terskel for å dele informasjon om pågående og planlagte prosjekt for å unngå \
dobbeltarbeid og sikre erfaringsutveksling.

13. Varighet og oppsigelse

Avtalen trer i kraft fra undertegning og gjelder til {end_date}.

Begge parter kan på et hvilket som helst tidspunkt si opp avtalen med ett års skriftlig varsel.

14. Partenes finansieringsforpliktelse

{municipality} skal bidra med {contribution} årlig i perioden {period}. Kommunene i samarbeidet er like parter \
og går inn med samme beløp.

15. Signatur

{signatures}
"""

# The same version in nynorsk, for the municipalities that write nynorsk; the same sections, bullets and placeholders.
TEXT_NN = """\
1. Partar

Denne avtalen er inngått mellom {host} og {municipality}.

Avtalen er likelydande for alle kommunar i Kunnskapskommunen Helse Omsorg Vest.

Kommunane i Kunnskapskommunen Helse Omsorg Vest vurderer opptak av nye kommunar fortløpande.

2. Føremål

Samarbeidsavtalen skal styrkje relasjonen mellom partane i Kunnskapskommunen Helse Omsorg Vest, og gi overordna \
føringar for dei viktigaste samarbeidsområda og strukturen i samarbeidet.

3. Bakgrunn

Auken i etterspurnaden etter helse- og omsorgstenester er ikkje berekraftig. Behovet for betre \
ressursutnytting, identifisering av beste kliniske praksis, meir optimal organisering og effektiv drift er \
stort. I møte med den demografiske utviklinga treng kommunane forskingsbasert kunnskap om kva tiltak og \
verkemiddel som gir helseeffekt, og korleis det samla helse- og omsorgstilbodet kan organiserast for å gi best \
mogleg tenester til dei som treng det.

I tråd med intensjonen i HelseOmsorg 21-strategien har Bergen kommune teke initiativ til å etablere samarbeidet \
Kunnskapskommunen Helse Omsorg Vest for å styrkje satsinga på forsking, innovasjon og utdanning i helse- og \
omsorgstenestene. Satsinga er politisk forankra i Bergen bystyre gjennom «Plan for forskning, innovasjon og \
utdanning for helse- og omsorgstjenesten i Bergen kommune 2016-2019», og er retta mot behovet kommunane har for ny \
kunnskap, fornying og kompetanse.

4. Visjon

«Kunnskapskommunen - Helse Omsorg Vest» skal vere ein føregangsmodell for korleis kommunar, forskings- og \
utdanningsinstitusjonar og helseføretak går saman om å utvikle dei kommunale helse- og omsorgstenestene i \
framtida, kjenneteikna av kunnskap, kvalitet og effektivitet. Samarbeidet skal resultere i framifrå forsking og \
innovasjon på område som er relevante for kommunane, og sikre ei kunnskapsbasert utvikling av dei kommunale \
helse- og omsorgstenestene.

5. Omfanget av avtalen og tilhøvet til andre avtalar

Avtalen føreset ei felles forståing av rolla, kompetansen og bidraget til partane i samarbeidet. Under dette også \
ei grunnleggjande forståing av dei strategiske måla og den overordna målsetjinga til kvar partnarorganisasjon. \
Likeverd ligg til grunn for styring, kvalitetssikring, planlegging, gjennomføring, systematisk dokumentasjon og \
evaluering av samarbeidet.

Partane skal alltid opptre som sjølvstendige partar, og alle samarbeidstiltak må kunne passast inn utan at dette \
kjem i konflikt med regelverket til partane eller overordna mål og strategiar. Samarbeidsavtalen fører ikkje med \
seg endringar i ordinære ansvarstilhøve, medrekna økonomiske rettar og plikter mellom partane.

Partane skal i fellesskap oppmode underavdelingar og underliggjande tenester til aktivt samarbeid. Partane vil \
syte for at eksisterande avtalar blir brakte i samsvar med denne overordna avtalen.

6. Viktige samarbeidsområde

Partane vil samarbeide om forsking, innovasjon og utdanning og etablere felles arenaer og møteplassar for \
kunnskaps- og erfaringsutveksling. Partane vil særleg utvikle samarbeidet innanfor desse områda:

• Klinisk praksis
• Organisasjon og leiing
• Digitale verktøy og velferdsteknologi i helse og omsorg
• Demografiske endringar
• Førebyggjande og helsefremjande tiltak
• Samhandlingsreforma og endringar i ansvars- og oppgåvefordelinga mellom kommune og stat
• Tverrfagleg og heilskapleg tenesteutvikling
• Brukarmedverknad

Målretta kompetanseutvikling og kompetanseheving:

• Styrkje grunn-, etter- og vidareutdanningstilbodet for faggrupper som kommunen ønskjer å rekruttere og halde på
• Styrkje samarbeidet kring praksisplassar for studentar
• Synleggjere resultata frå «Kunnskapskommunen - Helse Omsorg Vest» og dele erfaringar med relevante \
samarbeidspartar

7. Samarbeidsstruktur og samarbeidsformer

Det er etablert ei styringsgruppe som skal sikre eit overordna og strategisk samarbeid mellom partane i \
«Kunnskapskommunen - Helse Omsorg Vest». Partane skal delta i gruppa med øvste administrative leiar. \
Styringsgruppa blir leidd av Bergen kommune. Bergen kommune kallar inn til møte i styringsgruppa.

Hovudoppgåva til styringsgruppa er å vere pådrivar for at intensjonane i HelseOmsorg21 blir følgde opp, og at \
moglegheitene i samarbeidet blir nytta i profileringa av fagmiljø i regionen. Styringsgruppa dannar ein \
overbygning for ei prosjektgruppe, og legg føringar for tematiske satsingsområde for samarbeidet.

Styringsgruppa profilerer samarbeidet både i eigen organisasjon, regionalt, nasjonalt og internasjonalt, for på \
den måten å styrkje samarbeidet og relevansen det har for å løyse oppgåver. Styringsgruppa \
møtest ein gong i året.

For å sikre tilstrekkeleg framdrift i samarbeidet er det etablert ei prosjektgruppe med dette mandatet:

Prosjektgruppa skal etablere og vidareutvikle samarbeidet gjennom å:

• operasjonalisere samarbeidet og føreslå tematiske avgrensingar
• arbeide for eit kunnskapsløft og nytenking i dei kommunale helse- og omsorgstenestene
• formidle informasjon og leggje til rette for eit ope samarbeid mellom alle nivå i organisasjonane. Dette skal \
mellom anna skje gjennom ei felles nettside.
• posisjonere aktørane med tanke på å ta del i den venta finansieringa av helse- og omsorgsforsking og \
utdanning
• vere pådrivar for formidling av resultata av samarbeidet og særleg forskingsformidling
• ha ansvar for ein årleg fagkonferanse for helse- og omsorgsforsking, innovasjon og utdanning i regionen
• fremje målretta samarbeid om utdanning innan helse- og omsorgsfeltet, under dette å vidareutvikle ordningar med \
praksisutplassering av studentar i kommunane
• fremje samarbeid om innovasjon med aktørar i kommunane

Prosjektgruppa kan setje ned undergrupper for å arbeide med spesifikke tema/felt som gruppa meiner treng ei \
nærare drøfting. Når slike undergrupper blir sette ned, skal det vurderast representasjon frå \
brukarrepresentantar.

8. Kommunal deltaking og representasjon i Kunnskapskommunen - Helse Omsorg Vest

Samarbeidskommunane i Kunnskapskommunen Helse Omsorg Vest peikar ut ein representant til styringsgruppa. \
Samarbeidskommunane peikar ut to representantar til prosjektgruppa. Representantane blir valde for 2 år om gongen.

Det skal arrangerast eit årleg koordineringsmøte for den øvste administrative leiinga i den kommunale helse- og \
omsorgstenesta. Koordineringsmøtet utgjer den overordna styringsstrukturen for den kommunale deltakinga i \
Kunnskapskommunen - Helse Omsorg Vest.

Ved behov blir det avtalt fortløpande avklarings- og koordineringsmøte mellom Bergen kommune og \
samarbeidskommunane i Kunnskapskommunen - Helse Omsorg Vest.

Kommunane i Kunnskapskommunen Helse Omsorg Vest skal gjere ei årleg vurdering av samarbeidet.

9. Merkevarebygging

Partane skal bruke logoen som er utvikla for «Kunnskapskommunen - Helse Omsorg Vest» saman med logoane til \
partane sjølve i søknader, og når samarbeidet elles blir omtalt eller presentert internt og eksternt. Informasjon \
om aktivitetane og prosjekta til Kunnskapskommunen Helse Omsorg Vest blir synleggjord gjennom ein felles \
nettstad. Kommunane er sjølve ansvarlege for å publisere saker på nettstaden til eigen kommune.

10. Administrativ oppfølging

Partane peikar ut ein administrativ kontaktperson med ansvar for å dekkje samarbeidet i eigen organisasjon.

11. Økonomi

Partane forpliktar seg til å samfinansiere ein felles FOU-ressurs til «Kunnskapskommunen - Helse Omsorg Vest». \
Rådgjevarressursen skal arbeide for å vidareutvikle ein kunnskaps- og innovasjonskultur i helse- og \
omsorgstenestene til kommunen, og vere eit bindeledd mellom samarbeidspartane, styringsgruppa, prosjektgruppa, \
ulike forskingsmiljø og prioriterte forskingsprosjekt. FOU-ressursen skal ha eit hovudansvar for \
koordineringsmøtet for kommunane.

Fordelingsnøkkelen for finansieringa av ressursen blir vedteken av styringsgruppa for ein treårsperiode. Ved behov \
kan styringsgruppa også vurdere å auke FOU-ressursen, med dei følgjene det får for finansieringa. Kommunane har \
avtalt ein konkret sum.

12. Informasjonsutveksling

Partane held kvarandre gjensidig informerte om større planar og tiltak som er viktige for utviklinga av \
samarbeidet. Det skal vere ein låg terskel for å dele informasjon om pågåande og planlagde prosjekt for å unngå \
dobbeltarbeid og sikre erfaringsutveksling.

13. Varigheit og oppseiing

Avtalen trer i kraft frå underteikninga og gjeld til {end_date}.

Begge partar kan når som helst seie opp avtalen med eitt års skriftleg varsel.

14. Finansieringsplikta til partane

{municipality} skal bidra med {contribution} årleg i perioden {period}. Kommunane i samarbeidet er like partar \
og går inn med same beløp.

15. Signatur

{signatures}
"""

# The languages of the texts (the locales of app/letters.py); each text is fingerprinted on its own.
LANGUAGES = ("nb", "nn")


def text_in(language: str) -> str:
    return TEXT_NN if language == "nn" else TEXT
