/* MySQL's and MariaDB's errors in Prisma's codes and words (part of the
 * MySQL backend, kept apart so backend_mysql.c stays one concern a section). */
#ifndef PRISMA_BACKEND_MYSQL_ERRORS_H
#define PRISMA_BACKEND_MYSQL_ERRORS_H

#include "base.h"

#include <stdbool.h>

/* A server or client error number and the server's words as Prisma's error
 * (quaint's mysql/error.rs and @prisma/adapter-mariadb's errors.ts): db_code
 * is the error number ("1062"), db_message the server's words. */
void my_map_error(prisma_err *err, unsigned errnum, const char *msg);
/* 1062's key name ("User_email_key"), from the server's words; false when
 * they name none. */
bool my_duplicate_key(const char *msg, char *out, size_t cap);
/* Whether an error number means the session is gone: the server closed it
 * or the link failed (2006, 2013, 2055), the server is shutting down (1053)
 * or killed the connection (1927). Prisma's P1017. */
bool my_connection_lost(unsigned errnum);
/* Deadlock (1213) or lock wait timeout (1205): worth retrying the transaction. */
bool my_retryable_errno(unsigned errnum);

#endif
