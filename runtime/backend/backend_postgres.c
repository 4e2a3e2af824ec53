/* The PostgreSQL backend (libpq): prepared statements per connection,
 * parameters as text (bytes as binary), results as text. CockroachDB speaks
 * the same protocol.
 *
 * Behind a connection pooler in transaction mode (pgbouncer=true, or
 * statement_cache_size=0) a statement is its SQL text, kept here: each
 * execution is one unnamed Parse/Bind/Execute, so nothing outlives the
 * transaction on a server session another client gets next. Everything else
 * (held-back BEGIN, pipelines, single-row streaming, cancel) is the same.
 *
 * Every wait for the server goes through get_result: with socket_timeout it
 * polls the socket and gives up after that long (P1008). */
#include "backend_postgres_conn.h"
#include "backend_postgres_errors.h"
#include "backend_json.h"

#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- waiting for the server, and failures ---- */

/* Statements without server-side names: the pooler may give each
 * transaction another server session. */
static bool unnamed(const pg_conn *c)
{
    return c->opts.pgbouncer || c->opts.statement_cache_size == 0;
}

static void send_cancel(pg_conn *c)
{
    PGcancel *cancel = PQgetCancel(c->pg);
    if (cancel) {
        char buf[256];
        PQcancel(cancel, buf, sizeof buf);
        PQfreeCancel(cancel);
    }
}

/* The next result (PQgetResult), waiting at most socket_timeout for the
 * server to say something (0: libpq's own wait, as long as it takes). On a
 * timeout the statement is cancelled on the server, the connection is
 * broken (its state is unknown: the pool closes it) and nothing more is
 * read from it: this and every later call return NULL. */
static PGresult *get_result(pg_conn *c)
{
    if (c->timed_out)
        return NULL;
    int fd = PQsocket(c->pg);
    while (c->opts.socket_timeout_ms > 0 && fd >= 0 && PQisBusy(c->pg)) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int n = poll(&p, 1, c->opts.socket_timeout_ms);
        if (n == 0) {
            c->timed_out = true;
            c->base.broken = true;
            send_cancel(c);
            return NULL;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || !PQconsumeInput(c->pg))
            break; /* PQgetResult reports what went wrong */
    }
    return PQgetResult(c->pg);
}

/* A command's result and the NULL that ends it (an extended-protocol
 * command has one result). As PQexec: the last one, so that a session
 * ended mid-statement (57P01, then the lost connection) reads as lost. */
static PGresult *one_result(pg_conn *c)
{
    PGresult *res = get_result(c);
    if (res && PQresultStatus(res) != PGRES_PIPELINE_SYNC) {
        PGresult *more;
        while ((more = get_result(c))) {
            PQclear(res);
            res = more;
        }
    }
    return res;
}

/* Whether err is the server not knowing one of our statements, or knowing
 * it already: "prepared statement \"s12\" ..." (26000, 42P05). */
static bool lost_statement(const prisma_err *err)
{
    static const char prefix[] = "prepared statement \"s";
    return (strcmp(err->db_code, "42P05") == 0 || strcmp(err->db_code, "26000") == 0) &&
           strncmp(err->db_message, prefix, sizeof prefix - 1) == 0 &&
           isdigit((unsigned char)err->db_message[sizeof prefix - 1]);
}

/* A failed call's error (res may be NULL): P1008 after a socket timeout,
 * P1017 when the connection is gone (both break it), else the server's.
 * Our named statements missing or made already on the session mean a pooler
 * in transaction mode hands it around: the error says which flag fixes
 * that (raw SQL's P2010 quotes db_message, so the words go there too) and
 * the connection is not used again, its statements being stale. Returns
 * PRISMA_ERROR. */
static int fail(pg_conn *c, const PGresult *res, prisma_err *err)
{
    if (c->timed_out) {
        int ms = c->opts.socket_timeout_ms;
        char time[32];
        if (ms < 1000)
            snprintf(time, sizeof time, "%dms", ms);
        else
            snprintf(time, sizeof time, "%gs", ms / 1000.0);
        err_set(err, "P1008", "Operations timed out after `%s`", time);
        err->db_code[0] = '\0';
        snprintf(err->db_message, sizeof err->db_message,
                 "the server did not answer within socket_timeout (%s); the connection was closed", time);
        c->base.broken = true;
        return PRISMA_ERROR;
    }
    pg_result_err(err, res, c->pg);
    if (pg_connection_lost(res, c->pg)) {
        c->base.broken = true;
    } else if (!unnamed(c) && lost_statement(err)) {
        static const char hint[] = "a connection pooler in transaction mode (PgBouncer) shares server sessions "
                                   "between clients: add `pgbouncer=true` to the connection url";
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, " (%s)", hint);
        n = strlen(err->db_message);
        snprintf(err->db_message + n, sizeof err->db_message - n, " (%s)", hint);
        c->base.broken = true;
    }
    return PRISMA_ERROR;
}

/* Runs sql (no parameters; several commands allowed) as one simple query,
 * nothing held back before it. The first failure is the error. */
