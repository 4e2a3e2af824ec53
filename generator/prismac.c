/* The library entry points of prismac.h, over the stages: syntax and model
 * (prismac_load), format, emit. */
#include "prismac.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

const char *prismac_default_schema(void)
{
    if (access("schema.prisma", F_OK) == 0)
        return "schema.prisma";
    if (access("prisma/schema.prisma", F_OK) == 0)
        return "prisma/schema.prisma";
    return NULL;
}

int prismac_load(const char *path, FILE *errs, bool color, psl_schema **out)
{
    *out = NULL;
    char **paths = NULL;
    size_t n = 0;
    psl_source *files = NULL;
    int rc = -1;
    if (prismac_schema_files(path, &paths, &n) != 0)
        goto done;
    if (n == 0) {
        errno = ENOENT; /* a folder without .prisma files */
        goto done;
    }
    files = calloc(n, sizeof *files);
    if (!files)
        goto done;
    for (size_t i = 0; i < n; i++) {
        char *text;
        if (prismac_read_file(paths[i], &text, &files[i].len) != 0)
            goto done;
        files[i].name = paths[i];
        files[i].text = text;
    }
    psl_schema *s = psl_schema_load_files(files, n);
    if (!s) {
        errno = ENOMEM;
        goto done;
    }
    if (errs)
        prismac_print_diags(s, errs, color);
    *out = s;
    rc = 0;
done:
    for (size_t i = 0; files && i < n; i++)
        free((char *)(uintptr_t)files[i].text);
    free(files);
    int saved = errno;
    prismac_free_paths(paths, n);
    errno = saved;
    return rc;
}

void prismac_print_diags(const psl_schema *s, FILE *errs, bool color)
{
    psl_diags_print(&s->diags, errs, s->files, s->n_files, color);
}

size_t prismac_check(const psl_schema *s)
{
    return s->diags.errors;
}

int prismac_format(const psl_schema *s, size_t file, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!s->ast || file >= s->n_files)
        return -1; /* not parseable (not UTF-8): nothing can be formatted */
    *out = psl_format_schema(s, (unsigned)file, out_len);
    return *out ? 0 : -1;
}

char *prismac_file_dir(const psl_schema *s, const psl_top *top)
{
    const char *name = s->n_files ? s->files[top && top->span.file < s->n_files ? top->span.file : 0].name : "";
    const char *slash = strrchr(name, '/');
    if (!slash)
        return strdup("");
    return slash == name ? strdup("/") : strndup(name, (size_t)(slash - name));
}

const psl_generator *prismac_generator_block(const psl_schema *s)
{
    for (size_t i = 0; i < s->n_generators; i++) {
        const char *p = s->generators[i]->provider;
        if (!p && s->generators[i]->provider_env)
            p = getenv(s->generators[i]->provider_env);
        if (p && strcmp(p, "prismac") == 0)
            return s->generators[i];
    }
    return NULL;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(name) + 2);
    if (p)
        sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

int prismac_generate_files(const psl_schema *s, const char *schema_file, const char *templates_dir,
                           const char *out_dir, FILE *errs, bool *h_changed, bool *c_changed)
{
    FILE *sink = errs ? errs : stderr;
    prismac_generated g = { 0 };
    char *h_path = NULL, *c_path = NULL;
    int rc = -1;
    if (prismac_generate(s, schema_file, templates_dir, &g, sink) != 0)
        goto done;
    if (prismac_make_dirs(out_dir) != 0) {
        fprintf(sink, "prismac generate: cannot create %s: %s\n", out_dir, strerror(errno));
        goto done;
    }
    h_path = join_path(out_dir, "client.h");
    c_path = join_path(out_dir, "client.c");
    if (!h_path || !c_path) {
        fprintf(sink, "prismac generate: out of memory\n");
        goto done;
    }
    if (prismac_write_file_if_changed(h_path, g.header, g.header_len, h_changed) != 0) {
        fprintf(sink, "prismac generate: cannot write %s: %s\n", h_path, strerror(errno));
        goto done;
    }
    if (prismac_write_file_if_changed(c_path, g.source, g.source_len, c_changed) != 0) {
        fprintf(sink, "prismac generate: cannot write %s: %s\n", c_path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    free(h_path);
    free(c_path);
    prismac_generated_free(&g);
    return rc;
}
