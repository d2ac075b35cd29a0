/*
 * fuzz_txt_strings, fuzz_txt_strings_oracle - mtasts_txt_parse_strings on
 * the character-strings of one TXT RR.
 *
 * Input: byte 0 = flags (bit 0: the oracle compares the lenient profile),
 * the rest = the RR's RDATA in DNS wire format (a length octet, then the
 * string; the last string is cut short by the end of the input). Each
 * string is its own exact-size allocation, an empty one is NULL.
 * Fast (fuzz_txt_strings): both profiles parsed once each; spans inside one
 * string point into it, straddling ones are NULL and gathered by
 * mtasts_txt_copy; the profile invariants.
 * Differential (fuzz_txt_strings_oracle, FZ_DIFFERENTIAL): also the result
 * equals mtasts_txt_parse on the concatenation (code, offset, fields,
 * warnings), and the oracle agrees.
 */
#include "fuzz_common.h"

#define WARN_CAP 4200 /* more than a 4096-octet record can produce */

/* The concatenation through mtasts_txt_parse, and the oracle. */
static void differential(const fz_strings *in, int pi, const mtasts_code *code,
                         const mtasts_txt *txt, const mtasts_diags *diags) {
  static mtasts_diag jitems[WARN_CAP];
  for (int p = 0; p < 2; p++) {
    mtasts_diags jd = {jitems, WARN_CAP, 0};
    mtasts_options jopt = fz_options(p == 0 ? MTASTS_STRICT : MTASTS_LENIENT, 0, &jd);
    mtasts_txt joined;
    static mtasts_ext joined_ext[MTASTS_MAX_EXTENSIONS];
    fz_txt_ready(&joined, joined_ext);
    mtasts_code jcode = mtasts_txt_parse(in->joined, in->joined_len, &jopt, &joined);
    FZ_CHECK(jcode == code[p], "strings != joined (code)");
    FZ_CHECK(fz_same_txt(&joined, &txt[p]), "strings != joined (fields)");
    FZ_CHECK(fz_same_warnings(&jd, &diags[p]), "strings != joined (warnings)");
  }
  oracle_txt o;
  oracle_verdict v = oracle_txt_record(fz_oracle(), (const unsigned char *)in->joined,
                                       in->joined_len, pi == 1, &o);
  fz_diff_txt("fuzz_txt_strings", code[pi], &txt[pi], v, &o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  int pi = (data[0] & FZ_BIT_LENIENT) != 0 ? 1 : 0;
  fz_strings in;
  fz_strings_decode(data + 1, size - 1, &in);

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
    code[p] = mtasts_txt_parse_strings(in.count ? in.chunks : NULL, in.count, &opt, &txt[p]);
    fz_check_txt(code[p], &txt[p], in.joined, in.joined_len, in.chunks, in.count);
    fz_check_warnings(&diags[p], in.joined_len, profile);
  }
  fz_check_profiles(code[0], code[1], fz_same_txt(&txt[0], &txt[1]), &diags[0], &diags[1]);
  if (FZ_DIFFERENTIAL)
    differential(&in, pi, code, txt, diags);

  fz_strings_free(&in);
  return 0;
}
