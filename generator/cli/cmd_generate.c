/* `prismac generate`: write the C client of the schema. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prismac.h"

/* `dir`/`rel` (`rel` alone when absolute or `dir` is empty), malloc'd. */
static char *join_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(rel) + 2);
    if (!p)
        return NULL;
    if (rel[0] == '/' || n == 0)
        strcpy(p, rel);
    else
        sprintf(p, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", rel);
    return p;
}

int cli_generate(const cli_options *o)
{
    int rc = CLI_FAILED;
    psl_schema *s = NULL;
    char *dir = NULL, *out_dir = NULL;
    if (prismac_load(o->schema, stderr, isatty(2) != 0, &s) != 0) {
        if (errno == ENOENT && prismac_is_dir(o->schema))
            fprintf(stderr, "prismac generate: no .prisma files in the folder %s\n", o->schema);
        else
            fprintf(stderr, "prismac generate: cannot read %s: %s\n", o->schema, strerror(errno));
        goto done;
    }
    size_t errors = prismac_check(s);
    if (errors) {
        fprintf(stderr, "%zu error%s in %s: nothing generated\n", errors, errors == 1 ? "" : "s", o->schema);
        goto done;
    }
    const psl_generator *gen = prismac_generator_block(s);
    if (!gen) {
        fprintf(stderr,
                "prismac generate: %s has no generator block with provider = \"prismac\"; add one:\n\n"
                "generator client {\n  provider = \"prismac\"\n  output   = \"./generated\"\n}\n",
                o->schema);
        goto done;
    }
    if (!s->datasource) {
        fprintf(stderr, "prismac generate: %s has no datasource block\n", o->schema);
        goto done;
    }
    /* The output folder is relative to the folder of the file that holds the
     * generator block (in a multi-file schema too, as Prisma). */
    dir = prismac_file_dir(s, gen->ast);
    out_dir = o->output ? strdup(o->output) : dir ? join_path(dir, gen->output ? gen->output : "generated") : NULL;
    if (!out_dir) {
        fprintf(stderr, "prismac generate: out of memory\n");
        goto done;
    }
    size_t n = strlen(o->schema);
    while (n > 1 && o->schema[n - 1] == '/')
        n--; /* a folder given as `prisma/schema/` */
    const char *base = o->schema + n;
    while (base > o->schema && base[-1] != '/')
        base--;
    char *base_name = strndup(base, (size_t)(o->schema + n - base));
    bool h_changed = false, c_changed = false;
    int grc = base_name ? prismac_generate_files(s, base_name, o->templates, out_dir, stderr, &h_changed, &c_changed)
                        : -1;
    free(base_name);
    if (grc != 0)
        goto done;
    printf("Generated the prismac client in %s (client.h %s, client.c %s).\n", out_dir,
           h_changed ? "written" : "unchanged", c_changed ? "written" : "unchanged");
    rc = CLI_OK;
done:
    free(dir);
    free(out_dir);
    psl_schema_free(s);
    return rc;
}
