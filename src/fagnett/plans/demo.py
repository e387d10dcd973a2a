"""The demo network's plans, goals and indicators (issue 7), from the seeds:

- seed 001's goal tree: the main goal, the sub-goals "1", "2,3,4", "5", "6" and "7" with their lettered
  actions, and the 2024 assessment from the report's results table (Ja, Ja, Ja, Delvis, Delvis) with a short
  narrative drawn from its text;
- seed 001's result-indicator table for 2024 (12 referrals, 91 documented visits/meetings, 152 phone contacts,
  3 transitions to adult palliative care, 18 guidance sessions), entered as yearly counts because Fagnett does
  not hold them (the demo's activities hold no guidance sessions), and one indicator computed from the
  activities: participants at network gatherings;
- a dissemination plan modelled on seed 000's (the national competence service's), its eleven rows with
  category, target groups, means and timeframe, and a status for 2024;
- priority areas and economy for 2024, two partners and four learning resources. These are invented but
  plausible: the seeds give no amounts.

Seed data written with the models directly, like activities.demo. Each part is written only when the network
has nothing of that kind yet, so running it again changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fagnett.activities.models import Activity, ActivityKind
from fagnett.audit.services import log_action
from fagnett.competence.models import Requirement
from fagnett.networks.models import Network
from fagnett.plans.models import (
    Achievement,
    DisseminationPlan,
    EconomyKind,
    EconomyLine,
    GoalAction,
    Indicator,
    IndicatorPeriod,
    IndicatorSource,
    IndicatorValue,
    LearningResource,
    MainGoal,
    Measure,
    MeasureCategory,
    MeasureStatus,
    MeasureYear,
    Partner,
    PriorityArea,
    PriorityKind,
    ResourceKind,
    SubGoal,
    SubGoalAssessment,
    TargetGroup,
)

YEAR = 2024

# Seed 001, "Hovedmål" and the table "Delmål | Beskrivelse | Tiltak" (the results table repeats it with
# "Delmål oppnådd?"). Actions are lettered A, B, C … by their order; action 6 I is new in 2024.
MAIN_GOAL = "Å legge til rette for best mulig livskvalitet for barn med palliative behov og deres familier"
SUB_GOALS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    (
        "1",
        "Tydeliggjøre og utvikle kommunens rolle i barnepalliasjon i tråd med nasjonalfaglig retningslinje "
        "for palliasjon til barn og unge",
        (
            "Arbeide aktivt med barnepalliasjons modell.",
            "Identifisere forbedringsområder i tjenestetilbudet for barnepalliasjon.",
            "Utvikle systemer og prosedyrer.",
        ),
        Achievement.YES,
        "Workshops med foreldre (7 foreldre fra 4 familier) ga brukererfaringer om koordinering, "
        "informasjonsflyt og samhandling, som er brukt i det videre arbeidet med tjenestetilbudet.",
    ),
    (
        "2,3,4",
        "Utvikle et godt tjenestetilbud for barn med palliative behov uavhengig av diagnose, prognose, "
        "alder, funksjonsnivå og bosted",
        (
            "Videreutvikling av barnepalliasjon ved Madla avlastningsbolig.",
            "Ta utgangspunkt i pasienten og pårørendes erfaringer.",
            "Utvikle barnepalliasjon hjemme.",
            "Styrke kommunikasjon og samhandling innad i kommunen med involverte instanser, blant annet med "
            "Stokkatunet barnehage.",
            "Lage individualiserte palliative planer med mulighet til raske endringer, basert på behov.",
        ),
        Achievement.YES,
        "Avlastningsboligen bruker forenklet individuell plan med akuttplan, akuttperm og akuttboks, slik at "
        "personalet kan gi rett hjelp til rett tid.",
    ),
    (
        "5",
        "Tydeliggjøre KPT’s rolle i barnepalliasjon",
        (
            "Få erfaring med praktisk bistand: styrke observasjons- og handlingskompetanse, få fram barnets "
            "og familiens stemme, støtte i beslutningsprosesser, avklare tiltak ved akutte situasjoner.",
            "Veiledning av personalet.",
            "Samarbeid med barnepalliativt team og kommunale ressurser, inklusiv fastlegen.",
        ),
        Achievement.YES,
        "En tjenestereisemodell beskriver KPTs oppfølging av barn og familier, og antall henvisninger har "
        "økt i prosjektperioden.",
    ),
    (
        "6",
        "Øke kompetanse i barnepalliasjon hos involvert personal og i KPT",
        (
            "Styrke observasjons- og handlingskompetanse.",
            "Utarbeide kompetanshjul, basert på bruk av pasientforløp og kartleggingsverktøy.",
            "Etablere ressursgruppe.",
            "Veiledning av personalet.",
            "Gjennomføre videreutdanning i barnepalliasjon ved Oslomet.",
            "Fagdag for personell ved Madla avlastningsbolig.",
            "Opprette og drifte Tverrfaglig nettverk i barnepalliasjon i samarbeid med USHT Rogaland.",
            "Øke kompetanse hos personell i barnebolig ved bruk av kompetansehjul.",
            "Fagdag for personell i barnehage og skole.",
        ),
        Achievement.PARTLY,
        "Nettverket og fagdagene er gjennomført, men kompetansehjulet har ikke kunnet brukes i barnebolig. "
        "En kompetanseplan gjennomføres våren 2025, og arbeidet fortsetter i ordinær drift.",
    ),
    (
        "7",
        "Videreutvikle samarbeid med spesialisthelsetjenesten, og spesielt med barnepalliativt team i tråd "
        "med delavtale palliasjon",
        (
            "Utarbeide systemer for god informasjonsutveksling.",
            "Lage systemer for å sikre gode overganger.",
            "Veiledning og kompetanseøkning",
            "Integrere barnepalliasjon i pasientforløp i palliasjon.",
        ),
        Achievement.PARTLY,
        "Samhandlingsstrukturer med barnepalliativt team ved SUS er etablert, men opplæringen i pleie- og "
        "omsorgsmeldinger er ikke fullført, og barnepalliasjon er ennå ikke integrert i pasientforløpet.",
    ),
)
NEW_ACTIONS = {("6", 8): YEAR}  # seed 001: "Fagdag for personell i barnehage og skole (nytt tiltak i 2024)"

# Seed 001's "Resultatmål | Antall" tables: (name, unit, value, footnote).
ENTERED_INDICATORS: tuple[tuple[str, str, int, str], ...] = (
    ("Henvisninger barnepalliasjon", "barn/unge", 12, ""),
    ("Dokumenterte tilsyn/møter", "", 91, ""),
    ("Telefoniske kontakter/oppfølginger", "", 152, ""),
    (
        "Overgang barn til voksenpalliasjon",
        "",
        3,
        "KPT er en aldersuavhengig tjeneste og fortsetter å følge opp pasientene etter fylt 18 år "
        "dersom behov.",
    ),
    ("Veiledninger", "", 18, ""),
)
COMPUTED_INDICATOR = "Deltakere på nettverkssamlinger"

# Seed 000's table (measure | target group | means | timeframe), with the category each row belongs to.
# Target groups: H = health personnel (built in); the network adds its own for the rest.
PLAN_TITLE = "Kompetansespredningsplan 2024–2034"
NETWORK_TARGET_GROUPS = (
    ("BR", "Brukerrepresentanter"),
    ("HM", "Helsemyndigheter"),
    ("LIS", "LIS-leger"),
    ("LE", "Leger"),
)
NETWORK_WORK = "Nettverksarbeid"
MEASURES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], int, int, str, str], ...] = (
    # (category, title, target groups, means, from, to, 2024 status, comment)
    (
        "informasjon",
        "Informasjon om tjenesten",
        ("H", "BR"),
        (
            "Nettside",
            "Regelmessige nyhetsbrev",
            "Deltakelse på konferanser",
            "Tilbud om undervisning/seminar i regi av kompetansetjenesten",
        ),
        2024,
        2034,
        MeasureStatus.ONGOING,
        "Nettsiden er oppdatert, og nyhetsbrevet er sendt ut jevnlig.",
    ),
    (
        "radgivning",
        "Rådgivning og veiledning",
        ("H",),
        ("Nettside, nyhetsbrev", "Rådgivningstjeneste per telefon/digitale møter"),
        2024,
        2034,
        MeasureStatus.ONGOING,
        "Rådgivning per telefon og i digitale møter ved behov.",
    ),
    (
        "nettverksarbeid",
        NETWORK_WORK,
        ("H",),
        ("Opprette lokale og regionale nettverk", "Regelmessige nettverksmøter x 2-4/år"),
        2024,
        2034,
        MeasureStatus.DONE,
        "To nettverkssamlinger i 2024.",
    ),
    (
        "utdanning",
        "Utdanning og kursvirksomhet",
        ("H", "BR"),
        (
            "Organisering av den årlige barnepalliasjonskonferansen",
            "Kurs/undervisning ifm. nettverksmøter",
            "Faste møter med brukerrepresentanter",
        ),
        2024,
        2034,
        MeasureStatus.DONE,
        "Fagdag for barnehage og skole i november med 58 deltakere.",
    ),
    (
        "digitale-ressurser",
        "Digitale læringsressurser",
        ("H", "BR"),
        ("Undervisningsfilmer", "Nettbaserte kurs", "Regelmessige nyhetsbrev"),
        2024,
        2034,
        MeasureStatus.ONGOING,
        "Læringsressursene er samlet i nettverkets liste.",
    ),
    (
        "utdanning",
        "Kunnskap om systematisk bruk av kartleggingsverktøy",
        ("H",),
        (
            "Nettside, nyhetsbrev",
            "Regionale og nasjonale kurs og samlinger",
            "Lokalt tilpassede undervisningstilbud",
        ),
        2024,
        2034,
        MeasureStatus.ONGOING,
        "Kartlegging av symptomer er tema på introduksjonskurset.",
    ),
    (
        "forskning",
        "Utvikling av pasientforløp",
        ("H",),
        (
            "Pasientforløpsmodeller er allerede utarbeidet og foreligger i Helsedirektoratets retningslinje "
            "(2016). Det gjenstår implementering av retningslinjen, som vil være en sentral oppgave for den "
            "nasjonale kompetansetjenesten",
        ),
        2024,
        2028,
        MeasureStatus.ONGOING,
        "Arbeidet med å integrere barnepalliasjon i pasientforløpet fortsetter.",
    ),
    (
        "kvalitetsregister",
        "Utvikling av fagområdet",
        ("H", "HM"),
        ("Etablering av et kvalitetsregister",),
        2024,
        2025,
        MeasureStatus.ONGOING,
        "Arbeidet med å etablere registeret er i gang.",
    ),
    (
        "kvalitetsregister",
        "Utvikling av fagområdet",
        ("H", "HM"),
        ("Implementering av kvalitetsregister",),
        2026,
        2034,
        "",
        "",
    ),
    (
        "forskning",
        "Utvikling av fagområdet",
        ("LIS",),
        ("Etablere læringsmål og læringsaktiviteter",),
        2023,
        2024,
        MeasureStatus.DONE,
        "Læringsmål og læringsaktiviteter er etablert.",
    ),
    (
        "myndigheter",
        "Bidra til etablering av ny legespesialitet i palliasjon",
        ("LE",),
        ("Få barnepalliasjon inn i ny spesialistutdannning.",),
        2022,
        2025,
        MeasureStatus.ONGOING,
        "Innspill er gitt til arbeidet med spesialistutdanningen.",
    ),
)

PRIORITY_AREAS = (
    (
        PriorityKind.CONTINUED,
        "Kompetanseheving gjennom nettverkssamlinger",
        "Ressurspersonene møtes til nettverkssamlinger og deler det de lærer på egen arbeidsplass.",
    ),
    (
        PriorityKind.CONTINUED,
        "Samarbeid med barnepalliativt team ved SUS",
        "Faste møtepunkter og gode overganger mellom kommunene og spesialisthelsetjenesten.",
    ),
    (
        PriorityKind.NEW,
        "Barnepalliasjon i barnehage og skole",
        "Fagdag for personell i barnehage og skole, nytt tiltak i 2024.",
    ),
)
ECONOMY = (
    (EconomyKind.GRANT, "Helse Stavanger HF", "Drift av nettverket", Decimal(150000)),
    (
        EconomyKind.GRANT,
        "Statsforvalteren i Rogaland",
        "Kompetanse- og innovasjonstilskudd: nettverkssamlinger og fagdag",
        Decimal(200000),
    ),
    (EconomyKind.COURSE_FEES, "Kursavgift fagdag for barnehage og skole", "", Decimal(29000)),
    (EconomyKind.COST, "Lokaler, servering og foredragsholdere på samlinger og fagdag", "", Decimal(85000)),
)
PARTNERS = (
    (
        "Regionalt kompetansesenter for lindrende behandling Helseregion Vest",
        "Helse Bergen HF",
        "https://helse-bergen.no/kompetansesenter-i-lindrande-behandling",
        "Faglig støtte og maler for individuell plan; felles undervisning.",
        2022,
    ),
    (
        "Barnepalliativt team, Stavanger universitetssjukehus",
        "Helse Stavanger HF",
        "https://helse-stavanger.no",
        "Felles samarbeidsmøter, hospitering og undervisning på nettverkssamlingene.",
        2022,
    ),
)
# (title, author, year, kind, link, description, linked to the introductory course)
RESOURCES = (
    (
        "Nasjonal faglig retningslinje for palliasjon til barn og unge",
        "Helsedirektoratet",
        2017,
        ResourceKind.GUIDELINE,
        "https://www.helsedirektoratet.no/retningslinjer/palliasjon-til-barn-og-unge",
        "Den nasjonale retningslinjen nettverket bygger på.",
        True,
    ),
    (
        "Palliasjon. Nordisk lærebok",
        "Kaasa S, Loge JH (red). Gyldendal Akademisk",
        2016,
        ResourceKind.BOOK,
        "",
        "Lærebok i palliasjon, 3. utgave.",
        True,
    ),
    (
        "Grunnleggende barnepalliasjon",
        "Kommunalt palliativt team, Stavanger kommune",
        2023,
        ResourceKind.ELEARNING,
        "",
        "E-læringskurs for helsepersonell i kommunene, bygd på undervisningen fra prosjektperioden.",
        True,
    ),
    (
        "Kommunikasjon med familier i sorg og krise",
        "Kreftomsorg Rogaland",
        2024,
        ResourceKind.VIDEO,
        "",
        "Opptak av foredraget fra fagdagen for barnehage og skole.",
        False,
    ),
)


def load_demo_plans(network: Network) -> None:
    """Seed the demo network's plans; each part only when the network has nothing of that kind yet."""
    with transaction.atomic():
        written = [
            name
            for name, load in (
                ("goals", _goals),
                ("indicators", _indicators),
                ("dissemination_plan", _dissemination_plan),
                ("priority_areas", _priority_areas),
                ("economy", _economy),
                ("partners", _partners),
                ("learning_resources", _resources),
            )
            if load(network)
        ]
        if written:
            log_action("plans.demo_loaded", actor=None, network=network, data={"parts": written})


