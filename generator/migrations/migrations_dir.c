/* The migrations folder in Prisma's layout, migration_lock.toml and the
 * checksums (migrations.h). */
#include "migrations.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "sha256.h"

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, *a && a[strlen(a) - 1] != '/' ? "/" : "", b);
    return p;
}

/* The folder holding `path` ("." for a bare file name); malloc'd. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int migrations_dir_locate(const char *schema_path, char **out, char *err)
{
    char *base = prismac_is_dir(schema_path) ? strdup(schema_path) : parent_of(schema_path);
    char *config = NULL, *value = NULL;
    int rc = -1;
    *out = NULL;
    if (!base) {
        snprintf(err, MIG_ERR_LEN, "out of memory");
        return -1;
    }
    if (migrations_find_config(base, &config) == 1) {
        int found = migrations_config_string(config, "migrations", "path", &value, err);
        if (found < 0)
            goto done;
        if (found == 1) {
            char *cdir = parent_of(config);
            *out = value[0] == '/' || !cdir ? strdup(value) : join(cdir, value);
            free(cdir);
            rc = *out ? 0 : -1;
            goto done;
        }
    }
    *out = join(base, "migrations");
    rc = *out ? 0 : -1;
done:
    if (rc != 0 && !*err)
        snprintf(err, MIG_ERR_LEN, "out of memory");
    free(value);
    free(config);
    free(base);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const migration_file *)a)->name, ((const migration_file *)b)->name);
}

/* provider = "x" in a migration_lock.toml's text; malloc'd, or NULL. */
static char *lock_provider_of(const char *text)
{
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (strncmp(line, "provider", 8) != 0)
            continue;
        const char *p = line + 8;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p++ != '=')
            continue;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '"')
            continue;
        const char *e = strchr(p + 1, '"');
        if (e)
            return strndup(p + 1, (size_t)(e - p - 1));
    }
    return NULL;
}

int migrations_dir_read(const char *path, migrations_dir *out, char *err)
{
    DIR *dh = NULL;
    char *lock = NULL, *text = NULL;
    size_t cap = 0;
    int rc = -1;
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    if (!out->path)
        goto nomem;
    dh = opendir(path);
    if (!dh) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, MIG_ERR_LEN, "cannot read the migrations folder %s: %s", path, strerror(errno));
        goto fail;
    }
    out->exists = true;
    lock = join(path, "migration_lock.toml");
    size_t tlen;
    if (!lock)
        goto nomem;
    if (prismac_read_file(lock, &text, &tlen) == 0) {
        out->lock_provider = lock_provider_of(text);
        if (!out->lock_provider)
            out->lock_provider = strdup("");
    }
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *dir = join(path, de->d_name);
        if (!dir)
            goto nomem;
        if (!prismac_is_dir(dir)) {
            free(dir);
            continue;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 16;
            migration_file *grown = realloc(out->items, cap * sizeof *grown);
            if (!grown) {
                free(dir);
                goto nomem;
            }
            out->items = grown;
        }
        migration_file *m = &out->items[out->n++];
        memset(m, 0, sizeof *m);
        m->dir = dir;
        m->name = strdup(de->d_name);
        char *file = join(dir, "migration.sql");
        if (!m->name || !file) {
            free(file);
            goto nomem;
        }
        if (prismac_read_file(file, &m->sql, &m->sql_len) != 0) {
            snprintf(err, MIG_ERR_LEN,
                     "P3015: Could not find the migration file at %s. Please delete the directory or restore the "
                     "migration file.",
                     file);
            free(file);
            goto fail;
        }
        free(file);
        migration_checksum(m->sql, m->sql_len, m->checksum);
    }
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, by_name);
    rc = 0;
    goto done;
nomem:
    snprintf(err, MIG_ERR_LEN, "out of memory");
fail:
    migrations_dir_free(out);
done:
    if (dh)
        closedir(dh);
    free(lock);
    free(text);
    return rc;
}

void migrations_dir_free(migrations_dir *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].name);
        free(d->items[i].dir);
        free(d->items[i].sql);
    }
    free(d->items);
    free(d->path);
    free(d->lock_provider);
    memset(d, 0, sizeof *d);
}

int migrations_check_lock(const migrations_dir *d, const char *provider, char *err)
{
    if (!d->lock_provider || strcmp(d->lock_provider, provider) == 0)
        return 0;
    /* Prisma treats "postgres" and "postgresql" as one provider. */
    if (strncmp(d->lock_provider, "postgres", 8) == 0 && strncmp(provider, "postgres", 8) == 0)
        return 0;
    snprintf(err, MIG_ERR_LEN,
             "P3019: The datasource provider `%s` specified in your schema does not match the one specified in the "
             "migration_lock.toml, `%s`. Please remove your current migration directory and start a new migration "
             "history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch",
             provider, d->lock_provider);
    return -1;
}

/* @sindresorhus/slugify with separator "_", as Prisma's CLI calls it (then
 * cut to 200): camelCase split into words, lowercased, "it's" -> "its",
 * every run of other characters than letters and digits one `_`, none at
 * either end. Non-ASCII letters are separators here (slugify transliterates
 * them: é -> e). */
