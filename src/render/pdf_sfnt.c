/* pdf_sfnt.c - composite glyphs added to a TrueType font program (see pdf_sfnt.h).
 *
 * A composite glyph of one component is 18 bytes: numberOfContours -1, a bounding box,
 * then flags (ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES), the component's glyph id
 * and the offset. Adding some means: glyf grows by them, loca gets their offsets (always
 * written in the long format), hmtx a left side bearing each (their advance is the last
 * full metric's, which a PDF reader never uses: /W gives the widths), maxp the new glyph
 * count and composite limits at least as large as the new glyphs need, and the table
 * directory new offsets, lengths and checksums. Every other table is copied as it is. */
#include "pdf_sfnt.h"

#include <glib.h>
#include <string.h>

static unsigned rd16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void wr16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v >> 16);
    wr16(p + 2, v & 0xffff);
}

enum { MAX_TABLES = 64 };   /* sfnt has about 20 kinds; cairo writes 7 */
enum { T_HEAD, T_MAXP, T_LOCA, T_GLYF, T_HHEA, T_HMTX, T_COUNT };
static const char *const TAGS[T_COUNT] = {"head", "maxp", "loca", "glyf", "hhea", "hmtx"};

typedef struct {
    const uint8_t *font;
    size_t len;
    unsigned ntables;
    size_t dir[T_COUNT];                /* each needed table's directory entry */
    const uint8_t *tab[T_COUNT];
    size_t tab_len[T_COUNT];
    unsigned num_glyphs, num_hmetrics, units_per_em;
    bool long_loca;
} sfnt;

static size_t loca_at(const sfnt *s, unsigned i)
{
    return s->long_loca ? rd32(s->tab[T_LOCA] + 4 * (size_t)i)
                        : 2 * (size_t)rd16(s->tab[T_LOCA] + 2 * (size_t)i);
}

/* The tables read and checked: every offset and count used later lies inside the
 * buffer. */
static bool sfnt_open(sfnt *s, const uint8_t *font, size_t len)
{
    memset(s, 0, sizeof *s);
    s->font = font;
    s->len = len;
    if (len < 12)
        return false;
    uint32_t version = rd32(font);
    if (version != 0x00010000 && version != 0x74727565)   /* 1.0 or 'true': glyf fonts */
        return false;
    s->ntables = rd16(font + 4);
    if (12 + 16 * (size_t)s->ntables > len)
        return false;
    for (unsigned i = 0; i < s->ntables; i++) {
        const uint8_t *e = font + 12 + 16 * (size_t)i;
        size_t off = rd32(e + 8), n = rd32(e + 12);
        if (off > len || n > len - off)
            return false;
        if (!memcmp(e, "hdmx", 4) || !memcmp(e, "LTSH", 4) || !memcmp(e, "VDMX", 4))
            return false;   /* sized by the glyph count: not rewritten here */
        for (int t = 0; t < T_COUNT; t++)
            if (!memcmp(e, TAGS[t], 4)) {
                s->dir[t] = 12 + 16 * (size_t)i;
                s->tab[t] = font + off;
                s->tab_len[t] = n;
            }
    }
    for (int t = 0; t < T_COUNT; t++)
        if (!s->tab[t])
            return false;
    if (s->tab_len[T_HEAD] < 54 || s->tab_len[T_MAXP] < 6 || s->tab_len[T_HHEA] < 36)
        return false;
    s->units_per_em = rd16(s->tab[T_HEAD] + 18);
    s->long_loca = rd16(s->tab[T_HEAD] + 50) == 1;
    s->num_glyphs = rd16(s->tab[T_MAXP] + 4);
    s->num_hmetrics = rd16(s->tab[T_HHEA] + 34);
    if (s->units_per_em == 0 || s->num_glyphs == 0 || s->num_hmetrics == 0 ||
        s->num_hmetrics > s->num_glyphs ||
        s->tab_len[T_LOCA] < (s->long_loca ? 4 : 2) * ((size_t)s->num_glyphs + 1) ||
        s->tab_len[T_HMTX] < 4 * (size_t)s->num_hmetrics +
                                 2 * (size_t)(s->num_glyphs - s->num_hmetrics))
        return false;
    for (unsigned g = 0; g < s->num_glyphs; g++)
        if (loca_at(s, g) > loca_at(s, g + 1))
            return false;
    return loca_at(s, s->num_glyphs) <= s->tab_len[T_GLYF];
}

bool sfnt_read_info(const uint8_t *font, size_t len, sfnt_info *info)
{
    sfnt s;
    if (!sfnt_open(&s, font, len))
        return false;
    info->num_glyphs = s.num_glyphs;
    info->units_per_em = s.units_per_em;
    return true;
}

static uint32_t checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint8_t w[4] = {0};
        memcpy(w, p + i, MIN(4, n - i));
        sum += rd32(w);
    }
    return sum;
}

/* The composite glyph of m, with the component's box moved (an empty glyph: an empty
 * box at the offset). */
static void composite(const sfnt *s, const sfnt_moved *m, uint8_t out[18])
{
    size_t a = loca_at(s, m->gid), b = loca_at(s, m->gid + 1);
    int box[4] = {0, 0, 0, 0};
    if (b - a >= 10)
        for (int k = 0; k < 4; k++)
            box[k] = (int16_t)rd16(s->tab[T_GLYF] + a + 2 + 2 * k);
    wr16(out, 0xffff);   /* numberOfContours -1 */
    for (int k = 0; k < 4; k++)
        wr16(out + 2 + 2 * k, (unsigned)(uint16_t)CLAMP(box[k] + (k % 2 ? m->dy : m->dx),
                                                        -32768, 32767));
    wr16(out + 10, 0x0001 | 0x0002);   /* ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES */
    wr16(out + 12, m->gid);
    wr16(out + 14, (unsigned)(uint16_t)m->dx);
    wr16(out + 16, (unsigned)(uint16_t)m->dy);
}

