/* Whole-file reads and atomic writes that leave an unchanged file alone. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int prismac_make_dirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    int rc = -1;
    for (char *q = p + 1;; q++) {
        bool end = *q == '\0';
        if (*q != '/' && !end)
            continue;
        *q = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            goto done;
        if (stat(p, &st) != 0)
            goto done;
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            goto done;
        }
        if (end)
            break;
        *q = '/';
    }
    rc = 0;
done:
    free(p);
    return rc;
}
