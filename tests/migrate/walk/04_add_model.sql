INSERT INTO "Tag" ("label") VALUES ('c'), ('db');
