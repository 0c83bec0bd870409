"""Two-way sync with Anki (AnkiWeb, AnkiDroid, AnkiMobile, a self-hosted server) through a
shadow collection in the data folder, spoken to with Anki's own library (the optional extra
`ec2cards[anki]`, imported only here and only when a sync runs).

The YAML decks stay the truth for content and the review log the truth for memory: the shadow
is only the vehicle. `engine` runs one sync; `content` writes the decks' notes, `reviews` moves
reviews both ways, `states` turns card states into Anki's fields, `shadow` does the writing
through Anki's API, `login` keeps the session key and `library` loads Anki and words its
failures for people.
"""
