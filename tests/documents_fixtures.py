"""Documents built for the tests of policyquant.documents: pages, Word files and PDFs as real ones are made.

The HTML pages follow the layout of article pages as saved from Chinese
government sites (www.gov.cn's policy library, the Cyberspace Administration's
www.cac.gov.cn): a navigation header, a breadcrumb, a metadata table, the
article, then sharing links, related links, a footer, scripts, styles and
iframes.  Only the article is a document's text.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Lines that begin an article (第X条) in the Chinese legal texts.
ARTICLE_LINE = re.compile(r"^\s*第[零〇一二三四五六七八九十百千两\d]+条(?:之[一二三四五六七八九十]+)?")


def article_lines(text: str) -> list[str]:
    """The lines of ``text`` that begin an article, whitespace removed (how the formats are compared)."""
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if ARTICLE_LINE.match(line)]


def _paragraphs_html(paragraphs: Iterable[str]) -> str:
    parts = []
    for line in paragraphs:
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")) + 1, 6)
            parts.append(f"<h{level}>{html.escape(line.lstrip('#').strip())}</h{level}>")
        else:
            parts.append(f'<p style="text-indent: 2em; font-family: 仿宋;">{html.escape(line)}</p>')
    return "\n".join(parts)


_SCRIPTS = """
<script type="text/javascript">var _hmt = _hmt || []; document.write("<p>第九十九条 脚本写出的文字</p>");</script>
<script src="/govscripts/jquery.js"></script>
<style>.pages_content p { line-height: 2; } body::after { content: "第九十八条 样式"; }</style>
"""


def gov_cn_page(title: str, paragraphs: Sequence[str], *, number: str = "国办发〔2017〕35号", date: str = "2017年7月8日") -> str:
    """An article page in the layout of the State Council's policy library (www.gov.cn/zhengce)."""
    nav = "".join(f'<li><a href="/{k}/">{t}</a></li>' for k, t in [("", "首页"), ("premier", "总理"), ("zhengce", "政策"), ("hudong", "互动"), ("shuju", "数据"), ("fuwu", "服务")])
    related = "".join(f'<li><a href="/zhengce/{i}.htm">国务院关于印发某某规划的通知（{i}）</a></li>' for i in range(8))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{html.escape(title)}">
