'use strict';
/*
 * harness.js - what the Node peer drivers share: the command line, the
 * inputs mtasts-bench wrote (manifest.txt), the timed blocks and the output
 * lines. The method is mtasts-bench's (bench/timing.c): calibrate a block to
 * about --block-ms, warm up (here long enough for V8 to optimise the
 * peer's code), then time --blocks blocks of every subject of an input,
 * interleaved, and report the median per operation (min and max in the
 * table).
 *
 * Output, one line per measurement, in mtasts-bench's format:
 *   BENCH input=<input> impl=<impl> ns_per_op=<median> gbps=<value> ratio=<x>
 * where ratio is over the memchr baseline of the same run (read from
 * mtasts-bench's output, --ours), one line comparing it with our parser:
 *   VERSUS input=<input> impl=<impl> mtasts_strict_ns=<ns> times_slower=<x>
 * and the spread behind the median:
 *   STATS input=<input> impl=<impl> min_ns=<x> max_ns=<x> blocks=<n> calls_per_block=<n>
 *         rejected_blocks=<n>
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function usage(name) {
  return `usage: node ${name} --inputs DIR [--ours FILE] [--blocks N] [--block-ms MS] ` +
    '[--warmup-ms MS] [--smoke]\n' +
    '  --inputs DIR   the inputs mtasts-bench --emit-inputs wrote (DIR/manifest.txt)\n' +
    '  --ours FILE    mtasts-bench output of the same run (for ratio and VERSUS)\n';
}

function parseArgs(argv, name) {
  const opts = { inputs: null, ours: null, blocks: 21, blockNs: 5e6, warmupNs: 300e6 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--smoke') {
      Object.assign(opts, { blocks: 3, blockNs: 2e5, warmupNs: 0 });
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(usage(name));
      process.exit(0);
    } else if (v === undefined) {
      throw new Error(`${a}: unknown option or missing value\n${usage(name)}`);
    } else {
      i++;
      if (a === '--inputs') opts.inputs = v;
      else if (a === '--ours') opts.ours = v;
      else if (a === '--blocks') opts.blocks = Math.max(1, Math.min(101, Number(v) | 0));
      else if (a === '--block-ms') opts.blockNs = Number(v) * 1e6;
      else if (a === '--warmup-ms') opts.warmupNs = Number(v) * 1e6;
      else throw new Error(`${a}: unknown option\n${usage(name)}`);
    }
  }
  if (!opts.inputs) throw new Error(`--inputs is required\n${usage(name)}`);
  return opts;
}

/* manifest.txt: "<name> <kind> <file> <mx_lines> <scaling> [<policy file>]". */
function readManifest(dir) {
  const text = fs.readFileSync(path.join(dir, 'manifest.txt'), 'latin1');
  return text.split('\n').filter(l => l && !l.startsWith('#')).map(line => {
    const [name, kind, file, mxLines, scaling, policyFile] = line.split(' ');
    const input = {
      name,
      kind,
      bytes: fs.readFileSync(path.join(dir, file)),
      mxLines: Number(mxLines),
      scaling: scaling === '1'
    };
    if (policyFile) input.policyBytes = fs.readFileSync(path.join(dir, policyFile));
    // The bytes the C baselines scan: for mx-match, the policy.
    input.scannedLength = (input.policyBytes || input.bytes).length;
    return input;
  });
}

/* The BENCH lines of mtasts-bench's output: {input: {impl: ns}}. */
function readOurs(file) {
  const ours = {};
  if (!file) return ours;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^BENCH input=(\S+) impl=(\S+) ns_per_op=([0-9.]+) /.exec(line);
    if (m) (ours[m[1]] = ours[m[1]] || {})[m[2]] = Number(m[3]);
  }
  return ours;
}

function nowNs() {
  return Number(process.hrtime.bigint());
}

// Results of the timed calls go here, so that no call is dead code.
let sink = 0;
function consume(x) {
  sink = (sink + (typeof x === 'number' ? x : x ? 1 : 0)) | 0;
}

// The process's CPU time in ns (user + system, all threads: Node 20 has no
// per-thread figure, so V8's helper threads can hide some descheduling).
function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/* Run one block: {wall, cpu} in ns. */
async function timeBlock(subject, iters) {
  const cpu = cpuNs();
  const start = nowNs();
  consume(await subject.loop(iters));
  return { wall: nowNs() - start, cpu: cpuNs() - cpu };
}

async function runBlock(subject, iters) {
  return (await timeBlock(subject, iters)).wall;
}

/* As bench/timing.c: a block during which the process got under 95 % of a
 * CPU measured the machine's other work; it is run again (a few times at
 * most, twice for a long block) and counted as rejected. */