int pg_exec_simple(prisma_conn *pc, const char *sql, prisma_err *err)
{
    pg_conn *c = (pg_conn *)pc;
    if (c->timed_out || !PQsendQuery(c->pg, sql))
        return fail(c, NULL, err);
    PGresult *bad = NULL, *res;
    while ((res = get_result(c))) {
        /* As PQexec: a failure stops the commands; the last failure is it
         * (the lost connection after a session's 57P01). */
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            PQclear(bad);
            bad = res;
        } else {
            PQclear(res);
        }
    }
    int rc = bad || c->timed_out ? fail(c, bad, err) : PRISMA_OK;
    PQclear(bad);
    return rc;
}

/* ---- the url's schema behind a pooler ---- */

int pg_pooled_search_path(pg_conn *c, const char *schema, prisma_err *err)
{
    char *ident = PQescapeIdentifier(c->pg, schema, strlen(schema));
    char *lit = ident ? PQescapeLiteral(c->pg, ident, strlen(ident)) : NULL;
    size_t cap = lit ? strlen(lit) + 64 : 0;
    c->search_path_sql = lit ? malloc(cap) : NULL;
    if (c->search_path_sql)
        snprintf(c->search_path_sql, cap, "SELECT pg_catalog.set_config('search_path', %s, true)", lit);
    PQfreemem(ident);
    PQfreemem(lit);
    if (!c->search_path_sql)
        return err_oom(err), PRISMA_ERROR;
    return PRISMA_OK;
}

/* Before a statement behind a pooler: the schema's setting goes out with it,
 * right after a BEGIN held back (before any savepoint, which could undo it),
 * or first when no transaction is open (it then lasts until the Sync). In a
 * transaction already begun it was set with the BEGIN. */
