/* Photos: type sniffing, header parsing, EXIF (libexif) and metadata stripping (photo.h). */
#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

#include "core/photo.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

const char *photo_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (!p)
        return NULL;
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return "image/jpeg";
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
        static const char *const brands[] = { "heic", "heix", "hevc", "hevx", "heim", "heis",
                                              "hevm", "hevs", "mif1", "msf1", "avif", "avis" };
        for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
            if (memcmp(p + 8, brands[i], 4) == 0)
                return "image/heic";
    }
    return NULL;
}

bool photo_exif_time(const char *s, size_t n, int offset_s, int64_t *out)
{
    int v[6] = { 0 };
    static const int width[6] = { 4, 2, 2, 2, 2, 2 };
    static const char sep[6] = { ':', ':', ' ', ':', ':', 0 };
    size_t i = 0;
    for (int f = 0; f < 6; f++) {
        for (int k = 0; k < width[f]; k++, i++) {
            if (i >= n || s[i] < '0' || s[i] > '9')
                return false;
            v[f] = v[f] * 10 + (s[i] - '0');
        }
        if (sep[f]) {
            if (i >= n || s[i] != sep[f])
                return false;
            i++;
        }
    }
    if (v[0] < 1990 || v[0] > 2100 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
        v[4] > 59 || v[5] > 60)
        return false;
    char iso[32];
    static const char digits[] = "0123456789";
    /* YYYY-MM-DD for time_parse_date, built by hand (no snprintf of strings here) */
    iso[0] = digits[v[0] / 1000];
    iso[1] = digits[v[0] / 100 % 10];
    iso[2] = digits[v[0] / 10 % 10];
    iso[3] = digits[v[0] % 10];
    iso[4] = '-';
    iso[5] = digits[v[1] / 10];
    iso[6] = digits[v[1] % 10];
    iso[7] = '-';
    iso[8] = digits[v[2] / 10];
    iso[9] = digits[v[2] % 10];
    iso[10] = 0;
    int64_t day;
    if (!time_parse_date(iso, &day))
        return false;
    *out = day * 86400 + v[3] * 3600 + v[4] * 60 + v[5] - offset_s;
    return true;
}

/* "+03:00" / "-05:30" → seconds east of UTC. */
static bool parse_offset(const unsigned char *s, size_t n, int *out)
{
    if (n < 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':')
        return false;
    for (int i = 1; i < 6; i++)
        if (i != 3 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
    if (h > 14 || m > 59)
        return false;
    *out = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

static bool gps_coord(ExifData *ed, ExifTag tag, ExifTag ref_tag, double limit, double *out)
{
    ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
    ExifEntry *r = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], ref_tag);
    if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components != 3 || !e->data || e->size < 24)
        return false;
    ExifByteOrder bo = exif_data_get_byte_order(ed);
    double parts[3];
    for (int i = 0; i < 3; i++) {
        ExifRational q = exif_get_rational(e->data + 8 * i, bo);
        if (q.denominator == 0)
            return false;
        parts[i] = (double)q.numerator / (double)q.denominator;
    }
    double v = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
    if (r && r->format == EXIF_FORMAT_ASCII && r->data && r->size >= 1 &&
        (r->data[0] == 'S' || r->data[0] == 'W'))
        v = -v;
    if (!(v >= -limit && v <= limit))
        return false;
    *out = v;
    return true;
}

