-- rallly creates citext in a migration (its @db.Citext columns need it); the schema does not declare it.
CREATE EXTENSION IF NOT EXISTS citext;
