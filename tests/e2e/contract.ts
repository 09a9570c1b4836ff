// The Supply contract in the end-to-end suite: every request the console
// sends to the simulated Supply API, and every answer it gets, checked
// against the project's OpenAPI document of the published service
// (tests/contract/supply-openapi.yaml, the same one the simulator's native
// contract test uses).
//
// What is checked, per browser request to the API port (preflights and
// /__admin/* are not API calls and are skipped):
// - the request: it is an operation of the document; its query names only
//   the operation's parameters, with values of their types; its body has a
//   content type the operation takes and conforms to the schema, the
//   get_offers YAML parsed first;
// - the answer: its body is JSON and conforms to the schema of its path,
//   method and status (the status's own, else `default`).
// Answers a fault decided are not checked: the test's own fault switches
// (POST/DELETE /__admin/faults, POST /__admin/reset through the `request`
// fixture, see `watchFaults`) are followed, and an answer whose path a rule
// that changes answers (a `kind` or a `status`; latency alone does not)
// covered when it was asked or answered is skipped. A spec can also opt out
// with `test.use({ contract: 'requests' })` (requests only) or 'off'.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, BrowserContext, Request, Response } from '@playwright/test';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { API_PORT } from './ports';

export const CONTRACT_FILE = path.resolve(__dirname, '..', 'contract', 'supply-openapi.yaml');

/** What a test checks: requests and answers, requests only, or nothing. */
export type ContractMode = 'all' | 'requests' | 'off';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `#/components/schemas/X` becomes `#/$defs/X`: each root carries the schemas as `$defs`. */
function rewriteRefs(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
      out[key] = `#/$defs/${inner.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = rewriteRefs(inner);
    }
  }
  return out;
}

function pointer(doc: Json, ref: string): Json | undefined {
  let at: Json | undefined = doc;
  for (const raw of ref.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObj(at) ? at[key] : undefined;
  }
  return at;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 6)
    .map((e) => {
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${(e.params as { additionalProperty?: string }).additionalProperty})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
            : '';
      return `at ${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra} [${e.schemaPath}]`;
    })
    .join('; ');
}

const clip = (text: string, n = 200) => (text.length > n ? `${text.slice(0, n)}…` : text);

interface Operation {
  method: string;
  template: string;
  op: Obj;
}

/** The OpenAPI document, with a compiled validator per schema use. */
export class Contract {
  readonly doc: Obj;
  private readonly defs: Json;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string = CONTRACT_FILE) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as Json;
    if (!isObj(doc) || !isObj(doc.components) || !isObj(doc.components.schemas)) {
      throw new Error(`${file}: no components/schemas`);
    }
    this.doc = doc;
    this.defs = rewriteRefs(doc.components.schemas);
    // Strict: an unknown keyword or format in the document is an error,
    // except the document's own x- annotations.
    this.ajv = new Ajv2020({
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
      allErrors: true,
    });
    this.ajv.addVocabulary(['x-source', 'x-assumed', 'x-note']);
    addFormats(this.ajv);
  }

  /** The operation `method path` is, by its path template; query ignored. */
  operation(method: string, pathname: string): Operation | undefined {
    const parts = pathname.split('/');
    for (const [template, item] of Object.entries(this.doc.paths as Obj)) {
      const want = template.split('/');
      const fits =
        want.length === parts.length &&
        want.every((w, i) => (w.startsWith('{') && w.endsWith('}') ? parts[i] !== '' : w === parts[i]));
      const op = isObj(item) ? item[method.toLowerCase()] : undefined;
      if (fits && isObj(op)) return { method: method.toUpperCase(), template, op };
    }
    return undefined;
  }

  private follow(value: Json | undefined): Json | undefined {
    if (isObj(value) && typeof value.$ref === 'string') return pointer(this.doc, value.$ref);
    return value;
  }

  /** Errors of `value` against `schema` ('' when it conforms). */
  check(key: string, schema: Json, value: unknown): string {
    let validate = this.compiled.get(key);
    if (!validate) {
      const root = rewriteRefs(schema);
      if (!isObj(root)) throw new Error(`${key}: the schema is not an object`);
      validate = this.ajv.compile({ ...root, $defs: this.defs });
      this.compiled.set(key, validate);
    }
    return validate(value) ? '' : describe(validate.errors);
  }

  /** A named schema of components/schemas. */
  checkNamed(name: string, value: unknown): string {
    return this.check(`schema ${name}`, { $ref: `#/components/schemas/${name}` }, value);
  }

  private parameters(op: Obj): Obj[] {
    const params = Array.isArray(op.parameters) ? op.parameters : [];
    return params.map((p) => this.follow(p)).filter(isObj);
  }

  /**
   * Everything wrong with a request ('' when nothing): the operation, its
   * query and its body.
   */
  checkRequest(method: string, url: string, contentType: string | undefined, body: string | null): string {
    const { pathname, searchParams } = new URL(url);
    const found = this.operation(method, pathname);
    if (!found) return `${method} ${pathname}: not an operation of the contract`;
    const { template, op } = found;
    const problems: string[] = [];
    const query = this.parameters(op).filter((p) => p.in === 'query');
    for (const [name, raw] of searchParams) {
      const param = query.find((p) => p.name === name);
      if (!param) {
        problems.push(`query parameter ${name} is not in the contract`);
        continue;
      }
      const schema = isObj(param.schema) ? param.schema : {};
      let value: unknown = raw;
      if (schema.type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
      if (schema.type === 'integer' || schema.type === 'number') value = raw.trim() === '' ? raw : Number(raw);
      const errors = this.check(`query ${method} ${template} ${name}`, schema, value);
      if (errors) problems.push(`query parameter ${name}=${raw}: ${errors}`);
    }
    const requestBody = this.follow(op.requestBody);
    if (isObj(requestBody) && isObj(requestBody.content)) {
      const types = Object.keys(requestBody.content);
      const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
      if (body === null || body === '') {
        if (requestBody.required) problems.push(`no body; the contract takes ${types.join(' or ')}`);
      } else if (!types.includes(type)) {
        problems.push(`body sent as ${type || 'no content type'}; the contract takes ${types.join(' or ')}`);
      } else {
        const media = requestBody.content[type];
        const schema = isObj(media) ? media.schema : undefined;
        let parsed: unknown;
        let parseError = '';
        try {
          parsed = type.includes('yaml') ? parseYaml(body) : JSON.parse(body);
        } catch (err) {
          parseError = `the ${type} body does not parse: ${String(err).split('\n')[0]}`;
        }
        if (parseError) problems.push(parseError);
        else if (schema !== undefined) {
          const errors = this.check(`request ${method} ${template} ${type}`, schema, parsed);
          if (errors) problems.push(`body: ${errors} (sent: ${clip(JSON.stringify(body))})`);
        }
      }
    }
    return problems.length ? `${method} ${pathname} (${template}): ${problems.join('; ')}` : '';
  }

  /** Everything wrong with an answer ('' when nothing). */
  checkResponse(method: string, url: string, status: number, body: string): string {
    const { pathname } = new URL(url);
    const found = this.operation(method, pathname);
    if (!found) return `${method} ${pathname} -> ${status}: not an operation of the contract`;
    const { template, op } = found;
    const responses = isObj(op.responses) ? op.responses : {};
    const key = [String(status), `${Math.floor(status / 100)}XX`, 'default'].find((k) => k in responses);
    const response = key ? this.follow(responses[key]) : undefined;
    const schema = isObj(response) ? pointer(response, '#/content/application~1json/schema') : undefined;
    if (key === undefined || schema === undefined) {
      return `${method} ${pathname} -> ${status}: the contract has no JSON answer for ${status} on ${template}`;
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return `${method} ${pathname} -> ${status}: the answer is not JSON: ${clip(JSON.stringify(body))}`;
    }
    const errors = this.check(`answer ${method} ${template} ${key}`, schema, value);
    return errors ? `${method} ${pathname} -> ${status} (${template} ${key}): ${errors}` : '';
  }
}

