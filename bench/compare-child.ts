/** One `pullsim compare … --json` in its own process, so its peak RSS is its own: prints {code, ms, maxRssKb, changed}. */
import { main } from '../src/cli/main.js';

let out = '';
const start = process.hrtime.bigint();
const code = await main(process.argv.slice(2), { out: (s) => (out += s), err: (s) => process.stderr.write(s), isTTY: false });
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const changed = code === 2 ? -1 : (JSON.parse(out) as { changes: unknown[] }).changes.length;
process.stdout.write(JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS, changed }) + '\n');