<title>{html.escape(title)}_政府信息公开专栏_中国政府网</title>
{_SCRIPTS}
</head>
<body>
<div class="header"><div class="logo"><a href="/">中国政府网</a></div>
<ul class="nav">{nav}</ul>
<form class="search"><input type="text" value="请输入关键词"><button>搜索</button></form></div>
<div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a href="/zhengce/">政策</a> &gt; <a href="/zhengce/xxgk/">政策库</a></div>
<div class="policyLibraryOverview_header"><table class="bd1">
<tr><td><b>索 引 号：</b></td><td>000014349/2017-00123</td><td><b>主题分类：</b></td><td>科技、教育\\科技</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>{date}</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">{html.escape(title)}</td></tr>
<tr><td><b>发文字号：</b></td><td>{number}</td><td><b>发布日期：</b></td><td>{date}</td></tr>
</table></div>
<div class="article oneColumn pub_border">
<h1>{html.escape(title)}</h1>
<div class="pages-date">{date} 来源：中国政府网 <span class="font">【字体：<a>大</a> <a>中</a> <a>小</a>】</span><span class="printIco">打印</span></div>
<div class="pages_content" id="UCAP-CONTENT">
{_paragraphs_html(paragraphs)}
</div>
<div class="editor">【我要纠错】 责任编辑：王某某</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a> 扫一扫在手机打开当前页</div>
</div>
<iframe src="https://example.invalid/share.html"><p>第九十七条 框架里的文字</p></iframe>
<div class="related"><h3>相关稿件</h3><ul>{related}</ul></div>
<div class="footer"><p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p>
<p>版权所有：中国政府网　中文域名：中国政府网.政务</p><p>网站标识码bm01000001　京ICP备05070218号　京公网安备11010202000001号</p></div>
<script>$(function(){{ $(".share").show(); }});</script>
</body></html>
"""


def cac_page(title: str, paragraphs: Sequence[str], *, date: str = "2023-07-13 17:00:00") -> str:
    """An article page in the layout of the Cyberspace Administration of China's site (www.cac.gov.cn)."""
    nav = "".join(f'<a href="/{i}/">{t}</a>' for i, t in enumerate(["首页", "权威发布", "网信政务", "政策法规", "网络安全", "信息化", "网络传播", "国际交流"]))
    links = "".join(f'<li><a href="/2023-0{i}/01/c_{i}.htm">网信办部署开展专项行动（{i}）</a></li>' for i in range(1, 7))
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{html.escape(title)}_中央网络安全和信息化委员会办公室</title>
<link rel="stylesheet" href="/css/index.css">
{_SCRIPTS}
</head><body>
<div id="top"><div class="top_nav">{nav}</div><div class="toplogo">中国网信网</div></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zcfg/">政策法规</a></div>
<div class="main">
<div class="main-left">
<h1 class="title" id="title">{html.escape(title)}</h1>
<div class="info"><span id="pubtime">{date}</span> 来源：<span id="source">中国网信网</span></div>
<div class="main-content" id="BodyLabel">
{_paragraphs_html(paragraphs)}
</div>
<div class="editor">（责任编辑：李某）</div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="main-right"><div class="hot"><h3>热点推荐</h3><ul>{links}</ul></div></div>
</div>
<iframe src="/video/player.html" width="600"></iframe>
<div id="bottom"><p>主办：中共中央网络安全和信息化委员会办公室　中华人民共和国国家互联网信息办公室</p>
<p>承办：中国网络空间研究院 京ICP备14042428号 <script>document.write("统计");</script></p></div>
</body></html>
"""


def markdown_lines(markdown: str) -> list[str]:
    """The lines of a lawrefbook Markdown text below its metadata head, blank lines and comments left out."""
    body = markdown.split("<!-- INFO END -->", 1)[-1] if "<!-- INFO END -->" in markdown else markdown
    head = markdown.split("<!-- INFO END -->", 1)[0] if "<!-- INFO END -->" in markdown else ""
    title = [line for line in head.splitlines() if line.startswith("# ")]
    lines = [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("<!--")]
    return title[:1] + lines


def write_docx(lines: Sequence[str], path: Path) -> Path:
    """A Word document of ``lines``: Markdown headings as Word headings, other lines as paragraphs."""
    import docx

    document = docx.Document()
    for line in lines:
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line.lstrip("#").strip(), level=0 if level == 1 else min(level - 1, 9))
        else:
            document.add_paragraph(line)
    document.save(path)
    return path


def soffice() -> str | None:
    """LibreOffice's command, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: Sequence[Path], folder: Path) -> list[Path]:
    """PDFs of Word files made by LibreOffice headless, in ``folder``."""
    import tempfile

    command = soffice()
    assert command is not None
    # A profile of its own: LibreOffice may already run for the user, and nothing is left in folder.
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    subprocess.run(
        [command, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [folder / (file.stem + ".pdf") for file in files]


def write_pdf(pages: Sequence[Sequence[str]], path: Path) -> Path:
    """A PDF with a text layer, ``pages`` lines per page, set in a CJK font reportlab ships (STSong-Light)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    sheet = canvas.Canvas(str(path))
    for lines in pages:
        sheet.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            sheet.drawString(72, 760 - 18 * row, line)
        sheet.showPage()
    sheet.save()
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF of pictures only, as a scanner makes one: shapes where the text would be, no text layer."""
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path))
    for _ in range(pages):
        for row in range(30):
            sheet.rect(72, 760 - 18 * row, 300 + 7 * (row % 5), 10, fill=1)
        sheet.showPage()
    sheet.save()
    return path


def encrypt_pdf(source: Path, path: Path, user_password: str = "secret") -> Path:
    """``source`` encrypted with pypdf (AES-256): a user password of "" opens without one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def crash_worker(*args: object) -> None:
    """A pool worker that dies at once, as one killed by the system for memory would."""
    import os

    os._exit(3)


def write_official_pdf(title: str, paragraphs: Sequence[str], path: Path) -> Path:
    """A PDF set as official documents (公文) are: 16-point body, first lines indented two characters,
    no space between paragraphs, lines wrapped by reportlab's CJK line breaking across pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=16, leading=28, firstLineIndent=32, wordWrap="CJK")
    heading = ParagraphStyle("title", fontName="STSong-Light", fontSize=22, leading=36, alignment=1)
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(title, heading)] + [Paragraph(text, body) for text in paragraphs])
    return path
