"""`python -m crawler.parsing [--url URL] FILE...`: the `legalnews extract` command, same exit
codes."""

from crawler.commands.extracting import extract

if __name__ == "__main__":
    extract(prog_name="python -m crawler.parsing")
