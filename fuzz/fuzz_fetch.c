/*
 * fuzz_fetch - the engine's fetch acceptance: mtasts_media_type_parse on
 * a Content-Type value and mtasts_fetch_accept on a whole response.
 *
 * Input: byte 0 = flags (fuzz/README.md: redirected, profile, status,
 * small mx and ext arrays, Content-Type absent, body padding), then the
 * Content-Type value up to the first LF, then the body. Checks: the media
 * type against a reference recogniser written here from RFC 9110 8.3.1
 * (sharing no code with the engine), its spans and flags; the verdict's
 * reason against the documented order (redirect > status > media type >
 * size > body), its rpt, charset warning and parser result against a
 * direct mtasts_policy_parse of the body; the policy's spans.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "media_model.h"
#include "mtasts_engine.h"

#define FLAG_REDIRECTED 0x01u
#define FLAG_LENIENT 0x02u
#define STATUS_SHIFT 2 /* bits 2-3: index into statuses[] */
#define FLAG_SMALL_ARRAYS 0x10u
#define FLAG_NO_TYPE 0x20u /* no Content-Type: everything after byte 0 is the body */
#define PAD_SHIFT 6        /* bits 6-7: body padding (pads[] below) */
#define PAD_NULL_IF_EMPTY 3u

#define WARN_CAP 65536 /* a warning per line of the largest body is possible */
#define MX_POISONED 64u

static const int statuses[4] = {200, 200, 204, -200};

/* ------------------------------------------------------------------ */
/* mtasts_media_type_parse                                             */
/* ------------------------------------------------------------------ */

static void check_span_in(mtasts_span s, const char *value, size_t len, const char *what) {
  FZ_CHECK(s.off <= len && s.len <= len - s.off, what);
  FZ_CHECK(s.ptr == value + s.off, what);
  fz_touch(s.ptr, s.len);
}

static bool is_token(mtasts_span s) {
  if (s.len == 0)
    return false;
  for (size_t i = 0; i < s.len; i++)
    if (!ref_tchar((unsigned char)s.ptr[i]))
      return false;
  return true;
}

static void check_media(const char *value, size_t len, bool ok, const mtasts_media_type *m,
                        const ref_media *ref) {
  FZ_CHECK(ok == ref->valid, ok ? "engine accepts a media type the reference rejects"
                                : "engine rejects a media type the reference accepts");
  if (!ok) {
    FZ_CHECK(m->err_offset == ref->reject_at,
             "err_offset is not the first byte that cannot continue");
    FZ_CHECK(fz_span_unset(m->type) && fz_span_unset(m->subtype) && fz_span_unset(m->charset),
             "span set after failure");
    FZ_CHECK(m->param_count == 0 && !m->charset_other, "result set after failure");
    return;
  }
  FZ_CHECK(m->err_offset == 0, "err_offset on success");
  check_span_in(m->type, value, len, "type span outside the value");
  check_span_in(m->subtype, value, len, "subtype span outside the value");
  FZ_CHECK(is_token(m->type) && is_token(m->subtype), "type / subtype not a non-empty token");
  FZ_CHECK(m->subtype.off == m->type.off + m->type.len + 1 &&
               value[m->type.off + m->type.len] == '/',
           "subtype does not follow type \"/\"");
  FZ_CHECK(m->type.off == ref->type_off && m->type.len == ref->type_len, "type span vs reference");
  FZ_CHECK(m->subtype.off == ref->sub_off && m->subtype.len == ref->sub_len,
           "subtype span vs reference");
  FZ_CHECK(m->param_count == ref->params, "param_count vs reference");
  FZ_CHECK(!m->charset_other || m->charset.ptr != NULL, "charset_other without a charset");
  FZ_CHECK(m->charset_other == ref->charset_other, "charset_other vs reference");
  FZ_CHECK((m->charset.ptr != NULL) == ref->has_charset, "charset presence vs reference");
  if (m->charset.ptr != NULL) {
    check_span_in(m->charset, value, len, "charset span outside the value");
    FZ_CHECK(m->charset.off == ref->charset_off && m->charset.len == ref->charset_len,
             "charset span vs reference");
    FZ_CHECK(m->param_count >= 1, "a charset but no parameter");
  }
}

