"""Moving cards in and out of ec2cards: YAML decks, Anki's plain-text notes and Anki packages.

Readers turn a file into `IncomingDeck`s (plain data, see `common`); `importer` plans where they go
and `import_apply` writes them all or nothing; `exporter` writes a selection of cards as apkg, CSV
or YAML.
Nothing here touches the terminal: the CLI passes the paths, the store and the time in.
"""
