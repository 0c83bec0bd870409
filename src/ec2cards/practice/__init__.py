"""Practice exams: scenario cards asked as a certification exam asks them, timed, scored
without partial credit on a scaled 100-1000, and linked back to the recall cards they test."""
