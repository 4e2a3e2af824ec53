/* The Json filter spellings of each database (backend_<db>_json.c), for
 * their backend's `json` member. */
#ifndef PRISMA_BACKEND_JSON_H
#define PRISMA_BACKEND_JSON_H

#include "backend.h"

extern const backend_json backend_sqlite_json;
extern const backend_json backend_postgres_json;
extern const backend_json backend_mysql_json;

#endif
