/* W9 of shared/bench/WORKLOAD.md, the include tree: 100 users ordered by
 * id, each with its unpublished posts (ordered by id desc, take 5) and each
 * post's tags. The prismac side is one find_many with include arguments
 * (one statement per level); the hand-written side runs the same three
 * levels as three prepared statements (ROW_NUMBER() windows for the
 * per-user take), reading every column of every row. Included by
 * bench_workload.c, whose raw connection and measure / report it uses. */

/* Set-up (not timed): 20 tags; each post gets 2. `exec` runs SQL on one side. */
static const char *const w9_setup_sql[] = {
    ("INSERT INTO \"Tag\" (\"name\") VALUES ('t1'), ('t2'), ('t3'), ('t4'), ('t5'), ('t6'), ('t7'), ('t8'), ('t9'), "
     "('t10'), ('t11'), ('t12'), ('t13'), ('t14'), ('t15'), ('t16'), ('t17'), ('t18'), ('t19'), ('t20')"),
    "INSERT INTO \"_PostToTag\" (\"A\", \"B\") SELECT \"id\", (SELECT MIN(\"id\") FROM \"Tag\") + \"id\" % 20 FROM \"Post\"",
    "INSERT INTO \"_PostToTag\" (\"A\", \"B\") SELECT \"id\", (SELECT MIN(\"id\") FROM \"Tag\") + (\"id\" + 7) % 20 FROM \"Post\"",
};

/* The hand-written side: the users, then their posts and the posts' tags
 * by the ids read (bound: an IN-list of 100 / 500 parameters on SQLite, NULL
 * for the unused ones; an int[] on PostgreSQL), as a C programmer would. */
static const char *const w9_sql[3] = {
    "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\" ORDER BY \"id\" DESC LIMIT 100 OFFSET " W9_P1,
    "SELECT \"id\", \"title\", \"published\", \"views\", \"authorId\" FROM (SELECT \"Post\".*, ROW_NUMBER() OVER "
    "(PARTITION BY \"authorId\" ORDER BY \"id\" DESC) AS \"rn\" FROM \"Post\" WHERE \"published\" = " W9_FALSE
    " AND \"authorId\" " W9_IN_USERS ") AS \"p\" WHERE \"rn\" <= 5 ORDER BY \"rn\"",
    "SELECT \"t\".\"id\", \"t\".\"name\", \"j\".\"A\" FROM \"Tag\" AS \"t\" JOIN \"_PostToTag\" AS \"j\" ON "
    "\"j\".\"B\" = \"t\".\"id\" WHERE \"j\".\"A\" " W9_IN_POSTS,
};

static int w9_offsets; /* how many pages of 100 users there are */

static const UserOrderByInput w9_user_order = { .id = PRISMA_DESC }; /* the newest: W6's, with posts */
static const PostOrderByInput w9_post_order = { .id = PRISMA_DESC };

static void pw9(int i)
{
    UserList *l;
    check(user_find_many(db, &(UserFindManyArgs){
                                 .order_by = &w9_user_order, .order_by_len = 1, .take = PRISMA_TAKE(100),
                                 .skip = (int64_t)(i % w9_offsets) * 100,
                                 .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                     .where = &(PostWhereInput){ .published = { .equals = PRISMA_BOOL(false) } },
                                     .order_by = &w9_post_order, .order_by_len = 1, .take = PRISMA_TAKE(5),
                                     .include = &(PostInclude){ .tags = true } } } },
                          &l),
          "W9");
    for (size_t u = 0; u < l->len; u++) {
        const User *x = &l->items[u];
        sink += x->id + (int64_t)strlen(x->email) + (x->name ? (int64_t)strlen(x->name) : 0) + x->balance;
        for (size_t k = 0; k < x->posts->len; k++) {
            const Post *p = &x->posts->items[k];
            sink += p->id + (int64_t)strlen(p->title) + p->published + p->views + p->authorId;
            for (size_t t = 0; t < p->tags->len; t++)
                sink += p->tags->items[t].id + (int64_t)strlen(p->tags->items[t].name);
        }
    }
    user_list_free(l);
}

