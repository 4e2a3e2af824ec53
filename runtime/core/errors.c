/* Database errors in Prisma's codes and words (user-facing-errors). */
#include "internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* "Table.col, Table.col2" (SQLite) -> "(`col`, `col2`)". */
static void sqlite_fields(const char *list, char *out, size_t cap)
{
    size_t o = 0;
    out[o++] = '(';
    const char *p = list;
    bool first = true;
    while (*p && o + 8 < cap) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *dot = memchr(start, '.', (size_t)(p - start));
        const char *name = dot ? dot + 1 : start;
        size_t n = (size_t)(p - name);
        while (n && name[n - 1] == ' ')
            n--;
        /* PostgreSQL quotes names that need it: "holderId". */
        if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
            name++;
            n -= 2;
        }
        if (!n)
            continue;
        if (!first) {
            out[o++] = ',';
            out[o++] = ' ';
        }
        first = false;
        out[o++] = '`';
        for (size_t i = 0; i < n && o + 4 < cap; i++)
            out[o++] = name[i];
        out[o++] = '`';
    }
    out[o++] = ')';
    out[o] = '\0';
}

void prisma_map_sqlite_error(prisma_err *err, int code, int extended, const char *msg)
{
    snprintf(err->db_code, sizeof err->db_code, "%d", extended);
    snprintf(err->db_message, sizeof err->db_message, "%s", msg ? msg : "");
    const char *colon = msg ? strstr(msg, "failed: ") : NULL;
    char fields[512] = "";
    if (colon)
        sqlite_fields(colon + 8, fields, sizeof fields);
    switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        err_set(err, "P2002", "Unique constraint failed on the fields: %s", fields);
        return;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_TRIGGER: /* ON DELETE / ON UPDATE RESTRICT reports itself this way */
        if (extended == SQLITE_CONSTRAINT_TRIGGER && (!msg || !strstr(msg, "FOREIGN KEY")))
            break;
        err_set(err, "P2003", "Foreign key constraint violated on the foreign key");
        return;
    case SQLITE_CONSTRAINT_NOTNULL:
        err_set(err, "P2011", "Null constraint violation on the fields: %s", fields);
        return;
    default:
        break;
    }
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err_set(err, "P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
        return;
    case SQLITE_CANTOPEN:
        err_set(err, "P1003", "Database does not exist or cannot be opened: %s", msg ? msg : "");
        return;
    case SQLITE_INTERRUPT:
        err_set(err, "P1008", "Operations timed out: the statement was interrupted");
        return;
    case SQLITE_TOOBIG:
        err_set(err, "P2000", "The provided value for the column is too long for the column's type.");
        return;
    default:
        /* Prisma 7's code for database errors it has no code of its own for. */
        err_set(err, "P2039", "Database error. Code: `%d`. Message: `%s`", extended, msg ? msg : "");
        return;
    }
}

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
    /* Reuse the SQLite splitter: names have no table prefix here. */
    sqlite_fields(list, out, cap);
}

void prisma_map_pg_error(prisma_err *err, const char *sqlstate, const char *msg, const char *detail,
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
        err_set(err, "P2020", "Value out of range for the type. %s", msg ? msg : "");
    } else if (strcmp(s, "22001") == 0) {
        err_set(err, "P2000", "The provided value for the column is too long for the column's type. Column: %s",
                column ? column : "");
    } else if (strcmp(s, "22021") == 0 || strcmp(s, "22P02") == 0 || strcmp(s, "22007") == 0 ||
               strcmp(s, "22008") == 0) {
        err_set(err, "P2007", "Data validation error `%s`", msg ? msg : "");
    } else if (strcmp(s, "23514") == 0) {
        err_set(err, "P2004", "A constraint failed on the database: `%s`", msg ? msg : "");
    } else if (strcmp(s, "57014") == 0) {
        err_set(err, "P1008", "Operations timed out: the statement was cancelled");
    } else if (strcmp(s, "25P02") == 0) {
        err_set(err, "P2028",
                "Transaction API error: the transaction was aborted by an earlier error; commands are ignored until "
                "it ends");
    } else if (strncmp(s, "08", 2) == 0) {
        err_set(err, "P1017", "Server has closed the connection.");
    } else {
        err_set(err, "P2039", "Database error. Code: `%s`. Message: `%s`", s, msg ? msg : "");
    }
}
