/* errors.c - names and messages of the report codes, from the one table
 * in mtasts_report.h, and the names of the result types. */
#include "mtasts_report.h"

static const char *const code_names[MTASTS_REPORT_CODE_COUNT_] = {
#define X(name, number, msg) [number] = #name,
    MTASTS_REPORT_CODE_MAP(X)
#undef X
};

static const char *const code_messages[MTASTS_REPORT_CODE_COUNT_] = {
#define X(name, number, msg) [number] = msg,
    MTASTS_REPORT_CODE_MAP(X)
#undef X
};

/* Dense numbers: as many entries as the largest number + 1, and (a switch
 * below) no number twice, so every index of the tables is a code. */
#define X(name, number, msg) +1
enum { CODE_ENTRIES = 0 MTASTS_REPORT_CODE_MAP(X) };
#undef X
_Static_assert((int)CODE_ENTRIES == (int)MTASTS_REPORT_CODE_COUNT_,
               "report code numbers must be 0 .. count - 1");

/* A number listed twice is a duplicate case label, which does not compile. */
static bool code_known(mtasts_report_code code) {
  switch (code) {
#define X(name, number, msg) case MTASTS_##name:
    MTASTS_REPORT_CODE_MAP(X)
#undef X
    return true;
  default:
    return false;
  }
}

const char *mtasts_report_errname(mtasts_report_code code) {
  return code_known(code) ? code_names[code] : "UNKNOWN";
}

const char *mtasts_report_strerror(mtasts_report_code code) {
  return code_known(code) ? code_messages[code] : "unknown code";
}

bool mtasts_report_is_warning(mtasts_report_code code) {
  return code_known(code) && code_names[code][0] == 'W';
}

static const char *const result_names[] = {"",
                                           "starttls-not-supported",
                                           "certificate-host-mismatch",
                                           "certificate-expired",
                                           "certificate-not-trusted",
                                           "validation-failure",
                                           "tlsa-invalid",
                                           "dnssec-invalid",
                                           "dane-required",
                                           "sts-policy-fetch-error",
                                           "sts-policy-invalid",
                                           "sts-webpki-invalid",
                                           ""};
_Static_assert(sizeof result_names / sizeof result_names[0] == MTASTS_REPORT_RESULT_OTHER + 1,
               "one name per result type");

const char *mtasts_report_result_name(mtasts_report_result r) {
  return (int)r >= 0 && r <= MTASTS_REPORT_RESULT_OTHER ? result_names[r] : "";
}
