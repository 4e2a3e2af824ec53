/* PostgreSQL's errors in Prisma's codes and words: SQLSTATEs as
 * user-facing-errors, and a lost connection as P1017 (part of the PostgreSQL
 * backend). */
#include "backend_postgres_errors.h"

#include <stdio.h>
#include <string.h>

/* ---- errors: SQLSTATEs in Prisma's codes and words (user-facing-errors) ---- */

/* "Key (a, b)=(1, 2) already exists." -> "(`a`, `b`)". */
static void pg_key_fields(const char *detail, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = detail ? strstr(detail, "Key (") : NULL;
    if (!p)
        return;
    p += 5;
    const char *end = strstr(p, ")=");
    if (!end)
        return;
    char list[512];
    size_t n = (size_t)(end - p) < sizeof list - 1 ? (size_t)(end - p) : sizeof list - 1;
    memcpy(list, p, n);
    list[n] = '\0';
    err_field_list(list, out, cap);
}

/* The name in `relation "User" does not exist`, `column "x" of relation "T"
 * does not exist` or `column t0.x does not exist`: the message's second
 * word, without its quotes, and without the table or alias before an
 * unquoted column ("(not available)" when there is none, as Prisma). */
static void pg_quoted_name(const char *msg, char *out, size_t cap, bool column)
{
    const char *p = msg ? strchr(msg, ' ') : NULL;
    size_t o = 0;
    if (p && p[1] == '"') { /* a quoted name may hold spaces and dots */
        for (p += 2; *p && *p != '"' && o + 1 < cap; p++)
            out[o++] = *p;
    } else {
        for (p = p ? p + 1 : NULL; p && *p && *p != ' ' && o + 1 < cap; p++)
            if (*p == '.' && column)
                o = 0;
            else if (*p != '"')
                out[o++] = *p;
    }
    out[o] = '\0';
    if (!o)
        snprintf(out, cap, "(not available)");
}

void pg_map_error(prisma_err *err, const char *sqlstate, const char *msg, const char *detail,
                  const char *constraint, const char *column)
{
    snprintf(err->db_code, sizeof err->db_code, "%s", sqlstate ? sqlstate : "");
    snprintf(err->db_message, sizeof err->db_message, "%s", msg ? msg : "");
    const char *s = sqlstate ? sqlstate : "";
    char fields[512];
    if (strcmp(s, "23505") == 0) {
        pg_key_fields(detail, fields, sizeof fields);
        if (fields[0])
            err_set(err, "P2002", "Unique constraint failed on the fields: %s", fields);
        else
            err_set(err, "P2002", "Unique constraint failed on the constraint: `%s`", constraint ? constraint : "");
    } else if (strcmp(s, "23503") == 0) {
        err_set(err, "P2003", "Foreign key constraint violated on the constraint: `%s`", constraint ? constraint : "");
    } else if (strcmp(s, "23502") == 0) {
        err_set(err, "P2011", "Null constraint violation on the fields: (`%s`)", column ? column : "");
    } else if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0) {
        err_set(err, "P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
    } else if (strcmp(s, "22003") == 0) {
        err_set(err, "P2020", "Value out of range for the type: %s", msg ? msg : "");
    } else if (strcmp(s, "22001") == 0) {
        err_set(err, "P2000", "The provided value for the column is too long for the column's type. Column: %s",
                column ? column : "(not available)");
    } else if (strcmp(s, "22021") == 0 || strcmp(s, "22P02") == 0 || strcmp(s, "22007") == 0 ||
               strcmp(s, "22008") == 0) {
        err_set(err, "P2007", "Invalid input value: %s", msg ? msg : "");
    } else if (strcmp(s, "23514") == 0) {
        err_set(err, "P2004", "A constraint failed on the database: `%s`", msg ? msg : "");
    } else if (strcmp(s, "57014") == 0) {
        err_set(err, "P1008", "Operation has timed out");
    } else if (strcmp(s, "25P02") == 0) {
        err_set(err, "P2028",
                "Transaction API error: the transaction was aborted by an earlier error; commands are ignored until "
                "it ends");
    } else if (strcmp(s, "42P01") == 0) {
        char table[256];
        pg_quoted_name(msg, table, sizeof table, false);
        err_set(err, "P2021", "The table `%s` does not exist in the current database.", table);
    } else if (strcmp(s, "42703") == 0) {
        char name[256];
        pg_quoted_name(msg, name, sizeof name, true);
        err_set(err, "P2022", "The column `%s` does not exist in the current database.", name);
    } else if (strncmp(s, "08", 2) == 0) {
        err_set(err, "P1017", "Server has closed the connection.");
    } else {
        err_set(err, "P2039", "Database error. Code: `%s`. Message: `%s`", s, msg ? msg : "");
    }
}

/* ---- a lost connection: Prisma's P1017, whatever libpq saw ---- */

/* The server ended the session (admin shutdown, crash, restart: 57P01-57P03),
 * the link failed (class 08), or libpq lost the socket (no result, or an
 * error of its own without a SQLSTATE while the connection went bad). */
bool pg_connection_lost(const PGresult *res, PGconn *pg)
{
    if (!res || !pg || PQstatus(pg) != CONNECTION_OK)
        return true;
    const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return s && (strncmp(s, "57P0", 4) == 0 || strncmp(s, "08", 2) == 0);
}

void pg_lost_err(prisma_err *err, const PGresult *res, PGconn *pg)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m)
        m = pg ? PQerrorMessage(pg) : "";
    err_set(err, "P1017", "Server has closed the connection.");
    snprintf(err->db_code, sizeof err->db_code, "%s", s ? s : "");
    snprintf(err->db_message, sizeof err->db_message, "%s", m);
    for (size_t n = strlen(err->db_message); n && err->db_message[n - 1] == '\n'; n--)
        err->db_message[n - 1] = '\0';
}

void pg_result_err(prisma_err *err, const PGresult *res, PGconn *pg)
{
    if (pg_connection_lost(res, pg)) {
        pg_lost_err(err, res, pg);
        return;
    }
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    pg_map_error(err, PQresultErrorField(res, PG_DIAG_SQLSTATE), msg ? msg : PQresultErrorMessage(res),
                 PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME),
                 PQresultErrorField(res, PG_DIAG_COLUMN_NAME));
}
