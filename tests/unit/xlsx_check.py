#!/usr/bin/env python3
"""Read back the XLSX written by tests/unit/test_report_render.c (test_xlsx) with openpyxl
(Debian's python3-openpyxl) and check sheets, headers, numbers, formats and empty cells.

usage: xlsx_check.py FILE all|one     exit 0 when everything matches, else 1 with the reasons
"""
import sys

try:
    import openpyxl
except ImportError:
    print("xlsx_check: python3-openpyxl is missing (bash scripts/setup.sh installs it)")
    sys.exit(2)

path, mode = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path)  # formulas kept as text: none may appear
bad = []


def check(cond, what):
    if not cond:
        bad.append(what)


if mode == "all":
    check(wb.sheetnames == ["Özet", "Müdürlüklere göre başvurular", "Konu alt konu  en çok başvurula",
                            "Müdürlüklere göre başvurular 2"], f"sheets {wb.sheetnames}")
    check(wb.worksheets[2].max_row == 1, "an empty table has its header row only")
    check([c.value for c in wb.worksheets[3][2]][:3] == ["FEN", 'Fen İşleri; Yol "Asfalt"', 12345],
          "the repeated title's sheet has its table")
    oz = wb["Özet"]
    check(oz["A1"].value == "ALO 153 raporu 2025-01-01 – 2025-12-31", f"A1 {oz['A1'].value!r}")
    check(str(oz["A3"].value).startswith("2025'te 1 milyon 59 bin 219 çağrı %93,96 başarı"),
          f"paragraph {oz['A3'].value!r}")
    figures = {oz.cell(r, 1).value: oz.cell(r, 2) for r in range(6, oz.max_row + 1)}
    check(figures["Karşılanan çağrı"].value == 1059219, "answered calls")
    check(figures["Karşılanan çağrı"].number_format == "#,##0", "int format")
    check(abs(figures["Başarı oranı"].value - 0.9396) < 1e-12, "answer rate")
    check(figures["Başarı oranı"].number_format == "0.00%", "pct format")
    check(figures["Kayıtlı başvuru"].value == 63836, "applications")
    check(figures["Çözüm süresi, %90'lık dilim (iş günü)"].value is None, "NAN p90 not empty")
    check(figures["Memnuniyet oranı"].value is None, "satisfaction without answers not empty")
    ws = wb["Müdürlüklere göre başvurular"]
    head = ["Birim", "Adı", "Başvuru", "Süresinde oran", "Medyan (iş günü)", "Bekleme"]
else:
    check(wb.sheetnames == ["Applications by department"], f"sheets {wb.sheetnames}")
    ws = wb["Applications by department"]
    head = ["Department", "Name", "Applications", "In deadline", "Median (wd)", "Wait"]

check([c.value for c in ws[1]] == head, f"header {[c.value for c in ws[1]]}")
check(all(c.font.b for c in ws[1]), "header not bold")
check(ws.freeze_panes == "A2", f"freeze {ws.freeze_panes}")
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
check(rows[0] == ["FEN", 'Fen İşleri; Yol "Asfalt"', 12345, 0.9396, 3.5, 1234.25], f"row1 {rows[0]}")
check(rows[1] == ["ZAB", None, 7, None, None, 0], f"row2 {rows[1]}")
check(rows[2] == ["=1+1", "Çevre", 0, 1, 12.25, -2.5], f"row3 {rows[2]}")
check(ws["C2"].number_format == "#,##0", "C2 format")
check(ws["D2"].number_format == "0.00%", "D2 format")
check(ws["E2"].number_format == "0.0", "E2 format")
check(ws["A4"].data_type == "s", "a text that looks like a formula must stay text")
check(ws.column_dimensions["B"].width >= 20, f"label width {ws.column_dimensions['B'].width}")
for sh in wb.worksheets:
    for r in sh.iter_rows():
        for c in r:
            check(c.data_type != "f", f"formula in {sh.title}!{c.coordinate}")

if bad:
    print("xlsx_check: " + "; ".join(bad))
    sys.exit(1)
print("xlsx_check: ok")
