INSERT INTO "User" ("email", "name") VALUES ('ada@example.com', 'Ada'), ('bob@example.com', 'Bob'), ('cy@example.com', 'Cy');
INSERT INTO "Post" ("title", "authorId") VALUES ('Hello', 1), ('Again', 1), ('Bob writes', 2);
