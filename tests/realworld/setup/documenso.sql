-- documenso creates pg_trgm in a migration (its trigram GIN indexes need it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
