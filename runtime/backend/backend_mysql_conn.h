/* The MySQL/MariaDB backend's connection, shared by its files (private):
 * backend_mysql.c runs statements on it, backend_mysql_connect.c parses urls
 * and opens and closes it. */
#ifndef PRISMA_BACKEND_MYSQL_CONN_H
#define PRISMA_BACKEND_MYSQL_CONN_H

#include "backend.h"

#include <mysql.h>
#include <pthread.h>

/* Defined in backend_mysql.c. */
extern const prisma_backend backend_mysql;

/* Where and how to connect: the url, parsed (my_parse_target). Everything
 * malloc'd; my_target_free frees it. Kept on the connection, because a cancel
 * opens a second connection to the same server (KILL QUERY). */
typedef struct my_target {
    char *host, *user, *password, *database, *socket;
    unsigned port;
    int connect_timeout_s; /* 0: none */
    int socket_timeout_s;  /* 0: none */
    bool tls;              /* sslcert, sslaccept or sslidentity given: TLS is required */
    bool verify;           /* sslaccept=strict */
    char *ssl_ca;          /* sslcert: the server's certificate or its CA (PEM) */
    bool prefer_socket;    /* prefer_socket=true: over the server's @@socket when it is on this machine */
} my_target;

/* A prepared statement of a connection. With statement_cache_size=0 it is
 * its text only: each execution prepares it and closes it after (nothing
 * stays on the server; max_prepared_stmt_count is shared by every client). */
typedef struct my_stmt {
    MYSQL_STMT *st; /* NULL: prepared per execution */
    char *sql;
    unsigned n_params;
    bool insert_ignore; /* INSERT IGNORE: its warnings are read after each execution (my_execute) */
} my_stmt;

/* One result column's buffer. */
typedef struct my_col {
    enum enum_field_types type; /* the buffer's type: LONGLONG, DOUBLE, DATETIME or STRING */
    char *buf;                  /* STRING: the value, NUL-terminated after the fetch */
    size_t cap;
    unsigned long length;
    my_bool is_null, error;
    int64_t i;
    double d;
    MYSQL_TIME t;
    char text[40]; /* a number or a date as text (col_text of a non-string column) */
} my_col;

struct prisma_rows {
    struct my_conn *conn;
    MYSQL_STMT *st;
    bool transient; /* st was prepared for this execution only: closed at done */
    bool streaming; /* rows are read from the wire one at a time (no store_result) */
    bool open;      /* a result set is pending on st */
    bool finished;  /* every row was read (a stream has nothing left on the wire) */
    MYSQL_FIELD *fields;
    MYSQL_RES *meta;
    unsigned n_cols;
    MYSQL_BIND *bind;
    my_col *cols;
    size_t cols_cap;
    int64_t changes;
};

typedef struct my_conn {
    prisma_conn base;
    MYSQL *my;
    my_target target;
    unsigned long thread_id; /* the server's id of this session, for KILL QUERY */
    int statement_cache_size; /* the url's (-1: not given) */
    /* Parameter buffers, reused across executions. */
    MYSQL_BIND *params;
    MYSQL_TIME *times;
    my_bool *bools;
    size_t params_cap;
    prisma_rows rows;        /* execute's and execute_stream's result */
    /* A deadlock (1213) rolled the open transaction back whole: the session
     * still says "in a transaction" until the next COMMIT or ROLLBACK. */
    bool tx_rolled_back;
    pthread_mutex_t cancel_mu; /* cancel and close do not overlap */
} my_conn;

/* backend_mysql_connect.c: the url, opening and closing. */
int my_parse_url(const char *url, dburl *u, char *why, size_t why_len);
/* The target of a parsed url (my_parse_url's dburl). Returns 0, -2 out of memory. */
int my_target_from(const dburl *u, my_target *t);
void my_target_free(my_target *t);
/* Opens a session to t (timeout_ms > 0 wins over t's connect_timeout).
 * NULL with Prisma's connect error in err. */
MYSQL *my_open(const my_target *t, int timeout_ms, prisma_err *err);
int my_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err);
void my_close(prisma_conn *pc);
void my_rows_free(prisma_rows *r);

#endif