static bool is_composite(const sfnt *s, unsigned gid)
{
    size_t a = loca_at(s, gid), b = loca_at(s, gid + 1);
    return b - a >= 10 && (int16_t)rd16(s->tab[T_GLYF] + a) < 0;
}

uint8_t *sfnt_add_moved(const uint8_t *font, size_t len, const sfnt_moved *moved, size_t n,
                        size_t *out_len)
{
    sfnt s;
    if (!sfnt_open(&s, font, len) || n == 0 || s.num_glyphs + n > 0xffff ||
        s.ntables > MAX_TABLES)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (moved[i].gid >= s.num_glyphs)
            return NULL;
    unsigned total = s.num_glyphs + (unsigned)n;

    /* the new tables */
    size_t old_glyf = (loca_at(&s, s.num_glyphs) + 3) & ~(size_t)3;
    GByteArray *glyf = g_byte_array_sized_new((guint)(old_glyf + 20 * n));
    g_byte_array_append(glyf, s.tab[T_GLYF], (guint)loca_at(&s, s.num_glyphs));
    g_byte_array_set_size(glyf, (guint)old_glyf);   /* zero padding */
    memset(glyf->data + loca_at(&s, s.num_glyphs), 0, old_glyf - loca_at(&s, s.num_glyphs));
    uint8_t *loca = g_malloc(4 * ((size_t)total + 1));
    for (unsigned g = 0; g <= s.num_glyphs; g++)
        wr32(loca + 4 * (size_t)g, (uint32_t)(g == s.num_glyphs ? old_glyf : loca_at(&s, g)));
    bool deeper = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c[20] = {0};
        composite(&s, &moved[i], c);
        deeper = deeper || is_composite(&s, moved[i].gid);
        g_byte_array_append(glyf, c, sizeof c);   /* 18 bytes, padded to 4 */
        wr32(loca + 4 * (s.num_glyphs + i + 1), glyf->len);
    }
    size_t hmtx_len = 4 * (size_t)s.num_hmetrics + 2 * (size_t)(total - s.num_hmetrics);
    uint8_t *hmtx = g_malloc(hmtx_len);
    size_t old_hmtx = 4 * (size_t)s.num_hmetrics + 2 * (size_t)(s.num_glyphs - s.num_hmetrics);
    memcpy(hmtx, s.tab[T_HMTX], old_hmtx);
    for (size_t i = 0; i < n; i++) {
        uint8_t c[18];
        composite(&s, &moved[i], c);
        memcpy(hmtx + old_hmtx + 2 * i, c + 2, 2);   /* left side bearing: xMin */
    }
    uint8_t *head = g_memdup2(s.tab[T_HEAD], s.tab_len[T_HEAD]);
    wr32(head + 8, 0);      /* checkSumAdjustment, set last */
    wr16(head + 50, 1);     /* long loca */
    uint8_t *maxp = g_memdup2(s.tab[T_MAXP], s.tab_len[T_MAXP]);
    wr16(maxp + 4, total);
    if (rd32(maxp) == 0x00010000 && s.tab_len[T_MAXP] >= 32) {
        /* composite points and contours: at most the largest simple glyph's */
        wr16(maxp + 10, MAX(rd16(maxp + 10), rd16(maxp + 6)));
        wr16(maxp + 12, MAX(rd16(maxp + 12), rd16(maxp + 8)));
        wr16(maxp + 28, MAX(rd16(maxp + 28), 1u));
        unsigned depth = rd16(maxp + 30);
        wr16(maxp + 30, deeper ? depth + 1 : MAX(depth, 1u));
    }

    /* the font again: the directory as it was, each table in its old place in order */
    const uint8_t *tdata[MAX_TABLES];
    size_t tlen[MAX_TABLES];
    size_t size = 12 + 16 * (size_t)s.ntables;
    for (unsigned i = 0; i < s.ntables; i++) {
        size_t e = 12 + 16 * (size_t)i;
        tdata[i] = font + rd32(font + e + 8);
        tlen[i] = rd32(font + e + 12);
        if (e == s.dir[T_GLYF]) tdata[i] = glyf->data, tlen[i] = glyf->len;
        if (e == s.dir[T_LOCA]) tdata[i] = loca, tlen[i] = 4 * ((size_t)total + 1);
        if (e == s.dir[T_HMTX]) tdata[i] = hmtx, tlen[i] = hmtx_len;
        if (e == s.dir[T_HEAD]) tdata[i] = head;
        if (e == s.dir[T_MAXP]) tdata[i] = maxp;
        size += (tlen[i] + 3) & ~(size_t)3;
    }
    uint8_t *out = g_malloc0(size);
    memcpy(out, font, 12 + 16 * (size_t)s.ntables);
    size_t at = 12 + 16 * (size_t)s.ntables, head_at = 0;
    for (unsigned i = 0; i < s.ntables; i++) {
        uint8_t *e = out + 12 + 16 * (size_t)i;
        memcpy(out + at, tdata[i], tlen[i]);
        wr32(e + 4, checksum(out + at, tlen[i]));
        wr32(e + 8, (uint32_t)at);
        wr32(e + 12, (uint32_t)tlen[i]);
        if (12 + 16 * (size_t)i == s.dir[T_HEAD])
            head_at = at;
        at += (tlen[i] + 3) & ~(size_t)3;
    }
    wr32(out + head_at + 8, 0xB1B0AFBAu - checksum(out, size));
    g_byte_array_free(glyf, TRUE);
    g_free(loca);
    g_free(hmtx);
    g_free(head);
    g_free(maxp);
    *out_len = size;
    return out;
}