async function timedSample(subject, blockNs) {
  let t = await timeBlock(subject, subject.iters);
  const attempts = t.wall > 2 * blockNs ? 2 : 8;
  for (let a = 1; a < attempts && t.cpu < 0.95 * t.wall; a++) {
    subject.rejected++;
    t = await timeBlock(subject, subject.iters);
  }
  return t.wall / subject.iters;
}

/* As bench/timing.c: grow until a block really lasts about blockNs, by a
 * factor estimated from the last block but capped. */
async function calibrate(subject, blockNs) {
  let iters = 1;
  for (;;) {
    const t = await timeBlock(subject, iters);
    const elapsed = Math.min(t.wall, t.cpu);
    if (elapsed >= blockNs * 0.9) return iters;
    const factor = elapsed > 0 ? Math.min(100, Math.max(1.1, 1.1 * blockNs / elapsed)) : 100;
    iters = Math.floor(iters * factor) + 1;
  }
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1] };
}

/* Time every subject of one input, blocks interleaved. */
async function measure(subjects, opts) {
  for (const s of subjects) {
    s.iters = await calibrate(s, opts.blockNs);
    for (let spent = 0; spent < opts.warmupNs;) spent += await runBlock(s, s.iters);
    // Warm-up may have let V8 optimise the code: calibrate again.
    if (opts.warmupNs > 0) s.iters = await calibrate(s, opts.blockNs);
    s.samples = [];
    s.rejected = 0;
  }
  for (let b = 0; b < opts.blocks; b++) {
    for (const s of subjects) s.samples.push(await timedSample(s, opts.blockNs));
  }
  for (const s of subjects) s.stats = stats(s.samples);
}

function fixed(x, digits) {
  return Number.isFinite(x) ? x.toFixed(digits) : 'nan';
}

function report(input, subject, ours) {
  const mine = ours[input.name] || {};
  const ns = subject.stats.median;
  const ratio = mine.memchr ? ns / mine.memchr : NaN;
  process.stdout.write(`BENCH input=${input.name} impl=${subject.impl} ns_per_op=${fixed(ns, 1)} ` +
    `gbps=${fixed(input.scannedLength / ns, 3)} ratio=${fixed(ratio, 2)}\n`);
  if (mine['mtasts-strict']) {
    process.stdout.write(`VERSUS input=${input.name} impl=${subject.impl} ` +
      `mtasts_strict_ns=${fixed(mine['mtasts-strict'], 1)} ` +
      `times_slower=${fixed(ns / mine['mtasts-strict'], 1)}\n`);
  }
  process.stdout.write(`STATS input=${input.name} impl=${subject.impl} ` +
    `min_ns=${fixed(subject.stats.min, 1)} max_ns=${fixed(subject.stats.max, 1)} ` +
    `blocks=${subject.samples.length} calls_per_block=${subject.iters} ` +
    `rejected_blocks=${subject.rejected}\n`);
}

/*
 * Drive one peer: subjectsFor(input) returns [{impl, loop(iters), check()}]
 * for the inputs the peer can parse. check() runs the peer once and throws
 * unless it accepted the input as expected: a benchmark of an error path
 * would compare nothing.
 */
async function main(name, describe, subjectsFor) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2), name);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const ours = readOurs(opts.ours);
  process.stdout.write(`# ${describe()}; node ${process.version}; ${opts.blocks} blocks of >= ` +
    `${opts.blockNs / 1e6} ms, interleaved, after ${opts.warmupNs / 1e6} ms warm-up per subject\n`);
  let failed = false;
  for (const input of readManifest(opts.inputs)) {
    const subjects = subjectsFor(input);
    if (subjects.length === 0) {
      process.stdout.write(`# ${input.name}: not measured (${name} has no parser for ${input.kind})\n`);
      continue;
    }
    const usable = [];
    for (const s of subjects) {
      try {
        await s.check();
        usable.push(s);
      } catch (err) {
        process.stderr.write(`${name}: ${input.name} ${s.impl}: ${err.message}\n`);
        failed = true;
      }
    }
    await measure(usable, opts);
    for (const s of usable) report(input, s, ours);
  }
  process.stdout.write(`# ${name} done (checksum ${sink})\n`);
  process.exit(failed ? 1 : 0);
}

/* Load a CommonJS file with extra exports: some peers do not export their
 * parser, only the function that fetches and then parses. The code is the
 * file's own, compiled as Node would compile it. */
function requireWithExports(file, names) {
  const Module = require('node:module');
  const source = fs.readFileSync(file, 'utf8') + '\n' +
    names.map(n => `module.exports.${n} = ${n};`).join('\n') + '\n';
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(source, file);
  return m.exports;
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

module.exports = { ROOT, main, requireWithExports, expect, consume };
