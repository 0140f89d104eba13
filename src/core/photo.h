/*
 * Photos attached to applications (issue 16): the real type from the bytes, the pixel size,
 * the capture time and place from EXIF (libexif), and a copy without metadata for the people
 * outside the municipality (the citizen's tracking page, Open311).
 *
 * Every parser here is bounded by the length it is given and never trusts a length field
 * inside the file; a file it cannot walk is PHOTO_CORRUPT, never a crash.
 */
#ifndef ALO_CORE_PHOTO_H
#define ALO_CORE_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHOTO_MAX_SIDE 12000       /* pixels, either side */
#define PHOTO_MAX_PIXELS 50000000L /* 50 megapixels (a 48 MP phone photo fits) */
/* EXIF times carry no zone unless OffsetTimeOriginal says it: Turkey is UTC+3 all year. */
#define PHOTO_DEFAULT_UTC_OFFSET (3 * 3600)

enum photo_err {
    PHOTO_OK = 0,
    PHOTO_NOT_IMAGE, /* not JPEG, PNG or WebP */
    PHOTO_HEIC,      /* HEIC/HEIF/AVIF: recognised but not accepted (browsers cannot show it) */
    PHOTO_CORRUPT,   /* the signature of an image, but its header cannot be read */
    PHOTO_TOO_LARGE, /* more than PHOTO_MAX_SIDE a side or PHOTO_MAX_PIXELS */
};

struct photo_info {
    const char *mime; /* static: "image/jpeg", "image/png" or "image/webp" */
    int width, height;
    int orientation;  /* EXIF orientation 1..8 (1 when absent) */
    int64_t taken_at; /* capture time, Unix seconds UTC; 0 when unknown */
    bool has_gps;
    double lat, lon; /* degrees, WGS 84, when has_gps */
};

/* The image type by the first bytes: "image/jpeg", "image/png", "image/webp", "image/heic"
 * (any HEIF/AVIF brand), or NULL. Static string. */
const char *photo_sniff(const void *data, size_t len);

/* Read type, pixel size, orientation, capture time and GPS position of an image. On PHOTO_OK
 * and PHOTO_TOO_LARGE *out has the type and size (the rest only on PHOTO_OK). */
enum photo_err photo_inspect(const void *data, size_t len, struct photo_info *out);

/* A copy of the image without metadata: JPEG loses APP1 (EXIF, XMP), APP3..APP13, APP15 and
 * comments (keeping JFIF, the ICC profile and Adobe's colour marker, and the orientation as a
 * minimal EXIF so the photo stays upright); PNG loses tEXt, zTXt, iTXt, eXIf and tIME; WebP
 * loses its EXIF and XMP chunks. Nothing after the image's end is kept. *out is malloc'd
 * (caller frees), *out_len its length. PHOTO_NOT_IMAGE / PHOTO_CORRUPT leave *out NULL. */
enum photo_err photo_strip(const void *data, size_t len, void **out, size_t *out_len);

/* Parse an EXIF "YYYY:MM:DD HH:MM:SS" local time with the zone offset in seconds; false when
 * malformed or outside 1990..2100. */
bool photo_exif_time(const char *s, size_t n, int offset_s, int64_t *out);

#endif