static void hold_search_path(pg_conn *c)
{
    if (!c->search_path_sql || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
    unsigned at = c->n_deferred && c->deferred[0].kind == HELD_BEGIN ? 1 : 0;
    if ((c->n_deferred > at && c->deferred[at].kind == HELD_SEARCH_PATH) || c->n_deferred == MAX_HELD)
        return;
    memmove(&c->deferred[at + 1], &c->deferred[at], (c->n_deferred - at) * sizeof c->deferred[0]);
    c->deferred[at] = (held){ .kind = HELD_SEARCH_PATH };
    c->n_deferred++;
}

static const char *held_sql(const pg_conn *c, unsigned i)
{
    return c->deferred[i].kind == HELD_SEARCH_PATH ? c->search_path_sql : c->deferred[i].sql;
}

/* Runs the held-back commands followed by `sql` (may be NULL), in one round
 * trip (a simple query may hold several commands). */
static int flush_deferred(pg_conn *c, const char *sql, prisma_err *err)
{
    hold_search_path(c);
    char buf[MAX_HELD * 64 + 1024];
    size_t o = 0;
    bool fits = true;
    for (unsigned i = 0; i < c->n_deferred && fits; i++) {
        int w = snprintf(buf + o, sizeof buf - o, "%s;", held_sql(c, i));
        fits = w >= 0 && (size_t)w < sizeof buf - o;
        o += fits ? (size_t)w : 0;
    }
    if (!fits) { /* one at a time (a search_path only fits in the same query) */
        unsigned nd = c->n_deferred;
        c->n_deferred = 0;
        for (unsigned i = 0; i < nd; i++)
            if (pg_exec_simple(&c->base, held_sql(c, i), err) != PRISMA_OK)
                return PRISMA_ERROR;
        return sql ? pg_exec_simple(&c->base, sql, err) : PRISMA_OK;
    }
    c->n_deferred = 0;
    if (sql && strlen(sql) < sizeof buf - o) {
        snprintf(buf + o, sizeof buf - o, "%s", sql);
        return pg_exec_simple(&c->base, buf, err);
    }
    if (o && pg_exec_simple(&c->base, buf, err) != PRISMA_OK)
        return PRISMA_ERROR;
    return sql ? pg_exec_simple(&c->base, sql, err) : PRISMA_OK;
}

/* The backend's exec: whatever is held back goes first, in the same round trip. */
static int pg_exec(prisma_conn *pc, const char *sql, prisma_err *err)
{
    return flush_deferred((pg_conn *)pc, sql, err);
}

/* ---- transactions: verbs held back until a statement needs them ---- */

static int hold(pg_conn *c, held_kind kind, const char *sql, const char *name, prisma_err *err)
{
    if (c->n_deferred >= MAX_HELD - 1 || strlen(sql) >= sizeof c->deferred[0].sql ||
        (name && strlen(name) >= sizeof c->deferred[0].name))
        return flush_deferred(c, sql, err); /* cannot hold it: it goes now */
    held *h = &c->deferred[c->n_deferred++];
    h->kind = kind;
    snprintf(h->sql, sizeof h->sql, "%s", sql);
    snprintf(h->name, sizeof h->name, "%s", name ? name : "");
    return PRISMA_OK;
}

static int pg_begin(prisma_conn *pc, prisma_isolation level, int lock_wait_ms, prisma_err *err)
{
    /* PostgreSQL transactions take no lock at BEGIN: max_wait was the pool wait. */
    (void)lock_wait_ms;
    char sql[64];
    backend_tx_sql(&backend_postgres, TX_BEGIN, level, NULL, sql, sizeof sql);
    return hold((pg_conn *)pc, HELD_BEGIN, sql, NULL, err);
}

static int pg_savepoint(prisma_conn *pc, const char *name, prisma_err *err)
{
    char sql[96];
    backend_tx_sql(&backend_postgres, TX_SAVEPOINT, 0, name, sql, sizeof sql);
    return hold((pg_conn *)pc, HELD_SAVEPOINT, sql, name, err);
}

static int pg_statement_timeout(prisma_conn *pc, int ms, char *sql, size_t cap, prisma_err *err)
{
    snprintf(sql, cap, "SET LOCAL statement_timeout = %d", ms > 1 ? ms : 1);
    return hold((pg_conn *)pc, HELD_SETTING, sql, NULL, err);
}

/* COMMIT or ROLLBACK. The savepoints held back never existed; a BEGIN held
 * back means the whole transaction did nothing, and nothing goes out. But
 * after a cancel request (a timeout), the ROLLBACK still goes out: the
 * server may act on the request late, and it must hit this command, not the
 * next user's statement. */
static int end_tx(pg_conn *c, const char *sql, bool rollback, prisma_err *err)
{
    bool cancelled = atomic_exchange(&c->cancelled, false);
    if (c->n_deferred) {
        bool whole = c->deferred[0].kind == HELD_BEGIN;
        c->n_deferred = 0;
        if (whole && !(cancelled && rollback))
            return PRISMA_OK;
    }
    return pg_exec_simple(&c->base, sql, err);
}

static int pg_commit(prisma_conn *pc, prisma_err *err) { return end_tx((pg_conn *)pc, "COMMIT", false, err); }
static int pg_rollback(prisma_conn *pc, prisma_err *err) { return end_tx((pg_conn *)pc, "ROLLBACK", true, err); }

/* Whether the innermost held-back command is savepoint `name`. */
static bool holds_savepoint(const pg_conn *c, const char *name)
{
    return c->n_deferred && c->deferred[c->n_deferred - 1].kind == HELD_SAVEPOINT &&
           strcmp(c->deferred[c->n_deferred - 1].name, name) == 0;
}

static int pg_release(prisma_conn *pc, const char *name, prisma_err *err)
{
    pg_conn *c = (pg_conn *)pc;
    if (holds_savepoint(c, name)) {
        c->n_deferred--; /* it never existed */
        return PRISMA_OK;
    }
    char sql[96];
    backend_tx_sql(&backend_postgres, TX_RELEASE, 0, name, sql, sizeof sql);
    return flush_deferred(c, sql, err);
}

static int pg_rollback_to(prisma_conn *pc, const char *name, prisma_err *err)
{
    pg_conn *c = (pg_conn *)pc;
    if (holds_savepoint(c, name))
        return PRISMA_OK; /* nothing to undo; the savepoint stays (held back) */
    char sql[96];
    backend_tx_sql(&backend_postgres, TX_ROLLBACK_TO, 0, name, sql, sizeof sql);
    return flush_deferred(c, sql, err);
}


/* Sends one statement with the connection's parameter arrays: a prepared
 * statement by its name, or (unnamed) its text, parsed for this execution
 * only: Parse/Bind/Execute, nothing left on the server session. */
static int send_stmt(pg_conn *c, const char *stmt, int n)
{
    return unnamed(c) ? PQsendQueryParams(c->pg, stmt, n, NULL, c->values, c->lengths, c->formats, 0)
                      : PQsendQueryPrepared(c->pg, stmt, n, c->values, c->lengths, c->formats, 0);
}

/* One command's result in pipeline mode: its PGresult, then the NULL that
 * ends it. */
static PGresult *pipe_result(pg_conn *c)
{
    return one_result(c);
}

/* The held-back commands in pipeline mode, one message each (already in
 * pipeline mode). */
static bool send_held(pg_conn *c, unsigned nd)
{
    bool sent = true;
    for (unsigned i = 0; sent && i < nd; i++)
        sent = PQsendQueryParams(c->pg, held_sql(c, i), 0, NULL, NULL, NULL, NULL, 0);
    return sent;
}

/* The command that goes out after the held-back ones: a statement's
 * execution, or a named statement's preparation. */
typedef struct after_cmd {
    const char *stmt; /* the statement (its name, or unnamed: its text) */
    const char *sql;  /* preparing: its text */
    int n;            /* its parameters */
} after_cmd;

/* The held-back commands and one more in one round trip (pipeline mode): the
 * last one's result, or the first failure (NULL when the connection broke).
 * A statement prepared this way is parsed inside the transaction or
 * savepoint held back for it, so its errors land there, as they would have. */
static PGresult *after_deferred(pg_conn *c, const after_cmd *cmd)
{
    unsigned nd = c->n_deferred;
    c->n_deferred = 0;
    if (!PQenterPipelineMode(c->pg))
        return NULL;
    bool sent = send_held(c, nd);
    if (sent)
        sent = cmd->sql ? PQsendPrepare(c->pg, cmd->stmt, cmd->sql, cmd->n, NULL) : send_stmt(c, cmd->stmt, cmd->n);
    sent = sent && PQpipelineSync(c->pg);
    PGresult *res = NULL;
    for (unsigned i = 0; sent && i <= nd; i++) {
        PGresult *r = pipe_result(c);
        if (!r) {
            sent = false;
            break;
        }
        /* After a failure the rest come back PGRES_PIPELINE_ABORTED: keep the failure. */
        if (!res || (PQresultStatus(res) != PGRES_FATAL_ERROR && PQresultStatus(r) != PGRES_PIPELINE_ABORTED)) {
            PQclear(res);
            res = r;
        } else {
            PQclear(r);
        }
    }
    if (sent)
        PQclear(get_result(c)); /* the sync */
    PQexitPipelineMode(c->pg);
    if (!sent) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* A statement is its name, "s<N>", prepared on this connection; unnamed,
 * it is its text (nothing goes out: it is parsed with each execution). */
static int pg_prepare(prisma_conn *pc, const char *sql, int n_params, void **stmt, prisma_err *err)
{
    pg_conn *c = (pg_conn *)pc;
    if (unnamed(c)) {
        *stmt = strdup(sql);
        return *stmt ? PRISMA_OK : (err_oom(err), PRISMA_ERROR);
    }
    char name[24];
    snprintf(name, sizeof name, "s%u", c->next_stmt++);
    PGresult *res = c->n_deferred ? after_deferred(c, &(after_cmd){ name, sql, n_params })
                    : !c->timed_out && PQsendPrepare(c->pg, name, sql, n_params, NULL) ? one_result(c)
                                                                                         : NULL;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        fail(c, res, err);
        PQclear(res);
        return PRISMA_ERROR;
    }
    PQclear(res);
    *stmt = strdup(name);
    if (!*stmt) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* DEALLOCATE for a named statement (an unnamed one left nothing behind). */
static void pg_finalize(prisma_conn *pc, void *stmt)
{
    pg_conn *c = (pg_conn *)pc;
    if (!unnamed(c) && c->pg && !c->timed_out && !c->base.broken && !c->base.closing &&
        PQstatus(c->pg) == CONNECTION_OK &&
        PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        char sql[64];
        prisma_err ignored;
        snprintf(sql, sizeof sql, "DEALLOCATE %s", (const char *)stmt);
        (void)pg_exec_simple(&c->base, sql, &ignored);
    }
    free(stmt);
}


static bool ensure_params(pg_conn *c, size_t n, size_t scratch)
{
    if (n > c->n_cap) {
        size_t cap = n < 16 ? 16 : n;
        const char **v = realloc(c->values, cap * sizeof *v);
        if (v)
            c->values = v;
        int *l = realloc(c->lengths, cap * sizeof *l);
        if (l)
            c->lengths = l;
        int *f = realloc(c->formats, cap * sizeof *f);
        if (f)
            c->formats = f;
        if (!v || !l || !f)
            return false;
        c->n_cap = cap;
    }
    if (scratch > c->scratch_cap) {
        size_t cap = scratch < 1024 ? 1024 : scratch;
        char *s = realloc(c->scratch, cap);
        if (!s)
            return false;
        c->scratch = s;
        c->scratch_cap = cap;
    }
    return true;
}

/* Adds "+00" to a DateTime's text, before " BC" when it has one; returns the
 * new length (at most 34: the buffer holds 40). */
static int utc_text(char *buf)
{
    size_t n = strlen(buf);
    bool bc = n > 3 && memcmp(buf + n - 3, " BC", 3) == 0;
    if (bc)
        n -= 3;
    memcpy(buf + n, bc ? "+00 BC" : "+00", bc ? 7 : 4);
    return (int)strlen(buf);
}

/* The scalar lists among `params` (V_ARRAY) in the array text form, in
 * their own buffer (its size known only now). */
static bool convert_arrays(pg_conn *c, const prisma_value *params, size_t n)
{
    size_t need = 0;
    for (size_t i = 0; i < n; i++)
        if (params[i].kind == V_ARRAY)
            need += pg_array_text_cap(&params[i]);
    if (need > c->arrays_cap) {
        char *a = realloc(c->arrays, need);
        if (!a)
            return false;
        c->arrays = a;
        c->arrays_cap = need;
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (params[i].kind != V_ARRAY)
            continue;
        size_t len = pg_array_text(&params[i], c->arrays + used);
        if (len > INT32_MAX)
            return false;
        c->values[i] = c->arrays + used;
        c->lengths[i] = (int)len;
        used += len + 1;
    }
    return true;
}

/* Fills the connection's parameter arrays from `params` (text, bytes binary). */
static bool convert_params(pg_conn *c, const prisma_value *params, size_t n)
{
    if (!ensure_params(c, n, n * 40))
        return false;
    size_t used = 0;
    bool arrays = false;
    for (size_t i = 0; i < n; i++) {
        const prisma_value *v = &params[i];
        char *buf = c->scratch + used;
        c->formats[i] = 0;
        switch (v->kind) {
        case V_NULL:
            c->values[i] = NULL;
            c->lengths[i] = 0;
            continue;
        case V_ARRAY:
            arrays = true; /* written below */
            continue;
        case V_INT:
            c->lengths[i] = snprintf(buf, 32, "%lld", (long long)v->i);
            break;
        case V_BOOL:
            c->lengths[i] = snprintf(buf, 32, "%s", v->i ? "true" : "false");
            break;
        case V_DOUBLE:
            c->lengths[i] = snprintf(buf, 32, "%.17g", v->d);
            break;
        case V_DATETIME:
            /* With its offset: a timestamptz or timetz column would read a
             * bare text in the session's TimeZone, which the program does not
             * choose. timestamp, date and time ignore it. */
            dt_format(v->i, buf, false);
            c->lengths[i] = utc_text(buf);
            break;
        case V_TEXT:
            c->values[i] = v->s;
            c->lengths[i] = (int)v->len;
            continue;
        default: /* bytes travel in binary */
            c->values[i] = v->len ? v->s : "";
            c->lengths[i] = (int)v->len;
            c->formats[i] = 1;
            continue;
        }
        c->values[i] = buf;
        used += (size_t)c->lengths[i] + 1;
    }
    return !arrays || convert_arrays(c, params, n);
}

static void rows_init(prisma_rows *r, pg_conn *c, PGresult *res)
{
    r->streaming = false;
    r->pipelined = false;
    r->finished = false;
    r->conn = c;
    r->res = res;
    r->row = -1;
    r->n_rows = PQntuples(res);
    const char *t = PQcmdTuples(res);
    r->changes = t && *t ? strtoll(t, NULL, 10) : 0;
}

static int pg_execute(prisma_conn *pc, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                      prisma_err *err)
{
    pg_conn_rows *c = (pg_conn_rows *)pc;
    if (!convert_params(&c->c, params, n)) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    hold_search_path(&c->c);
    PGresult *res = c->c.n_deferred ? after_deferred(&c->c, &(after_cmd){ stmt, NULL, (int)n })
                    : !c->c.timed_out && send_stmt(&c->c, stmt, (int)n) ? one_result(&c->c)
                                                                        : NULL;
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        /* No result at all: the connection's state is unknown (a held-back
         * BEGIN may or may not have run), so it is not used again. */
        fail(&c->c, res, err);
        PQclear(res);
        return PRISMA_ERROR;
    }
    rows_init(&c->rows, &c->c, res);
    *rows = &c->rows;
    return PRISMA_OK;
}

static int pg_pipeline(prisma_conn *pc, size_t n, void *const *stmts, const prisma_value *const *params,
                       const size_t *n_params, prisma_rows **rows, size_t *failed, prisma_err *err)
{
    pg_conn *c = (pg_conn *)pc;
    *failed = SIZE_MAX;
    if (n > c->pipe_cap) {
        struct prisma_rows *r = realloc(c->pipe_rows, n * sizeof *r);
        if (!r) {
            err_oom(err);
            return PRISMA_ERROR;
        }
        c->pipe_rows = r;
        c->pipe_cap = n;
    }
    hold_search_path(c);
    size_t n_begin = c->n_deferred;
    c->n_deferred = 0;
    if (c->timed_out || !PQenterPipelineMode(c->pg))
        return fail(c, NULL, err);
    /* The held-back commands first, one per message. */
    bool sent = send_held(c, (unsigned)n_begin);
    for (size_t i = 0; sent && i < n; i++) {
        /* libpq copies the values into its buffer: the arrays are reused. */
        sent = convert_params(c, params[i], n_params[i]) && send_stmt(c, stmts[i], (int)n_params[i]);
    }
    sent = sent && PQpipelineSync(c->pg);
    int rc = PRISMA_OK;
    size_t got = 0;
    if (!sent) {
        rc = fail(c, NULL, err);
    } else {
        /* The held-back commands, the statements, then the sync. */
        size_t total = n + n_begin;
        for (size_t k = 0; k < total; k++) {
            PGresult *res = pipe_result(c);
            if (!res) {
                if (rc == PRISMA_OK)
                    rc = fail(c, NULL, err);
                c->base.broken = true;
                break;
            }
            ExecStatusType st = PQresultStatus(res);
            bool is_stmt = k >= n_begin && k < n_begin + n;
            size_t idx = k - n_begin;
            if (st == PGRES_FATAL_ERROR && rc == PRISMA_OK) {
                rc = fail(c, res, err);
                *failed = is_stmt ? idx : SIZE_MAX;
            }
            if (is_stmt && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && rc == PRISMA_OK) {
                rows_init(&c->pipe_rows[idx], c, res);
                rows[idx] = &c->pipe_rows[idx];
                got = idx + 1;
            } else {
                PQclear(res);
            }
        }
        PQclear(get_result(c)); /* the sync */
    }
    PQexitPipelineMode(c->pg);
    /* On a failure the transaction stays open, aborted: the caller ends it
     * (ROLLBACK, or ROLLBACK TO its savepoint). */
    if (rc != PRISMA_OK)
        for (size_t i = 0; i < got; i++)
            PQclear(c->pipe_rows[i].res);
    return rc;
}

/* A stream's end: the rest of its results up to the NULL that ends them,
 * then (pipelined) the sync, out of pipeline mode. */
static void stream_end(prisma_rows *r)
{
    PGresult *rest;
    while ((rest = get_result(r->conn)))
        PQclear(rest);
    if (r->pipelined) {
        PQclear(get_result(r->conn)); /* the sync */
        PQexitPipelineMode(r->conn->pg);
        r->pipelined = false;
    }
    r->finished = true;
}

static int pg_next(prisma_rows *r, prisma_err *err)
{
    if (!r->streaming) {
        if (r->row + 1 >= r->n_rows)
            return 0;
        r->row++;
        return 1;
    }
    if (r->finished)
        return 0;
    PQclear(r->res);
    r->res = get_result(r->conn);
    ExecStatusType st = r->res ? PQresultStatus(r->res) : PGRES_FATAL_ERROR;
    if (st == PGRES_SINGLE_TUPLE) {
        r->row = 0;
        r->n_rows = 1;
        return 1;
    }
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        PQclear(r->res);
        r->res = NULL;
        stream_end(r);
        return 0;
    }
    fail(r->conn, r->res, err);
    PQclear(r->res);
    r->res = NULL;
    stream_end(r);
    return -1;
}

