/* The prismac command line: validate, format, generate, db push, version. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbpush.h"
#include "emit.h"
#include "format.h"
#include "prisma/prisma.h"
#include "schema.h"

#define PRISMAC_VERSION PRISMA_VERSION_STRING

static const char usage[] =
    "Usage: prismac <command> [options]\n"
    "\n"
    "Commands:\n"
    "  validate [--schema FILE]             Check the schema; errors go to stderr, exit 1 on error\n"
    "  format [--schema FILE] [--check]     Rewrite the schema in Prisma's canonical layout;\n"
    "                                       with --check, only report whether it is formatted\n"
    "  generate [--schema FILE] [--output DIR] [--templates DIR]\n"
    "                                       Write the C client (client.h, client.c)\n"
    "  db push [--schema FILE] [--url URL] [--force-reset]\n"
    "                                       Create or extend the database to match the schema\n"
    "  version                              Print the version\n"
    "  --help                               Print this help\n"
    "\n"
    "The schema defaults to ./schema.prisma, then ./prisma/schema.prisma.\n"
    "Supported datasource providers: sqlite, postgresql (alias postgres), cockroachdb.\n";

int prismac_read_file(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int rc = -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto done;
    for (;;) {
        if (cap - n < 4096) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                goto done;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        goto done;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    fclose(f);
    return rc;
}

int prismac_write_file_if_changed(const char *path, const char *data, size_t len, bool *changed)
{
    if (changed)
        *changed = false;
    char *old = NULL;
    size_t old_len = 0;
    if (prismac_read_file(path, &old, &old_len) == 0) {
        bool same = old_len == len && memcmp(old, data, len) == 0;
        free(old);
        if (same)
            return 0;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return -1;
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        off += (size_t)w;
    }
    /* No fsync: rename makes the new content appear whole or not at all,
     * which is what a build needs; durability against power loss is not. */
    if (fchmod(fd, 0644) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    if (changed)
        *changed = true;
    rc = 0;
fail:
    if (rc != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        errno = saved;
    }
    free(tmp);
    return rc;
}

/* Options shared by the commands. */
typedef struct cli_opts {
    const char *schema;
    bool check;
} cli_opts;

static const char *default_schema_path(void)
{
    if (access("schema.prisma", F_OK) == 0)
        return "schema.prisma";
    if (access("prisma/schema.prisma", F_OK) == 0)
        return "prisma/schema.prisma";
    return NULL;
}

static int parse_opts(int argc, char **argv, cli_opts *o, const char *cmd, bool allow_check)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--schema") == 0 && i + 1 < argc) {
            o->schema = argv[++i];
        } else if (strncmp(a, "--schema=", 9) == 0) {
            o->schema = a + 9;
        } else if (allow_check && strcmp(a, "--check") == 0) {
            o->check = true;
        } else {
            fprintf(stderr, "prismac %s: unknown option '%s'\n\n%s", cmd, a, usage);
            return -1;
        }
    }
    if (!o->schema) {
        o->schema = default_schema_path();
        if (!o->schema) {
            fprintf(stderr,
                    "prismac %s: no schema found: looked for ./schema.prisma and ./prisma/schema.prisma "
                    "(use --schema FILE)\n",
                    cmd);
            return -1;
        }
    }
    return 0;
}

/* Loads and checks the schema, printing diagnostics. NULL if unreadable. */
static psl_schema *load(const char *path, const char *cmd)
{
    char *text;
    size_t len;
    if (prismac_read_file(path, &text, &len) != 0) {
        fprintf(stderr, "prismac %s: cannot read %s: %s\n", cmd, path, strerror(errno));
        return NULL;
    }
    psl_schema *s = psl_schema_load(path, text, len);
    free(text);
    if (!s) {
        fprintf(stderr, "prismac %s: out of memory\n", cmd);
        return NULL;
    }
    psl_diags_print(&s->diags, stderr, path, s->source.text, s->source.len, isatty(2) != 0);
    return s;
}

static int cmd_validate(int argc, char **argv)
{
    cli_opts o;
    if (parse_opts(argc, argv, &o, "validate", false) != 0)
        return 2;
    psl_schema *s = load(o.schema, "validate");
    if (!s)
        return 1;
    int rc = s->diags.errors ? 1 : 0;
    if (rc == 0)
        printf("The schema at %s is valid.\n", o.schema);
    else
        fprintf(stderr, "%zu error%s in %s\n", s->diags.errors, s->diags.errors == 1 ? "" : "s", o.schema);
    psl_schema_free(s);
    return rc;
}

static int cmd_format(int argc, char **argv)
{
    cli_opts o;
    if (parse_opts(argc, argv, &o, "format", true) != 0)
        return 2;
    char *text;
    size_t len;
    if (prismac_read_file(o.schema, &text, &len) != 0) {
        fprintf(stderr, "prismac format: cannot read %s: %s\n", o.schema, strerror(errno));
        return 1;
    }
    psl_schema *s = psl_schema_load(o.schema, text, len);
    int rc = 1;
    char *out = NULL;
    if (!s || !s->ast) {
        /* Not parseable (not UTF-8): nothing can be formatted. */
        if (s)
            psl_diags_print(&s->diags, stderr, o.schema, s->source.text, s->source.len, isatty(2) != 0);
        goto done;
    }
    size_t out_len;
    /* With the relation fields Prisma's formatter adds, not the layout only. */
    out = psl_format_schema(s, &out_len);
    if (!out) {
        fprintf(stderr, "prismac format: out of memory\n");
        goto done;
    }
    bool same = out_len == len && memcmp(out, text, len) == 0;
    if (o.check) {
        if (same) {
            printf("%s is formatted.\n", o.schema);
            rc = 0;
        } else {
            fprintf(stderr, "%s is not formatted: run `prismac format --schema %s`.\n", o.schema, o.schema);
        }
        goto done;
    }
    if (!same && prismac_write_file_if_changed(o.schema, out, out_len, NULL) != 0) {
        fprintf(stderr, "prismac format: cannot write %s: %s\n", o.schema, strerror(errno));
        goto done;
    }
    printf("Formatted %s.\n", o.schema);
    rc = 0;
done:
    free(out);
    free(text);
    psl_schema_free(s);
    return rc;
}

int prismac_main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("prismac %s (libprisma %s)\n", PRISMAC_VERSION, prisma_version());
        return 0;
    }
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 2, argv + 2);
    if (strcmp(cmd, "format") == 0)
        return cmd_format(argc - 2, argv + 2);
    if (strcmp(cmd, "generate") == 0)
        return prismac_cmd_generate(argc - 2, argv + 2);
    if (strcmp(cmd, "db") == 0 && argc >= 3 && strcmp(argv[2], "push") == 0)
        return prismac_cmd_db_push(argc - 3, argv + 3);
    fprintf(stderr, "prismac: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
