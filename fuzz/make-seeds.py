#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/): small valid and
nearly valid files of every format, so the fuzzers start from real structure. Run from
the repository root; the output is committed, this script documents how it was made."""
import io, os, zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

body = ("The Ministry of Foreign Affairs of Armenia accused Azerbaijan of violating the ceasefire on 3 March 2022. "
        "Mr. Smith of the U.S. said talks with France continue.\nChinese Foreign Ministry spokesperson Mao Ning said so, Xinhua reports.")
write("read_text", "plain.txt", body)
write("read_text", "front-matter.txt", "---\ntitle: A title\ndate: 2021-05-01\nspeaker_country: FR\n---\n" + body)
write("read_text", "utf16le.txt", b"\xff\xfe" + body.encode("utf-16-le"))
write("read_text", "utf16be.txt", b"\xfe\xff" + body.encode("utf-16-be"))
write("read_text", "windows-1252.txt", "Café: Norway mediated — ‘quotes’.".encode("cp1252"))
write("read_text", "bom.txt", b"\xef\xbb\xbf" + body.encode())
write("read_text", "rtl-emoji.txt", "وزارة الخارجية: Israel اتهمت إيران. 🇺🇦 Ukraine accused Russia 👨‍👩‍👧.")
write("read_markdown", "heading.md", "## The statement ##\n\n" + body)
write("read_markdown", "front-matter.md", "---\ntitle: Stated\nsource: Reuters\nurl: https://example.org/x\n---\n\n# Heading\n\n" + body)
write("read_html", "page.html", "<!doctype html><html><head><title>T</title><meta property='article:published_time' content='2023-01-02'>"
      "<meta name=author content='Press Office'><link rel=canonical href='https://example.org/a'></head><body><h1>H</h1><p>"
      + body + "</p><script>var x = 1;</script><style>p{}</style><ul><li>one</li><li>two</li></ul></body></html>")
write("read_html", "nested.html", "<div>" * 300 + "<p>Peru recalled its ambassador.</p>" + "</div>" * 300)
write("read_html", "entities.html", "<p>France &amp; Germany &eacute;lys&#233;e &#x1F600; &bogus;</p>")
write("read_json", "object.json", '{"title": "T", "date": "2020-01-02", "speaker": "Mao Ning", "text": "%s"}' % body.replace("\n", "\\n"))
write("read_json", "array.json", '[{"text": "Japan protested."}, {"body": "Chile answered.", "title": "Second"}]')
write("read_json", "nested.json", '{"text": "x", "meta": {"a": [1, 2, {"b": null}]}}')

def pdf(objects):
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, obj)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    for offset in offsets:
        out += ("%010d 00000 n \n" % offset).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    return bytes(out)

stream = "BT /F1 12 Tf 72 700 Td (Armenia accused Azerbaijan of shelling.) Tj ET"
write("read_pdf", "one-page.pdf", pdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    "<< /Title (A title) /Producer (seed) >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R >>",
    "<< /Length %d >>\nstream\n%s\nendstream" % (len(stream) + 1, stream),
]))

def docx(document, core=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document)
        if core:
            z.writestr("docProps/core.xml", core)
    return buffer.getvalue()

ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
write("read_docx", "simple.docx", docx(
    '<?xml version="1.0"?><w:document %s><w:body><w:p><w:r><w:t>%s</w:t><w:tab/><w:br/></w:r></w:p>'
    '<w:p/><w:p><w:r><w:t xml:space="preserve">Japan &amp; Chile.</w:t></w:r></w:p></w:body></w:document>' % (ns, body.replace("\n", " ")),
    '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Seed title</dc:title></cp:coreProperties>'))

write("analyze", "statement.txt", body)
write("analyze", "abbreviations.txt", "Mr. Smith met Dr. Jones on Jan. 5 at No. 10 Downing St. in London. The U.S. and the U.K. agreed.")
write("analyze", "dense-line.txt", "Armenia accused Azerbaijan of shelling; " * 200)
write("analyze", "scripts.txt", "Греция и Türkiye: Greece accused Turkey. 中国 China. 🇺🇦 Ukraine accused Russia.")
