/* MySQL's and MariaDB's errors in Prisma's codes and words (part of the
 * MySQL backend). The server's words are parsed as Prisma parses them
 * (quaint's mysql/error.rs, @prisma/adapter-mariadb's errors.ts), for the
 * texts of MariaDB 10.11 and MySQL 8:
 *   1062 Duplicate entry 'a@x.com' for key 'User_email_key'   (MySQL 8: 'User.User_email_key')
 *   1452 ... a foreign key constraint fails (`db`.`Post`, CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) ...
 *   1048 Column 'email' cannot be null
 *   1146 Table 'db.Nope' doesn't exist
 *   1054 Unknown column 'nope' in 'SELECT'
 *   1406 Data too long for column 'email' at row 1 */
#include "backend_mysql_errors.h"

#include <stdio.h>
#include <string.h>

/* The text between the first pair of `q` after `from` (NULL: from the start
 * of msg), into out; after_dot keeps only what follows its last '.'. */
static bool quoted(const char *msg, const char *from, char q, bool after_dot, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = from ? strstr(msg, from) : msg;
    p = p ? strchr(p + (from ? strlen(from) : 0), q) : NULL;
    const char *end = p ? strchr(p + 1, q) : NULL;
    if (!end)
        return false;
    p++;
    if (after_dot)
        for (const char *d = p; d < end; d++)
            if (*d == '.')
                p = d + 1;
    snprintf(out, cap, "%.*s", (int)(end - p), p);
    return out[0] != '\0';
}

/* 1062's key: the last quoted text of the message (the entry itself may hold
 * quotes), after its last '.' (MySQL 8 names it `Table.key`). */
bool my_duplicate_key(const char *msg, char *out, size_t cap)
{
    out[0] = '\0';
    const char *key = strstr(msg, " for key '");
    const char *last = NULL;
    for (const char *p = key; p; p = strstr(p + 1, " for key '"))
        last = p;
    return last && quoted(last, NULL, '\'', true, out, cap);
}

/* The foreign key's columns, `FOREIGN KEY (`a`, `b`)`, as "(`a`, `b`)". */
static void foreign_key_fields(const char *msg, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(msg, "FOREIGN KEY (");
    const char *end = p ? strchr(p + 13, ')') : NULL;
    if (!end)
        return;
    char list[512];
    size_t o = 0;
    for (const char *s = p + 13; s < end && o + 1 < sizeof list; s++)
        if (*s != '`')
            list[o++] = *s;
    list[o] = '\0';
    err_field_list(list, out, cap);
}

bool my_connection_lost(unsigned errnum)
{
    return errnum == 2006 || errnum == 2013 || errnum == 2055 || errnum == 1053 || errnum == 1927;
}

bool my_retryable_errno(unsigned errnum)
{
    return errnum == 1213 || errnum == 1205;
}

void my_map_error(prisma_err *err, unsigned errnum, const char *msg)
{
    msg = msg ? msg : "";
    snprintf(err->db_code, sizeof err->db_code, "%u", errnum);
    snprintf(err->db_message, sizeof err->db_message, "%s", msg);
    char name[256], fields[512];
    switch (errnum) {
    case 1062:
        my_duplicate_key(msg, name, sizeof name);
        err_set(err, "P2002", "Unique constraint failed on the constraint: `%s`", name);
        break;
    case 1451:
    case 1452:
        foreign_key_fields(msg, fields, sizeof fields);
        if (fields[0])
            err_set(err, "P2003", "Foreign key constraint violated on the fields: %s", fields);
        else
            err_set(err, "P2003", "Foreign key constraint violated on the foreign key");
        break;
    case 1048:
    case 1364:
        quoted(msg, NULL, '\'', false, name, sizeof name);
        err_set(err, "P2011", "Null constraint violation on the fields: (`%s`)", name);
        break;
    case 1263: /* NULL supplied to a NOT NULL column: Prisma names the last quoted text */
        snprintf(name, sizeof name, "(not available)");
        for (const char *p = msg; (p = strchr(p, '\'')) && strchr(p + 1, '\''); p = strchr(p + 1, '\'') + 1)
            quoted(p, NULL, '\'', false, name, sizeof name);
        err_set(err, "P2011", "Null constraint violation on the fields: (`%s`)", name);
        break;
    case 1406:
        if (!quoted(msg, "column", '\'', false, name, sizeof name))
            snprintf(name, sizeof name, "(not available)");
        err_set(err, "P2000", "The provided value for the column is too long for the column's type. Column: %s", name);
        break;
    case 1264:
    case 1690:
        err_set(err, "P2020", "Value out of range for the type: %s", msg);
        break;
    case 1146:
        if (!quoted(msg, NULL, '\'', true, name, sizeof name))
            snprintf(name, sizeof name, "(not available)");
        err_set(err, "P2021", "The table `%s` does not exist in the current database.", name);
        break;
    case 1054:
        if (!quoted(msg, NULL, '\'', true, name, sizeof name))
            snprintf(name, sizeof name, "(not available)");
        err_set(err, "P2022", "The column `%s` does not exist in the current database.", name);
        break;
    case 1191:
        err_set(err, "P2030",
                "Cannot find a fulltext index to use for the search, try adding a @@fulltext([Fields...]) to your "
                "schema");
        break;
    case 1213:
    case 1205: /* lock wait timeout: Prisma leaves it generic; retrying helps as much as after a deadlock */
        err_set(err, "P2034", "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
        break;
    case 1040:
    case 1203:
        err_set(err, "P2037", "Too many database connections opened: %s", msg);
        break;
    case 1317: /* KILL QUERY: a timeout cancelled the statement */
    case 1969: /* max_statement_time */
    case 3024: /* MySQL's max_execution_time */
        err_set(err, "P1008", "Operation has timed out");
        break;
    case 1366: /* incorrect value for a column (an invalid date, a non-number) */
    case 1292:
        err_set(err, "P2007", "Invalid input value: %s", msg);
        break;
    case 3819:
    case 4025: /* CHECK constraint failed (MySQL, MariaDB) */
        err_set(err, "P2004", "A constraint failed on the database: `%s`", msg);
        break;
    default:
        if (my_connection_lost(errnum))
            err_set(err, "P1017", "Server has closed the connection.");
        else
            err_set(err, "P2039", "Database error. Code: `%u`. Message: `%s`", errnum, msg);
        break;
    }
}