def _goals(network: Network) -> bool:
    if MainGoal.objects.filter(network=network).exists():
        return False
    main_goal = MainGoal.objects.create(network=network, text=MAIN_GOAL, start_year=2022, end_year=YEAR)
    for position, (label, description, actions, achievement, narrative) in enumerate(SUB_GOALS):
        sub_goal = SubGoal.objects.create(
            main_goal=main_goal, label=label, description=description, position=position
        )
        GoalAction.objects.bulk_create(
            GoalAction(
                sub_goal=sub_goal, text=text, position=index, new_in_year=NEW_ACTIONS.get((label, index))
            )
            for index, text in enumerate(actions)
        )
        SubGoalAssessment.objects.create(
            sub_goal=sub_goal, year=YEAR, achievement=achievement, narrative=narrative
        )
    return True


def _indicators(network: Network) -> bool:
    if Indicator.objects.filter(network=network).exists():
        return False
    for position, (name, unit, value, footnote) in enumerate(ENTERED_INDICATORS):
        indicator = Indicator.objects.create(
            network=network,
            name=name,
            unit=unit,
            source=IndicatorSource.ENTERED,
            period=IndicatorPeriod.YEAR,
            footnote=footnote,
            position=position,
        )
        IndicatorValue.objects.create(indicator=indicator, year=YEAR, period=0, value=Decimal(value))
    Indicator.objects.create(
        network=network,
        name=COMPUTED_INDICATOR,
        unit="deltakere",
        source=IndicatorSource.PARTICIPANTS,
        activity_kinds=[ActivityKind.GATHERING.value],
        position=len(ENTERED_INDICATORS),
    )
    return True


