/* Small shared pieces: string building, errors, dates, generated ids. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- errors ---- */

void err_oom(prisma_err *e)
{
    err_set(e, ERR_OOM_CODE, "%s", ERR_OOM_MESSAGE);
}

void err_clear(prisma_err *e)
{
    e->code[0] = e->db_code[0] = e->message[0] = e->db_message[0] = '\0';
    e->model = NULL;
}

void err_set(prisma_err *e, const char *code, const char *fmt, ...)
{
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* "Table.col, Table.col2" or "a, \"b\"" -> "(`col`, `col2`)": the field list of
 * Prisma's error messages, from a database's list of columns. */
void err_field_list(const char *list, char *out, size_t cap)
{
    size_t o = 0;
    out[o++] = '(';
    const char *p = list;
    bool first = true;
    while (*p && o + 8 < cap) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *dot = memchr(start, '.', (size_t)(p - start));
        const char *name = dot ? dot + 1 : start;
        size_t n = (size_t)(p - name);
        while (n && name[n - 1] == ' ')
            n--;
        /* PostgreSQL quotes names that need it: "holderId". */
        if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
            name++;
            n -= 2;
        }
        if (!n)
            continue;
        if (!first) {
            out[o++] = ',';
            out[o++] = ' ';
        }
        first = false;
        out[o++] = '`';
        for (size_t i = 0; i < n && o + 4 < cap; i++)
            out[o++] = name[i];
        out[o++] = '`';
    }
    out[o++] = ')';
    out[o] = '\0';
}

/* ---- dates ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), after Howard Hinnant. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*pos >= len || s[*pos] < '0' || s[*pos] > '9')
            return -1;
        v = v * 10 + (s[(*pos)++] - '0');
    }
    *out = v;
    return 0;
}

/* The last year whose instants fit in int64 ms (about 292 million). */
enum { DT_MAX_YEAR = 292000000 };

/* Accepts "YYYY-MM-DD[ T]HH:MM:SS[.fff...][Z|+HH[:MM]|-HH[:MM]][ BC]", a
 * plain date, or an integer (ms since epoch, as SQLite stores it). The year
 * has 4 digits or more, with an optional sign (ISO 8601's expanded years:
 * -000001 is 2 BC) or PostgreSQL's " BC" suffix (1 BC is year 0). */
int dt_parse(const char *s, size_t len, int64_t *ms)
{
    size_t p = 0;
    bool all_digits = len > 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '-')))
            all_digits = false;
    if (all_digits && len < 20) {
        char buf[24];
        memcpy(buf, s, len);
        buf[len] = '\0';
        errno = 0;
        *ms = strtoll(buf, NULL, 10);
        return errno ? -1 : 0;
    }
    /* A time of day alone (PostgreSQL's time and timetz, @db.Time): on 1970-01-01, as Prisma reads it. */
    bool time_only = len >= 8 && s[2] == ':' && s[5] == ':';
    bool bc = len >= 3 && memcmp(s + len - 3, " BC", 3) == 0;
    if (bc)
        len -= 3;
    if (bc && time_only)
        return -1;
    int64_t y = 1970;
    int mo = 1, d = 1, h = 0, mi = 0, sec = 0, frac = 0;
    if (!time_only) {
        int y_sign = 1, y_digits = 0;
        y = 0;
        if (p < len && (s[p] == '-' || s[p] == '+'))
            y_sign = s[p++] == '-' ? -1 : 1;
        while (p < len && s[p] >= '0' && s[p] <= '9' && y_digits < 10) {
            y = y * 10 + (s[p++] - '0');
            y_digits++;
        }
        if (y_digits < 4 || y > DT_MAX_YEAR || (bc && (y_sign < 0 || y == 0)))
            return -1;
        y = bc ? 1 - y : y_sign * y;
        if (p >= len || s[p++] != '-' || digits(s, len, &p, 2, &mo) || p >= len || s[p++] != '-' ||
            digits(s, len, &p, 2, &d))
            return -1;
    }
    if (time_only || (p < len && (s[p] == 'T' || s[p] == ' '))) {
        p += !time_only;
        if (digits(s, len, &p, 2, &h) || p >= len || s[p++] != ':' || digits(s, len, &p, 2, &mi) || p >= len ||
            s[p++] != ':' || digits(s, len, &p, 2, &sec))
            return -1;
        if (p < len && s[p] == '.') {
            p++;
            int n = 0;
            while (p < len && s[p] >= '0' && s[p] <= '9') {
                if (n < 3)
                    frac = frac * 10 + (s[p] - '0');
                n++;
                p++;
            }
            for (; n < 3; n++)
                frac *= 10;
        }
    }
    int64_t offset_min = 0;
    if (p < len && (s[p] == 'Z' || s[p] == 'z')) {
        p++;
    } else if (p < len && (s[p] == '+' || s[p] == '-')) {
        int sign = s[p++] == '-' ? -1 : 1, oh, om = 0, os = 0;
        if (digits(s, len, &p, 2, &oh))
            return -1;
        if (p < len && s[p] == ':')
            p++;
        if (p < len && digits(s, len, &p, 2, &om))
            return -1;
        /* PostgreSQL prints an offset's seconds when it has them (LMT). */
        if (p < len && s[p] == ':' && (p++, digits(s, len, &p, 2, &os)))
            return -1;
        offset_min = sign * (oh * 60 + om);
        sec -= sign * os;
    }
    if (p != len || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000 + frac;
    return 0;
}

