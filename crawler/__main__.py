"""`python -m crawler` runs the legalnews command line."""

from crawler.cli import main

main()