/* ------------------------------------------------------------------ */
/* mtasts_fetch_accept                                                 */
/* ------------------------------------------------------------------ */

static bool same_span(mtasts_span a, mtasts_span b) {
  return a.ptr == b.ptr && a.off == b.off && a.len == b.len;
}

static bool same_media(const mtasts_media_type *a, const mtasts_media_type *b) {
  return same_span(a->type, b->type) && same_span(a->subtype, b->subtype) &&
         same_span(a->charset, b->charset) && a->param_count == b->param_count &&
         a->charset_other == b->charset_other && a->err_offset == b->err_offset;
}

static bool same_policy(const mtasts_policy *a, const mtasts_policy *b) {
  if (a->err_offset != b->err_offset || a->mode != b->mode || a->max_age != b->max_age ||
      a->mx_count != b->mx_count || a->mx_needed != b->mx_needed || a->ext_count != b->ext_count ||
      a->ext_needed != b->ext_needed)
    return false;
  if (!same_span(a->version, b->version) || !same_span(a->mode_text, b->mode_text) ||
      !same_span(a->max_age_text, b->max_age_text))
    return false;
  for (size_t i = 0; i < a->mx_count; i++)
    if (!same_span(a->mx[i].pattern, b->mx[i].pattern) || a->mx[i].wildcard != b->mx[i].wildcard)
      return false;
  for (size_t i = 0; i < a->ext_count; i++)
    if (!same_span(a->ext[i].name, b->ext[i].name) || !same_span(a->ext[i].value, b->ext[i].value))
      return false;
  return true;
}

static void check_policy_spans(const mtasts_policy *p, const char *body, size_t len) {
  fz_check_joined_span(p->version, body, len);
  fz_check_joined_span(p->mode_text, body, len);
  fz_check_joined_span(p->max_age_text, body, len);
  FZ_CHECK(p->mx_count <= p->mx_cap, "mx_count > mx_cap");
  for (size_t i = 0; i < p->mx_count; i++)
    fz_check_joined_span(p->mx[i].pattern, body, len);
  FZ_CHECK(p->ext_count <= MTASTS_MAX_EXTENSIONS && p->ext_count <= p->ext_cap, "ext_count");
  for (size_t i = 0; i < p->ext_count; i++) {
    fz_check_joined_span(p->ext[i].name, body, len);
    fz_check_joined_span(p->ext[i].value, body, len);
  }
}

/* The reason the documented order gives, from the harness's own view. */
static mtasts_fetch_reason expected_reason(const mtasts_http_response *resp, bool text_plain,
                                           mtasts_code direct_code) {
  if (resp->redirected)
    return MTASTS_FETCH_REDIRECT;
  if (resp->status != 200)
    return MTASTS_FETCH_STATUS;
  if (!text_plain)
    return MTASTS_FETCH_MEDIA_TYPE;
  if (resp->body_len > MTASTS_POLICY_MAX_SIZE)
    return MTASTS_FETCH_TOO_LARGE;
  if (direct_code == MTASTS_OK)
    return MTASTS_FETCH_OK;
  bool capacity = direct_code == MTASTS_E_MX_CAPACITY || direct_code == MTASTS_E_EXT_CAPACITY;
  return capacity ? MTASTS_FETCH_CAPACITY : MTASTS_FETCH_POLICY_INVALID;
}

static mtasts_mx mx_engine[MTASTS_POLICY_MAX_MX];
static mtasts_mx mx_direct[MTASTS_POLICY_MAX_MX];
static mtasts_ext ext_engine[MTASTS_MAX_EXTENSIONS];
static mtasts_ext ext_direct[MTASTS_MAX_EXTENSIONS];
static mtasts_diag warn_items[WARN_CAP];

typedef struct fetch_case {
  mtasts_http_response resp;
  bool text_plain; /* by the reference recogniser */
  mtasts_profile profile;
  size_t mx_cap;
  size_t ext_cap;
} fetch_case;

