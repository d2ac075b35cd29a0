/*
 * fuzz_tlsrpt_record, fuzz_tlsrpt_record_oracle - mtasts_tlsrpt_parse on one joined
 * _smtp._tls record.
 *
 * Input: byte 0 = flags (bit 0: the profile the oracle compares and the
 * re-feedings use is lenient), the rest = the record.
 * Fast (fuzz_tlsrpt_record): both profiles parsed once each, so the profile
 * invariants hold for every input; the result invariants of fuzz_common.
 * Differential (fuzz_tlsrpt_record_oracle, FZ_DIFFERENTIAL): also NULL options
 * equal strict, the same record given as one character-string parses
 * identically, and the oracle agrees.
 */
#include <string.h>

#include "fuzz_common.h"

#define WARN_CAP 4200 /* more than a 4096-octet record can produce */

/* The re-feedings and the oracle, against the profile pi's parse. */
static void differential(const char *rec, size_t len, int pi, const mtasts_code *code,
                         const mtasts_tlsrpt *tls, const mtasts_diags *diags) {
  for (int p = 0; p < 2; p++)
    fz_check_locate(rec, len, tls[p].err_offset);

  /* NULL options are the strict defaults; warnings need not be collected. */
  mtasts_tlsrpt plain;
  static mtasts_rua plain_rua[MTASTS_MAX_RUA];
  static mtasts_ext plain_ext[MTASTS_MAX_EXTENSIONS];
  fz_tlsrpt_ready(&plain, plain_rua, plain_ext);
  FZ_CHECK(mtasts_tlsrpt_parse(rec, len, NULL, &plain) == code[0], "NULL options != strict");
  FZ_CHECK(fz_same_tlsrpt(&plain, &tls[0]), "NULL options fields");

  /* The sizing pass (no arrays): the strict verdict, or a capacity error
   * at the first URI or extension of a valid record, with both counts. */
  mtasts_tlsrpt sizing;
  mtasts_tlsrpt_init(&sizing, NULL, 0, NULL, 0);
  mtasts_code zcode = mtasts_tlsrpt_parse(rec, len, NULL, &sizing);
  if (code[0] == MTASTS_OK) {
    const mtasts_tlsrpt *t = &tls[0];
    bool ext_first = t->ext_count > 0 && t->ext[0].name.off < t->rua[0].uri.off;
    FZ_CHECK(zcode == (ext_first ? MTASTS_E_EXT_CAPACITY : MTASTS_E_RUA_CAPACITY) &&
                 sizing.err_offset == (ext_first ? t->ext[0].name.off : t->rua[0].uri.off) &&
                 sizing.rua_needed == t->rua_count && sizing.ext_needed == t->ext_count,
             "sizing pass");
  } else {
    FZ_CHECK(zcode == code[0] && sizing.err_offset == tls[0].err_offset, "sizing pass verdict");
  }

  /* The same record as a single character-string. */
  mtasts_chunk one = {rec, len};
  static mtasts_diag sitems[WARN_CAP];
  mtasts_diags sdiags = {sitems, WARN_CAP, 0};
  mtasts_options sopt = fz_options(pi ? MTASTS_LENIENT : MTASTS_STRICT, 0, &sdiags);
  mtasts_tlsrpt st;
  static mtasts_rua st_rua[MTASTS_MAX_RUA];
  static mtasts_ext st_ext[MTASTS_MAX_EXTENSIONS];
  fz_tlsrpt_ready(&st, st_rua, st_ext);
  mtasts_code scode = mtasts_tlsrpt_parse_strings(&one, 1, &sopt, &st);
  FZ_CHECK(scode == code[pi], "one string != joined (code)");
  FZ_CHECK(fz_same_tlsrpt(&st, &tls[pi]), "one string != joined (fields)");
  FZ_CHECK(fz_same_warnings(&sdiags, &diags[pi]), "one string != joined (warnings)");

  oracle_tlsrpt o;
  oracle_verdict v =
      oracle_tlsrpt_record(fz_oracle(), (const unsigned char *)rec, len, pi == 1, &o);
  fz_diff_tlsrpt("fuzz_tlsrpt_record", code[pi], &tls[pi], v, &o);
  if (v == ORACLE_VALID && pi == 1)
    FZ_CHECK(diags[1].count > diags[1].cap || o.deviation == fz_has_deviation(&diags[1]),
             "oracle deviation vs warnings");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  int pi = (data[0] & FZ_BIT_LENIENT) != 0 ? 1 : 0;
  size_t len = size - 1;
  const char *rec = fz_piece(data + 1, len);

  static mtasts_diag items[2][WARN_CAP];
  mtasts_diags diags[2];
  mtasts_tlsrpt tls[2];
  static mtasts_rua tls_rua[2][MTASTS_MAX_RUA];
  static mtasts_ext tls_ext[2][MTASTS_MAX_EXTENSIONS];
  mtasts_code code[2];
  for (int p = 0; p < 2; p++) {
    mtasts_profile profile = p == 0 ? MTASTS_STRICT : MTASTS_LENIENT;
    diags[p] = (mtasts_diags){items[p], WARN_CAP, 0};
    mtasts_options opt = fz_options(profile, 0, &diags[p]);
    fz_tlsrpt_ready(&tls[p], tls_rua[p], tls_ext[p]);
    code[p] = mtasts_tlsrpt_parse(rec, len, &opt, &tls[p]);
    fz_check_tlsrpt(code[p], &tls[p], rec, len, NULL, 0);
    fz_check_warnings(&diags[p], len, profile);
  }
  fz_check_profiles(code[0], code[1], fz_same_tlsrpt(&tls[0], &tls[1]), &diags[0], &diags[1]);
  if (FZ_DIFFERENTIAL)
    differential(rec, len, pi, code, tls, diags);

  fz_piece_free(rec);
  return 0;
}
