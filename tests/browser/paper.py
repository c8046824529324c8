"""Reads or changes `[worksheets] paper` of a site.toml.

    python3 paper.py site.toml              prints the paper: A4 or Letter
    python3 paper.py site.toml --set Letter prints site.toml with that paper
"""

import re
import sys
import tomllib


def main() -> None:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as file:
        text = file.read()
    if len(sys.argv) == 2:
        print(tomllib.loads(text).get("worksheets", {}).get("paper", "A4"))
        return
    paper = sys.argv[3]
    line = f'paper = "{paper}"'
    if re.search(r"(?m)^paper\s*=.*$", text):
        text = re.sub(r"(?m)^paper\s*=.*$", line, text, count=1)
    elif re.search(r"(?m)^\[worksheets\]\s*$", text):
        text = re.sub(r"(?m)^\[worksheets\]\s*$", f"[worksheets]\n{line}", text, count=1)
    else:
        text += f"\n[worksheets]\n{line}\n"
    assert tomllib.loads(text)["worksheets"]["paper"] == paper
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