static void check_fetch(const fetch_case *fc, const mtasts_media_type *media_alone) {
  const mtasts_http_response *resp = &fc->resp;
  mtasts_diags diags = {warn_items, WARN_CAP, 0};
  mtasts_options opt = fz_options(fc->profile, 0, &diags);
  mtasts_policy pol;
  mtasts_fetch_verdict v;
  fz_poison(&pol, sizeof pol);
  /* fuzz_policy poisons the whole array; here the first slots do, as
   * the whole would cost more than the rest of the run. */
  fz_poison(mx_engine, (fc->mx_cap < MX_POISONED ? fc->mx_cap : MX_POISONED) * sizeof(mtasts_mx));
  fz_poison(ext_engine, fc->ext_cap * sizeof(mtasts_ext));
  mtasts_policy_init(&pol, mx_engine, fc->mx_cap, ext_engine, fc->ext_cap);
  fz_poison(&v, sizeof v);
  mtasts_fetch_reason r = mtasts_fetch_accept(resp, &opt, &pol, &v);

  bool parsed = !resp->redirected && resp->status == 200 && fc->text_plain &&
                resp->body_len <= MTASTS_POLICY_MAX_SIZE;
  mtasts_code direct = MTASTS_OK;
  mtasts_policy dpol;
  if (parsed) {
    mtasts_options quiet = fz_options(fc->profile, 0, NULL);
    mtasts_policy_init(&dpol, mx_direct, fc->mx_cap, ext_direct, fc->ext_cap);
    direct = mtasts_policy_parse(resp->body, resp->body_len, &quiet, &dpol);
  }

  FZ_CHECK(r == v.reason, "returned reason != verdict reason");
  FZ_CHECK(r == expected_reason(resp, fc->text_plain, direct), mtasts_fetch_reason_name(r));
  FZ_CHECK(r != MTASTS_FETCH_NETWORK && r != MTASTS_FETCH_WEBPKI, "a transport reason");
  FZ_CHECK(v.rpt == mtasts_fetch_reason_rpt(r), "rpt != mtasts_fetch_reason_rpt(reason)");
  FZ_CHECK((r == MTASTS_FETCH_OK || r == MTASTS_FETCH_CAPACITY) == (v.rpt == MTASTS_RPT_NONE),
           "a rejection without a report, or a report without a rejection");
  FZ_CHECK((v.rpt == MTASTS_RPT_NONE) == (mtasts_rpt_name(v.rpt)[0] == '\0'), "rpt name");
  FZ_CHECK((r == MTASTS_FETCH_OK) ==
               (v.parse_code == MTASTS_OK && fc->text_plain && !resp->redirected &&
                resp->status == 200 && resp->body_len <= MTASTS_POLICY_MAX_SIZE),
           "OK is not (parser OK and text/plain)");
  fz_check_code(v.parse_code);

  /* The media type as parsed alone, once the verdict got that far. */
  bool media_reached = !resp->redirected && resp->status == 200 && resp->content_type_len > 0;
  mtasts_media_type none;
  memset(&none, 0, sizeof none);
  FZ_CHECK(same_media(&v.media, media_reached ? media_alone : &none), "verdict media");
  FZ_CHECK(v.charset_warning == (fc->text_plain && media_reached && media_alone->charset_other),
           "charset_warning");

  if (!parsed) {
    FZ_CHECK(v.parse_code == MTASTS_OK && v.parse_offset == 0, "parser result without a parse");
    FZ_CHECK(diags.count == 0, "warnings without a parse");
  } else {
    FZ_CHECK(v.parse_code == direct && v.parse_offset == dpol.err_offset,
             "verdict parse result != direct parse");
    FZ_CHECK(same_policy(&pol, &dpol), "policy != direct parse");
    fz_check_warnings(&diags, resp->body_len, fc->profile);
    if (direct == MTASTS_OK)
      check_policy_spans(&pol, resp->body, resp->body_len);
  }

  /* Without a verdict to fill, the same answer. */
  mtasts_policy_init(&pol, mx_engine, fc->mx_cap, ext_engine, fc->ext_cap);
  FZ_CHECK(mtasts_fetch_accept(resp, &opt, &pol, NULL) == r, "v == NULL changes the reason");
}

