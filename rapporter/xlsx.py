"""A streaming xlsx writer: the workbook's XML written straight into the zip, row by row.

Why not a library: for Detaljer_Debitor's 1.1 M rows openpyxl's write-only mode manages about
4,200 rows/s and xlsxwriter's ``constant_memory`` about 6,600 (``docs/benchmarks.md``); both
build an object per cell. A report sheet needs little of what they offer — one sheet of typed
values with a bold frozen header, an autofilter, column widths and two number formats — so
this module writes that XML itself (ECMA-376 SpreadsheetML, the parts Excel and LibreOffice
require and nothing else). A row arrives as a finished ``<row>…</row>`` string: from Python
values (``raekke_xml``) or made by PostgreSQL from the same rules (``rapporter.sqlkilde``),
so a big report is formatted in the database while this process only compresses.

Cells carry no ``r`` reference (optional in the standard): a blank cell is written as ``<c/>``
so the next one keeps its column. Text is written inline (``t="inlineStr"``), never as a
formula; text a spreadsheet would read as one gets Excel's quote prefix (style ``CITAT``), as
the security rule in ``rapporter.eksport`` says.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

# Style indexes (``cellXfs`` in ``STYLES``): the same numbers are used by the SQL rows.
STANDARD, BELOEB_STIL, DATO_STIL, CITAT, FED, FED_CITAT = range(6)
BELOEBSFORMAT = "#,##0.00"
DATOFORMAT = "dd-mm-yyyy"
EXCEL_EPOKE = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (as written)

# The characters XML 1.0 cannot hold (the C0 controls but tab, line feed, carriage return):
# U+FFFD instead, so one odd byte in an imported name cannot stop a whole report.
ULOVLIGE_TEGN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPES = {"\r": "&#13;"}

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2">
<numFmt numFmtId="164" formatCode="{BELOEBSFORMAT}"/>
<numFmt numFmtId="165" formatCode="{DATOFORMAT}"/>
</numFmts>
<fonts count="2">
<font><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="11"/><name val="Calibri"/></font>
</fonts>
<fills count="2">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def tekst_xml(tekst: str) -> str:
    """Text as it goes into a ``<t>`` element: escaped, illegal characters replaced."""
    return escape(ULOVLIGE_TEGN.sub("\ufffd", tekst), _ESCAPES)


def tekstcelle_xml(tekst: str, *, fed: bool = False, formel: bool = False) -> str:
    stil = (FED_CITAT if formel else FED) if fed else (CITAT if formel else STANDARD)
    s = f' s="{stil}"' if stil else ""
    return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{tekst_xml(tekst)}</t></is></c>'


def excel_dag(vaerdi: dt.date) -> str:
    """A date (or date and time) as Excel's serial day number."""
    if isinstance(vaerdi, dt.datetime):
        if vaerdi.tzinfo is not None:
            vaerdi = vaerdi.replace(tzinfo=None)
        delta = vaerdi - dt.datetime.combine(EXCEL_EPOKE, dt.time.min)
        return repr(delta.days + delta.seconds / 86400)
    return str((vaerdi - EXCEL_EPOKE).days)


def celle_xml(vaerdi: Any, stil: int, er_formel: Callable[[str], bool]) -> str:
    """One value as a cell: numbers and dates typed (``stil`` is the column's format), text
    as text, nothing as a blank cell."""
    if vaerdi is None:
        return "<c/>"
    if isinstance(vaerdi, str):
        return tekstcelle_xml(vaerdi, formel=er_formel(vaerdi))
    if isinstance(vaerdi, bool):
        return f'<c t="b"><v>{int(vaerdi)}</v></c>'
    s = f' s="{stil}"' if stil else ""
    if isinstance(vaerdi, dt.date):
        return f"<c{s}><v>{excel_dag(vaerdi)}</v></c>"
    if isinstance(vaerdi, Decimal):
        return f"<c{s}><v>{vaerdi:f}</v></c>"
    if isinstance(vaerdi, int | float):
        return f"<c{s}><v>{vaerdi!r}</v></c>"
    return tekstcelle_xml(str(vaerdi), formel=er_formel(str(vaerdi)))