#if defined(BENCH_PG)
static void w9_exec_raw(const char *sql)
{
    PGresult *r = PQexec(raw, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("W9 set-up", PQerrorMessage(raw));
    PQclear(r);
}

static void w9_prepare(void)
{
    static const char *const names[3] = { "w9u", "w9p", "w9t" };
    for (int k = 0; k < 3; k++) {
        PGresult *r = PQprepare(raw, names[k], w9_sql[k], 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("W9 prepare", PQerrorMessage(raw));
        PQclear(r);
    }
}

/* A result's rows: every column read; the first column's values into ids. */
static int w9_read(PGresult *r, int *ids, char *list, size_t cap)
{
    int rows = PQntuples(r), cols = PQnfields(r);
    size_t n = 0;
    list[n++] = '{';
    for (int row = 0; row < rows; row++) {
        for (int c = 0; c < cols; c++)
            sink += PQgetisnull(r, row, c) ? 0 : (int64_t)strlen(PQgetvalue(r, row, c)) + PQgetvalue(r, row, c)[0];
        if (ids) {
            ids[row] = (int)strtol(PQgetvalue(r, row, 0), NULL, 10);
            n += (size_t)snprintf(list + n, cap - n, "%s%d", row ? "," : "", ids[row]);
        }
    }
    list[n++] = '}';
    list[n] = 0;
    return rows;
}

static void rw9(int i)
{
    static const char *const names[3] = { "w9u", "w9p", "w9t" };
    static int ids[600];
    static char list[8192];
    char off[24];
    snprintf(off, sizeof off, "%d", (i % w9_offsets) * 100);
    const char *params[1] = { off };
    for (int k = 0; k < 3; k++) {
        PGresult *r = PQexecPrepared(raw, names[k], 1, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            die("W9", PQerrorMessage(raw));
        w9_read(r, k < 2 ? ids : NULL, list, sizeof list);
        params[0] = list;
        PQclear(r);
    }
}
#elif defined(BENCH_MYSQL)
static bm_stmt *s_w9[3];

static void w9_exec_raw(const char *sql)
{
    bm_query(raw, sql);
}

/* The IN-lists: 100 and 500 placeholders, NULL for the unused ones. */
static void w9_prepare(void)
{
    for (int k = 0; k < 3; k++) {
        char sql[8192];
        size_t n = 0;
        const char *tail = strstr(w9_sql[k], "IN (?L)");
        if (!tail) {
            snprintf(sql, sizeof sql, "%s", w9_sql[k]);
        } else {
            n = (size_t)snprintf(sql, sizeof sql, "%.*sIN (", (int)(tail - w9_sql[k]), w9_sql[k]);
            for (int p = 0; p < (k == 1 ? 100 : 500); p++)
                n += (size_t)snprintf(sql + n, sizeof sql - n, "%s?", p ? ", " : "");
            snprintf(sql + n, sizeof sql - n, ")%s", tail + strlen("IN (?L)"));
        }
        s_w9[k] = bm_prepare(raw, sql);
    }
}

static void rw9(int i)
{
    static bm_param params[500];
    static long long ids[500];
    int n = 0;
    int64_t s = 0;
    for (int k = 0; k < 3; k++) {
        unsigned max = k == 0 ? 1 : k == 1 ? 100 : 500;
        if (k == 0)
            params[0] = BM_I((i % w9_offsets) * 100);
        else
            for (unsigned p = 0; p < max; p++)
                params[p] = (int)p < n ? BM_I(ids[p]) : BM_NULL_P;
        n = bm_run(s_w9[k], params, max, &s, k < 2 ? ids : NULL, 500, NULL);
        if (n > 500)
            n = 500;
    }
    sink += s;
}
#else
static sqlite3_stmt *s_w9[3];

static void w9_exec_raw(const char *sql)
{
    if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
        die("W9 set-up", sqlite3_errmsg(raw));
}

/* The IN-lists: 100 and 500 placeholders. */
static void w9_prepare(void)
{
    for (int k = 0; k < 3; k++) {
        char sql[8192];
        size_t n = 0;
        const char *tail = strstr(w9_sql[k], "IN (?L)");
        if (!tail) {
            n = (size_t)snprintf(sql, sizeof sql, "%s", w9_sql[k]);
        } else {
            n = (size_t)snprintf(sql, sizeof sql, "%.*sIN (", (int)(tail - w9_sql[k]), w9_sql[k]);
            for (int p = 0; p < (k == 1 ? 100 : 500); p++)
                n += (size_t)snprintf(sql + n, sizeof sql - n, "%s?", p ? ", " : "");
            snprintf(sql + n, sizeof sql - n, ")%s", tail + strlen("IN (?L)"));
        }
        if (sqlite3_prepare_v3(raw, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_w9[k], NULL) != SQLITE_OK)
            die("W9 prepare", sqlite3_errmsg(raw));
    }
}

static void rw9(int i)
{
    int ids[500], n = 0;
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *s = s_w9[k];
        int max = k == 0 ? 1 : k == 1 ? 100 : 500;
        if (k == 0)
            sqlite3_bind_int(s, 1, (i % w9_offsets) * 100);
        else
            for (int p = 0; p < max; p++) {
                if (p < n)
                    sqlite3_bind_int(s, p + 1, ids[p]);
                else
                    sqlite3_bind_null(s, p + 1);
            }
        int cols = sqlite3_column_count(s);
        n = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            if (k < 2 && n < 500)
                ids[n++] = sqlite3_column_int(s, 0);
            for (int c = 0; c < cols; c++) {
                if (sqlite3_column_type(s, c) == SQLITE_TEXT)
                    sink += sqlite3_column_bytes(s, c) + sqlite3_column_text(s, c)[0];
                else
                    sink += sqlite3_column_int64(s, c);
            }
        }
        sqlite3_reset(s);
    }
}
#endif

/* Set-up on both sides, then the measured run. */
static void w9(bool shared_tables)
{
    for (size_t k = 0; k < sizeof w9_setup_sql / sizeof w9_setup_sql[0]; k++) {
        check(prisma_execute_raw(db, BENCH_RAW_SQL(w9_setup_sql[k]), NULL, 0, NULL), "W9 set-up");
        if (!shared_tables)
            w9_exec_raw(w9_setup_sql[k]);
    }
    w9_prepare();
    int64_t users = 0;
    check(user_count(db, NULL, &users), "W9 count");
    w9_offsets = users >= 200 ? 2 : 1;
    double p, r;
    int n = N / 10;
    measure(pw9, rw9, 0, n / 10, &p, &r); /* warm-up */
    measure(pw9, rw9, 0, n, &p, &r);
    report("W9", p, r);
}
