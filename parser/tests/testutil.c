/* testutil.c - guard pages, poisoning, printable bytes (see testutil.h). */
#define _DEFAULT_SOURCE 1 /* mmap MAP_ANONYMOUS, sysconf */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each slot is a few read-write pages followed by one PROT_NONE page. */
static struct {
  unsigned char *base;
  size_t usable;
} slots[GUARD_SLOTS];

/* The last `len` bytes before the slot's guard page. */
static unsigned char *guard_area(int slot, size_t len) {
  if (slot < 0 || slot >= GUARD_SLOTS)
    fail_msg("guard slot %d out of range", slot);
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t need = ((len + page - 1) / page) * page;
  if (need == 0)
    need = page;
  if (slots[slot].base == NULL || slots[slot].usable < need) {
    if (slots[slot].base != NULL)
      munmap(slots[slot].base, slots[slot].usable + page);
    void *m = mmap(NULL, need + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      fail_msg("mmap failed");
    slots[slot].base = m;
    slots[slot].usable = need;
    if (mprotect(slots[slot].base + need, page, PROT_NONE) != 0)
      fail_msg("mprotect failed");
  }
  return slots[slot].base + slots[slot].usable - len;
}

const char *guard_copy_slot(int slot, const void *data, size_t len) {
  unsigned char *dst = guard_area(slot, len);
  if (len > 0)
    memcpy(dst, data, len);
  return (const char *)dst;
}

void *guard_object(int slot, size_t size) {
  unsigned char *dst = guard_area(slot, size);
  poison(dst, size);
  return dst;
}

/* One PROT_NONE page, then read-write pages. */
static struct {
  unsigned char *base;
  size_t usable;
} front;

const char *guard_copy_front(const void *data, size_t len) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t need = ((len + page - 1) / page) * page;
  if (need == 0)
    need = page;
  if (front.base == NULL || front.usable < need) {
    if (front.base != NULL)
      munmap(front.base - page, front.usable + page);
    unsigned char *m =
        mmap(NULL, need + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      fail_msg("mmap failed");
    if (mprotect(m, page, PROT_NONE) != 0)
      fail_msg("mprotect failed");
    front.base = m + page;
    front.usable = need;
  }
  if (len > 0)
    memcpy(front.base, data, len);
  return (const char *)front.base;
}

void poison(void *obj, size_t size) {
  memset(obj, 0xA5, size);
}

void poison_stack(void) {
  volatile unsigned char pad[16384];
  for (size_t i = 0; i < sizeof pad; i++)
    pad[i] = 0xA5;
}

const char *show(const char *data, size_t len) {
  static char buf[1024];
  size_t o = 0;
  for (size_t i = 0; i < len && o + 8 < sizeof buf; i++) {
    unsigned char c = (unsigned char)data[i];
    if (c == '\r')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\r");
    else if (c == '\n')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\n");
    else if (c == '\t')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\t");
    else if (c < 0x20 || c >= 0x7f || c == '\\')
      o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o] = '\0';
  return buf;
}
