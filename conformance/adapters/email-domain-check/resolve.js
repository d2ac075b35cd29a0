#!/usr/bin/env node
/*
 * Resolve adapter (conformance/ADAPTERS.md, "Resolve protocol (scenarios),
 * version 1") for email-domain-check 2.0.5.
 *
 * The library's MTA-STS flow is DomainChecker.cleanMxRecord(): getStsRecord()
 * for the id, then getMtaStsPolicy(), then isMxAllowed() for each MX. Its
 * answer is a filtered MX list, which hides the policy, so the adapter makes
 * those three public calls itself, in that order, for every request, and maps
 * what they return. Nothing is stubbed: the checker's resolver is Node's
 * c-ares configured from the world's /etc/resolv.conf, and getMtaStsPolicy
 * uses Node's global fetch, which trusts the world's CA through
 * NODE_EXTRA_CA_CERTS.
 *
 * The library keeps nothing between calls (no cache), so every step is
 * resolved afresh: the scenario clock (now, elapsed) cannot matter, and no
 * answer is ever "cached".
 */
'use strict';

const path = require('node:path');
const readline = require('node:readline');

const ACTIVE_MODES = new Set(['enforce', 'testing']);

function loadLibrary() {
  try {
    return { edc: require(path.join(__dirname, 'node_modules', 'email-domain-check')) };
  } catch (err) {
    return { missing: `email-domain-check is not installed (${err.message}); run npm ci in ${__dirname}` };
  }
}

/*
 * A checker that asks the world's DNS server and nothing else: no failover
 * resolvers (the default list is 1.1.1.1 and 8.8.8.8; [] builds none, and
 * without a `server` option no system failover resolver is added either), and
 * no per-domain NS resolver (useDomainNS). useMtaSts is what a caller turns
 * on to get cleanMxRecord's MTA-STS filtering.
 */
function newChecker(edc) {
  return new edc.DomainChecker({ useMtaSts: true, useDomainNS: false, failoverServers: [] });
}

// "ESERVFAIL: queryTxt ESERVFAIL ...", "TypeError: fetch failed (CERT_HAS_EXPIRED: ...)",
// "TimeoutError: ..." (a DOMException's code is a number, its name says more).
function errorText(err) {
  if (!err) return 'unknown error';
  const label = typeof err.code === 'string' ? err.code : err.name;
  const cause = err.cause ? ` (${errorText(err.cause)})` : '';
  return `${label ? `${label}: ` : ''}${err.message || String(err)}${cause}`;
}

function describeRecord(record) {
  if (!record) return 'getStsRecord: no v=STSv1 record';
  const errors = record.errors && record.errors.length ? `, errors ${JSON.stringify(record.errors)}` : '';
  return `getStsRecord: id ${JSON.stringify(record.id)} from ${JSON.stringify(record.raw)}${errors}`;
}

/*
 * getMtaStsPolicy catches every error of its own fetch and returns null, so
 * the reason is invisible in its result. While it runs, the global fetch is
 * wrapped to note what happened (status, final URL, Content-Type, the error,
 * a failed body read); every call and every result passes through unchanged.
 */
function observeFetch(realFetch, notes) {
  return async (url, init) => {
    let response;
    try {
      response = await realFetch(url, init);
    } catch (err) {
      notes.push(`fetch ${url}: ${errorText(err)}`);
      throw err;
    }
    const redirected = response.redirected ? `, redirected to ${response.url}` : '';
    notes.push(`fetch ${url}: status ${response.status}, Content-Type ${JSON.stringify(response.headers.get('content-type'))}${redirected}`);
    const readText = response.text.bind(response);
    response.text = async () => {
      try {
        const text = await readText();
        notes.push(`body ${text.length} chars`);
        return text;
      } catch (err) {
        notes.push(`reading the body: ${errorText(err)}`);
        throw err;
      }
    };
    return response;
  };
}

/*
 * How long getMtaStsPolicy took goes to `log` (stderr), never into `detail`:
 * a measured duration varies from run to run and with the machine's load,
 * and an answer must carry only what the library decided. What ended a fetch
 * (the library's 8 s abort included) is in the notes as the error it threw.
 */
