/* The hand-written side of the benchmark on MySQL/MariaDB: Connector/C
 * prepared statements (binary protocol) kept for reuse, as a careful C
 * programmer writes them, shared by bench_workload.c, bench_w9.c,
 * bench_w10.c and bench_w11.c. Every function exits the process with a
 * message on a database error (a benchmark has no other use for one). */
#ifndef PRISMAC_BENCH_MYSQL_H
#define PRISMAC_BENCH_MYSQL_H

#include <mysql.h>
#include <stdint.h>

/* A parameter: an integer, a text, or NULL. */
typedef struct bm_param {
    enum { BM_INT, BM_TEXT, BM_NULL } type;
    long long i;
    const char *s;
} bm_param;

#define BM_I(v) ((bm_param){ .type = BM_INT, .i = (v) })
#define BM_S(v) ((bm_param){ .type = BM_TEXT, .s = (v) })
#define BM_NULL_P ((bm_param){ .type = BM_NULL })

typedef struct bm_stmt bm_stmt;

/* A connection to a mysql:// url (utf8mb4, CLIENT_FOUND_ROWS, as Prisma connects). */
MYSQL *bm_connect(const char *url);

/* sql with every `"` made a backtick: the workload's SQL is written with
 * ANSI-quoted names, MySQL quotes them with backticks. The text lives until
 * the 8th next call. */
const char *bm_sql(const char *sql);

/* Runs sql (names translated by bm_sql) over the text protocol, results discarded:
 * BEGIN, COMMIT, set-up statements. */
void bm_query(MYSQL *m, const char *sql);

/* Prepares sql (names translated by bm_sql) once, for many runs. */
bm_stmt *bm_prepare(MYSQL *m, const char *sql);

/* Executes s with the n parameters and reads every column of every row
 * (integers as integers, decimals as doubles, the rest as text), adding them
 * to *sum; the first column of the first max_ids rows goes to ids (may be
 * NULL). Returns the number of rows; *affected gets the affected rows
 * (may be NULL). */
int bm_run(bm_stmt *s, const bm_param *p, unsigned n, int64_t *sum, long long *ids, int max_ids,
           uint64_t *affected);

/* Column col of the last row bm_run read, as an integer. */
long long bm_int(const bm_stmt *s, unsigned col);

/* Closes the statement (and frees it). Accepts NULL. */
void bm_close(bm_stmt *s);

#endif
