/* PostgreSQL's errors in Prisma's codes and words (part of the PostgreSQL
 * backend, kept apart so backend_postgres.c stays one concern a section). */
#ifndef PRISMA_BACKEND_POSTGRES_ERRORS_H
#define PRISMA_BACKEND_POSTGRES_ERRORS_H

#include "base.h"

#include <libpq-fe.h>
#include <stdbool.h>

/* A SQLSTATE and the server's words as Prisma's error (user-facing-errors). */
void pg_map_error(prisma_err *err, const char *sqlstate, const char *msg, const char *detail,
                  const char *constraint, const char *column);
/* Whether the server or the link ended the session (Prisma's P1017). */
bool pg_connection_lost(const PGresult *res, PGconn *pg);
void pg_lost_err(prisma_err *err, const PGresult *res, PGconn *pg);
/* A failed result as Prisma's error: P1017 when the connection is gone. */
void pg_result_err(prisma_err *err, const PGresult *res, PGconn *pg);

#endif