void migrations_name_sanitize(const char *name, char *out, size_t outlen)
{
    size_t o = 0, n = strlen(name);
    bool pending_sep = false;
    for (size_t i = 0; i < n && o + 1 < outlen && o < 200; i++) {
        unsigned char ch = (unsigned char)name[i];
        /* it's / don't: the apostrophe before a final t or s disappears */
        if (ch == '\'' && i > 0 && isalnum((unsigned char)name[i - 1]) && i + 1 < n &&
            (name[i + 1] == 't' || name[i + 1] == 's') && (i + 2 == n || isspace((unsigned char)name[i + 2])))
            continue;
        if (!isalnum(ch) || ch > 127) {
            pending_sep = o > 0;
            continue;
        }
        /* decamelize: aB, 1B, ABc (after an uppercase run) start a word */
        if (isupper(ch) && i > 0) {
            unsigned char prev = (unsigned char)name[i - 1];
            bool next_lower = i + 1 < n && islower((unsigned char)name[i + 1]);
            if (islower(prev) || isdigit(prev) || (isupper(prev) && next_lower))
                pending_sep = o > 0;
        }
        if (pending_sep && o + 2 < outlen && o < 199) {
            out[o++] = '_';
        }
        pending_sep = false;
        out[o++] = (char)tolower(ch);
    }
    out[o] = '\0';
}

void migrations_folder_name(const char *name, long long when, char *out, size_t outlen)
{
    char clean[256];
    time_t t = when ? (time_t)when : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    migrations_name_sanitize(name ? name : "", clean, sizeof clean);
    snprintf(out, outlen, "%04d%02d%02d%02d%02d%02d_%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, clean);
}

int migrations_write_lock(const char *path, const char *provider, char *err)
{
    char text[256];
    char *file = join(path, "migration_lock.toml");
    snprintf(text, sizeof text,
             "# Please do not edit this file manually\n"
             "# It should be added in your version-control system (e.g., Git)\n"
             "provider = \"%s\"\n",
             provider);
    int rc = file && prismac_make_dirs(path) == 0 ? prismac_write_file_if_changed(file, text, strlen(text), NULL) : -1;
    if (rc != 0)
        snprintf(err, MIG_ERR_LEN, "cannot write %s/migration_lock.toml: %s", path, strerror(errno));
    free(file);
    return rc;
}

int migrations_dir_create(const char *path, const char *name, const char *sql, const char *provider,
                          char **created_name, char *err)
{
    char folder[512];
    char *dir = NULL, *file = NULL, *lock = NULL;
    int rc = -1;
    struct stat st;
    if (created_name)
        *created_name = NULL;
    migrations_folder_name(name, 0, folder, sizeof folder);
    dir = join(path, folder);
    file = dir ? join(dir, "migration.sql") : NULL;
    lock = join(path, "migration_lock.toml");
    if (!file || !lock) {
        snprintf(err, MIG_ERR_LEN, "out of memory");
        goto done;
    }
    if (stat(dir, &st) == 0) {
        snprintf(err, MIG_ERR_LEN, "the migration folder %s exists already", dir);
        goto done;
    }
    if (prismac_make_dirs(dir) != 0 || prismac_write_file_if_changed(file, sql, strlen(sql), NULL) != 0) {
        snprintf(err, MIG_ERR_LEN, "cannot write %s: %s", file, strerror(errno));
        goto done;
    }
    if (stat(lock, &st) != 0 && migrations_write_lock(path, provider, err) != 0)
        goto done;
    if (created_name && !(*created_name = strdup(folder))) {
        snprintf(err, MIG_ERR_LEN, "out of memory");
        goto done;
    }
    rc = 0;
done:
    free(dir);
    free(file);
    free(lock);
    return rc;
}

void migration_checksum(const char *sql, size_t len, char out[65])
{
    sha256_hex(sql ? sql : "", sql ? len : 0, out);
}

/* The old unpadded form: each byte as %x (prisma-engines issue 1887). */
static void checksum_unpadded(const char *sql, size_t len, char out[65])
{
    unsigned char d[32];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, sql, len);
    sha256_final(&c, d);
    size_t o = 0;
    for (int i = 0; i < 32; i++)
        o += (size_t)snprintf(out + o, 65 - o, "%x", d[i]);
}

static bool matches_as_is(const char *sql, size_t len, const char *checksum)
{
    char hex[65];
    if (strlen(checksum) == 64)
        migration_checksum(sql, len, hex);
    else
        checksum_unpadded(sql, len, hex);
    return strcmp(hex, checksum) == 0;
}

/* `sql` with every CRLF made LF (to_lf) or every LF made CRLF; malloc'd. */
static char *convert_eol(const char *sql, size_t len, bool to_lf, size_t *out_len)
{
    char *o = malloc(2 * len + 1);
    size_t k = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (to_lf && sql[i] == '\r' && i + 1 < len && sql[i + 1] == '\n')
            continue;
        if (!to_lf && sql[i] == '\n')
            o[k++] = '\r';
        o[k++] = sql[i];
    }
    *out_len = k;
    return o;
}

bool migration_checksum_matches(const char *sql, size_t len, const char *checksum)
{
    if (!sql || !checksum)
        return false;
    if (matches_as_is(sql, len, checksum))
        return true;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        char *v = convert_eol(sql, len, pass == 0, &n);
        bool ok = v && matches_as_is(v, n, checksum);
        free(v);
        if (ok)
            return true;
    }
    return false;
}