void dt_format(int64_t ms, char out[32], bool iso)
{
    /* Floor division, without negating (INT64_MIN has no negation). */
    int64_t secs = ms / 1000 - (ms % 1000 < 0);
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs / 86400 - (secs % 86400 < 0);
    int64_t rem = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int hh = (int)(rem / 3600), mm = (int)(rem / 60 % 60), ss = (int)(rem % 60);
    /* Every int64 ms fits in 31 bytes; the compiler cannot tell, so a wider buffer. */
    char buf[96];
    if (iso)
        /* Years past 9999 or before 0: ISO 8601's expanded form, as JavaScript writes it. */
        snprintf(buf, sizeof buf,
                 y >= 0 && y <= 9999 ? "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ" : "%+07lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                 (long long)y, m, d, hh, mm, ss, frac);
    else
        /* PostgreSQL's text: no year 0, 1 BC before 1 AD. */
        snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02d:%02d:%02d.%03d%s", (long long)(y > 0 ? y : 1 - y), m, d,
                 hh, mm, ss, frac, y > 0 ? "" : " BC");
    size_t n = strlen(buf);
    n = n < 31 ? n : 31;
    memcpy(out, buf, n);
    out[n] = '\0';
}

int64_t clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- ids ---- */

/* Random bytes from the kernel; a per-thread xorshift stream seeded from it
 * keeps id generation cheap. */
static uint64_t rnd64(void)
{
    static _Thread_local uint64_t state;
    if (!state) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            if (read(fd, &state, sizeof state) != (ssize_t)sizeof state)
                state = 0;
            close(fd);
        }
        state ^= (uint64_t)clock_now_ms() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&state;
        if (!state)
            state = 0x2545F4914F6CDD1Dull;
    }
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state * 0x2545F4914F6CDD1Dull;
}

static void rnd_bytes(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t r = rnd64();
        for (size_t k = 0; k < 8 && i + k < n; k++)
            b[i + k] = (uint8_t)(r >> (8 * k));
    }
}

static void hex_uuid(const uint8_t b[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

void id_uuid4(char out[37])
{
    uint8_t b[16];
    rnd_bytes(b, 16);
    b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    hex_uuid(b, out);
}

/* RFC 9562 version 7: 48 bits of Unix milliseconds, then a 12-bit counter
 * (rand_a, RFC 9562's method 1) so that ids made in the same millisecond,
 * by any thread, still sort in the order they were made; random bits after.
 * A counter that overflows borrows the next millisecond. */
void id_uuid7(char out[37])
{
    static _Atomic uint64_t last; /* ms << 12 | counter */
    uint8_t b[16];
    rnd_bytes(b, 16);
    uint64_t now = (uint64_t)clock_now_ms(), cur = atomic_load(&last), next;
    do {
        next = now > cur >> 12 ? now << 12 | (uint64_t)(b[6] & 0x07) << 8 | b[7] /* room to count up */
                               : cur + 1;
    } while (!atomic_compare_exchange_weak(&last, &cur, next));
    uint64_t ms = next >> 12;
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)(ms >> (40 - 8 * i));
    b[6] = (uint8_t)(0x70 | (next >> 8 & 0x0F));
    b[7] = (uint8_t)(next & 0xFF);
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    hex_uuid(b, out);
}

static void base36(uint64_t v, char *out, int width)
{
    static const char digits36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = width - 1; i >= 0; i--) {
        out[i] = digits36[v % 36];
        v /= 36;
    }
}

/* cuid v1: 'c' + timestamp + counter + fingerprint + random, base 36, 25 chars. */
void id_cuid(char out[32])
{
    static atomic_uint counter;
    out[0] = 'c';
    base36((uint64_t)clock_now_ms(), out + 1, 8);
    base36(atomic_fetch_add(&counter, 1) % 1679616u, out + 9, 4);
    base36(((uint64_t)getpid() % 1296u) * 1296u + (rnd64() % 1296u), out + 13, 4);
    base36(rnd64() % 2821109907456ull, out + 17, 8);
    out[25] = '\0';
}

/* cuid2-shaped: a letter, then 23 base-36 characters of randomness mixed with time. */
void id_cuid2(char out[32])
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    out[0] = letters[rnd64() % 26];
    uint64_t t = (uint64_t)clock_now_ms();
    for (int i = 1; i < 24; i += 8) {
        uint64_t r = rnd64() ^ (t * 0x9E3779B97F4A7C15ull);
        base36(r % 2821109907456ull, out + i, i + 8 <= 24 ? 8 : 24 - i);
        t = r;
    }
    out[24] = '\0';
}

void id_nanoid(char *out, int len)
{
    static const char alphabet[] = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";
    for (int i = 0; i < len; i++)
        out[i] = alphabet[rnd64() & 63];
    out[len] = '\0';
}

void id_ulid(char out[27])
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint64_t ms = (uint64_t)clock_now_ms();
    for (int i = 9; i >= 0; i--) {
        out[i] = crockford[ms & 31];
        ms >>= 5;
    }
    for (int i = 10; i < 26; i++)
        out[i] = crockford[rnd64() & 31];
    out[26] = '\0';
}