let shared: Contract | undefined;
/** One contract per worker: validators compile once. */
export function contract(): Contract {
  shared ??= new Contract();
  return shared;
}

// ---- following the test's faults and the browser's traffic -------------

/** A fault rule that changes answers, by the path prefix it covers (null: every path). */
type Rule = { prefix: string | null };

function rulesOf(data: unknown): Rule[] {
  const list = Array.isArray(data) ? data : [data];
  return list
    .filter(isObj)
    .filter((r) => r.kind !== undefined || r.status !== undefined)
    .map((r) => ({ prefix: typeof r.path_prefix === 'string' && r.path_prefix !== '' ? r.path_prefix : null }));
}

function dataOf(options: unknown): unknown {
  if (!isObj(options as Json)) return undefined;
  const data = (options as { data?: unknown }).data;
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  return data;
}

export interface ContractCounts {
  requests: number;
  answers: number;
  skipped: number;
}

/** One test's watch over the browser's Supply traffic. */
export class ContractWatch {
  readonly violations: string[] = [];
  readonly counts: ContractCounts = { requests: 0, answers: 0, skipped: 0 };
  private rules: Rule[] = [];
  private readonly faultedAtRequest = new WeakSet<Request>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mode: ContractMode,
    private readonly apiPort: number = API_PORT,
  ) {}

  private faulted(pathname: string): boolean {
    return this.rules.some((r) => r.prefix === null || pathname.startsWith(r.prefix));
  }

  /** A Supply API call of the console: the API port on loopback, not a preflight, not the admin API. */
  private isApiCall(method: string, url: string): URL | undefined {
    const parsed = new URL(url);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    if (!loopback || parsed.port !== String(this.apiPort)) return undefined;
    if (method === 'OPTIONS' || parsed.pathname.startsWith('/__admin/')) return undefined;
    return parsed;
  }

  /** Follows a call the test makes to the admin API (before and after it is answered). */
  async follow<T>(method: string, url: string, options: unknown, call: () => Promise<T>): Promise<T> {
    const { pathname } = new URL(url, 'http://127.0.0.1');
    const upper = method.toUpperCase();
    const setting = pathname === '/__admin/faults' && upper === 'POST';
    const clearing = (pathname === '/__admin/faults' && upper === 'DELETE') || pathname === '/__admin/reset';
    if (!setting && !clearing) return call();
    const next = setting ? rulesOf(dataOf(options)) : [];
    // While the switch is in flight, both the old and the new rules may apply.
    this.rules = [...this.rules, ...next];
    const result = await call();
    this.rules = next;
    return result;
  }

  attach(context: BrowserContext): void {
    if (this.mode === 'off') return;
    context.on('request', (req) => this.onRequest(req));
    if (this.mode === 'all') context.on('response', (res) => this.track(this.onResponse(res)));
  }

  private onRequest(req: Request): void {
    const url = this.isApiCall(req.method(), req.url());
    if (!url) return;
    if (this.faulted(url.pathname)) this.faultedAtRequest.add(req);
    this.counts.requests += 1;
    const problem = contract().checkRequest(req.method(), req.url(), req.headers()['content-type'], req.postData());
    if (problem) this.violations.push(`request ${problem}`);
  }

  private async onResponse(res: Response): Promise<void> {
    const req = res.request();
    const url = this.isApiCall(req.method(), req.url());
    if (!url) return;
    if (this.faultedAtRequest.has(req) || this.faulted(url.pathname)) {
      this.counts.skipped += 1;
      return;
    }
    let body: string;
    try {
      body = (await res.body()).toString('utf8');
    } catch {
      // Gone with its page, or aborted by the console: nothing to read.
      this.counts.skipped += 1;
      return;
    }
    // A fault switched on while the body was read.
    if (this.faulted(url.pathname)) {
      this.counts.skipped += 1;
      return;
    }
    this.counts.answers += 1;
    const problem = contract().checkResponse(req.method(), req.url(), res.status(), body);
    if (problem) this.violations.push(`answer ${problem}`);
  }

  private track(work: Promise<void>): void {
    const done = work.catch((err) => {
      this.violations.push(`contract check failed: ${String(err)}`);
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  /** Waits (at most `ms`) for the answers still being read. */
  async settle(ms = 5_000): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    await Promise.race([Promise.allSettled([...this.pending]).then(() => undefined), timeout]);
  }
}

/**
 * The `request` fixture, with its calls to /__admin/faults and
 * /__admin/reset followed by `watch` (every other call is passed as is).
 */
export function watchFaults(request: APIRequestContext, watch: ContractWatch): APIRequestContext {
  return new Proxy(request, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === 'post' || prop === 'delete') {
        return (url: string, options?: unknown) =>
          watch.follow(prop, url, options, () => fn.call(target, url, options) as Promise<unknown>);
      }
      if (prop === 'fetch') {
        return (urlOrRequest: unknown, options?: unknown) => {
          const url = typeof urlOrRequest === 'string' ? urlOrRequest : (urlOrRequest as Request).url();
          const method =
            (isObj(options as Json) && typeof (options as { method?: unknown }).method === 'string'
              ? (options as { method: string }).method
              : undefined) ?? (typeof urlOrRequest === 'string' ? 'GET' : (urlOrRequest as Request).method());
          return watch.follow(method, url, options, () => fn.call(target, urlOrRequest, options) as Promise<unknown>);
        };
      }
      return fn.bind(target);
    },
  });
}

// ---- the running count ----------------------------------------------------

const totals = new Map<string, ContractCounts>();

/** Adds a test's counts to its file's. */
export function addCounts(file: string, counts: ContractCounts): void {
  const name = path.basename(file);
  const sum = totals.get(name) ?? { requests: 0, answers: 0, skipped: 0 };
  sum.requests += counts.requests;
  sum.answers += counts.answers;
  sum.skipped += counts.skipped;
  totals.set(name, sum);
}

/** One line per file this worker ran, and the sum; the counts are cleared. */
export function summary(): string[] {
  if (!totals.size) return [];
  const all: ContractCounts = { requests: 0, answers: 0, skipped: 0 };
  const line = (name: string, c: ContractCounts) =>
    `contract: ${name}: ${c.requests} requests, ${c.answers} answers validated, ${c.skipped} skipped (faults, unreadable)`;
  const lines = [...totals].map(([name, c]) => {
    all.requests += c.requests;
    all.answers += c.answers;
    all.skipped += c.skipped;
    return line(name, c);
  });
  if (totals.size > 1) lines.push(line('all', all));
  totals.clear();
  return lines;
}
