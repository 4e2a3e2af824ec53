/* The MySQL test backend (MariaDB): a fresh database per test program on the
 * throwaway server of myserver.c, shared by the process (PRISMAC_SKIP_MYSQL=1
 * skips, PRISMAC_TEST_MYSQL_URL uses a server of one's own). */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myserver.h"
#include "testdb.h"

static int prepare(char *url, size_t cap, bool *skipped, char *err, size_t errlen)
{
    int skip = 0;
    int rc = myserver_fresh_database("prismac_test", url, cap, &skip, err, errlen);
    *skipped = skip != 0;
    if (*skipped)
        snprintf(err, errlen, "PRISMAC_SKIP_MYSQL=1");
    return rc;
}

/* `name` as a quoted identifier appended to sql (cap bytes); -1 if it does not fit. */
static int append_ident(char *sql, size_t cap, const char *name)
{
    size_t o = strlen(sql);
    if (o + 2 >= cap)
        return -1;
    sql[o++] = '`';
    for (const char *p = name; *p; p++) {
        if (o + 3 >= cap)
            return -1;
        if (*p == '`')
            sql[o++] = '`';
        sql[o++] = *p;
    }
    sql[o++] = '`';
    sql[o] = '\0';
    return 0;
}

/* Is `name` one of the n tables? */
static bool listed(const char *name, const char *const *tables, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tables[i], name) == 0)
            return true;
    return false;
}

/* Empties the tables and restarts their AUTO_INCREMENT counters, foreign key
 * checks off (the order of the tables does not matter), in one round trip
 * after one look-up. DELETE rather than TRUNCATE, which drops and recreates
 * the table's file; and `ALTER TABLE ... AUTO_INCREMENT = 1` (on an empty
 * InnoDB table it sets the counter back in place) only where the counter
 * moved, as information_schema says: a test touches a few tables of a schema
 * that may have eighty, reset before each of hundreds of tests. */
static int reset(const char *url, const char *const *tables, size_t n)
{
    char why[512];
    MYSQL *m = myserver_connect(url, why, sizeof why);
    MYSQL_RES *res = NULL;
    MYSQL_ROW row;
    size_t cap = 64;
    char *sql = NULL;
    int rc = -1;
    for (size_t i = 0; i < n; i++)
        cap += 4 * strlen(tables[i]) + 80; /* each name twice, backticks doubled at worst */
    if (!m || !(sql = malloc(cap)))
        goto cleanup;
    strcpy(sql, "SET FOREIGN_KEY_CHECKS = 0");
    for (size_t i = 0; i < n; i++) {
        strcat(sql, "; DELETE FROM ");
        if (append_ident(sql, cap, tables[i]) != 0)
            goto cleanup;
    }
    if (mysql_query(m, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                       "AND AUTO_INCREMENT > 1") != 0 ||
        !(res = mysql_store_result(m))) {
        snprintf(why, sizeof why, "%u: %s", mysql_errno(m), mysql_error(m));
        goto fail;
    }
    while ((row = mysql_fetch_row(res)) != NULL) {
        if (!row[0] || !listed(row[0], tables, n))
            continue;
        strcat(sql, "; ALTER TABLE ");
        if (append_ident(sql, cap, row[0]) != 0)
            goto cleanup;
        strcat(sql, " AUTO_INCREMENT = 1");
    }
    strcat(sql, "; SET FOREIGN_KEY_CHECKS = 1");
    if (myserver_exec(m, sql, why, sizeof why) != 0)
        goto fail;
    rc = 0;
    goto cleanup;
fail:
    fprintf(stderr, "testdb_mysql: reset: %s\n", why);
cleanup:
    mysql_free_result(res);
    free(sql);
    mysql_close(m);
    return rc;
}

/* The count is a row of a MyISAM table (it does not roll back): a MariaDB
 * sequence cannot be set back below its value with SETVAL, and a function
 * replaced makes its callers' prepared statements stale (1615). The function
 * is made once, and reads the limit from the table. */
static const char *flaky_setup(int fails, int k)
{
    switch (k) {
    case 0:
        return "CREATE TABLE IF NOT EXISTS regressions_attempts (n INT NOT NULL, fails INT NOT NULL) ENGINE = MyISAM";
    case 1:
        return "DELETE FROM regressions_attempts";
    case 2:
        return testdb_sql("INSERT INTO regressions_attempts (n, fails) VALUES (0, %d)", fails);
    case 3:
        /* A deadlock's errno and SQLSTATE, as the server reports one. */
        return "CREATE FUNCTION IF NOT EXISTS regressions_flaky() RETURNS INT NOT DETERMINISTIC MODIFIES SQL DATA BEGIN "
               "UPDATE regressions_attempts SET n = n + 1; "
               "IF (SELECT n <= fails FROM regressions_attempts) THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, "
               "MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction'; "
               "END IF; RETURN 1; END";
    default:
        return NULL;
    }
}

/* The schemas' shape is a POINT (a geometry, Unsupported in Prisma): no radius. */
static const char *point_sql(int x, int y, int r)
{
    (void)r;
    return testdb_sql("ST_GeomFromText('POINT(%d %d)')", x, y);
}

static const char *point_text(int x, int y, int r)
{
    (void)r;
    return testdb_sql("POINT(%d %d)", x, y);
}

static const char *point_of(const char *col)
{
    return testdb_sql("ST_AsText(%s)", col);
}