/* NULL response or policy: POLICY_INVALID with E_ARGUMENT, as fetch.c
 * documents by code; never a crash. */
static void check_null_arguments(const mtasts_http_response *resp) {
  mtasts_policy pol;
  mtasts_fetch_verdict v;
  mtasts_policy_init(&pol, NULL, 0, NULL, 0);
  FZ_CHECK(mtasts_fetch_accept(NULL, NULL, &pol, &v) == MTASTS_FETCH_POLICY_INVALID &&
               v.parse_code == MTASTS_E_ARGUMENT,
           "NULL response");
  FZ_CHECK(mtasts_fetch_accept(resp, NULL, NULL, &v) == MTASTS_FETCH_POLICY_INVALID &&
               v.parse_code == MTASTS_E_ARGUMENT,
           "NULL policy");
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

/* An exact-size heap copy, padded with LF to `want` octets when the
 * input holds fewer; never NULL, so an empty value is "present, empty". */
static char *padded_copy(const uint8_t *p, size_t n, size_t want, size_t *len) {
  size_t total = n > want ? n : want;
  char *copy = malloc(total ? total : 1);
  if (copy == NULL)
    abort();
  if (n > 0)
    memcpy(copy, p, n);
  memset(copy + n, '\n', total - n);
  *len = total;
  return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  uint8_t flags = data[0];
  const uint8_t *rest = data + 1;
  size_t rest_len = size - 1;
  const uint8_t *lf = (flags & FLAG_NO_TYPE) || rest_len == 0 ? NULL : memchr(rest, '\n', rest_len);
  size_t type_len = (flags & FLAG_NO_TYPE) ? 0 : lf ? (size_t)(lf - rest) : rest_len;
  const uint8_t *body_src = (flags & FLAG_NO_TYPE) ? rest : lf ? lf + 1 : rest + rest_len;
  size_t body_src_len = (size_t)(rest + rest_len - body_src);

  /* Padding: none, up to the size limit exactly, one octet past it, or
   * none with an empty body passed as NULL (the "absent" form). */
  static const size_t pads[4] = {0, MTASTS_POLICY_MAX_SIZE, MTASTS_POLICY_MAX_SIZE + 1, 0};
  unsigned pad = (unsigned)flags >> PAD_SHIFT;
  size_t ct_len = 0, body_len = 0;
  char *ct = (flags & FLAG_NO_TYPE) ? NULL : padded_copy(rest, type_len, 0, &ct_len);
  char *body = padded_copy(body_src, body_src_len, pads[pad], &body_len);
  if (pad == PAD_NULL_IF_EMPTY && body_len == 0) {
    free(body);
    body = NULL;
  }

  mtasts_media_type media;
  fz_poison(&media, sizeof media);
  bool ok = mtasts_media_type_parse(ct, ct_len, &media);
  ref_media ref;
  ref_media_parse(ct, ct_len, &ref);
  check_media(ct, ct_len, ok, &media, &ref);
  FZ_CHECK(!mtasts_media_type_parse(ct, ct_len, NULL), "NULL output accepted");

  fetch_case fc;
  fc.resp.status = statuses[(flags >> STATUS_SHIFT) & 3u];
  fc.resp.redirected = (flags & FLAG_REDIRECTED) != 0;
  fc.resp.content_type = ct;
  fc.resp.content_type_len = ct_len;
  fc.resp.body = body;
  fc.resp.body_len = body_len;
  fc.text_plain = ref_is_text_plain(ct, &ref);
  fc.profile = (flags & FLAG_LENIENT) ? MTASTS_LENIENT : MTASTS_STRICT;
  fc.mx_cap = (flags & FLAG_SMALL_ARRAYS) ? 1 : MTASTS_POLICY_MAX_MX;
  fc.ext_cap = (flags & FLAG_SMALL_ARRAYS) ? 1 : MTASTS_MAX_EXTENSIONS;
  check_fetch(&fc, &media);
  check_null_arguments(&fc.resp);

  free(ct);
  free(body);
  return 0;
}
