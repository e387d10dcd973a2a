"""Builds default.docx, the Norwegian Word template Fagnett ships for the annual report (seed 002's sections
in order). Run it after changing the template, and commit the result:

    .venv/bin/python src/fagnett/reports/docx/build_default_template.py

The template is made with python-docx so that it uses Word's built-in styles (Title, Heading 1–3, a built-in
table style, List Bullet): a network that copies it and edits it in Word keeps a real outline, and a screen
reader finds the headings and the tables' header rows. Its placeholders are docxtpl's (Jinja):
`{{ facts.members.at_year_end }}`, `{%p if … %}` paragraphs and `{%tr for … %}` table rows; the placeholders
are documented in reports/docx.py (PLACEHOLDERS) and docs/reports.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

OUTPUT = Path(__file__).resolve().parent / "default.docx"
TABLE_STYLE = "Light Grid Accent 1"
LANGUAGE = "nb-NO"


class Builder:
    def __init__(self) -> None:
        self.doc: DocumentObject = Document()
        self._language()
        self._footer()
        props = self.doc.core_properties
        props.title = "Årsrapport {{ year }} for {{ facts.network.name }}"
        props.author = "{{ facts.network.name }}"
        props.language = LANGUAGE
        props.subject = "Årsrapport"
        props.keywords = "årsrapport, kompetansenettverk"
        props.comments = "Laget av Fagnett fra nettverkets data."

    def _language(self) -> None:
        """Norwegian as the document's language, so Word checks spelling in bokmål and a screen reader
        reads with a Norwegian voice."""
        r_pr = self.doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)

    def _footer(self) -> None:
        """ "Side X av Y" from Word's PAGE and NUMPAGES fields."""
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run("Side ")
        self._field(paragraph, "PAGE")
        paragraph.add_run(" av ")
        self._field(paragraph, "NUMPAGES")

    @staticmethod
    def _field(paragraph: object, code: str) -> None:
        run = paragraph.add_run()  # type: ignore[attr-defined]
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
            if kind is not None:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)  # noqa: SLF001 - python-docx has no API for fields

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level=level)

    def para(self, text: str, style: str | None = None) -> None:
        self.doc.add_paragraph(text, style=style)

    def tag(self, text: str) -> None:
        """A paragraph that holds only a docxtpl tag ({%p … %}); docxtpl removes the paragraph itself."""
        self.doc.add_paragraph(text)

    def bullets(self, loop: str, text: str) -> None:
        self.tag(f"{{%p for {loop} %}}")
        self.para(text, style="List Bullet")
        self.tag("{%p endfor %}")

    def narrative(self, key: str, value: str | None = None) -> None:
        """The coordinator's text; where a section has neither facts nor text, the note ("Skrives av
        koordinator" in a draft)."""
        value = value or f"narratives.{key}"
        self.tag(f"{{%p if {value} %}}")
        self.para(f"{{{{ {value} }}}}")
        self.tag("{%p endif %}")
        if value.startswith("narratives."):
            self.tag(f"{{%p if notes.{key} %}}")
            self.para(f"{{{{ notes.{key} }}}}", style="Intense Quote")
            self.tag("{%p endif %}")

    def _table(self, caption: str, headers: list[str], rows: int) -> Table:
        """A captioned table in a built-in style whose first row is a header row: repeated on each page and
        marked as the header, so a screen reader reads each cell with its column."""
        self.para(caption, style="Caption")
        table: Table = self.doc.add_table(rows=1 + rows, cols=len(headers))
        table.style = self.doc.styles[TABLE_STYLE]
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        header_pr = table.rows[0]._tr.get_or_add_trPr()  # noqa: SLF001 - no API for a header row
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        header_pr.append(marker)
        return table

    def table(self, caption: str, headers: list[str], loop: str, cells: list[str]) -> None:
        """A header row, then one row per item of `loop` ({%tr for … %})."""
        table = self._table(caption, headers, 3)
        table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        for cell, text in zip(table.rows[2].cells, cells, strict=True):
            cell.text = text
        table.rows[3].cells[0].text = "{%tr endfor %}"

    def fixed_table(self, caption: str, headers: list[str], rows: list[list[str]]) -> None:
        table = self._table(caption, headers, len(rows))
        for row, texts in zip(table.rows[1:], rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text

    def chart(self, key: str) -> None:
        self.tag(f"{{%p if charts.{key} %}}")
        self.para(f"{{{{ charts.{key} }}}}")
        self.tag("{%p endif %}")

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def build(path: Path = OUTPUT) -> Path:
    b = Builder()
    b.doc.styles["Normal"].font.size = Pt(11)

    b.heading("Årsrapport {{ year }} for {{ facts.network.name }}", 0)
    b.para("Tall per {{ facts.as_of|date }}, beregnet fra nettverkets data i Fagnett.")
    b.tag("{%p if facts.network.owner_organisation %}")
    b.para("{{ facts.network.owner_organisation }}")
    b.tag("{%p endif %}")
    b.tag("{%p if draft %}")
    b.para("UTKAST", style="Intense Quote")
    b.tag("{%p endif %}")

    b.heading("Organisatorisk utvikling og forankring", 1)
    b.tag("{%p if facts.network.established_year %}")
    b.para(
        "{{ facts.network.name }} ble etablert i {{ facts.network.established_year }}"
        "{% if facts.network.initiative %} etter initiativ fra {{ facts.network.initiative }}{% endif %}."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if facts.network.anchoring or facts.network.anchoring_reference %}")
    b.para(
        "Nettverket er forankret i: {{ facts.network.anchoring_reference }}"
        "{% if facts.network.anchoring_reference and facts.network.anchoring %}. {% endif %}"
        "{{ facts.network.anchoring }}"
    )
    b.tag("{%p endif %}")
    b.tag("{%p if facts.network.owner_organisation %}")
    b.para("Nettverket drives av {{ facts.network.owner_organisation }}.")
    b.tag("{%p endif %}")
    b.narrative("organisation_development")

    b.heading("Formål", 1)
    b.tag("{%p if facts.network.purpose %}")
    b.para("{{ facts.network.purpose }}")
    b.tag("{%p endif %}")
    b.narrative("purpose")

    b.heading("Styrende dokumenter", 1)
    b.narrative("governing_documents")

    b.heading("Organiseringen av nettverket", 1)
    b.tag("{%p for group in facts.groups %}")
    b.heading("{{ group.name }}", 2)
    b.para(
        "{{ group.kind }}{% if group.meetings_per_year %}. Møter per år: "
        "{{ group.meetings_per_year }}{% endif %}."
    )
    b.tag("{%p if group.mandate %}")
    b.para("Mandat: {{ group.mandate }}")
    b.tag("{%p endif %}")
    b.table(
        "Medlemmer i {{ group.name }} i {{ year }}",
        ["Navn", "Tittel", "Arbeidssted", "Funksjon"],
        "member in group.members",
        ["{{ member.name }}", "{{ member.title }}", "{{ member.workplace }}", "{{ member.function }}"],
    )
    b.tag("{%p endfor %}")
    b.narrative("organisation")

    b.heading("Aktiviteter i nettverket", 1)
    b.para(
        "Per 31. desember {{ year }} hadde kompetansenettverket {{ facts.members.at_year_end }} medlemmer, "
        "{% if facts.members.change > 0 %}en økning på {{ facts.members.change }}"
        "{% elif facts.members.change < 0 %}en nedgang på {{ -facts.members.change }}"
        "{% else %}like mange som{% endif %} fra {{ year - 1 }}. "
        "{{ facts.members.left }} personer har sluttet i sin funksjon, og det er tilkommet "
        "{{ facts.members.joined }} nye ressurspersoner."
    )
    b.chart("members")
    b.table(
        "Medlemmer per 31. desember de siste fem årene",
        ["År", "Medlemmer"],
        "item in facts.members.by_year",
        ["{{ item.year }}", "{{ item.members|number }}"],
    )
    b.para("{{ facts.coverage.statement }}")
    b.chart("coverage")
    b.fixed_table(
        "Dekning: dekket av alle i området",
        ["Del av området", "Dekket", "Totalt"],
        [
            [
                "Kommuner",
                "{{ facts.coverage.municipalities_covered }}",
                "{{ facts.coverage.municipalities_total }}",
            ],
            ["Sykehusenheter", "{{ facts.coverage.units_covered }}", "{{ facts.coverage.units_total }}"],
        ],
    )
    b.chart("hours")
    b.table(
        "Timer etter type aktivitet",
        ["Type aktivitet", "Aktiviteter", "Timer", "Deltakere"],
        "kind in facts.hours_by_kind",
        ["{{ kind.label }}", "{{ kind.activities }}", "{{ kind.hours|number }}", "{{ kind.participants }}"],
    )
    b.tag("{%p if facts.competence.plan %}")
    b.para("Nettverket har arbeidet etter kompetanseplanen: {{ facts.competence.plan }}.")
    b.tag("{%p endif %}")
    b.chart("competence")
    b.table(
        "Oppfyllelse av kompetanseplanen per krav",
        ["Krav", "Gjelder", "Oppfylt", "Andel"],
        "requirement in facts.competence.requirements",
        [
            "{{ requirement.requirement }}",
            "{{ requirement.applicable }}",
            "{{ requirement.met }}",
            "{{ requirement.percent|number }} %",
        ],
    )
    b.tag("{%p if facts.shadowing %}")
    b.para("Hospitering:")
    b.tag("{%p endif %}")
    b.bullets("item in facts.shadowing", "{{ item.sentence }}")
    b.tag("{%p if facts.dissemination %}")
    b.table(
        "Status for kompetansespredningsplanen {{ year }}",
        ["Tiltak", "Kategori", "Tidsaspekt", "Status"],
        "measure in facts.dissemination",
        [
            "{{ measure.title }}{% if measure.priority_area %} (satsingsområde){% endif %}",
            "{{ measure.category }}",
            "{{ measure.timeframe }}",
            "{{ measure.status_label }}{% if measure.comment %}: {{ measure.comment }}{% endif %}",
        ],
    )
    b.tag("{%p endif %}")
    b.narrative("activities")

    b.heading("Måloppnåelse", 2)
    b.tag("{%p for goal in facts.goals %}")
    b.table(
        "Hovedmål: {{ goal.main_goal }}",
        ["Delmål", "Tiltak", "Måloppnåelse"],
        "sub_goal in goal.sub_goals",
        [
            "{{ sub_goal.label }} {{ sub_goal.description }}",
            "{% for action in sub_goal.actions %}{{ action.letter }}) {{ action.text }}"
            "{% if not loop.last %}; {% endif %}{% endfor %}",
            "{{ sub_goal.achievement_label }}"
            "{% if sub_goal.narrative %}. {{ sub_goal.narrative }}{% endif %}",
        ],
    )
    b.tag("{%p endfor %}")
    b.tag("{%p if facts.indicators %}")
    b.table(
        "Resultatmål {{ year }}",
        ["Resultatmål", "Antall", "Mål"],
        "indicator in facts.indicators",
        [
            "{{ indicator.name }}{% if indicator.unit %} ({{ indicator.unit }}){% endif %}",
            "{{ indicator.value|number }}",
            "{{ indicator.target|number }}",
        ],
    )
    b.tag("{%p endif %}")
    b.narrative("goals")

    b.heading("Introduksjonskurs", 2)
    b.tag("{%p if facts.intro_courses %}")
    b.table(
        "Introduksjonskurs {{ year }}",
        ["Dato", "Tittel", "Timer", "Ressurspersoner", "Andre inviterte"],
        "course in facts.intro_courses",
        [
            "{{ course.date|date }}",
            "{{ course.title }}",
            "{{ course.hours|number }}",
            "{{ course.participants }}",
            "{{ course.other_participants }}",
        ],
    )
    b.tag("{%p endif %}")
    b.narrative("intro_courses")

    b.heading("Felles fagdager", 2)
    b.tag("{%p if facts.study_days %}")
    b.table(
        "Felles fagdager {{ year }}",
        ["Dato", "Tittel", "Timer", "Ressurspersoner", "Andre inviterte"],
        "day in facts.study_days",
        [
            "{{ day.date|date }}",
            "{{ day.title }}",
            "{{ day.hours|number }}",
            "{{ day.participants }}",
            "{{ day.other_participants }}",
        ],
    )
    b.tag("{%p endif %}")
    b.tag("{%p for evaluation in facts.evaluations %}")
    b.para(
        "Evaluering av {{ evaluation.activity }} ({{ evaluation.date|date }}): "
        "{{ evaluation.responses }} svar fra {{ evaluation.attendees }} deltakere."
    )
    b.bullets("quote in evaluation.quotes", "«{{ quote }}»")
    b.tag("{%p endfor %}")
    b.chart("evaluations")
    b.tag("{%p if facts.evaluations %}")
    b.table(
        "Gjennomsnitt på skalaen 1 til 5",
        ["Aktivitet", "Spørsmål", "Svar", "Gjennomsnitt"],
        "row in evaluation_rows",
        ["{{ row.activity }}", "{{ row.text }}", "{{ row.responses }}", "{{ row.mean|number }}"],
    )
    b.para("En strek betyr for få svar til å vise resultatet uten å kunne identifisere noen.")
    b.tag("{%p endif %}")
    b.narrative("study_days")

    b.heading("Tema og fokusområder", 2)
    b.tag("{%p if facts.gatherings.count %}")
    b.para(
        "Nettverket har hatt {{ facts.gatherings.sentence }}, med til sammen "
        "{{ facts.gatherings.participants }} deltakere."
    )
    b.tag("{%p endif %}")
    b.tag("{%p if facts.themes %}")
    b.para("Årets tema:")
    b.tag("{%p endif %}")
    b.bullets("theme in facts.themes", "{{ theme }}")
    b.narrative("themes")

    b.heading("Satsingsområder", 1)
    priorities(b, "facts.priority_areas")
    b.narrative("priority_areas")

    b.heading("Økonomi", 1)
    b.tag("{%p if economy_lines %}")
    b.table(
        "Inntekter og kostnader {{ year }}",
        ["Type", "Kilde eller beskrivelse", "Beløp"],
        "line in economy_lines",
        [
            "{{ line.kind }}",
            "{{ line.source }}{% if line.purpose %} ({{ line.purpose }}){% endif %}",
            "{{ line.amount|nok }}",
        ],
    )
    b.fixed_table(
        "Sum {{ year }}",
        ["Post", "Beløp"],
        [
            ["Tilskudd", "{{ facts.economy.totals.grants|nok }}"],
            ["Kursavgift", "{{ facts.economy.totals.course_fees|nok }}"],
            ["Andre inntekter", "{{ facts.economy.totals.other_income|nok }}"],
            ["Sum inntekter", "{{ facts.economy.totals.income|nok }}"],
            ["Kostnader", "{{ facts.economy.totals.costs|nok }}"],
            ["Resultat", "{{ facts.economy.totals.result|nok }}"],
        ],
    )
    b.tag("{%p endif %}")
    b.narrative("economy")

    b.heading("Lokallag og deres aktivitet", 1)
    b.narrative("chapters")
    b.tag("{%p for chapter in facts.chapters %}")
    b.heading("{{ chapter.name }}", 2)
    b.para(
        "Per 31. desember {{ year }} hadde lokallaget {{ chapter.members.at_year_end }} medlemmer, "
        "{% if chapter.members.change > 0 %}en økning på {{ chapter.members.change }}"
        "{% elif chapter.members.change < 0 %}en nedgang på {{ -chapter.members.change }}"
        "{% else %}like mange som{% endif %} fra {{ year - 1 }}. "
        "{{ chapter.members.left }} personer har sluttet i sin funksjon, og det er tilkommet "
        "{{ chapter.members.joined }} nye ressurspersoner."
    )
    b.para("{{ chapter.coverage.statement }}")
    b.heading("Samlinger", 3)
    b.tag("{%p if chapter.gatherings.count %}")
    b.para(
        "Lokallaget har hatt {{ chapter.gatherings.sentence }}, med til sammen "
        "{{ chapter.gatherings.participants }} deltakere."
    )
    b.tag("{%p else %}")
    b.para("Lokallaget hadde ingen samlinger i år.")
    b.tag("{%p endif %}")
    b.tag("{%p if chapter.themes %}")
    b.para("Tema: {{ chapter.themes|join(', ') }}")
    b.tag("{%p endif %}")
    b.heading("Hospitering", 3)
    b.tag("{%p if not chapter.shadowing %}")
    b.para("Ingen fullført hospitering i år.")
    b.tag("{%p endif %}")
    b.bullets("item in chapter.shadowing", "{{ item.sentence }}")
    b.heading("Satsingsområder for {{ year }}", 3)
    priorities(b, "chapter.priority_areas")
    b.narrative("chapter", "chapter_narratives[chapter.slug]")
    b.tag("{%p endfor %}")

    b.heading("Samarbeid med andre nettverk", 1)
    b.tag("{%p if facts.partners %}")
    b.table(
        "Samarbeidspartnere i {{ year }}",
        ["Samarbeidspartner", "Organisasjon", "Samarbeid", "Siden"],
        "partner in facts.partners",
        [
            "{{ partner.name }}",
            "{{ partner.organisation }}",
            "{{ partner.collaboration }}",
            "{{ partner.since_year or '' }}",
        ],
    )
    b.tag("{%p endif %}")
    b.narrative("collaboration")

    b.save(path)
    return path


def priorities(b: Builder, areas: str) -> None:
    b.tag(f"{{%p if {areas}.continued %}}")
    b.para("Følgende områder videreføres:")
    b.tag("{%p endif %}")
    b.bullets(
        f"area in {areas}.continued",
        "{{ area.title }}{% if area.description %}: {{ area.description }}{% endif %}",
    )
    b.tag(f"{{%p if {areas}.new %}}")
    b.para("Nye satsingsområder:")
    b.tag("{%p endif %}")
    b.bullets(
        f"area in {areas}.new", "{{ area.title }}{% if area.description %}: {{ area.description }}{% endif %}"
    )


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
