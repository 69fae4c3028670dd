"""Writes the CSV fixtures in this folder (run once; the files are committed).

    python tests/data/make_fixtures.py

Good files load into a Dataset; bad ones must raise DataError with a plain message.
Everything is seeded, so re-running rewrites identical files.
"""

import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def _write(name: str, data) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    (HERE / name).write_bytes(data)


def _zip(members: dict) -> bytes:
    """A ZIP with a fixed timestamp, so re-running writes the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def _table(rng, n=24, sep=",", decimal="."):
    rows = []
    for i in range(n):
        label = "setosa" if i % 2 == 0 else "virginica"
        a, b = rng.normal(size=2).round(3) + (i % 2)
        c = int(rng.integers(0, 5))
        rows.append([f"{a}".replace(".", decimal), f"{b}".replace(".", decimal), str(c), label])
    return (
        "\n".join([sep.join(["alpha", "beta", "count", "species"])] + [sep.join(r) for r in rows]) + "\n"
    )


def main() -> None:
    rng = np.random.default_rng(4)
    # ---- good -------------------------------------------------------------------------------
    _write("good_comma.csv", _table(rng))
    _write("good_semicolon_decimal_comma.csv", _table(rng, sep=";", decimal=","))
    _write("good_tab.tsv", _table(rng, sep="\t"))
    _write("good_pipe.csv", _table(rng, sep="|"))
    # BOM, CRLF, spaces around names and labels.
    text = _table(rng).replace(",", " , ").replace("\n", "\r\n")
    _write("good_bom_crlf_spaces.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    # Latin-1 labels (not valid UTF-8).
    rows = ["taille;poids;boisson"] + [
        f"{1.5 + i % 3};{i % 2};{'café' if i % 2 else 'thé'}" for i in range(12)
    ]
    _write("good_latin1.csv", ("\n".join(rows) + "\n").encode("latin-1"))
    # Numeric labels -1 / 1.
    rows = ["x1,x2,target"] + [
        f"{rng.normal():.4f},{rng.normal():.4f},{-1 if i % 3 else 1}" for i in range(15)
    ]
    _write("good_numeric_labels.csv", "\n".join(rows) + "\n")
    # No header row: first row is data.
    rows = [f"{rng.normal():.3f},{rng.normal():.3f},{i % 2}" for i in range(10)]
    _write("good_headerless.csv", "\n".join(rows) + "\n")
    # Quoted fields with separators inside.
    _write(
        "good_quoted.csv",
        'size,"weight, kg",label\n'
        '1.0,"2.5","big, round"\n2.0,"3.5",small\n1.5,"2.0","big, round"\n2.5,"4.0",small\n',
    )
    # UTF-16 with BOM, tab separated (Excel's "Unicode text").
    _write("good_utf16.txt", _table(rng, n=8, sep="\t").encode("utf-16"))
    # Titanic-like: ID, names, a mostly-empty column, categories, missing values, a constant column.
    lines = ["PassengerId,Name,Sex,Age,Cabin,Embarked,Fare,Ship,Survived"]
    for i in range(1, 41):
        sex = "male" if rng.random() < 0.6 else "female"
        age = "" if i % 7 == 0 else f"{rng.integers(1, 80)}"
        cabin = f"C{rng.integers(1, 200)}" if i % 4 == 0 else ""
        emb = "SCQ"[int(rng.integers(0, 3))]
        fare = f"{rng.uniform(5, 100):.2f}"
        survived = int(sex == "female" or rng.random() < 0.2)
        lines.append(f'{i},"Person {i}, Mr",{sex},{age},{cabin},{emb},{fare},Titanic,{survived}')
    _write("titanic_like.csv", "\n".join(lines) + "\n")
    # Rows with an extra value are skipped with a note.
    _write("ragged_rows.csv", "a,b,label\n1,2,x\n2,3,y\n3,4,x,EXTRA\n4,5,y\n5,6,x\n6,7,y\n")
    # Placeholders such as "?" in a numeric column.
    _write("question_marks.csv", "a,b,label\n1,2,x\n?,3,y\n3,4,x\n4,?,y\n5,6,x\n6,7,y\n7,8,y\n8,9,x\n")

    # ---- bad --------------------------------------------------------------------------------
    _write("empty.csv", b"")
    _write("blank_lines.csv", "\n\n   \n\t\n")
    _write("header_only.csv", "alpha,beta,species\n")
    _write(
        "not_a_table.txt",
        "Dear team,\nplease find the numbers attached. We measured three plants; the results\n"
        "were good, but not great.\nBest regards\n",
    )
    _write("one_column.csv", "species\nsetosa\nvirginica\nsetosa\nvirginica\n")
    # A real 1x1 PNG.
    _write(
        "image.png",
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        ),
    )
    _write("archive.zip", _zip({"data.csv": _table(rng)}))
    _write("workbook.xlsx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}))
    _write("binary_junk.bin", np.random.default_rng(0).bytes(4096))
    _write(
        "page.html", "<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>\n"
    )
    _write("data.json", '[{"a": 1, "label": "x"}, {"a": 2, "label": "y"}]\n')
    _write(
        "no_numeric_feature.csv",
        "name,label\n" + "".join(f"Person number {i},{'ab'[i % 2]}\n" for i in range(30)),
    )
    _write("one_class.csv", "a,b,label\n1,2,x\n2,3,x\n3,4,x\n")
    _write("singleton_class.csv", "a,b,label\n1,2,x\n2,3,x\n3,4,y\n4,5,z\n5,6,z\n")
    _write("inf_value.csv", "a,b,label\n1,2,x\n2,inf,y\n3,4,x\n4,5,y\n")
    _write("huge_value.csv", "a,b,label\n1,2,x\n2,3.5e15,y\n3,4,x\n4,5,y\n")
    _write("missing_everywhere.csv", "a,b,label\n1,,x\n,3,y\n3,,x\n,5,y\n")
    _write("unclosed_quote.csv", 'a,b,label\n1,2,x\n"2,3,y\n3,4,x\n4,5,y\n5,6,x\n6,7,y\n')


if __name__ == "__main__":
    main()
