"""Storage: the only user of sqlite3. The review log (append, undo, replay), the card-state
cache, queue and statistics queries, quiz tables, migrations, backups and putting
one back; the doctor that uses them lives in `maintenance/`."""
