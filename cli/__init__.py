"""The `chainkg` command line: thin typer commands over the packages below it."""
