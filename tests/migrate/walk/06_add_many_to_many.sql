INSERT INTO "_PostTags" ("A", "B") VALUES (1, 1), (2, 1), (2, 2);