/* Capture time and place from an EXIF block (with or without its "Exif\0\0" header). */
static void read_exif(const unsigned char *p, size_t n, struct photo_info *out)
{
    static const unsigned char hdr[] = { 'E', 'x', 'i', 'f', 0, 0 };
    unsigned char *buf = NULL;
    if (n < 8 || n > 1u << 20)
        return;
    if (memcmp(p, hdr, 6) != 0) { /* a bare TIFF block (PNG eXIf, some WebP) */
        buf = xmalloc(n + 6);
        memcpy(buf, hdr, 6);
        memcpy(buf + 6, p, n);
        p = buf;
        n += 6;
    }
    ExifData *ed = exif_data_new();
    if (!ed) {
        free(buf);
        return;
    }
    exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_load_data(ed, p, (unsigned int)n);
    ExifByteOrder bo = exif_data_get_byte_order(ed);

    ExifEntry *o = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (o && o->format == EXIF_FORMAT_SHORT && o->data && o->size >= 2) {
        int v = exif_get_short(o->data, bo);
        if (v >= 1 && v <= 8)
            out->orientation = v;
    }
    ExifEntry *t = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
    if (!t)
        t = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_DIGITIZED);
    if (t && t->format == EXIF_FORMAT_ASCII && t->data) {
        int offset = PHOTO_DEFAULT_UTC_OFFSET;
        /* OffsetTimeOriginal (0x9011, EXIF 2.31) when the camera wrote it */
        ExifEntry *z = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], (ExifTag)0x9011);
        if (z && z->format == EXIF_FORMAT_ASCII && z->data)
            parse_offset(z->data, z->size, &offset);
        int64_t at;
        if (photo_exif_time((const char *)t->data, t->size, offset, &at))
            out->taken_at = at;
    }
    double lat, lon;
    if (gps_coord(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF, 90, &lat) &&
        gps_coord(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF, 180, &lon) &&
        !(lat == 0 && lon == 0)) { /* 0,0 is what a phone without a fix writes */
        out->has_gps = true;
        out->lat = lat;
        out->lon = lon;
    }
    exif_data_unref(ed);
    free(buf);
}