/* Rows one at a time (single-row mode). Commands held back go first in the
 * same round trip (pipeline mode): their results are read here, then the
 * statement's rows stream. */
static int pg_execute_stream(prisma_conn *pc, void *stmt, const prisma_value *params, size_t n, prisma_rows **rows,
                             prisma_err *err)
{
    pg_conn_rows *c = (pg_conn_rows *)pc;
    if (!convert_params(&c->c, params, n)) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    hold_search_path(&c->c);
    unsigned nd = c->c.n_deferred;
    c->c.n_deferred = 0;
    if (c->c.timed_out || (nd && !PQenterPipelineMode(c->c.pg)))
        return fail(&c->c, NULL, err);
    bool sent = send_held(&c->c, nd) && send_stmt(&c->c, stmt, (int)n) && (!nd || PQpipelineSync(c->c.pg));
    PGresult *bad = NULL;
    for (unsigned i = 0; sent && i < nd; i++) {
        PGresult *r = pipe_result(&c->c);
        if (!r)
            sent = false;
        else if (!bad && PQresultStatus(r) == PGRES_FATAL_ERROR)
            bad = r;
        else
            PQclear(r);
    }
    if (!sent || bad || !PQsetSingleRowMode(c->c.pg)) {
        if (sent && nd) { /* the statement (aborted), then the sync */
            PQclear(pipe_result(&c->c));
            PQclear(get_result(&c->c));
        }
        if (nd)
            PQexitPipelineMode(c->c.pg);
        fail(&c->c, bad, err);
        if (!bad)
            c->c.base.broken = true;
        PQclear(bad);
        return PRISMA_ERROR;
    }
    prisma_rows *r = &c->rows;
    r->conn = &c->c;
    r->res = NULL;
    r->row = -1;
    r->n_rows = 0;
    r->changes = 0;
    r->streaming = true;
    r->pipelined = nd > 0;
    r->finished = false;
    *rows = r;
    return PRISMA_OK;
}