/* No CAST(... AS TEXT) in MySQL. */
static const char *cast_as_char(const char *col)
{
    return testdb_sql("CAST(%s AS CHAR)", col);
}

static void sleep_sql(char *buf, size_t cap, int ms)
{
    snprintf(buf, cap, "SELECT SLEEP(%d.%03d)", ms / 1000, ms % 1000);
}

/* MariaDB names the key and quotes the duplicate value; a primary key is
 * `PRIMARY`, a @unique the index Prisma names <table>_<column>_key. */
static const char *raw_unique_violation(const char *table, const char *column, const char *value, bool primary_key)
{
    if (primary_key)
        return testdb_sql("Code: `1062`. Message: `Duplicate entry '%s' for key 'PRIMARY'`", value);
    return testdb_sql("Code: `1062`. Message: `Duplicate entry '%s' for key '%s_%s_key'`", value, table, column);
}

/* MariaDB quotes the statement from the point where it stopped understanding it. */
static const char *raw_syntax_error(const char *statement)
{
    return testdb_sql("Code: `1064`. Message: `You have an error in your SQL syntax; check the manual that "
                      "corresponds to your MariaDB server version for the right syntax to use near '%s' at line 1`",
                      statement);
}

static const char *check_violation(const char *constraint)
{
    return testdb_sql("CONSTRAINT `%s` failed", constraint);
}

const testdb_backend testdb_mysql = {
    .name = "mysql",
    .title = "MySQL (MariaDB)",
    .prepare = prepare,
    .reset = reset,
    .every_isolation_level = true,
    .concurrent_write_transactions = true,
    .error_aborts_transaction = false, /* a failed statement leaves the transaction open (a deadlock does not) */
    .deferred_begin = false,           /* SET TRANSACTION and BEGIN go first, over the text protocol */
    .exact_decimals = true,            /* DECIMAL(65,30) */
    /* InnoDB locks rather than detecting conflicts: a second Serializable
     * writer waits (its reads took shared locks), or the two deadlock (1213,
     * P2034: a_deadlock_is_p2034 runs by deadlock_code). */
    .serialization_conflicts = false,
    .sessions_have_pids = false,       /* CONNECTION_ID() and KILL exist, but the tests that use this speak pg_* */
    .names_violated_foreign_key = false, /* Prisma's MySQL P2003 names the field, from the error text */
    .names_foreign_key_fields = true,
    .refuses_set_default = true,         /* InnoDB refuses SET DEFAULT actions */
    .alter_adds_constraints = true,
    .has_boolean = false,              /* TRUE is the integer 1 */
    .keeps_negative_zero = false,      /* MariaDB 10.11 reads a DOUBLE -0.0 back as 0 (binary protocol) */
    .keeps_datetime_offsets = false,   /* DATETIME has no offset */
    .refuses_datetime_offsets = true,  /* MariaDB: '...-05:30' is 1292, Incorrect datetime value */
    .scalar_lists = false,             /* Prisma refuses String[] on MySQL */
    .insensitive_mode = false,         /* refused (P2009): the collation decides, 'a' = 'A' */
    .json_index_from_end = false,      /* MariaDB resolves $[last] once per statement: refused */
    .json_index_wraps = true,          /* $[0] of an object is the object */
    .json_contains_nested = true,      /* JSON_CONTAINS, as Prisma's MySQL array_contains */
    .raw_boolean_columns = false,      /* TINYINT(1) reads as an integer */
    .update_returning = false,         /* emulated (runtime/query/update_reread.c) */
    .case_insensitive_text = true,     /* utf8mb4_unicode_ci */
    .string_max = 191,                 /* String is VARCHAR(191) */
    .int_division_rounds = true,       /* `balance` / 2 is a DECIMAL, rounded into the INT (Prisma's SQL too) */
    .datetime_years_0_to_9999 = true,  /* no zero dates written for them: refused before they are sent */
    .other_provider_url = "postgresql://localhost/x",
    .deadlock_code = "1213",
    .double_type = "DOUBLE",
    /* performance_schema (on in myserver's servers); a WHERE on `statement` may follow. */
    .count_prepared_sql = "SELECT COUNT(*) AS n FROM (SELECT SQL_TEXT AS statement FROM "
                          "performance_schema.prepared_statements_instances WHERE OWNER_THREAD_ID = "
                          "(SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())) AS p",
    .identifier_quote = '`',
    .placeholder = '?',
    .unnumbered_placeholders = true, /* no ?NNN: parameters bind in order */
    .for_update = " FOR UPDATE",
    .rollback_to = "ROLLBACK TO SAVEPOINT ",
    .byte_order = " COLLATE utf8mb4_bin",
    /* A parameter's type is the bound value's own (bytes stay bytes): no cast needed. */
    .cast_bytes = "",
    .cast_text = "",
    .cast_float = "",
    .shape_sql = point_sql,
    .shape_text = point_text,
    .shape_of = point_of,
    .text_of = cast_as_char,
    .flaky_setup = flaky_setup,
    .flaky_runs_sql = "SELECT n FROM regressions_attempts",
    .sleep_sql = sleep_sql,
    .unreachable_url = "mysql://nobody@127.0.0.1:1/none",
    .unreachable_code = "P1001",
    .unreachable_mention = "`127.0.0.1`:`1`",
    .unique_code = "1062",
    .raw_unique_violation = raw_unique_violation,
    .raw_syntax_error = raw_syntax_error,
    .check_violation = check_violation,
};
