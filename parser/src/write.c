/* stub, replaced by the implementation */
#include "mtasts.h"
typedef int mtasts_stub_write_;
