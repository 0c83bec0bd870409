"""The terminal: the only user of rich. Study and quiz screens, their line-mode twins, tables,
key reading, safe text and short human times. It renders and reads keys; it never decides."""
