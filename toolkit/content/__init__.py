"""The toolkit's content: where data/ and workbook/ are found, the rules and caveats read from them."""