def kolonnebogstaver(nummer: int) -> str:
    """1 → A, 27 → AA."""
    bogstaver = ""
    while nummer:
        nummer, rest = divmod(nummer - 1, 26)
        bogstaver = chr(65 + rest) + bogstaver
    return bogstaver


class XlsxSkriver:
    """A workbook written sheet by sheet; each sheet's rows stream into the zip as they come.

    ``ark(navn, bredder, overskrifter, frys)`` opens a sheet and writes its header row;
    ``raekker(linjer)`` appends finished ``<row>`` strings; ``luk()`` writes the workbook.
    """

    def __init__(self, fil: str | IO[bytes] | Any) -> None:
        self._zip = zipfile.ZipFile(fil, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._ark: list[tuple[str, int, int]] = []  # name, columns, rows (0: no autofilter)
        self._aaben: IO[bytes] | None = None
        self._kolonner = 0
        self._filter = False
        self.raekker_i_ark = 0

    def ark(
        self,
        navn: str,
        *,
        bredder: Sequence[float],
        overskrifter: Sequence[str] = (),
        frys_og_filtrer: bool = True,
    ) -> None:
        self._afslut_ark()
        nummer = len(self._ark) + 1
        self._aaben = self._zip.open(f"xl/worksheets/sheet{nummer}.xml", "w", force_zip64=True)
        self._ark.append((navn, len(bredder), 0))
        self._kolonner = len(bredder)
        self._filter = frys_og_filtrer and bool(overskrifter)
        visning = (
            '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
            if self._filter
            else '<sheetView workbookViewId="0"/>'
        )
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{b}" customWidth="1"/>'
            for i, b in enumerate(bredder, 1)
        )
        self._skriv(
            f"{_XML}<worksheet {_NS} {_NS_R}>"
            f'<sheetViews>{visning}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
        )
        self.raekker_i_ark = 0
        if overskrifter:
            celler = "".join(tekstcelle_xml(o, fed=True) for o in overskrifter)
            self.raekker([f"<row>{celler}</row>"])

    def raekker(self, linjer: Sequence[str]) -> None:
        """Append rows, each one finished ``<row>…</row>`` string."""
        self.raekker_i_ark += len(linjer)
        self._skriv("".join(linjer))

    def _skriv(self, tekst: str) -> None:
        assert self._aaben is not None
        self._aaben.write(tekst.encode())

    def _afslut_ark(self) -> None:
        if self._aaben is None:
            return
        slut = "</sheetData>"
        if self._filter:
            ref = f"A1:{kolonnebogstaver(self._kolonner)}{self.raekker_i_ark}"
            slut += f'<autoFilter ref="{ref}"/>'
            navn, kolonner, _ = self._ark[-1]
            self._ark[-1] = (navn, kolonner, self.raekker_i_ark)
        self._skriv(slut + "</worksheet>")
        self._aaben.close()
        self._aaben = None

    def luk(self) -> None:
        self._afslut_ark()
        ark = self._ark
        sheets = "".join(
            f'<sheet name={quoteattr(navn)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (navn, _, _) in enumerate(ark, 1)
        )
        navne = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            + escape("'" + navn.replace("'", "''") + "'")
            + f"!$A$1:${kolonnebogstaver(kolonner)}${antal}</definedName>"
            for i, (navn, kolonner, antal) in enumerate(ark)
            if antal
        )
        defined = f"<definedNames>{navne}</definedNames>" if navne else ""
        z = self._zip
        z.writestr(
            "xl/workbook.xml",
            f"{_XML}<workbook {_NS} {_NS_R}>"
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>{defined}</workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(ark) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_PKG}">'
            f'{rels}<Relationship Id="rId{len(ark) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        z.writestr("xl/styles.xml", STYLES)
        z.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for i in range(1, len(ark) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
            '"http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        z.close()
