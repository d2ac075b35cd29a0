/*
 * media_model.h - fuzz_fetch's reference media-type recogniser (RFC 9110
 * 8.3.1, 5.6.2, 5.6.4): a state machine over the grammar, byte by byte,
 * written apart from the engine's mtasts_media_type_parse so that a shared
 * misreading is unlikely. The harness compares the two.
 */
#ifndef MTASTS_FUZZ_MEDIA_MODEL_H
#define MTASTS_FUZZ_MEDIA_MODEL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ref_media {
  bool valid;
  size_t reject_at; /* first byte that cannot continue (the length at an early end) */
  size_t type_off, type_len, sub_off, sub_len;
  size_t params;
  bool has_charset;
  size_t charset_off, charset_len; /* first charset value, inside its quotes */
  bool charset_other;
} ref_media;

/* RFC 9110 5.6.2 tchar. */
bool ref_tchar(unsigned char c);

/* Recognise a Content-Type field value [v, v + len). */
void ref_media_parse(const char *v, size_t len, ref_media *m);

/* A valid value whose type/subtype is text/plain, in any case. */
bool ref_is_text_plain(const char *v, const ref_media *m);

#endif /* MTASTS_FUZZ_MEDIA_MODEL_H */