def _dissemination_plan(network: Network) -> bool:
    if DisseminationPlan.objects.filter(network=network).exists():
        return False
    plan = DisseminationPlan.objects.create(
        network=network,
        title=PLAN_TITLE,
        start_year=YEAR,
        end_year=2034,
        introduction=(
            "Planen beskriver hvordan nettverket sprer kompetanse i barnepalliasjon: til hvem, med hvilke "
            "virkemidler og når. Den er laget etter modell av kompetansespredningsplanen til Nasjonal "
            "kompetansetjeneste for palliasjon til barn og unge."
        ),
    )
    for code, name in NETWORK_TARGET_GROUPS:
        TargetGroup.objects.get_or_create(network=network, code=code, defaults={"name": name})
    groups = {group.code: group for group in TargetGroup.objects.for_network(network)}
    categories = {category.code: category for category in MeasureCategory.objects.filter(network=None)}
    for position, (category, title, target_groups, means, start, end, status, comment) in enumerate(MEASURES):
        measure = Measure.objects.create(
            plan=plan,
            category=categories[category],
            title=title,
            means="\n".join(means),
            from_year=start,
            to_year=end,
            position=position,
            **(
                {"per_year_min": 2, "per_year_max": 4, "activity_kinds": [ActivityKind.GATHERING.value]}
                if title == NETWORK_WORK
                else {}
            ),
        )
        measure.target_groups.set([groups[code] for code in target_groups])
        if status:
            MeasureYear.objects.create(measure=measure, year=YEAR, status=status, comment=comment)
    return True


