"""Files a run leaves for people: the apply journal, the identifier review workbook, and
the age encryption of what goes into Git."""
