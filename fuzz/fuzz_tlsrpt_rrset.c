/*
 * fuzz_tlsrpt_rrset, fuzz_tlsrpt_rrset_oracle - mtasts_tlsrpt_select over the TXT
 * RRs at _smtp._tls.
 *
 * Input: byte 0 = flags (bit 0: the oracle compares the lenient profile;
 * bit 1: MTASTS_OPT_LITERAL_PREFIX), then RRs, each a 2-octet big-endian
 * length and that many octets of wire-format RDATA (see fuzz_txt_strings.c).
 * Fast (fuzz_tlsrpt_rrset): both profiles select once each; the selection's
 * contract (codes, candidates, err_rr) and the selected record's invariants
 * against that RR's strings; the profile invariants.
 * Differential (fuzz_tlsrpt_rrset_oracle, FZ_DIFFERENTIAL): also the selected
 * record parses as mtasts_tlsrpt_parse_strings parses that RR alone, and the
 * selection agrees with the oracle (candidate count and index; size is
 * judged by the candidate's own parse).
 */
#include <stdlib.h>

#include "fuzz_common.h"

#define WARN_CAP 4200 /* more than a 4096-octet record can produce */

static void check_select(mtasts_code code, const mtasts_rrset_result *sel, const mtasts_tlsrpt *rec,
                         const fz_rrset *in) {
  fz_check_code(code);
  if (code == MTASTS_E_RRSET_NONE || code == MTASTS_E_RRSET_MULTIPLE) {
    FZ_CHECK(code == MTASTS_E_RRSET_NONE ? sel->candidates == 0 : sel->candidates >= 2,
             "candidates vs code");
    FZ_CHECK(sel->err_rr == in->count, "err_rr of a selection error");
    FZ_CHECK(rec->err_offset == 0, "err_offset of a selection error");
    FZ_CHECK(rec->rua_count == 0 && rec->ext_count == 0, "record set after selection error");
    return;
  }
  FZ_CHECK(sel->candidates == 1 && sel->index < in->count, "single candidate");
  if (code != MTASTS_OK)
    FZ_CHECK(sel->err_rr == sel->index, "err_rr != index");
  const fz_strings *rr = &in->strings[sel->index];
  fz_check_tlsrpt(code, rec, rr->joined, rr->joined_len, rr->chunks, rr->count);
}

/* One candidate: its own parse, byte for byte. */
static void check_alone(mtasts_code code, const mtasts_rrset_result *sel, const mtasts_tlsrpt *rec,
                        const fz_rrset *in, mtasts_profile profile, uint32_t flags) {
  if (code == MTASTS_E_RRSET_NONE || code == MTASTS_E_RRSET_MULTIPLE)
    return;
  const fz_strings *rr = &in->strings[sel->index];
  mtasts_options opt = fz_options(profile, flags, NULL);
  mtasts_tlsrpt alone;
  static mtasts_rua alone_rua[MTASTS_MAX_RUA];
  static mtasts_ext alone_ext[MTASTS_MAX_EXTENSIONS];
  fz_tlsrpt_ready(&alone, alone_rua, alone_ext);
  mtasts_code acode =
      mtasts_tlsrpt_parse_strings(rr->count ? rr->chunks : NULL, rr->count, &opt, &alone);
  FZ_CHECK(acode == code, "selected != parsed alone (code)");
  FZ_CHECK(fz_same_tlsrpt(&alone, rec), "selected != parsed alone (fields)");
}

static void differential(const fz_rrset *in, int pi, uint32_t flags, const mtasts_code *code,
                         const mtasts_rrset_result *sel, const mtasts_tlsrpt *rec) {
  for (int p = 0; p < 2; p++)
    check_alone(code[p], &sel[p], &rec[p], in, p == 0 ? MTASTS_STRICT : MTASTS_LENIENT, flags);
  oracle_rr *orrs = malloc((in->count + 1) * sizeof(oracle_rr));
  if (orrs == NULL)
    abort();
  for (size_t i = 0; i < in->count; i++)
    orrs[i] = (oracle_rr){(const unsigned char *)in->strings[i].joined, in->strings[i].joined_len};
  oracle_select osel;
  oracle_tlsrpt o;
  oracle_verdict v =
      oracle_tlsrpt_rrset(fz_oracle(), orrs, in->count, pi == 1, flags != 0, &osel, &o);
  if (v != ORACLE_UNDECIDED) {
    if (osel.candidates != sel[pi].candidates)
      fz_disagree("fuzz_tlsrpt_rrset", "candidate count", o.why);
    if (osel.candidates == 1 && osel.index != sel[pi].index)
      fz_disagree("fuzz_tlsrpt_rrset", "selected index", o.why);
  }
  fz_diff_tlsrpt("fuzz_tlsrpt_rrset", code[pi], &rec[pi], v, &o);
  free(orrs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  int pi = (data[0] & FZ_BIT_LENIENT) != 0 ? 1 : 0;
  uint32_t flags = (data[0] & FZ_BIT_LITERAL) ? MTASTS_OPT_LITERAL_PREFIX : 0;
  fz_rrset in;
  fz_rrset_decode(data + 1, size - 1, &in);
  const mtasts_rr *rrs = in.count ? in.rrs : NULL;

  static mtasts_diag items[2][WARN_CAP];
  mtasts_diags diags[2];
  mtasts_tlsrpt rec[2];
  static mtasts_rua rec_rua[2][MTASTS_MAX_RUA];
  static mtasts_ext rec_ext[2][MTASTS_MAX_EXTENSIONS];
  mtasts_rrset_result sel[2];
  mtasts_code code[2];
  for (int p = 0; p < 2; p++) {
    mtasts_profile profile = p == 0 ? MTASTS_STRICT : MTASTS_LENIENT;
    diags[p] = (mtasts_diags){items[p], WARN_CAP, 0};
    mtasts_options opt = fz_options(profile, flags, &diags[p]);
    fz_tlsrpt_ready(&rec[p], rec_rua[p], rec_ext[p]);
    fz_poison(&sel[p], sizeof(sel[p]));
    code[p] = mtasts_tlsrpt_select(rrs, in.count, &opt, &sel[p], &rec[p]);
    check_select(code[p], &sel[p], &rec[p], &in);
    fz_check_warnings(&diags[p], MTASTS_TXT_MAX_SIZE, profile);
  }
  /* The filter does not depend on the profile. */
  FZ_CHECK(sel[0].candidates == sel[1].candidates, "candidates differ between profiles");
  fz_check_profiles(code[0], code[1], fz_same_tlsrpt(&rec[0], &rec[1]), &diags[0], &diags[1]);
  if (FZ_DIFFERENTIAL)
    differential(&in, pi, flags, code, sel, rec);

  fz_rrset_free(&in);
  return 0;
}