def _priority_areas(network: Network) -> bool:
    if PriorityArea.objects.filter(network=network, year=YEAR).exists():
        return False
    PriorityArea.objects.bulk_create(
        PriorityArea(
            network=network, year=YEAR, kind=kind, title=title, description=description, position=index
        )
        for index, (kind, title, description) in enumerate(PRIORITY_AREAS)
    )
    return True


def _economy(network: Network) -> bool:
    if EconomyLine.objects.filter(network=network, year=YEAR).exists():
        return False
    EconomyLine.objects.bulk_create(
        EconomyLine(
            network=network,
            year=YEAR,
            kind=kind,
            source=source,
            purpose=purpose,
            amount=amount,
            position=index,
        )
        for index, (kind, source, purpose, amount) in enumerate(ECONOMY)
    )
    return True


def _partners(network: Network) -> bool:
    if Partner.objects.filter(network=network).exists():
        return False
    Partner.objects.bulk_create(
        Partner(
            network=network,
            name=name,
            organisation=organisation,
            link=link,
            collaboration=collaboration,
            since_year=since,
        )
        for name, organisation, link, collaboration, since in PARTNERS
    )
    return True


def _resources(network: Network) -> bool:
    if LearningResource.objects.filter(network=network).exists():
        return False
    intro_courses = list(Activity.objects.filter(network=network, kind=ActivityKind.INTRO_COURSE))
    study_days = list(Activity.objects.filter(network=network, kind=ActivityKind.STUDY_DAY))
    intro_requirements = list(Requirement.objects.filter(plan__network=network, code="introduksjonskurs"))
    for title, author, year, kind, link, description, for_intro in RESOURCES:
        resource = LearningResource.objects.create(
            network=network,
            title=title,
            author=author,
            year=year,
            kind=kind,
            link=link,
            description=description,
        )
        if for_intro:
            resource.activities.set(intro_courses)
            resource.requirements.set(intro_requirements)
        else:
            resource.activities.set(study_days)
    return True