static bool pg_col_null(prisma_rows *r, int i)
{
    return PQgetisnull(r->res, r->row, i);
}

static int64_t pg_col_int(prisma_rows *r, int i)
{
    const char *v = PQgetvalue(r->res, r->row, i);
    if (v[0] == 't' && v[1] == '\0')
        return 1;
    if (v[0] == 'f' && v[1] == '\0')
        return 0;
    return strtoll(v, NULL, 10);
}

static double pg_col_double(prisma_rows *r, int i)
{
    return strtod(PQgetvalue(r->res, r->row, i), NULL);
}

/* money (@db.Money, a Decimal) comes in the server's lc_monetary format:
 * "$1,234.56", "-$0.50", "1.234,56 €". Rewritten in place (the text only
 * shrinks, and rewriting it again changes nothing) to the decimal text
 * Prisma returns: "1234.56", "-0.50". The decimal separator is the last '.'
 * or ',' (a ',' followed by exactly three digits is a group separator: a
 * locale without fraction digits). Returns the new length. */
static size_t money_text(char *t, size_t n)
{
    char out[64];
    if (n >= sizeof out)
        return n;
    bool neg = false;
    size_t digits = 0, before_sep = SIZE_MAX;
    char sep = 0;
    for (size_t k = 0; k < n; k++) {
        if (t[k] >= '0' && t[k] <= '9')
            digits++;
        else if (t[k] == '-' || t[k] == '(')
            neg = true;
        else if (t[k] == '.' || t[k] == ',') {
            before_sep = digits;
            sep = t[k];
        }
    }
    if (before_sep != SIZE_MAX && sep == ',' && digits - before_sep == 3)
        before_sep = SIZE_MAX;
    if (before_sep == digits)
        before_sep = SIZE_MAX;
    size_t o = 0, d = 0;
    if (neg)
        out[o++] = '-';
    if (before_sep == 0)
        out[o++] = '0';
    for (size_t k = 0; k < n; k++)
        if (t[k] >= '0' && t[k] <= '9') {
            if (d++ == before_sep)
                out[o++] = '.';
            out[o++] = t[k];
        }
    if (o > n)
        return n;
    memcpy(t, out, o);
    t[o] = '\0';
    return o;
}

