INSERT INTO "Profile" ("text", "userId") VALUES ('first', 1);
