"""Reports: metric results turned into tables and documents."""
