// Loaded with --import before the CLI: records every @pulumi/* module the process loads, in ESM or CJS.
import { appendFileSync } from 'node:fs';
import Module from 'node:module';
import { register } from 'node:module';

const out = process.env.PRODCHECK_TRACE_FILE;
const note = (what) => {
  if (out && /[\\/]@pulumi[\\/]|^@pulumi\//.test(what)) appendFileSync(out, `${what}\n`);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  note(request);
  return load.call(this, request, ...rest);
};
register('data:text/javascript,' + encodeURIComponent(`
  import { appendFileSync } from 'node:fs';
  export async function resolve(specifier, context, next) {
    const r = await next(specifier, context);
    if (${JSON.stringify(out ?? '')} && /[\\\\/]@pulumi[\\\\/]/.test(r.url)) appendFileSync(${JSON.stringify(out ?? '')}, r.url + '\\n');
    return r;
  }
`));