async function fetchPolicy(edc, target, notes, log) {
  const realFetch = globalThis.fetch;
  const started = process.hrtime.bigint();
  globalThis.fetch = observeFetch(realFetch, notes);
  try {
    return await edc.getMtaStsPolicy(target);
  } finally {
    globalThis.fetch = realFetch;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    log(`getMtaStsPolicy took ${seconds.toFixed(1)} s`);
  }
}

function noPolicy(notes) {
  return { apply: 'none', mode: 'none', mx: [], detail: notes.join('; ') };
}

/*
 * One step, as cleanMxRecord runs it: a record without an id means "no
 * MTA-STS", a null policy means "policy file not found or invalid", and a
 * throw (getStsRecord on SERVFAIL) is caught there and fails open. Each of
 * those leaves the MX list alone: no policy applies.
 */
async function decide(edc, req, log = () => {}) {
  const notes = [];
  const checker = newChecker(edc);
  // getMxRecord hands cleanMxRecord its target as an Address; so does this.
  const target = edc.Address.loadFromTarget(req.domain);
  let record;
  try {
    record = await checker.getStsRecord({ target });
  } catch (err) {
    notes.push(`getStsRecord threw ${errorText(err)} (cleanMxRecord fails open)`);
    return noPolicy(notes);
  }
  notes.push(describeRecord(record));
  const id = record ? record.id : undefined;
  if (!id) return noPolicy(notes);

  const stepLog = message => log(`tcId ${req.tcId} step ${req.step} (${req.domain}): ${message}`);
  const policy = await fetchPolicy(edc, target, notes, stepLog);
  if (!policy) {
    notes.push('getMtaStsPolicy returned null');
    return noPolicy(notes);
  }
  notes.push(`policy ${JSON.stringify(policy)}`);
  const response = { apply: 'new', mode: policy.mode, id, mx: policy.mx };
  if (ACTIVE_MODES.has(policy.mode)) {
    response.mxMatch = {};
    for (const host of req.mx) response.mxMatch[host] = edc.isMxAllowed(host, policy);
  }
  response.detail = notes.join('; ');
  return response;
}

function requestProblem(req) {
  if (req === null || typeof req !== 'object' || Array.isArray(req)) return 'not an object';
  if (typeof req.domain !== 'string' || req.domain === '') return 'no domain';
  if (!Number.isInteger(req.step)) return 'no step';
  if (!Array.isArray(req.mx) || !req.mx.every(host => typeof host === 'string')) return 'mx is not a list of names';
  return null;
}

async function respond(lib, line, log = () => {}) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (err) {
    return { error: 'bad request: not JSON' };
  }
  const head = req && typeof req === 'object' ? { tcId: req.tcId, step: req.step } : {};
  const problem = requestProblem(req);
  if (problem) return Object.assign(head, { error: `bad request: ${problem}` });
  if (lib.missing) return Object.assign(head, { unsupported: lib.missing });
  try {
    return Object.assign(head, await decide(lib.edc, req, log));
  } catch (err) {
    // The three calls catch what they expect; anything else is a crash, not a decision.
    return Object.assign(head, { error: `exception: ${err && err.stack}` });
  }
}

// One answer line per request line, in order; resolves at EOF.
async function serve(lib, input, writeLine, log = () => {}) {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    writeLine(JSON.stringify(await respond(lib, line, log)));
  }
}

async function main() {
  const log = message => process.stderr.write(`email-domain-check resolve adapter: ${message}\n`);
  const lib = loadLibrary();
  if (lib.missing) log(`${lib.missing}. Every request is answered "unsupported".`);
  process.on('unhandledRejection', err => log(`unhandled rejection: ${err && err.stack}`));
  // stdout is a pipe: Node writes to pipes synchronously, so each answer is
  // flushed before the next request is read.
  await serve(lib, process.stdin, text => process.stdout.write(`${text}\n`), log);
  process.exit(0);
}

if (require.main === module) main();

module.exports = { decide, respond, serve, newChecker };