static bool is_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static enum photo_err jpeg_inspect(const unsigned char *p, size_t n, struct photo_info *out)
{
    size_t i = 2;
    bool exif_seen = false;
    while (i + 4 <= n) {
        if (p[i] != 0xFF)
            return PHOTO_CORRUPT;
        while (i < n && p[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= n)
            return PHOTO_CORRUPT;
        unsigned m = p[i++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD9 || m == 0xDA)
            break; /* the header ends before the first scan */
        if (i + 2 > n)
            return PHOTO_CORRUPT;
        size_t L = be16(p + i);
        if (L < 2 || i + L > n)
            return PHOTO_CORRUPT;
        const unsigned char *seg = p + i + 2;
        size_t sn = L - 2;
        if (is_sof(m)) {
            if (sn < 5)
                return PHOTO_CORRUPT;
            out->height = (int)be16(seg + 1);
            out->width = (int)be16(seg + 3);
        } else if (m == 0xE1 && !exif_seen && sn >= 6 && memcmp(seg, "Exif\0\0", 6) == 0) {
            exif_seen = true;
            read_exif(seg, sn, out);
        }
        i += L;
    }
    return out->width > 0 && out->height > 0 ? PHOTO_OK : PHOTO_CORRUPT;
}

static enum photo_err png_inspect(const unsigned char *p, size_t n, struct photo_info *out)
{
    if (n < 8 + 8 + 13 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
        return PHOTO_CORRUPT;
    uint32_t w = be32(p + 16), h = be32(p + 20);
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff)
        return PHOTO_CORRUPT;
    out->width = w > INT32_MAX ? INT32_MAX : (int)w;
    out->height = h > INT32_MAX ? INT32_MAX : (int)h;
    /* an eXIf chunk anywhere before the image data ends */
    size_t i = 8;
    while (i + 12 <= n) {
        uint32_t L = be32(p + i);
        if (L > n - i - 12)
            break;
        if (memcmp(p + i + 4, "eXIf", 4) == 0) {
            read_exif(p + i + 8, L, out);
            break;
        }
        if (memcmp(p + i + 4, "IEND", 4) == 0)
            break;
        i += 12 + (size_t)L;
    }
    return PHOTO_OK;
}

static enum photo_err webp_inspect(const unsigned char *p, size_t n, struct photo_info *out)
{
    size_t i = 12;
    bool sized = false;
    while (i + 8 <= n) {
        uint32_t L = le32(p + i + 4);
        if (L > n - i - 8)
            return sized ? PHOTO_OK : PHOTO_CORRUPT;
        const unsigned char *c = p + i + 8;
        if (!sized && memcmp(p + i, "VP8X", 4) == 0 && L >= 10) {
            out->width = (int)le24(c + 4) + 1;
            out->height = (int)le24(c + 7) + 1;
            sized = true;
        } else if (!sized && memcmp(p + i, "VP8 ", 4) == 0 && L >= 10) {
            if (c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a)
                return PHOTO_CORRUPT;
            out->width = (int)((c[6] | c[7] << 8) & 0x3fff);
            out->height = (int)((c[8] | c[9] << 8) & 0x3fff);
            sized = true;
        } else if (!sized && memcmp(p + i, "VP8L", 4) == 0 && L >= 5) {
            if (c[0] != 0x2f)
                return PHOTO_CORRUPT;
            uint32_t bits = le32(c + 1);
            out->width = (int)(bits & 0x3fff) + 1;
            out->height = (int)((bits >> 14) & 0x3fff) + 1;
            sized = true;
        } else if (memcmp(p + i, "EXIF", 4) == 0) {
            read_exif(c, L, out);
        }
        i += 8 + (size_t)L + (L & 1);
    }
    return sized && out->width > 0 && out->height > 0 ? PHOTO_OK : PHOTO_CORRUPT;
}

enum photo_err photo_inspect(const void *data, size_t len, struct photo_info *out)
{
    memset(out, 0, sizeof(*out));
    out->orientation = 1;
    const char *mime = photo_sniff(data, len);
    if (!mime)
        return PHOTO_NOT_IMAGE;
    if (strcmp(mime, "image/heic") == 0)
        return PHOTO_HEIC;
    out->mime = mime;
    enum photo_err rc;
    if (mime[6] == 'j')
        rc = jpeg_inspect(data, len, out);
    else if (mime[6] == 'p')
        rc = png_inspect(data, len, out);
    else
        rc = webp_inspect(data, len, out);
    if (rc != PHOTO_OK) {
        out->width = out->height = 0;
        return rc;
    }
    if (out->width > PHOTO_MAX_SIDE || out->height > PHOTO_MAX_SIDE ||
        (long long)out->width * out->height > PHOTO_MAX_PIXELS) {
        out->taken_at = 0;
        out->has_gps = false;
        return PHOTO_TOO_LARGE;
    }
    return PHOTO_OK;
}

/* ---- stripping ---- */

struct obuf {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct obuf *b, const void *src, size_t n)
{
    if (b->n + n > b->cap) { /* never, the output is at most the input plus a small block */
        b->cap = (b->n + n) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

/* APP0 (JFIF), APP2 when it is the ICC profile, APP14 (Adobe, colour transform) stay. */
static bool jpeg_keep(unsigned m, const unsigned char *seg, size_t sn)
{
    if (m == 0xFE)
        return false; /* comment */
    if (m < 0xE0 || m > 0xEF)
        return true;
    if (m == 0xE0 || m == 0xEE)
        return true;
    return m == 0xE2 && sn >= 12 && memcmp(seg, "ICC_PROFILE\0", 12) == 0;
}

/* The orientation alone, as a 32-byte big-endian EXIF block in an APP1 segment. */
static void put_orientation(struct obuf *b, int orientation)
{
    unsigned char s[36] = { 0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f',  0, 0, 'M', 'M', 0, 42,
                            0,    0,    0, 8,  0,   1,   1,   0x12, 0, 3, 0,   0,   0, 1 };
    s[28] = 0;
    s[29] = (unsigned char)orientation;
    /* s[30..31] padding, s[32..35] next IFD = 0 */
    put(b, s, sizeof(s));
}

static enum photo_err jpeg_strip(const unsigned char *p, size_t n, struct obuf *b, int orientation)
{
    static const unsigned char soi[] = { 0xFF, 0xD8 }, eoi[] = { 0xFF, 0xD9 };
    put(b, soi, 2);
    if (orientation > 1 && orientation <= 8)
        put_orientation(b, orientation);
    size_t i = 2;
    bool in_scan = false;
    while (i < n) {
        if (in_scan) {
            /* entropy-coded data: copy up to the next marker that is not a stuffed 0,
             * a restart or fill */
            size_t start = i;
            while (i + 1 < n && !(p[i] == 0xFF && p[i + 1] != 0x00 &&
                                  !(p[i + 1] >= 0xD0 && p[i + 1] <= 0xD7) && p[i + 1] != 0xFF))
                i++;
            if (i + 1 >= n) {
                put(b, p + start, n - start);
                break; /* cut short: end it */
            }
            put(b, p + start, i - start);
            in_scan = false;
            continue;
        }
        if (p[i] != 0xFF)
            return PHOTO_CORRUPT;
        while (i < n && p[i] == 0xFF)
            i++;
        if (i >= n)
            break;
        unsigned m = p[i++];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD9)
            break;
        if (i + 2 > n)
            return PHOTO_CORRUPT;
        size_t L = be16(p + i);
        if (L < 2 || i + L > n)
            return PHOTO_CORRUPT;
        if (jpeg_keep(m, p + i + 2, L - 2)) {
            unsigned char mk[2] = { 0xFF, (unsigned char)m };
            put(b, mk, 2);
            put(b, p + i, L);
        }
        i += L;
        if (m == 0xDA)
            in_scan = true;
    }
    put(b, eoi, 2);
    return PHOTO_OK;
}

static enum photo_err png_strip(const unsigned char *p, size_t n, struct obuf *b)
{
    static const char *const drop[] = { "tEXt", "zTXt", "iTXt", "eXIf", "tIME" };
    put(b, p, 8);
    size_t i = 8;
    while (i + 12 <= n) {
        uint32_t L = be32(p + i);
        if (L > n - i - 12)
            return PHOTO_CORRUPT;
        bool keep = true;
        for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
            if (memcmp(p + i + 4, drop[k], 4) == 0)
                keep = false;
        if (keep)
            put(b, p + i, 12 + (size_t)L);
        if (memcmp(p + i + 4, "IEND", 4) == 0)
            return PHOTO_OK;
        i += 12 + (size_t)L;
    }
    return PHOTO_CORRUPT;
}

static enum photo_err webp_strip(const unsigned char *p, size_t n, struct obuf *b)
{
    put(b, p, 12);
    size_t i = 12, vp8x = 0;
    while (i + 8 <= n) {
        uint32_t L = le32(p + i + 4);
        if (L > n - i - 8)
            return PHOTO_CORRUPT;
        size_t whole = 8 + (size_t)L + (L & 1);
        if (whole > n - i)
            whole = n - i; /* a missing pad byte at the very end */
        if (memcmp(p + i, "EXIF", 4) != 0 && memcmp(p + i, "XMP ", 4) != 0) {
            if (memcmp(p + i, "VP8X", 4) == 0 && L >= 10)
                vp8x = b->n;
            put(b, p + i, whole);
            if (whole & 1) {
                unsigned char z = 0;
                put(b, &z, 1);
            }
        }
        i += 8 + (size_t)L + (L & 1);
    }
    if (vp8x)
        b->p[vp8x + 8] &= (unsigned char)~0x0C; /* the EXIF and XMP flags */
    put_le32(b->p + 4, (uint32_t)(b->n - 8));
    return PHOTO_OK;
}

enum photo_err photo_strip(const void *data, size_t len, void **out, size_t *out_len)
{
    struct photo_info info;
    *out = NULL;
    *out_len = 0;
    enum photo_err rc = photo_inspect(data, len, &info);
    if (rc != PHOTO_OK && rc != PHOTO_TOO_LARGE)
        return rc;
    struct obuf b = { .p = xmalloc(len + 64), .n = 0, .cap = len + 64 };
    if (info.mime[6] == 'j')
        rc = jpeg_strip(data, len, &b, info.orientation);
    else if (info.mime[6] == 'p')
        rc = png_strip(data, len, &b);
    else
        rc = webp_strip(data, len, &b);
    if (rc != PHOTO_OK) {
        free(b.p);
        return rc;
    }
    *out = b.p;
    *out_len = b.n;
    return PHOTO_OK;
}
