from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from fagnett.lib.tabular import TabularError, cell_text, csv_safe, parse_date, read_path, read_table, to_csv


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_semicolon_csv_with_normalised_headers_and_row_numbers() -> None:
    table = read_table(b" Fornavn ;EPOST\nKari;kari@example.no\nOla;ola@example.no\n", "liste.csv")
    assert table.headers == ["fornavn", "epost"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"fornavn": "Kari", "epost": "kari@example.no"}),
        (3, {"fornavn": "Ola", "epost": "ola@example.no"}),
    ]


def test_it_reads_a_comma_csv_with_quoted_semicolons() -> None:
    table = read_table(b'navn,adresse\nKari,"Gate 1; 4000 Stavanger"\n', "liste.csv")
    assert table.rows[0].values == {"navn": "Kari", "adresse": "Gate 1; 4000 Stavanger"}


def test_it_strips_a_utf8_byte_order_mark() -> None:
    table = read_table("\ufefffornavn;etternavn\nBjørg;Ås\n".encode(), "liste.csv")
    assert table.headers == ["fornavn", "etternavn"]
    assert table.rows[0].values == {"fornavn": "Bjørg", "etternavn": "Ås"}


def test_it_falls_back_to_windows_1252_from_norwegian_excel() -> None:
    table = read_table("fornavn;etternavn\r\nBjørg;Ås\r\n".encode("cp1252"), "liste.csv")
    assert table.rows[0].values == {"fornavn": "Bjørg", "etternavn": "Ås"}


def test_it_skips_empty_rows_but_keeps_the_spreadsheet_row_numbers() -> None:
    table = read_table(b"a;b\n;\n\nx;y\n", "liste.csv")
    assert [(row.number, row.values) for row in table.rows] == [(4, {"a": "x", "b": "y"})]


def test_empty_cells_are_none_and_short_rows_are_padded() -> None:
    table = read_table(b"a;b;c\n1;;\n2\n", "liste.csv")
    assert [row.values for row in table.rows] == [
        {"a": "1", "b": None, "c": None},
        {"a": "2", "b": None, "c": None},
    ]


def test_it_reads_the_first_sheet_of_an_xlsx_with_typed_cells() -> None:
    data = xlsx_bytes(
        [
            ["Fornavn", "Startdato", "Kommunenummer", "Telefon"],
            ["Kari", dt.date(2024, 3, 1), 301, 40000000],
            [None, None, None, None],
            ["Ola", "01.02.2024", "1103", None],
        ]
    )
    table = read_table(data, "Liste.XLSX")
    assert table.headers == ["fornavn", "startdato", "kommunenummer", "telefon"]
    first, second = table.rows
    assert first.number == 2
    assert first.values["startdato"] == dt.datetime(2024, 3, 1)  # noqa: DTZ001 - Excel dates are naive
    assert first.values["kommunenummer"] == 301
    assert cell_text(first.values["telefon"]) == "40000000"
    assert second.number == 4
    assert second.values == {
        "fornavn": "Ola",
        "startdato": "01.02.2024",
        "kommunenummer": "1103",
        "telefon": None,
    }


def test_columns_without_a_header_are_left_out() -> None:
    table = read_table(xlsx_bytes([["a", None, "b"], ["1", "ignored", "2"]]), "x.xlsx")
    assert table.headers == ["a", "b"]
    assert table.rows[0].values == {"a": "1", "b": "2"}


def test_read_path_reads_a_file_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert read_path(path).rows[0].values == {"a": "1", "b": "2"}


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"a;b\n1;2\n", "liste.xls", "extension"),
        (b"a;b\n1;2\n", "liste", "extension"),
        (b"", "liste.csv", "empty"),
        (b"\n  \n", "liste.csv", "empty"),
        (b"a;A;b\n1;2;3\n", "liste.csv", "duplicate_header"),
        (b"not a zip file", "liste.xlsx", "unreadable"),
        (b"a;b\n\x81\x8d\x8f;x\n", "liste.csv", "encoding"),
    ],
)
def test_it_refuses_files_it_cannot_read_with_a_norwegian_message(data: bytes, name: str, code: str) -> None:
    with pytest.raises(TabularError) as caught:
        read_table(data, name)
    assert caught.value.code == code
    assert caught.value.message  # Norwegian, for the coordinator
    assert str(caught.value) == caught.value.message


def test_an_xlsx_without_rows_is_empty() -> None:
    with pytest.raises(TabularError) as caught:
        read_table(xlsx_bytes([]), "tom.xlsx")
    assert caught.value.code == "empty"
    assert caught.value.message == "Filen er tom."


def test_a_duplicate_header_names_the_column() -> None:
    with pytest.raises(TabularError, match="«epost»"):
        read_table(b"epost;Epost\n", "liste.csv")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01.03.2024", dt.date(2024, 3, 1)),
        ("1.3.2024", dt.date(2024, 3, 1)),
        (" 2024-03-01 ", dt.date(2024, 3, 1)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
        (dt.datetime(2024, 3, 1, 0, 0), dt.date(2024, 3, 1)),  # noqa: DTZ001 - as openpyxl gives them
    ],
)
def test_parse_date_accepts_norwegian_iso_and_date_cells(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["31.02.2024", "2024/03/01", "01.03.24", "i går", "", None, 45352, 1.5])
def test_parse_date_rejects_anything_else(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (301.0, "301"),
        (301, "301"),
        (1.5, "1.5"),
        (" tekst ", "tekst"),
        (dt.date(2024, 3, 1), "01.03.2024"),
        (dt.datetime(2024, 3, 1), "01.03.2024"),  # noqa: DTZ001 - as openpyxl gives them
        (True, "1"),
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3*A1", "'-2+3*A1"),
        ("+47 912 34 567", "+47 912 34 567"),  # a phone number calls nothing and must re-import as it is
        ("-12,5", "-12,5"),
        ("Ola", "Ola"),
    ],
)
def test_csv_cells_never_become_formulas_but_numbers_stay_as_typed(typed: str, written: str) -> None:
    assert csv_safe(typed) == written
    assert to_csv([[typed]]).decode("utf-8-sig").strip().strip('"').replace('""', '"') == written
