/*
 * fuzz_txt_record, fuzz_txt_record_oracle - mtasts_txt_parse on one joined
 * _mta-sts record.
 *
 * Input: byte 0 = flags (bit 0: the profile the oracle compares and the
 * re-feedings use is lenient), the rest = the record.
 * Fast (fuzz_txt_record): both profiles parsed once each, so the profile
 * invariants hold for every input; the result invariants of fuzz_common.
 * Differential (fuzz_txt_record_oracle, FZ_DIFFERENTIAL): also NULL options
 * equal strict, the same record given as one character-string parses
 * identically, and the oracle agrees.
 */
#include <string.h>

#include "fuzz_common.h"

#define WARN_CAP 4200 /* more than a 4096-octet record can produce */

/* The re-feedings and the oracle, against the profile pi's parse. */
static void differential(const char *rec, size_t len, int pi, const mtasts_code *code,
                         const mtasts_txt *txt, const mtasts_diags *diags) {
  for (int p = 0; p < 2; p++)
    fz_check_locate(rec, len, txt[p].err_offset);

  /* NULL options are the strict defaults; warnings need not be collected. */
  mtasts_txt plain;
  static mtasts_ext plain_ext[MTASTS_MAX_EXTENSIONS];
  fz_txt_ready(&plain, plain_ext);
  FZ_CHECK(mtasts_txt_parse(rec, len, NULL, &plain) == code[0], "NULL options != strict");
  FZ_CHECK(fz_same_txt(&plain, &txt[0]), "NULL options fields");

  /* The sizing pass (no array): the strict verdict, or E_EXT_CAPACITY at
   * the first extension of a valid record that has some, with the count. */
  mtasts_txt sizing;
  mtasts_txt_init(&sizing, NULL, 0);
  mtasts_code zcode = mtasts_txt_parse(rec, len, NULL, &sizing);
  if (code[0] == MTASTS_OK && txt[0].ext_count > 0)
    FZ_CHECK(zcode == MTASTS_E_EXT_CAPACITY && sizing.err_offset == txt[0].ext[0].name.off &&
                 sizing.ext_needed == txt[0].ext_count,
             "sizing pass");
  else
    FZ_CHECK(zcode == code[0] && sizing.err_offset == txt[0].err_offset, "sizing pass verdict");

  /* The same record as a single character-string. */
  mtasts_chunk one = {rec, len};
  static mtasts_diag sitems[WARN_CAP];
  mtasts_diags sdiags = {sitems, WARN_CAP, 0};
  mtasts_options sopt = fz_options(pi ? MTASTS_LENIENT : MTASTS_STRICT, 0, &sdiags);
  mtasts_txt st;
  static mtasts_ext st_ext[MTASTS_MAX_EXTENSIONS];
  fz_txt_ready(&st, st_ext);
  mtasts_code scode = mtasts_txt_parse_strings(&one, 1, &sopt, &st);
  FZ_CHECK(scode == code[pi], "one string != joined (code)");
  FZ_CHECK(fz_same_txt(&st, &txt[pi]), "one string != joined (fields)");
  FZ_CHECK(fz_same_warnings(&sdiags, &diags[pi]), "one string != joined (warnings)");

  oracle_txt o;
  oracle_verdict v = oracle_txt_record(fz_oracle(), (const unsigned char *)rec, len, pi == 1, &o);
  fz_diff_txt("fuzz_txt_record", code[pi], &txt[pi], v, &o);
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
  mtasts_txt txt[2];
  static mtasts_ext txt_ext[2][MTASTS_MAX_EXTENSIONS];
  mtasts_code code[2];
  for (int p = 0; p < 2; p++) {
    mtasts_profile profile = p == 0 ? MTASTS_STRICT : MTASTS_LENIENT;
    diags[p] = (mtasts_diags){items[p], WARN_CAP, 0};
    mtasts_options opt = fz_options(profile, 0, &diags[p]);
    fz_txt_ready(&txt[p], txt_ext[p]);
    code[p] = mtasts_txt_parse(rec, len, &opt, &txt[p]);
    fz_check_txt(code[p], &txt[p], rec, len, NULL, 0);
    fz_check_warnings(&diags[p], len, profile);
  }
  fz_check_profiles(code[0], code[1], fz_same_txt(&txt[0], &txt[1]), &diags[0], &diags[1]);
  if (FZ_DIFFERENTIAL)
    differential(rec, len, pi, code, txt, diags);

  fz_piece_free(rec);
  return 0;
}