static const char *pg_col_text(prisma_rows *r, int i, size_t *len)
{
    char *t = PQgetvalue(r->res, r->row, i);
    *len = (size_t)PQgetlength(r->res, r->row, i);
    if (PQftype(r->res, i) == 790 && !PQgetisnull(r->res, r->row, i)) /* money */
        *len = money_text(t, strlen(t));
    return t;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/* Text-format bytea is "\x" + hex: decoded into the connection's buffer. */
static const void *pg_col_blob(prisma_rows *r, int i, size_t *len)
{
    size_t n = (size_t)PQgetlength(r->res, r->row, i);
    const char *b = PQgetvalue(r->res, r->row, i);
    if (n < 2 || b[0] != '\\' || b[1] != 'x') {
        *len = n;
        return b;
    }
    pg_conn *c = r->conn;
    size_t bytes = (n - 2) / 2;
    if (bytes + 1 > c->blob_cap) {
        uint8_t *p = realloc(c->blob, bytes + 1);
        if (!p) {
            *len = SIZE_MAX; /* out of memory, not an empty value */
            return NULL;
        }
        c->blob = p;
        c->blob_cap = bytes + 1;
    }
    for (size_t k = 0; k < bytes; k++)
        c->blob[k] = (uint8_t)(hexval(b[2 + 2 * k]) << 4 | hexval(b[3 + 2 * k]));
    *len = bytes;
    return c->blob;
}

/* A list column: its array text parsed into the connection's buffer. */
static int pg_col_list(prisma_rows *r, int i, int type, const prisma_value **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    if (PQgetisnull(r->res, r->row, i))
        return 0;
    return pg_array_parse(&r->conn->list, PQgetvalue(r->res, r->row, i), (size_t)PQgetlength(r->res, r->row, i), type,
                          items, n);
}

/* DateTime columns come as text (ISO DateStyle: "2024-01-02 03:04:05.678",
 * "10000-01-01 00:00:00", "0044-03-15 00:00:00 BC"); infinity and anything
 * unreadable are refused (-1), never read as some other instant. */
static int pg_col_datetime(prisma_rows *r, int i, int64_t *ms)
{
    const char *t = PQgetvalue(r->res, r->row, i);
    int rc = dt_parse(t, (size_t)PQgetlength(r->res, r->row, i), ms);
    /* time and timetz (@db.Time, @db.Timetz) are a time of day on
     * 1970-01-01, as Prisma reads them: a timetz's offset moves it to UTC
     * and wraps around midnight ("23:30-01:30" is 01:00). Prisma itself
     * drops the offset; for the values it writes (always +00) both agree. */
    Oid type = PQftype(r->res, i);
    if (rc == 0 && (type == 1083 || type == 1266))
        *ms = (*ms % 86400000 + 86400000) % 86400000;
    return rc;
}

static int64_t pg_changes(prisma_rows *r)
{
    return r->changes;
}

static void pg_done(prisma_rows *r)
{
    PQclear(r->res);
    r->res = NULL;
    if (r->streaming && !r->finished)
        stream_end(r); /* stopped early: the rest of the rows still come and are dropped */
    r->streaming = false;
}

static int pg_n_cols(prisma_rows *r)
{
    return r->res ? PQnfields(r->res) : 0;
}

static const char *pg_col_name(prisma_rows *r, int i)
{
    const char *n = PQfname(r->res, i);
    return n ? n : "";
}

/* By the column's type OID (pg_type.h), as prisma.h lists them. */
static prisma_raw_type pg_col_type(prisma_rows *r, int i)
{
    if (PQgetisnull(r->res, r->row, i))
        return PRISMA_RAW_NULL;
    switch (PQftype(r->res, i)) {
    case 20: case 21: case 23: case 26: return PRISMA_RAW_INT;      /* int8, int2, int4, oid */
    case 700: case 701: return PRISMA_RAW_FLOAT;                   /* float4, float8 */
    case 16: return PRISMA_RAW_BOOL;
    case 17: return PRISMA_RAW_BYTES;
    case 1700: case 790: return PRISMA_RAW_DECIMAL;                /* numeric, money */
    case 1114: case 1184: case 1082: case 1083: case 1266: return PRISMA_RAW_DATETIME; /* timestamp[tz], date, time[tz] */
    case 114: case 3802: return PRISMA_RAW_JSON;                   /* json, jsonb */
    default: return PRISMA_RAW_TEXT;
    }
}

static bool pg_tx_aborted(prisma_conn *pc)
{
    /* After an error PostgreSQL ignores everything until the transaction
     * ends, and turns COMMIT into ROLLBACK. */
    pg_conn *c = (pg_conn *)pc;
    if (c->n_deferred && c->deferred[0].kind == HELD_BEGIN)
        return false; /* begun, held back: nothing ran, nothing failed */
    PGTransactionStatusType st = PQtransactionStatus(c->pg);
    return st == PQTRANS_INERROR || st == PQTRANS_IDLE;
}

/* A connection back from the pool: an idle session has nothing to say, so a
 * readable socket means the server ended it (a termination notice, then end
 * of file). One poll without waiting; no round trip. */
static bool pg_idle_alive(prisma_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    for (int i = 0; i < 4; i++) {
        if (PQstatus(c->pg) != CONNECTION_OK || c->base.broken)
            return false;
        struct pollfd p = { .fd = PQsocket(c->pg), .events = POLLIN };
        int n = poll(&p, 1, 0);
        if (n <= 0)
            return true; /* quiet (or poll itself failed: the statement will tell) */
        if (!PQconsumeInput(c->pg))
            return false;
        (void)PQisBusy(c->pg); /* parses what came: a notice reaches take_notice */
    }
    return PQstatus(c->pg) == CONNECTION_OK && !c->base.broken;
}

static void pg_cancel(prisma_conn *pc)
{
    pg_conn *c = (pg_conn *)pc;
    atomic_store(&c->cancelled, true);
    send_cancel(c);
}

/* ---- the rest ---- */

static void pg_sql_param(strbuf *b, size_t n)
{
    sb_printf(b, "$%zu", n);
}

/* serialization_failure and deadlock_detected. */
static bool pg_retryable(const char *db_code)
{
    return strcmp(db_code, "40001") == 0 || strcmp(db_code, "40P01") == 0;
}

/* CockroachDB speaks the same protocol: its connections are PostgreSQL's. */
static int crdb_connect(const char *url, int timeout_ms, prisma_conn **out, prisma_err *err)
{
    int rc = pg_connect(url, timeout_ms, out, err);
    if (rc == PRISMA_OK)
        (*out)->backend = &backend_cockroach;
    return rc;
}

static const char *const pg_schemes[] = { "postgresql://", "postgres://", NULL };

/* Scalar lists are arrays: has / has_every `col @> $1`, has_some `col && $1`
 * (both can use a GIN index), push appends to a NULL list as to an empty one. */
static const backend_lists pg_lists = {
    .contains = " @> ",
    .overlaps = " && ",
    .empty_open = "",
    .empty_close = { " = '{}'", " <> '{}'" }, /* a NULL list is neither, as in Prisma */
    .push_open = "array_cat(COALESCE(",
    .push_mid = ", '{}'), ",
    .push_close = ")",
    .col_list = pg_col_list,
    .any_open = " = ANY(",
    .any_close = ")",
};

/* Raw SQL's placeholders as $n; E'' strings, dollar quotes and nested
 * comments are literals; `?` in a $n statement is jsonb's operator. */
static const raw_lex pg_raw_lex = { .e_strings = true, .dollar_quotes = true, .nested_comments = true,
                                    .question_operator = true, .param = pg_sql_param };

static int pg_raw_sql(const char *sql, size_t n_params, strbuf *out, prisma_err *err)
{
    return raw_translate(&pg_raw_lex, sql, n_params, out, err);
}

#define PG_MEMBERS                                                                                          \
    .url_schemes = pg_schemes, .parse_url = pg_parse_url, .url_with_database = dburl_with_database,        \
    .caps = BACKEND_RETURNING | BACKEND_CONFLICT_TARGET | BACKEND_SCHEMAS | BACKEND_PIPELINE | BACKEND_STREAM, \
    .max_params = 65535, /* the protocol's limit */                                                        \
    .close = pg_close,                                                                                      \
    .cancel = pg_cancel,                                                                                    \
    .tx_aborted = pg_tx_aborted,                                                                            \
    .idle_alive = pg_idle_alive,                                                                            \
    .prepare = pg_prepare,                                                                                  \
    .finalize = pg_finalize,                                                                                \
    .execute = pg_execute,                                                                                  \
    .execute_stream = pg_execute_stream,                                                                    \
    .pipeline = pg_pipeline,                                                                                \
    .exec = pg_exec,                                                                                        \
    .next = pg_next,                                                                                        \
    .col_null = pg_col_null,                                                                                \
    .col_int = pg_col_int,                                                                                  \
    .col_double = pg_col_double,                                                                            \
    .col_text = pg_col_text,                                                                                \
    .col_blob = pg_col_blob,                                                                                \
    .col_datetime = pg_col_datetime,                                                                        \
    .changes = pg_changes,                                                                                  \
    .done = pg_done,                                                                                        \
    .n_cols = pg_n_cols,                                                                                    \
    .col_name = pg_col_name,                                                                                \
    .col_type = pg_col_type,                                                                                \
    .begin = pg_begin,                                                                                      \
    .commit = pg_commit,                                                                                    \
    .rollback = pg_rollback,                                                                                \
    .savepoint = pg_savepoint,                                                                              \
    .release = pg_release,                                                                                  \
    .rollback_to = pg_rollback_to,                                                                          \
    .statement_timeout = pg_statement_timeout,                                                              \
    .sql_param = pg_sql_param,                                                                              \
    .lock_rows = " FOR NO KEY UPDATE",                                                                      \
    .compare_cast = { "::text", "::jsonb" },                                                                \
    /* As Prisma: the column as text, so that a pattern also matches uuid,                              \
     * inet, xml, json... columns (a no-op for text ones). */                                             \
    .match = { { .op = "::text LIKE " }, { .op = "::text ILIKE " } },                                                   \
    .lists = &pg_lists,                                                                                     \
    .retryable = pg_retryable,                                                                              \
    .json = &backend_postgres_json,                                                                         \
    /* No MIN / MAX of boolean: its AND and OR are the same thing. */                                       \
    .bool_min_max = { "BOOL_AND(", "BOOL_OR(" },                                                            \
    .decimal_agg = { NULL, NULL }, /* numeric compares with numeric text */                                 \
    .raw_sql = pg_raw_sql

const prisma_backend backend_postgres = {
    .name = "postgresql",
    .provider = PRISMA_POSTGRESQL,
    .display_name = "PostgreSQL",
    .isolation_ok = 1u << PRISMA_READ_UNCOMMITTED | 1u << PRISMA_READ_COMMITTED | 1u << PRISMA_REPEATABLE_READ |
                    1u << PRISMA_SERIALIZABLE,
    .connect = pg_connect,
    PG_MEMBERS,
    /* Prisma's full-text search: the columns joined by spaces (NULLs
     * skipped), against the query in to_tsquery's syntax. */
    .search_open = "to_tsvector(concat_ws(' ', ",
    .search_mid = ")) @@ to_tsquery(",
    .search_close = ")",
};

const prisma_backend backend_cockroach = {
    .name = "cockroachdb",
    .provider = PRISMA_COCKROACHDB,
    .display_name = "CockroachDB",
    .isolation_ok = 1u << PRISMA_READ_COMMITTED | 1u << PRISMA_SERIALIZABLE,
    .isolation_note = "CockroachDB supports Serializable (and Read Committed).",
    .connect = crdb_connect,
    PG_MEMBERS,
};
