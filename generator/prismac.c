/* The library entry points of prismac.h, over the stages: syntax and model
 * (prismac_load), format, emit. */
#include "prismac.h"

#include <errno.h>
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
    char *text;
    size_t len;
    if (prismac_read_file(path, &text, &len) != 0)
        return -1;
    psl_schema *s = psl_schema_load(path, text, len);
    free(text);
    if (!s) {
        errno = ENOMEM;
        return -1;
    }
    if (errs)
        psl_diags_print(&s->diags, errs, path, s->source.text, s->source.len, color);
    *out = s;
    return 0;
}

size_t prismac_check(const psl_schema *s)
{
    return s->diags.errors;
}

int prismac_format(const psl_schema *s, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!s->ast)
        return -1; /* not parseable (not UTF-8): nothing can be formatted */
    *out = psl_format_schema(s, out_len);
    return *out ? 0 : -1;
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
