/* `prismac format`: rewrite the schema in Prisma's layout, or --check it. A
 * multi-file schema (a folder) is rewritten file by file, in place. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prismac.h"

int cli_format(const cli_options *o)
{
    psl_schema *s = NULL, *formatted = NULL;
    psl_source *sources = NULL;
    char **texts = NULL; /* the formatted files' texts, which sources[] point to */
    size_t unformatted = 0;
    int rc = CLI_FAILED;
    /* Diagnostics matter only when nothing can be formatted. */
    if (prismac_load(o->schema, NULL, false, &s) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "prismac format: out of memory\n");
        else if (errno == ENOENT && prismac_is_dir(o->schema))
            fprintf(stderr, "prismac format: no .prisma files in the folder %s\n", o->schema);
        else
            fprintf(stderr, "prismac format: cannot read %s: %s\n", o->schema, strerror(errno));
        goto done;
    }
    if (!s->ast) {
        prismac_print_diags(s, stderr, isatty(2) != 0);
        goto done;
    }
    sources = calloc(s->n_files, sizeof *sources);
    texts = calloc(s->n_files, sizeof *texts);
    if (!sources || !texts) {
        fprintf(stderr, "prismac format: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < s->n_files; i++) {
        char *out;
        size_t out_len;
        if (prismac_format(s, i, &out, &out_len) != 0) {
            fprintf(stderr, "prismac format: out of memory\n");
            goto done;
        }
        texts[i] = out;
        sources[i] = (psl_source){ .name = s->files[i].name, .text = out, .len = out_len, .file = (unsigned)i };
    }
    /* As Prisma's: the formatted schema (with the relation fields formatting
     * adds) must be valid, or nothing is written and the errors are shown. */
    formatted = psl_schema_load_files(sources, s->n_files);
    if (!formatted) {
        fprintf(stderr, "prismac format: out of memory\n");
        goto done;
    }
    size_t errors = prismac_check(formatted);
    if (errors) {
        prismac_print_diags(formatted, stderr, isatty(2) != 0);
        fprintf(stderr, "%zu error%s in %s: nothing was formatted\n", errors, errors == 1 ? "" : "s", o->schema);
        goto done;
    }
    for (size_t i = 0; i < s->n_files; i++) {
        const psl_source *f = &s->files[i], *out = &sources[i];
        if (out->len == f->len && memcmp(out->text, f->text, f->len) == 0)
            continue;
        unformatted++;
        if (o->check) {
            fprintf(stderr, "%s is not formatted: run `prismac format --schema %s`.\n", f->name, o->schema);
            continue;
        }
        if (prismac_write_file_if_changed(f->name, out->text, out->len, NULL) != 0) {
            fprintf(stderr, "prismac format: cannot write %s: %s\n", f->name, strerror(errno));
            goto done;
        }
    }
    if (o->check) {
        if (unformatted == 0) {
            printf("%s is formatted.\n", o->schema);
            rc = CLI_OK;
        }
        goto done;
    }
    printf("Formatted %s.\n", o->schema);
    rc = CLI_OK;
done:
    psl_schema_free(formatted);
    for (size_t i = 0; texts && i < s->n_files; i++)
        free(texts[i]);
    free(texts);
    free(sources);
    psl_schema_free(s);
    return rc;
}
