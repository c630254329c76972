"""Write the one bundled example document that is not plain text: the ``.docx`` of the algorithm regulation.

The example documents of ``policyquant/datasets/data/documents/`` are
fictional policy documents written for policyquant's tutorial (see
``data/README.md``).  All but one are plain files edited by hand; the Word
file is generated here with python-docx, so that its text lives in a file a
reviewer can read.  The output is byte-for-byte the same on every run (fixed
document properties and zip timestamps).

Run it from the repository to rewrite the file, or check that it is current
(exit status 1 if not)::

    python -m policyquant.datasets.build_example_documents
    python -m policyquant.datasets.build_example_documents --check
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

__all__ = ["DOCX_NAME", "REGULATION", "build_docx"]

#: The file written, in ``data/documents/``.
DOCX_NAME = "algorithm_governance_regulation.docx"

#: The regulation's paragraphs: ``(kind, text)`` with kind ``title``, ``center``, ``heading``
#: (a chapter), ``text``, ``right`` (the signature block) or ``table`` (rows joined by "|").
REGULATION: tuple[tuple[str, str], ...] = (
    ("title", "中华人民共和国国务院令"),
    ("center", "第789号"),
    (
        "text",
        "《互联网信息服务算法治理条例》已经2024年12月20日国务院第47次常务会议通过，现予公布，自2025年5月1日起施行。",
    ),
    ("right", "总理　×××"),
    ("right", "2025年1月10日"),
    ("title", "互联网信息服务算法治理条例"),
    ("heading", "第一章　总　　则"),
    (
        "text",
        "第一条　为了规范互联网信息服务算法应用活动，促进算法技术创新和健康发展，维护国家安全和社会公共利益，保护公民、法人和其他组织的合法权益，制定本条例。",
    ),
    (
        "text",
        "第二条　在中华人民共和国境内应用生成合成类、个性化推送类、排序精选类、检索过滤类、调度决策类等算法技术提供互联网信息服务（以下简称算法服务），适用本条例。",
    ),
    (
        "text",
        "第三条　算法服务应当遵守法律法规，尊重社会公德和伦理，坚持公平公正、公开透明、科学合理和诚实信用的原则。",
    ),
    (
        "text",
        "第四条　国家网信部门负责全国算法服务治理和相关监督管理工作。国务院电信、公安、市场监管等有关部门依据各自职责负责算法服务监督管理工作。",
    ),
    ("heading", "第二章　促进发展"),
    (
        "text",
        "第五条　国家支持算法基础理论研究和关键技术攻关，鼓励企业、高等学校、科研机构开展算法创新合作，推动算法技术成果转化应用。",
    ),
    (
        "text",
        "第六条　县级以上人民政府应当将算法技术创新纳入科技发展规划，通过财政资金、政府采购、税收优惠等方式支持算法技术研发和应用推广。",
    ),
    (
        "text",
        "第七条　国家建立健全算法技术标准体系，支持行业组织制定算法安全、算法伦理等团体标准，开展算法安全培训、宣传和行业自律。",
    ),
    ("heading", "第三章　算法服务规范"),
    (
        "text",
        "第八条　算法服务提供者应当落实算法安全主体责任，建立健全算法机制机理审核、科技伦理审查、数据安全和个人信息保护、应急处置等管理制度和技术措施。",
    ),
    (
        "text",
        "第九条　算法服务提供者应当以显著方式告知用户其提供算法服务的情况，并以适当方式公示算法服务的基本原理、目的意图和主要运行机制。",
    ),
    (
        "text",
        "第十条　算法服务提供者应当向用户提供不针对其个人特征的选项，或者向用户提供便捷的关闭算法推荐服务的选项。用户选择关闭的，应当立即停止提供相关服务。",
    ),
    (
        "text",
        "第十一条　算法服务提供者不得利用算法对消费者的交易价格等交易条件实行不合理的差别待遇，不得利用算法实施垄断和不正当竞争行为。",
    ),
    (
        "text",
        "第十二条　具有舆论属性或者社会动员能力的算法服务提供者应当在提供服务之日起十个工作日内履行备案手续，并依照本条例第十八条的规定开展安全评估。",
    ),
    ("heading", "第四章　监督管理"),
    (
        "text",
        "第十三条　网信部门会同有关部门建立算法分级分类安全管理制度，根据算法服务的舆论属性、内容类别、用户规模和对用户行为的干预程度实施分级分类管理。分级分类标准见附件。",
    ),
    (
        "text",
        "第十四条　网信部门会同有关部门对算法服务开展安全评估和监督检查，对发现的问题及时提出整改意见并限期整改。",
    ),
    (
        "text",
        "第十五条　算法服务提供者应当配合有关部门依法实施的监督检查，并提供必要的技术、数据等支持和协助。",
    ),
    ("heading", "第五章　法律责任"),
    (
        "text",
        "第十六条　违反本条例规定的，由网信部门和有关部门依据职责给予警告、通报批评，责令限期改正；拒不改正或者情节严重的，责令暂停信息更新，并处一万元以上十万元以下罚款。",
    ),
    (
        "text",
        "第十七条　违反本条例规定，构成违反治安管理行为的，依法给予治安管理处罚；构成犯罪的，依法追究刑事责任。",
    ),
    ("heading", "第六章　附　　则"),
    ("text", "第十八条　算法服务安全评估的具体办法，由国家网信部门会同国务院有关部门制定。"),
    ("text", "第十九条　本条例自2025年5月1日起施行。"),
    ("text", "附件：算法服务分级分类标准"),
    ("table", "级别|判定标准|管理要求"),
    ("table", "第一级|具有舆论属性或者社会动员能力，用户规模超过一千万|备案、安全评估、年度审计"),
    ("table", "第二级|用户规模超过一百万|备案、安全评估"),
    ("table", "第三级|其他算法服务|备案"),
)

# A fixed moment for the document's properties and every zip entry: the same bytes on every run.
_FIXED = dt.datetime(2025, 1, 10, 9, 0, 0)


def _data_folder() -> Path:
    return Path(__file__).resolve().parent / "data" / "documents"


def build_docx() -> bytes:
    """The bytes of the Word file, the same on every run.

    Examples
    --------
    >>> data = build_docx()
    >>> data[:2], build_docx() == data
    (b'PK', True)
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    properties = document.core_properties
    properties.author = properties.last_modified_by = "policyquant"
    properties.title = "互联网信息服务算法治理条例"
    properties.created = properties.modified = _FIXED
    properties.revision = 1
    table = None
    for kind, text in REGULATION:
        if kind == "table":
            cells = text.split("|")
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
                table.style = "Table Grid"
            for cell, value in zip(table.add_row().cells, cells, strict=True):
                cell.text = value
            continue
        table = None
        if kind in ("title", "heading"):
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph = document.add_paragraph(text)
            if kind == "center":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    raw = io.BytesIO()
    document.save(raw)
    # python-docx stamps each zip entry with the current time: rewritten with a fixed one.
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write the file, or with ``--check`` say whether it is current (status 1 if not)."""
    argv = sys.argv[1:] if argv is None else argv
    target = _data_folder() / DOCX_NAME
    data = build_docx()
    if "--check" in argv:
        current = target.is_file() and target.read_bytes() == data
        print(f"{target.name}: {'current' if current else 'out of date; run without --check'}")
        return 0 if current else 1
    target.write_bytes(data)
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
