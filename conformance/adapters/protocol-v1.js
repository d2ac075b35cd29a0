/*
 * protocol-v1.js - what every Node adapter shares (conformance/ADAPTERS.md,
 * protocol v1): the request loop, hex decoding, the TXT RRset shape Node's
 * dns.resolveTxt returns, and the translation of thrown errors. An adapter
 * supplies only how to load its library and how to answer each kind, by
 * calling the library's own functions.
 */
'use strict';

const readline = require('node:readline');

// A DNS character-string holds at most 255 octets (RFC 1035 3.3).
const MAX_CHARACTER_STRING = 255;

// A request the adapter cannot read: answered "unsupported", never "invalid"
// (that would be a verdict the library did not give).
class BadRequest extends Error {}

function bytesFromHex(hex) {
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
    throw new BadRequest('not a hex string');
  }
  return Buffer.from(hex, 'hex');
}

// Node's resolver hands each character-string over as a latin1 string (one
// JS char per octet); longer than 255 octets it arrives split, as on the wire.
function dnsStrings(bytes) {
  const strings = [];
  for (let at = 0; at < bytes.length; at += MAX_CHARACTER_STRING) {
    strings.push(bytes.subarray(at, at + MAX_CHARACTER_STRING).toString('latin1'));
  }
  return strings.length ? strings : [''];
}

function rrFromStrings(stringsHex) {
  if (!Array.isArray(stringsHex)) throw new BadRequest('strings are not a list');
  return stringsHex.flatMap(hex => dnsStrings(bytesFromHex(hex)));
}

// The vector's TXT RRs, shaped as dns.resolveTxt returns them.
function txtRrsetOf(req) {
  switch (req.kind) {
    case 'txt-record':
      return [dnsStrings(bytesFromHex(req.inputHex))];
    case 'txt-strings':
      return [rrFromStrings(req.stringsHex)];
    default:
      if (!Array.isArray(req.rrsetHex)) throw new BadRequest('rrsetHex is not a list');
      return req.rrsetHex.map(rrFromStrings);
  }
}

function errorName(err) {
  return String((err && (err.code || err.name)) || 'exception');
}

/*
 * Serve requests on stdin until EOF. adapter = {
 *   name,                      for stderr messages and "not installed"
 *   forbidNetwork(),           makes any real DNS / HTTP lookup fail
 *   load(log),                 the library, or null when it is not installed
 *   answerTxt(lib, req), answerPolicy(lib, req), answerMxMatch(lib, req)
 * }: each answer is {result, fields?, error?}; a kind without an answer is
 * "unsupported".
 */
async function serve(adapter) {
  const log = message => process.stderr.write(`${adapter.name} adapter: ${message}\n`);
  const answer = async (lib, req) => {
    if (!lib) return { result: 'unsupported', error: `${adapter.name} is not installed` };
    switch (req.kind) {
      case 'txt-record':
      case 'txt-strings':
      case 'txt-rrset':
        return adapter.answerTxt(lib, req);
      case 'policy':
        return adapter.answerPolicy(lib, req);
      case 'mx-match':
        return adapter.answerMxMatch(lib, req);
      default:
        return { result: 'unsupported' };
    }
  };
  const respond = async (lib, line) => {
    let req;
    try {
      req = JSON.parse(line);
    } catch (err) {
      return { result: 'unsupported', error: 'bad request: not JSON' };
    }
    if (req === null || typeof req !== 'object') {
      return { result: 'unsupported', error: 'bad request: not an object' };
    }
    let resp;
    try {
      resp = await answer(lib, req);
    } catch (err) {
      // A malformed request is ours to report; anything the library threw was
      // caught by the answer functions and is its verdict.
      resp = err instanceof BadRequest
        ? { result: 'unsupported', error: `bad request: ${err.message}` }
        : { result: 'invalid', error: `exception: ${errorName(err)}` };
    }
    return Object.assign({ tcId: req.tcId }, resp);
  };

  process.on('unhandledRejection', err => log(`unhandled rejection: ${err && err.stack}`));
  process.on('uncaughtException', err => log(`uncaught exception: ${err && err.stack}`));
  adapter.forbidNetwork();
  const lib = adapter.load(log);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    // stdout is a pipe: Node writes to pipes synchronously, so each answer is
    // flushed before the next request is read.
    process.stdout.write(`${JSON.stringify(await respond(lib, line))}\n`);
  }
  process.exit(0);
}

module.exports = { BadRequest, bytesFromHex, txtRrsetOf, errorName, serve };
